//! The pairing mailbox: two phones exchange a few opaque messages (the
//! PAKE's) through a short numeric nameplate.
//!
//! Unauthenticated and rate limited per address. Each phone picks a random
//! [`PairingSide`](crate::ids::PairingSide) and sends it in the
//! [`SIDE_HEADER`] header on every call (a header, not the URL, so it stays
//! out of access logs):
//!
//! - `POST /v1/pairing` opens a mailbox: [`PairingOpened`]. The opener's
//!   side is the first of two.
//! - `POST /v1/pairing/{nameplate}/claim` takes the second side:
//!   [`PairingClaimed`]. A third side gets 409 `pairing_full`.
//! - `POST /v1/pairing/{nameplate}/messages` with [`PostPairingMessage`]
//!   leaves a message for the other side: [`PairingMessagePosted`].
//! - `GET /v1/pairing/{nameplate}/messages?after=SEQ&wait=SECS` reads the
//!   other side's messages after SEQ, waiting up to SECS (at most 20) for
//!   one to arrive: [`PairingMessages`].
//! - `DELETE /v1/pairing/{nameplate}` closes it for good.
//!
//! A mailbox lives ten minutes; then it answers 410 `pairing_expired`. A
//! closed one answers 410 `pairing_closed`, an unknown one 404
//! `pairing_unknown`.

use serde::{Deserialize, Serialize};

use crate::ids::Nameplate;

/// The header carrying the caller's pairing side.
pub const SIDE_HEADER: &str = "hearth-pairing-side";

/// How long a pairing mailbox lives, in seconds.
pub const PAIRING_TTL_SECS: u64 = 600;

/// The longest a read may wait for a message, in seconds.
pub const MAX_WAIT_SECS: u64 = 20;

/// Answer to opening a mailbox.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PairingOpened {
    /// The number the other partner types.
    pub nameplate: Nameplate,
    /// Unix time at which the mailbox expires.
    pub expires_at: u64,
}

/// Answer to claiming the second side.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PairingClaimed {
    /// Unix time at which the mailbox expires.
    pub expires_at: u64,
}

/// Body of posting a message.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PostPairingMessage {
    /// The opaque message.
    #[serde(with = "crate::base64url")]
    pub body: Vec<u8>,
}

/// Answer to posting a message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PairingMessagePosted {
    /// The message's number in this mailbox (both sides share the count).
    pub seq: u64,
}

/// Answer to reading messages.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PairingMessages {
    /// The other side's messages after the cursor, oldest first.
    pub messages: Vec<PairingMessage>,
    /// Unix time at which the mailbox expires.
    pub expires_at: u64,
}

/// One message from the other side.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PairingMessage {
    /// Its number: read after it next time.
    pub seq: u64,
    /// The opaque message.
    #[serde(with = "crate::base64url")]
    pub body: Vec<u8>,
}

impl std::fmt::Debug for PostPairingMessage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PostPairingMessage")
            .field("bytes", &self.body.len())
            .finish()
    }
}

impl std::fmt::Debug for PairingMessage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PairingMessage")
            .field("seq", &self.seq)
            .field("bytes", &self.body.len())
            .finish()
    }
}
