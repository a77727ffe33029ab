//! Storage behind one trait, with two backends: SQLite (one file, the
//! embedded default) and PostgreSQL (shared by several relay processes).
//!
//! Every method takes the acting device and checks, in the same
//! transaction as the work, that the space exists and the device is in
//! it. Writes are atomic: a refused request changes nothing.

use std::fmt;
use std::future::Future;
use std::pin::Pin;

use hearth_protocol::{
    BlobId, CompactResponse, Deletion, DeviceId, DocumentId, MemberTag, Nameplate, NewBlob,
    NewSnapshot, PairingClaimed, PairingMessages, PairingOpened, PairingSide, PullResponse,
    PushResponse, SpaceId, SpaceInfo,
};
use sha2::{Digest as _, Sha256};

pub mod postgres;
mod rules;
pub mod sqlite;

/// A boxed future answered by a store.
pub type StoreFuture<'a, T> = Pin<Box<dyn Future<Output = Result<T, StoreError>> + Send + 'a>>;

/// Whether a request created something or found it already there (the
/// HTTP layer answers 201 or 200).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome<T> {
    /// The result.
    pub value: T,
    /// True when this request made it.
    pub created: bool,
}

/// A stored push.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pushed {
    /// The answer for the client.
    pub response: PushResponse,
    /// The head before the push (new blobs got the seqs after it).
    pub previous_head: u64,
}

/// What one space may hold at the relay.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Quota {
    /// Ciphertext bytes.
    pub bytes: u64,
    /// Blobs.
    pub blobs: u64,
}

/// A device to admit, with the person it belongs to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewDevice {
    /// The device.
    pub device: DeviceId,
    /// Its person; `None` counts as a person of its own.
    pub member: Option<MemberTag>,
}

/// A pull's bounds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PullBounds {
    /// Return items with seq greater than this.
    pub after: u64,
    /// At most this many items.
    pub limit: u32,
    /// Stop adding items once this many ciphertext bytes are collected.
    pub max_bytes: usize,
}

/// What the relay stores. Both backends implement it; one behaviour suite
/// runs against both.
pub trait Store: Send + Sync + fmt::Debug {
    /// Creates `space` with `device` (of person `member`) as its first
    /// device; an existing space the device is in is returned unchanged.
    fn create_space(
        &self,
        space: SpaceId,
        device: DeviceId,
        member: Option<MemberTag>,
        now: u64,
    ) -> StoreFuture<'_, Outcome<SpaceInfo>>;

    /// The space as `device` sees it.
    fn space_info(&self, space: SpaceId, device: DeviceId) -> StoreFuture<'_, SpaceInfo>;

    /// Admits `new` (of person `member`) into `space`, on behalf of its
    /// device `by`, unless that makes a third person.
    fn add_device(
        &self,
        space: SpaceId,
        by: DeviceId,
        new: NewDevice,
        max_devices: u32,
        now: u64,
    ) -> StoreFuture<'_, Outcome<SpaceInfo>>;

    /// Removes `device` from `space` on behalf of `by`, a device of the
    /// same person (see `rules::check_removal`): it leaves the device list
    /// and every later request of it is refused. Removing a removed device
    /// again is a retry and changes nothing; answers whether this call
    /// removed it.
    fn remove_device(
        &self,
        space: SpaceId,
        by: DeviceId,
        device: DeviceId,
        now: u64,
    ) -> StoreFuture<'_, bool>;

    /// Deletes everything held for `space`, keeping only the signed
    /// `erasure` (until the id is created anew).
    fn erase_space(
        &self,
        space: SpaceId,
        by: DeviceId,
        erasure: Deletion,
        now: u64,
    ) -> StoreFuture<'_, ()>;

    /// The signed statement that erased `space`, if a member erased it.
    fn erasure(&self, space: SpaceId) -> StoreFuture<'_, Option<Deletion>>;

    /// Appends blobs atomically, within the space's `quota`. Blob ids must
    /// be distinct within `blobs`.
    fn push(
        &self,
        space: SpaceId,
        by: DeviceId,
        blobs: Vec<NewBlob>,
        quota: Quota,
    ) -> StoreFuture<'_, Pushed>;

