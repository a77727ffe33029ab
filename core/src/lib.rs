//! Hearth's core: everything the phone apps and the CLI do, as plain Rust.
//!
//! A shell holds one [`Hearth`], opened on a data directory. Through it:
//! the couple journal ([`journal`]), the guidance layer ([`guidance`]) over
//! the catalogue ([`content`]), and
//! the merge entry point the sync engine feeds. `Hearth::export_json`
//! saves everything the person can see and [`Hearth::import`] restores it
//! into a new profile. Errors are [`Error`]s that say what went wrong and
//! what to do.
//!
//! ```no_run
//! use hearth_core::{Hearth, OpenOptions, journal::entry::NewEntry};
//! let hearth = Hearth::open("data", OpenOptions::default())?;
//! let entry = hearth.write_entry(NewEntry { body: "We cooked together.".into(), ..Default::default() })?;
//! assert_eq!(hearth.entry(&entry.id)?.body, "We cooked together.");
//! # Ok::<(), hearth_core::Error>(())
//! ```
//!
//! Tests: `cargo test -p hearth-core`; the journal benchmark:
//! `cargo run --release -p hearth-core --example journal_bench`.
#![forbid(unsafe_code)]

#[cfg(feature = "uniffi")]
uniffi::setup_scaffolding!();

pub mod app;
pub mod clock;
pub mod content;
pub mod crypto;
mod document;
pub mod error;
pub mod events;
#[cfg(feature = "fuzzing")]
#[doc(hidden)]
pub mod fuzzing;
pub mod guidance;
mod hearth;
pub mod journal;
pub mod kind;
pub mod merge;
pub mod store;
pub mod sync;
#[cfg(any(test, feature = "test-support"))]
pub mod testing;
mod text;

pub use error::{Error, Result};
pub use guidance::checkin::CheckInDue;
pub use hearth::{
    DeviceInfo, ExerciseFilter, ExportOptions, Hearth, ImportError, LinkResult, MAX_NAME_CHARS,
    NewSpace, OpenOptions, Profile, Today,
};
pub use kind::DocumentKind;
