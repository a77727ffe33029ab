//! Helpers shared by the core's integration tests: the one test phone
//! (`hearth_core::testing`), which the cross-crate tests use too.
#![allow(unused_imports)]

pub use hearth_core::testing::{Phone, START_MS, contains};
