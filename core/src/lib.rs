//! Hearth's core: everything the phone apps and the CLI do, as plain Rust.
#![forbid(unsafe_code)]

pub mod content;
pub mod crypto;
