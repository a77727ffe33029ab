//! A space's log: pushing blobs, pulling after a cursor, forgetting and
//! compacting documents.
//!
//! The relay keeps, per space, an append-only log. Every blob and every
//! tombstone gets the next sequence number of its space (1, 2, 3, ...).
//!
//! - `POST /v1/spaces/{space}/blobs` with [`PushRequest`]: all or nothing.
//!   A blob id seen before with the same document and bytes answers with
//!   the seq it got then.
//! - `GET /v1/spaces/{space}/blobs?after=SEQ&limit=N` answers
//!   [`PullResponse`]: items with seq > SEQ, in seq order.
//! - `DELETE /v1/spaces/{space}/documents/{doc}` answers [`ForgetResponse`]:
//!   the document's blobs are deleted and a tombstone takes a new seq;
//!   later pushes to it get 410 `document_forgotten`.
//! - `POST /v1/spaces/{space}/documents/{doc}/compact` with
//!   [`CompactRequest`]: the document's blobs with seq <= `upto` are
//!   replaced by one snapshot blob, which takes the highest seq it
//!   replaces (so a client already past it never pulls it, and a client
//!   behind it pulls one snapshot instead of many blobs).

use serde::{Deserialize, Serialize};

use crate::deletion::Deletion;
use crate::ids::{BlobId, DeviceId, DocumentId};

/// Body of a push: one or more blobs, stored atomically.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PushRequest {
    /// The blobs, in the order the client wants them sequenced.
    pub blobs: Vec<NewBlob>,
}

/// One blob to push.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewBlob {
    /// Client-chosen random id; makes retries idempotent.
    pub id: BlobId,
    /// The (hashed) document this blob belongs to.
    pub doc: DocumentId,
    /// The ciphertext.
    #[serde(with = "crate::base64url")]
    pub data: Vec<u8>,
}

/// Answer to a push: the seq of every blob, in request order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PushResponse {
    /// One receipt per pushed blob.
    pub receipts: Vec<Receipt>,
    /// The space's highest seq after the push.
    pub head: u64,
}

/// Where one pushed blob landed in the log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Receipt {
    /// The blob's id.
    pub id: BlobId,
    /// Its sequence number (the first one it got, on a retry).
    pub seq: u64,
}

/// The pull limit when the query names none.
pub const DEFAULT_PULL_LIMIT: u32 = 500;

/// Answer to a pull.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PullResponse {
    /// Blobs and tombstones after the cursor, in seq order.
    pub items: Vec<LogItem>,
    /// The space's highest seq when the pull was answered.
    pub head: u64,
    /// True when more items follow: pull again after the last item's seq.
    pub more: bool,
    /// A number the relay picked at random when it created this space. It
    /// changes only when the space was created anew (a relay that lost it got it back
    /// from a phone): a phone that sees it change pulls from 0 and offers
    /// everything again, since the new log's seqs mean nothing to its
    /// cursor.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub incarnation: Option<u64>,
}

impl PullResponse {
    /// The cursor to pull after next time: the last item's seq, or the
    /// `after` the pull was made with when no item came.
    #[must_use]
    pub fn next_cursor(&self, after: u64) -> u64 {
        self.items.last().map_or(after, LogItem::seq)
    }
}

/// One entry of a space's log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum LogItem {
    /// A stored blob.
    Blob(StoredBlob),
    /// A forgotten document.
    Tombstone(Tombstone),
}

impl LogItem {
    /// The item's sequence number.
    #[must_use]
    pub fn seq(&self) -> u64 {
        match self {
            Self::Blob(blob) => blob.seq,
            Self::Tombstone(tombstone) => tombstone.seq,
        }
    }
}

/// A blob as pulled.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredBlob {
    /// Its sequence number.
    pub seq: u64,
    /// Its client-chosen id.
    pub id: BlobId,
    /// Its document.
    pub doc: DocumentId,
    /// The device that pushed it (whose signature the relay checked).
    pub device: DeviceId,
    /// True for a compaction snapshot.
    #[serde(default, skip_serializing_if = "is_false")]
    pub snapshot: bool,
    /// The ciphertext.
    #[serde(with = "crate::base64url")]
    pub data: Vec<u8>,
}

#[expect(
    clippy::trivially_copy_pass_by_ref,
    reason = "serde's skip_serializing_if passes a reference"
)]
fn is_false(value: &bool) -> bool {
    !*value
}

