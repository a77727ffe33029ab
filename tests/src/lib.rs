//! Helpers for Hearth's cross-crate integration tests (devices + relay).