    /// Blobs and tombstones after a cursor, in seq order.
    fn pull(
        &self,
        space: SpaceId,
        by: DeviceId,
        bounds: PullBounds,
    ) -> StoreFuture<'_, PullResponse>;

    /// Tombstones `doc`: its blobs go, later writes are refused; the
    /// tombstone keeps the signed `deletion`. Answers the tombstone's seq.
    fn forget(
        &self,
        space: SpaceId,
        by: DeviceId,
        doc: DocumentId,
        deletion: Deletion,
    ) -> StoreFuture<'_, Outcome<u64>>;

    /// Replaces `doc`'s blobs with seq <= `upto` by `snapshot`, which takes
    /// the highest seq it replaces.
    fn compact(
        &self,
        space: SpaceId,
        by: DeviceId,
        doc: DocumentId,
        upto: u64,
        snapshot: NewSnapshot,
    ) -> StoreFuture<'_, CompactResponse>;

    /// The space's head, after checking `device` is in it (live streams).
    fn head(&self, space: SpaceId, device: DeviceId) -> StoreFuture<'_, u64>;

    /// Records a request nonce; false when it was seen before. `key`
    /// identifies (device, nonce); it can be forgotten after `expires_at`.
    fn claim_nonce(&self, key: [u8; 16], expires_at: u64) -> StoreFuture<'_, bool>;

    /// Opens a pairing mailbox with `side` as its first side.
    fn open_pairing(
        &self,
        side: PairingSide,
        now: u64,
        ttl_secs: u64,
    ) -> StoreFuture<'_, PairingOpened>;

    /// Claims the second side of a mailbox (idempotent for a side that
    /// already holds it).
    fn claim_pairing(
        &self,
        nameplate: Nameplate,
        side: PairingSide,
        now: u64,
    ) -> StoreFuture<'_, PairingClaimed>;

    /// Leaves a message for the other side; answers its seq.
    fn post_pairing(
        &self,
        nameplate: Nameplate,
        side: PairingSide,
        body: Vec<u8>,
        max_messages: u32,
        now: u64,
    ) -> StoreFuture<'_, u64>;

    /// The other side's messages after `after`.
    fn read_pairing(
        &self,
        nameplate: Nameplate,
        side: PairingSide,
        after: u64,
        now: u64,
    ) -> StoreFuture<'_, PairingMessages>;

    /// Closes (burns) a mailbox and drops its messages.
    fn close_pairing(&self, nameplate: Nameplate, side: PairingSide) -> StoreFuture<'_, ()>;

    /// Drops what has expired: pairing mailboxes (messages at expiry, the
    /// record `grace_secs` later) and old nonces.
    fn purge(&self, now: u64, grace_secs: u64) -> StoreFuture<'_, ()>;

    /// Reads one of the relay's tables: the database answers and holds
    /// the relay's schema (`/readyz`).
    fn ping(&self) -> StoreFuture<'_, ()>;

    /// Finishes pending writes and closes the database.
    fn close(&self) -> StoreFuture<'_, ()>;
}

