//! The relay's wire protocol: request and response types shared by the relay
//! and the core's sync client, so the two cannot drift.
//!
//! Everything is JSON over HTTP/1.1 under `/v1`; binary fields are unpadded
//! base64url. Requests to a space are signed by a device key ([`auth`]).
//! The full description, with examples, is `docs/protocol.md`.
//!
//! ```
//! use hearth_protocol::{auth, paths, SpaceId};
//! use ed25519_dalek::SigningKey;
//!
//! let key = SigningKey::from_bytes(&[1; 32]);
//! let space = SpaceId::from_random_bytes([2; 16]);
//! let path = paths::pull(&space, 0, 100);
//! let headers = auth::sign_request(&key, "GET", &path, b"", 1_800_000_000,
//!     auth::Nonce::from_bytes([3; 16]));
//! let verified = auth::verify_request(&headers, "GET", &path, b"", 1_800_000_010).unwrap();
//! assert_eq!(verified.device.verifying_key(), Ok(key.verifying_key()));
//! ```
#![forbid(unsafe_code)]

pub mod auth;
pub mod base64url;
pub mod blobs;
pub mod deletion;
pub mod error;
pub mod events;
pub mod ids;
pub mod pairing;
pub mod paths;
pub mod space;

pub use blobs::{
    CompactRequest, CompactResponse, ForgetResponse, LogItem, NewBlob, NewSnapshot, PullResponse,
    PushRequest, PushResponse, Receipt, StoredBlob, Tombstone,
};
pub use deletion::{Deletion, DeletionAction, DeletionError};
pub use error::{ErrorBody, ErrorCode};
pub use events::LiveEvent;
pub use ids::{BlobId, DeviceId, DocumentId, IdError, MemberTag, Nameplate, PairingSide, SpaceId};
pub use pairing::{
    PairingClaimed, PairingMessage, PairingMessagePosted, PairingMessages, PairingOpened,
    PostPairingMessage,
};
pub use space::{AddDevice, CreateSpace, SpaceInfo};
