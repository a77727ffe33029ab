//! End-to-end encrypted sync between the two partners' phones, through a
//! relay that only stores and forwards ciphertext.
//!
//! - [`client`]: the relay's HTTP API, every space request signed.
//! - [`engine`]: one pass: push the outbox, pull and merge, compact.
//! - [`pairing`]: the PAKE exchange over the relay's pairing mailbox.
//! - [`link`]: what a person's existing device tells their new one.
//! - [`live`]: reconnect backoff for live mode.
//! - [`state`]: cursor, pushed heads, the space's devices.
//!
//! Tests: `cargo test -p hearth-tests` (two phones and a real relay on
//! 127.0.0.1) and `cargo test -p hearth-core sync`.

pub(crate) mod announce;
pub mod client;
pub(crate) mod engine;
pub(crate) mod epochs;
pub(crate) mod link;
pub(crate) mod live;
pub(crate) mod pairing;
pub(crate) mod payload;
pub(crate) mod quarantine;
pub(crate) mod state;

use serde::{Deserialize, Serialize};

/// What one sync pass did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct SyncReport {
    /// Blobs pushed.
    pub pushed: u32,
    /// Items pulled (blobs and deletions).
    pub pulled: u32,
    /// Pulled blobs rejected (bad signature, unknown device, damaged).
    pub rejected: u32,
    /// Deletions sent to the relay.
    pub forgotten: u32,
    /// Documents compacted at the relay.
    pub compacted: u32,
}

/// Where sync stands, for the Settings screen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct SyncStatus {
    /// Whether this phone is paired with a partner.
    pub paired: bool,
    /// The relay's address, once set.
    pub relay_url: Option<String>,
    /// When the last sync finished (Unix ms).
    pub last_synced_at_ms: Option<i64>,
    /// Changes waiting to be sent.
    pub pending: u32,
    /// The last problem, in plain words (cleared by the next success).
    pub last_error: Option<String>,
    /// Blobs rejected so far (never applied).
    pub rejected_blobs: u32,
    /// Something the person should know, once (e.g. an offline edit of an
    /// item the partner deleted was not kept).
    pub notice: Option<String>,
    /// Whether the shared space was closed: the journal is read-only.
    pub closed: bool,
    /// How many times the relay claimed a deletion or a closure that no
    /// device of the space signed (nothing was deleted).
    #[cfg_attr(feature = "uniffi", uniffi(default = 0))]
    pub relay_faults: u32,
    /// The last such claim, in plain words, e.g. "The relay claimed 2
    /// items were deleted, but neither of you deleted them; they are kept."
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub relay_fault: Option<String>,
    /// Blobs from the partner this version could not apply yet (written by
    /// a newer app, or damaged): kept and tried again on every sync.
    #[cfg_attr(feature = "uniffi", uniffi(default = 0))]
    #[serde(default)]
    pub quarantined: u32,
}

/// The code to show while waiting for the partner.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct PairingInvite {
    /// The code, e.g. `4821-river-lantern-moss`.
    pub code: String,
    /// When it stops working (Unix ms).
    pub expires_at_ms: i64,
}

/// What both phones show after pairing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct PairingResult {
    /// The partner's display name.
    pub partner_name: String,
    /// The same on both phones; compare them to be sure no one is in between.
    pub safety_number: String,
}
