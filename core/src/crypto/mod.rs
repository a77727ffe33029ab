//! Device keys, the blob envelope and pairing (PAKE).
//!
//! What lives here:
//! - [`keys`]: this device's Ed25519 + X25519 keys ([`DeviceKeys`]), their
//!   public half and wire id ([`DevicePublicKeys`]), the couple's
//!   [`SpaceKey`];
//! - [`keystore`]: the [`KeyStore`] trait the shells implement, plus
//!   [`FileKeyStore`] (CLI, tests) and [`MemoryKeyStore`] (tests);
//!   `key_cache`: what an open profile has read from its key store;
//! - [`envelope`]: [`seal`] / [`open`] for every blob sent to the relay;
//! - [`doc_id`]: [`relay_doc_id`], the opaque document id the relay sees;
//! - [`pairing_code`] and [`pairing`]: the `7-river-lantern-moss` code and
//!   the SPAKE2 exchange that brings a partner's phone into the space;
//! - [`safety`]: a device's 30-digit safety number, from its public keys;
//! - [`epoch`]: a new space key after a removal, sealed to each remaining
//!   device's X25519 key.
//!
//! The module is pure: no network, no storage besides the key store.
//! Only RustCrypto primitives are used (ed25519-dalek, x25519-dalek,
//! chacha20poly1305, sha2, hkdf, hmac, spake2).
//!
//! Threat model in brief (full version: `docs/threat-model.md`). The relay
//! sees device ids (public keys), space ids, opaque document ids, blob ids,
//! padded sizes, timing and IP addresses. It cannot read content, tell
//! documents' kinds or dates apart, forge or alter a blob (each is signed by
//! its device and bound to its space, document and blob id), or move one
//! elsewhere; it can withhold, delay or drop blobs, and it gets one online
//! guess at a pairing code, after which the code is dead. A device that
//! knows the space id but not the space key can neither read nor write.
//!
//! Tests: `cargo test -p hearth-core crypto`.

pub mod doc_id;
pub mod envelope;
pub mod epoch;
mod kdf;
pub(crate) mod key_cache;
pub mod keys;
pub mod keystore;
mod padding;
pub mod pairing;
pub mod pairing_code;
mod random;
pub mod safety;
mod words;

pub use doc_id::{DocIdKey, relay_doc_id, relay_member_tag};
pub use envelope::{
    BlobContext, EnvelopeError, SealError, envelope_epoch, open, seal, seal_in_epoch, sealed_len,
};
pub use keys::{DeviceKeyError, DeviceKeys, DevicePublicKeys, KeyError, SpaceKey, parse_device_id};
pub use keystore::{FileKeyStore, KeyStore, KeyStoreError, MemoryKeyStore};
pub use pairing::{
    HostPairing, JoinerPairing, LinkDetails, MemberProfile, PairedMember, PairingError,
    PairingOutcome, PairingRole, PairingStep, Purpose,
};
pub use pairing_code::{PairingCode, PairingCodeError};
pub use random::RandomnessUnavailable;
pub(crate) use random::fill_random;
pub use safety::device_safety_number;
