//! UniFFI exports of the Hearth core facade, and nothing else.
//!
//! The shells (SwiftUI, Jetpack Compose) see one object, [`Hearth`], whose
//! methods delegate one line each to [`hearth_core::Hearth`]. The records
//! and enums they pass (entries, filters, events, ...) are the core's own
//! types, derived behind the core's `uniffi` feature rather than copied here.
//!
//! What lives here:
//! - [`app`]: [`AppCore`], the app's screens and rules for the shells
//!   (the `Shell` they implement and the view records are the core's);
//! - [`hearth`]: the exported facade (profile, journal, export, events),
//!   with its guidance methods in [`guidance`], sync in [`sync`] and the
//!   devices of the space in [`devices`];
//! - [`live_sync`]: the [`LiveSync`] handle that keeps sync running in the
//!   background until stopped or dropped;
//! - [`error`]: [`HearthError`], the few failures a shell acts on, mapped
//!   from the core's rich error in one place;
//! - [`key_store`]: the [`KeyStore`] the shell implements with the
//!   platform's secure storage;
//! - [`listener`]: the [`EventListener`] the shell registers and the
//!   [`EventSubscription`] handle that ends it.
//!
//! Async methods (export, pairing, sync) run on tokio
//! (`async_runtime = "tokio"`), as reqwest needs; live sync runs on a
//! small runtime of this library's own.
//!
//! Tests: `cargo test -p hearth-ffi` (the seams in Rust) and
//! `bash bindings/kotlin/run-tests` (the same seams from Kotlin on the JVM).
#![forbid(unsafe_code)]

uniffi::setup_scaffolding!();

pub mod app;
pub mod devices;
pub mod error;
pub mod guidance;
pub mod hearth;
pub mod key_store;
pub mod listener;
pub mod live_sync;
pub mod sync;

pub use app::AppCore;
pub use devices::{LinkedDevice, link_device, rejoin_device};
pub use error::HearthError;
pub use hearth::Hearth;
pub use key_store::{KeyStore, KeyStoreError};
pub use listener::{EventListener, EventSubscription};
pub use live_sync::LiveSync;