/// Why a store refused or failed a request.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// No space has this id.
    #[error("unknown space")]
    UnknownSpace,
    /// No space has this id: a member device erased it with this statement.
    #[error("erased space")]
    Erased(Box<Deletion>),
    /// The acting device is not in the space.
    #[error("device is not a member of the space")]
    NotAMember,
    /// The acting (or admitted) device was removed from the space.
    #[error("device was removed from the space")]
    DeviceRemoved,
    /// The device to remove belongs to another person.
    #[error("the device belongs to another person")]
    NotYourDevice,
    /// The space has no such device.
    #[error("unknown device")]
    UnknownDevice,
    /// The space exists and the creating device is not in it.
    #[error("space exists")]
    SpaceExists,
    /// The space has as many devices as allowed.
    #[error("space is full ({max} devices)")]
    SpaceFull {
        /// The limit.
        max: u32,
    },
    /// The space holds the devices of two people already.
    #[error("the space holds two people")]
    CoupleComplete,
    /// A push would take the space past its quota.
    #[error("space quota: at most {limit} {what}")]
    QuotaExceeded {
        /// "bytes" or "blobs".
        what: &'static str,
        /// The quota.
        limit: u64,
    },
    /// Writes named forgotten documents; with the signed statements that
    /// forgot them (tombstones older than signed deletions have none).
    #[error("{} forgotten document(s)", .0.len())]
    DocumentsForgotten(Vec<DocumentId>, Vec<Deletion>),
    /// A blob id was used before with other content.
    #[error("blob id reused for different content")]
    BlobIdReused(BlobId),
    /// A cursor or compaction point beyond the head.
    #[error("cursor past end (head {head})")]
    CursorPastEnd {
        /// The space's head.
        head: u64,
    },
    /// No blobs of the document at or below the compaction point.
    #[error("nothing to compact")]
    NothingToCompact,
    /// No mailbox has this nameplate.
    #[error("unknown pairing")]
    PairingUnknown,
    /// The mailbox expired.
    #[error("pairing expired")]
    PairingExpired,
    /// The mailbox was closed.
    #[error("pairing closed")]
    PairingClosed,
    /// Two other sides hold the mailbox.
    #[error("pairing full")]
    PairingFull,
    /// The side has not claimed the mailbox.
    #[error("pairing side unknown")]
    PairingSideUnknown,
    /// The side posted as many messages as allowed.
    #[error("pairing message limit ({max})")]
    PairingMessageLimit {
        /// The limit.
        max: u32,
    },
    /// No free nameplate was found.
    #[error("no free nameplate")]
    NameplatesExhausted,
    /// Another relay process holds the SQLite file.
    #[error("the SQLite file is in use by another relay process")]
    FileInUse,
    /// The SQLite file could not be opened or locked.
    #[error("file: {0}")]
    File(#[from] std::io::Error),
    /// SQLite failed.
    #[error("sqlite: {0}")]
    Sqlite(#[from] rusqlite::Error),
    /// PostgreSQL failed.
    #[error("postgres: {0}")]
    Postgres(#[from] tokio_postgres::Error),
    /// The database failed in a way described without any stored value.
    #[error("database: {0}")]
    Backend(String),
    /// No PostgreSQL connection could be had from the pool.
    #[error("postgres pool: {0}")]
    Pool(String),
    /// The store was closed (the relay is shutting down).
    #[error("store closed")]
    Closed,
    /// A stored value does not have the shape it was written with.
    #[error("corrupt stored value: {0}")]
    Corrupt(&'static str),
}

impl StoreError {
    /// True for refusals caused by the request (4xx), false for faults.
    #[must_use]
    pub fn is_refusal(&self) -> bool {
        !matches!(
            self,
            Self::FileInUse
                | Self::File(_)
                | Self::Sqlite(_)
                | Self::Postgres(_)
                | Self::Backend(_)
                | Self::Pool(_)
                | Self::Closed
                | Self::Corrupt(_)
        )
    }
}

/// The digest stored with each blob, to tell a retried push (same id, same
/// bytes) from a reused id.
#[must_use]
pub fn blob_digest(doc: &DocumentId, data: &[u8]) -> [u8; 32] {
    let mut hash = Sha256::new();
    hash.update(doc.as_str().as_bytes());
    hash.update([0]);
    hash.update(data);
    hash.finalize().into()
}

/// The key a nonce is remembered by: (device, nonce) hashed to 16 bytes,
/// so a remembered request takes little room and reveals nothing.
#[must_use]
pub fn nonce_key(device: &DeviceId, nonce: &hearth_protocol::auth::Nonce) -> [u8; 16] {
    let mut hash = Sha256::new();
    hash.update(device.as_bytes());
    hash.update(nonce.as_bytes());
    let digest = hash.finalize();
    let mut key = [0u8; 16];
    key.copy_from_slice(&digest[..16]);
    key
}

/// A new space's incarnation: a random number below 2^53 (exact in every
/// JSON reader), never 0. Phones compare it with the one they saw last; a
/// different number means the space was created anew and its seqs start
/// over, however soon after the old one.
pub(crate) fn new_incarnation() -> Result<u64, StoreError> {
    let random = getrandom::u64()
        .map_err(|_| StoreError::Backend("the system gave no random numbers".into()))?;
    Ok((random >> 11).max(1))
}

/// Candidate nameplates, shortest first: random 4-digit numbers, then
/// longer ones when those keep colliding.
pub fn nameplate_candidates() -> impl Iterator<Item = Nameplate> {
    [4u32, 4, 4, 4, 4, 4, 4, 4, 5, 5, 5, 5, 6, 6, 6, 6, 8, 8]
        .into_iter()
        .filter_map(|digits| {
            let low = 10u64.pow(digits - 1);
            let span = 9 * low;
            let random = getrandom::u64().ok()?;
            Nameplate::parse(&(low + random % span).to_string()).ok()
        })
}

/// Why a pairing mailbox cannot be used right now, from its stored state.
pub(crate) fn pairing_state(closed: bool, expires_at: u64, now: u64) -> Result<(), StoreError> {
    if closed {
        Err(StoreError::PairingClosed)
    } else if now >= expires_at {
        Err(StoreError::PairingExpired)
    } else {
        Ok(())
    }
}

/// A signed deletion as stored (its JSON).
pub(crate) fn deletion_text(deletion: &Deletion) -> Result<String, StoreError> {
    serde_json::to_string(deletion)
        .map_err(|_| StoreError::Backend("a deletion could not be written".into()))
}

/// A stored signed deletion; `None` when absent (or unreadable, which a
/// phone treats the same: an unproven deletion it refuses).
pub(crate) fn stored_deletion(text: Option<&str>) -> Option<Deletion> {
    text.and_then(|text| serde_json::from_str(text).ok())
}

/// Converts a stored non-negative integer.
pub(crate) fn stored_u64(value: i64) -> Result<u64, StoreError> {
    u64::try_from(value).map_err(|_| StoreError::Corrupt("negative sequence number"))
}

/// Converts a sequence number for storage (both databases use signed
/// 64-bit integers).
pub(crate) fn to_i64(value: u64) -> Result<i64, StoreError> {
    i64::try_from(value).map_err(|_| StoreError::Corrupt("sequence number beyond i64"))
}

/// Reads a stored device id.
pub(crate) fn stored_device(bytes: &[u8]) -> Result<DeviceId, StoreError> {
    let bytes: [u8; 32] = bytes
        .try_into()
        .map_err(|_| StoreError::Corrupt("device key is not 32 bytes"))?;
    Ok(DeviceId::from_bytes(bytes))
}

/// Reads a stored opaque id.
pub(crate) fn stored_id<T: std::str::FromStr>(text: &str) -> Result<T, StoreError> {
    text.parse()
        .map_err(|_| StoreError::Corrupt("stored id has the wrong shape"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nameplates_start_with_four_digits() {
        let first: Vec<Nameplate> = nameplate_candidates().take(8).collect();
        assert_eq!(first.len(), 8);
        assert!(first.iter().all(|n| n.as_str().len() == 4));
        assert!(nameplate_candidates().any(|n| n.as_str().len() == 8));
    }

    #[test]
    fn digests_bind_the_document() {
        let a = DocumentId::parse("a").unwrap();
        let b = DocumentId::parse("b").unwrap();
        assert_ne!(blob_digest(&a, b"x"), blob_digest(&b, b"x"));
        assert_eq!(blob_digest(&a, b"x"), blob_digest(&a, b"x"));
    }

    #[test]
    fn pairing_state_prefers_closed_over_expired() {
        assert!(matches!(
            pairing_state(true, 10, 20),
            Err(StoreError::PairingClosed)
        ));
        assert!(matches!(
            pairing_state(false, 10, 10),
            Err(StoreError::PairingExpired)
        ));
        assert!(pairing_state(false, 10, 9).is_ok());
    }
}