/// A forgotten document's marker in the log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tombstone {
    /// Its sequence number.
    pub seq: u64,
    /// The forgotten document: delete it locally too, once `deletion`
    /// proves a device of the space asked for it.
    pub doc: DocumentId,
    /// The signed statement the forget request carried. A tombstone
    /// without one (or with one that does not verify) deletes nothing.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deletion: Option<Deletion>,
}

/// Answer to forgetting a document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ForgetResponse {
    /// The tombstone's seq (the first one, when forgotten before).
    pub seq: u64,
}

/// Body of a compaction.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CompactRequest {
    /// Replace the document's blobs with seq <= `upto`; the client must
    /// have merged every one of them into the snapshot.
    pub upto: u64,
    /// The snapshot that replaces them.
    pub snapshot: NewSnapshot,
}

/// A compaction snapshot.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewSnapshot {
    /// Client-chosen random id; makes a retried compaction idempotent.
    pub id: BlobId,
    /// The ciphertext of the whole document.
    #[serde(with = "crate::base64url")]
    pub data: Vec<u8>,
}

/// Answer to a compaction.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CompactResponse {
    /// The snapshot's seq: the highest seq it replaced.
    pub seq: u64,
    /// How many blobs it replaced (0 on a retry of a finished compaction).
    pub replaced: u64,
}

// Ciphertext is not content, but it is nothing a log needs either: Debug
// shows its size only.
impl std::fmt::Debug for NewBlob {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NewBlob")
            .field("id", &self.id)
            .field("doc", &self.doc)
            .field("bytes", &self.data.len())
            .finish()
    }
}

impl std::fmt::Debug for StoredBlob {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StoredBlob")
            .field("seq", &self.seq)
            .field("id", &self.id)
            .field("doc", &self.doc)
            .field("device", &self.device)
            .field("snapshot", &self.snapshot)
            .field("bytes", &self.data.len())
            .finish()
    }
}

impl std::fmt::Debug for NewSnapshot {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NewSnapshot")
            .field("id", &self.id)
            .field("bytes", &self.data.len())
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pushed_blob_is_compact_json_with_base64url_data() {
        let push = PushRequest {
            blobs: vec![NewBlob {
                id: BlobId::parse("b1").unwrap(),
                doc: DocumentId::parse("d1").unwrap(),
                data: vec![0xfb, 0xff, 0x00],
            }],
        };
        let json = serde_json::to_string(&push).unwrap();
        assert_eq!(json, r#"{"blobs":[{"id":"b1","doc":"d1","data":"-_8A"}]}"#);
        assert_eq!(serde_json::from_str::<PushRequest>(&json).unwrap(), push);
    }

    #[test]
    fn a_600_byte_ciphertext_push_stays_well_under_1500_bytes() {
        let push = PushRequest {
            blobs: vec![NewBlob {
                id: BlobId::from_random_bytes([1; 16]),
                doc: DocumentId::parse(&"d".repeat(43)).unwrap(),
                data: vec![7; 600],
            }],
        };
        let len = serde_json::to_vec(&push).unwrap().len();
        // 800 base64 characters plus ids and framing; headers add about 300.
        assert!(len < 950, "push body is {len} bytes");
    }

    #[test]
    fn log_items_are_tagged_by_kind() {
        let tombstone = LogItem::Tombstone(Tombstone {
            seq: 7,
            doc: DocumentId::parse("d1").unwrap(),
            deletion: None,
        });
        let json = serde_json::to_string(&tombstone).unwrap();
        assert_eq!(json, r#"{"kind":"tombstone","seq":7,"doc":"d1"}"#);
        assert_eq!(serde_json::from_str::<LogItem>(&json).unwrap(), tombstone);
        assert_eq!(tombstone.seq(), 7);
    }

    #[test]
    fn bad_base64_and_unknown_fields_are_refused() {
        assert!(
            serde_json::from_str::<PushRequest>(
                r#"{"blobs":[{"id":"b1","doc":"d1","data":"not base64!"}]}"#
            )
            .is_err()
        );
        assert!(
            serde_json::from_str::<PushRequest>(
                r#"{"blobs":[{"id":"b1","doc":"d1","data":"AA","extra":1}]}"#
            )
            .is_err()
        );
    }

    #[test]
    fn next_cursor_follows_the_last_item() {
        let empty = PullResponse {
            items: vec![],
            head: 3,
            more: false,
            incarnation: None,
        };
        assert_eq!(empty.next_cursor(3), 3);
    }
}
