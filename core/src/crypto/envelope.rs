//! The envelope every blob travels in: padded, encrypted under the space
//! key, bound to where it belongs, and signed by the device that wrote it.
//!
//! ```text
//! version (1) | nonce (24) | ciphertext (padded body + 16-byte tag) | signature (64)
//! version 2:
//! version (1) | epoch (4, big-endian) | nonce (24) | ciphertext | signature (64)
//! ```
//!
//! Version 1 is sealed under the space key from pairing (epoch 0);
//! version 2 names the key epoch it was sealed under (a new one after each
//! device removal, see `sync::epochs`), and binds the epoch into the
//! associated data and the signature like the version byte.
//!
//! - The body is the plaintext with a 4-byte length prefix, padded with
//!   PADME to at least 64 bytes (see `padding`).
//! - XChaCha20-Poly1305 under a key derived from the space key; the
//!   associated data is the version and a SHA-256 digest of the
//!   [`BlobContext`] (space id, document id, sender device, blob id).
//! - Ed25519 over a domain label, the version, the context digest, the nonce
//!   and the ciphertext. [`open`] checks it before decrypting anything.
//!
//! Overhead: 105 bytes of framing plus the padding; a 600-byte plaintext
//! seals to 713 bytes, anything up to 60 bytes to 169. [`sealed_len`] computes it.

use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use ed25519_dalek::Signature;
use sha2::{Digest, Sha256};

use super::kdf::derive_key;
use super::keys::{DeviceKeys, DevicePublicKeys, SpaceKey};
use super::padding::{self, MAX_PLAINTEXT_LEN};
use super::random::{RandomnessUnavailable, fill_random};

/// The envelope format of epoch 0 (the space key from pairing).
pub const ENVELOPE_VERSION: u8 = 1;
/// The envelope format that names a later key epoch.
pub const ENVELOPE_VERSION_EPOCH: u8 = 2;
/// XChaCha20 nonce length.
pub const NONCE_LEN: usize = 24;
/// Poly1305 tag length.
pub const TAG_LEN: usize = 16;
/// Ed25519 signature length.
pub const SIGNATURE_LEN: usize = 64;
/// Bytes an envelope adds besides padding.
pub const FRAMING_LEN: usize = 1 + NONCE_LEN + TAG_LEN + SIGNATURE_LEN;

const SIGNATURE_LABEL: &[u8] = b"hearth-envelope-v1 signature\0";
const CONTEXT_LABEL: &[u8] = b"hearth-envelope-v1 context\0";
const KEY_INFO: &[u8] = b"hearth-envelope-v1 xchacha20poly1305 key";

/// Where a blob belongs. Sealing and opening must use the same values, so a
/// blob copied to another space, document or blob id, or claimed by another
/// device, does not open.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BlobContext {
    /// The couple's space id.
    pub space_id: String,
    /// The document id as the relay sees it (see
    /// [`relay_doc_id`](super::doc_id::relay_doc_id)).
    pub doc_id: String,
    /// The writing device's id ([`DevicePublicKeys::device_id`]).
    pub sender_device: String,
    /// The client-chosen blob id that makes retries idempotent.
    pub blob_id: String,
}

impl BlobContext {
    /// SHA-256 over the fields, each prefixed with its length so no two
    /// different contexts share an encoding.
    fn digest(&self) -> [u8; 32] {
        let mut hash = Sha256::new();
        hash.update(CONTEXT_LABEL);
        for field in [
            &self.space_id,
            &self.doc_id,
            &self.sender_device,
            &self.blob_id,
        ] {
            hash.update((field.len() as u64).to_be_bytes());
            hash.update(field.as_bytes());
        }
        hash.finalize().into()
    }
}

/// Sealing a blob failed; nothing was produced.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SealError {
    /// The plaintext is larger than an envelope can hold.
    #[error("this change is {len} bytes, more than a blob can hold ({max}); split it")]
    TooLarge {
        /// Plaintext length.
        len: usize,
        /// Limit.
        max: usize,
    },
    /// The context names another device than the one sealing.
    #[error(
        "the blob's sender_device is not this device's id; \
         seal with the keys of the device named in the context"
    )]
    SenderMismatch,
    /// No randomness for the nonce.
    #[error(transparent)]
    Randomness(#[from] RandomnessUnavailable),
}

/// An envelope could not be opened. None of these messages carry key
/// material or content. A blob that fails is to be reported and skipped,
/// never applied.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EnvelopeError {
    /// Too short, or the body inside is not well formed.
    #[error("the blob is damaged or truncated; it was skipped")]
    Malformed,
    /// Written by a newer (or unknown) envelope format.
    #[error("the blob uses envelope version {version}, which this app cannot read; update Hearth")]
    UnsupportedVersion {
        /// The version byte found.
        version: u8,
    },
    /// The signature does not verify: tampered bytes, another context, or a
    /// sender other than the one claimed.
    #[error(
        "the blob's signature does not match its sender or its place in the space; \
         it may have been altered and was skipped"
    )]
    BadSignature,
    /// The sender's signature is good but decryption failed: the space key
    /// is not the one it was sealed with.
    #[error("the blob could not be decrypted with this space's key; it was skipped")]
    DecryptFailed,
}

/// Bytes [`seal`] produces for a plaintext of `plaintext_len` bytes.
pub fn sealed_len(plaintext_len: usize) -> usize {
    FRAMING_LEN.saturating_add(padding::padded_len(plaintext_len))
}

/// Pads, encrypts and signs `plaintext` for `context` under the space key
/// from pairing (epoch 0). `sender` must be the device named in
/// `context.sender_device`.
pub fn seal(
    space_key: &SpaceKey,
    sender: &DeviceKeys,
    context: &BlobContext,
    plaintext: &[u8],
) -> Result<Vec<u8>, SealError> {
    seal_in_epoch(space_key, 0, sender, context, plaintext)
}

/// The envelope's leading bytes: the version, then (version 2) the epoch.
fn header(epoch: u32) -> Vec<u8> {
    if epoch == 0 {
        vec![ENVELOPE_VERSION]
    } else {
        let mut header = vec![ENVELOPE_VERSION_EPOCH];
        header.extend_from_slice(&epoch.to_be_bytes());
        header
    }
}

/// Like [`seal`], under `key`, the key of epoch `epoch` (0: the space key
/// from pairing, sealed as version 1; any other: version 2 naming it).
pub fn seal_in_epoch(
    key: &SpaceKey,
    epoch: u32,
    sender: &DeviceKeys,
    context: &BlobContext,
    plaintext: &[u8],
) -> Result<Vec<u8>, SealError> {
    if sender.device_id() != context.sender_device {
        return Err(SealError::SenderMismatch);
    }
    let too_large = SealError::TooLarge {
        len: plaintext.len(),
        max: MAX_PLAINTEXT_LEN,
    };
    let header = header(epoch);
    let body = padding::pad(plaintext).map_err(|_| too_large.clone())?;
    let mut nonce = [0u8; NONCE_LEN];
    fill_random(&mut nonce)?;
    let context_digest = context.digest();
    let aad = associated_data(&header, &context_digest);
    let ciphertext = cipher(key)
        .encrypt(
            XNonce::from_slice(&nonce),
            Payload {
                msg: &body,
                aad: &aad,
            },
        )
        .map_err(|_| too_large)?;

    let mut sealed = Vec::with_capacity(FRAMING_LEN + header.len() + body.len());
    sealed.extend_from_slice(&header);
    sealed.extend_from_slice(&nonce);
    sealed.extend_from_slice(&ciphertext);
    let signature = sender.sign(&signed_message(
        &header,
        &context_digest,
        &nonce,
        &ciphertext,
    ));
    sealed.extend_from_slice(&signature.to_bytes());
    Ok(sealed)
}

/// The key epoch an envelope was sealed under (0 for version 1), read
/// before opening it to pick the key.
pub fn envelope_epoch(sealed: &[u8]) -> Result<u32, EnvelopeError> {
    match sealed.first() {
        None => Err(EnvelopeError::Malformed),
        Some(&ENVELOPE_VERSION) => Ok(0),
        Some(&ENVELOPE_VERSION_EPOCH) => {
            let bytes: [u8; 4] = sealed
                .get(1..5)
                .and_then(|b| b.try_into().ok())
                .ok_or(EnvelopeError::Malformed)?;
            match u32::from_be_bytes(bytes) {
                // Epoch 0 travels as version 1 only.
                0 => Err(EnvelopeError::Malformed),
                epoch => Ok(epoch),
            }
        }
        Some(&version) => Err(EnvelopeError::UnsupportedVersion { version }),
    }
}

/// Verifies, decrypts and unpads an envelope sealed by `sender_public` for
/// `context`, under `space_key`: the key of the epoch
/// [`envelope_epoch`] names.
pub fn open(
    space_key: &SpaceKey,
    context: &BlobContext,
    sender_public: &DevicePublicKeys,
    sealed: &[u8],
) -> Result<Vec<u8>, EnvelopeError> {
    let header = header(envelope_epoch(sealed)?);
    if sealed.len() < FRAMING_LEN - 1 + header.len() + padding::MIN_PADDED_LEN {
        return Err(EnvelopeError::Malformed);
    }
    let rest = &sealed[header.len()..];
    let (nonce, rest) = rest.split_at(NONCE_LEN);
    let (ciphertext, signature) = rest.split_at(rest.len() - SIGNATURE_LEN);
    if sender_public.device_id() != context.sender_device {
        return Err(EnvelopeError::BadSignature);
    }
    let signature = Signature::from_slice(signature).map_err(|_| EnvelopeError::BadSignature)?;
    let context_digest = context.digest();
    sender_public
        .signing_key()
        .verify_strict(
            &signed_message(&header, &context_digest, nonce, ciphertext),
            &signature,
        )
        .map_err(|_| EnvelopeError::BadSignature)?;

    let aad = associated_data(&header, &context_digest);
    let body = zeroize::Zeroizing::new(
        cipher(space_key)
            .decrypt(
                XNonce::from_slice(nonce),
                Payload {
                    msg: ciphertext,
                    aad: &aad,
                },
            )
            .map_err(|_| EnvelopeError::DecryptFailed)?,
    );
    padding::unpad(&body)
        .map(<[u8]>::to_vec)
        .ok_or(EnvelopeError::Malformed)
}

fn cipher(space_key: &SpaceKey) -> XChaCha20Poly1305 {
    let key = derive_key(space_key.as_bytes(), b"", KEY_INFO);
    XChaCha20Poly1305::new(chacha20poly1305::Key::from_slice(key.as_ref()))
}

fn associated_data(header: &[u8], context_digest: &[u8; 32]) -> Vec<u8> {
    let mut aad = Vec::with_capacity(header.len() + 32);
    aad.extend_from_slice(header);
    aad.extend_from_slice(context_digest);
    aad
}

fn signed_message(
    header: &[u8],
    context_digest: &[u8; 32],
    nonce: &[u8],
    ciphertext: &[u8],
) -> Vec<u8> {
    let mut message = Vec::with_capacity(
        SIGNATURE_LABEL.len() + header.len() + 32 + nonce.len() + ciphertext.len(),
    );
    message.extend_from_slice(SIGNATURE_LABEL);
    message.extend_from_slice(header);
    message.extend_from_slice(context_digest);
    message.extend_from_slice(nonce);
    message.extend_from_slice(ciphertext);
    message
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Fixture {
        space_key: SpaceKey,
        sender: DeviceKeys,
        context: BlobContext,
    }

    fn fixture() -> Fixture {
        let sender = DeviceKeys::generate().unwrap();
        let context = BlobContext {
            space_id: "space-1".into(),
            doc_id: "doc-abc".into(),
            sender_device: sender.device_id(),
            blob_id: "blob-1".into(),
        };
        Fixture {
            space_key: SpaceKey::generate().unwrap(),
            sender,
            context,
        }
    }

    fn seal_text(f: &Fixture, text: &[u8]) -> Vec<u8> {
        seal(&f.space_key, &f.sender, &f.context, text).unwrap()
    }

    fn open_with(f: &Fixture, sealed: &[u8]) -> Result<Vec<u8>, EnvelopeError> {
        open(&f.space_key, &f.context, &f.sender.public(), sealed)
    }

    #[test]
    fn round_trip_for_many_sizes() {
        let f = fixture();
        for len in [0usize, 1, 60, 61, 600, 5000] {
            let text: Vec<u8> = (0..len).map(|i| (i * 7) as u8).collect();
            let sealed = seal_text(&f, &text);
            assert_eq!(sealed.len(), sealed_len(len));
            assert_eq!(open_with(&f, &sealed).unwrap(), text);
        }
    }

    #[test]
    fn a_600_byte_change_stays_well_under_one_kilobyte() {
        let f = fixture();
        let sealed = seal_text(&f, &[b'a'; 600]);
        assert_eq!(sealed.len(), 713);
        assert_eq!(sealed_len(1), 169);
        assert_eq!(sealed_len(60), 169);
    }

    #[test]
    fn the_same_plaintext_seals_differently_and_hides_its_bytes() {
        let f = fixture();
        let text = b"we walked by the river and talked about next summer";
        let a = seal_text(&f, text);
        let b = seal_text(&f, text);
        assert_ne!(a, b);
        assert!(!a.windows(text.len()).any(|w| w == text));
    }

    #[test]
    fn nearby_sizes_are_indistinguishable() {
        let f = fixture();
        assert_eq!(
            seal_text(&f, b"ok").len(),
            seal_text(&f, b"a longer reply").len()
        );
        assert_eq!(
            seal_text(&f, &[1; 590]).len(),
            seal_text(&f, &[1; 600]).len()
        );
    }

    #[test]
    fn a_device_without_the_space_key_cannot_read() {
        let f = fixture();
        let sealed = seal_text(&f, b"private words");
        let stranger_key = SpaceKey::generate().unwrap();
        assert_eq!(
            open(&stranger_key, &f.context, &f.sender.public(), &sealed),
            Err(EnvelopeError::DecryptFailed)
        );
    }

    #[test]
    fn a_device_without_the_space_key_cannot_write() {
        // An outsider knows the space id, seals with its own key under its
        // own id: the reader expects a member's id and key, so it fails.
        let f = fixture();
        let outsider = DeviceKeys::generate().unwrap();
        let outsider_key = SpaceKey::generate().unwrap();
        let mut forged_context = f.context.clone();
        forged_context.sender_device = outsider.device_id();
        let forged = seal(&outsider_key, &outsider, &forged_context, b"fake").unwrap();
        assert_eq!(open_with(&f, &forged), Err(EnvelopeError::BadSignature));
        // Even when the reader is told the outsider's public key, the wrong
        // space key stops it.
        assert_eq!(
            open(&f.space_key, &forged_context, &outsider.public(), &forged),
            Err(EnvelopeError::DecryptFailed)
        );
    }

    #[test]
    fn every_flipped_byte_is_rejected() {
        let f = fixture();
        let sealed = seal_text(&f, b"tamper with me");
        for i in 0..sealed.len() {
            let mut bad = sealed.clone();
            bad[i] ^= 0x01;
            let err = open_with(&f, &bad).unwrap_err();
            if i == 0 {
                assert_eq!(err, EnvelopeError::UnsupportedVersion { version: 0 });
            } else {
                assert_eq!(err, EnvelopeError::BadSignature, "byte {i}");
            }
        }
    }

    #[test]
    fn a_blob_moved_to_another_place_is_rejected() {
        let f = fixture();
        let sealed = seal_text(&f, b"belongs to doc-abc");
        let moves = [
            BlobContext {
                space_id: "space-2".into(),
                ..f.context.clone()
            },
            BlobContext {
                doc_id: "doc-other".into(),
                ..f.context.clone()
            },
            BlobContext {
                blob_id: "blob-2".into(),
                ..f.context.clone()
            },
        ];
        for context in moves {
            assert_eq!(
                open(&f.space_key, &context, &f.sender.public(), &sealed),
                Err(EnvelopeError::BadSignature)
            );
        }
    }

    #[test]
    fn a_claimed_sender_that_did_not_sign_is_rejected() {
        let f = fixture();
        let sealed = seal_text(&f, b"from the real sender");
        let other = DeviceKeys::generate().unwrap();
        // Context claims the other device, verified with its key.
        let context = BlobContext {
            sender_device: other.device_id(),
            ..f.context.clone()
        };
        assert_eq!(
            open(&f.space_key, &context, &other.public(), &sealed),
            Err(EnvelopeError::BadSignature)
        );
        // Context and key disagree.
        assert_eq!(
            open(&f.space_key, &f.context, &other.public(), &sealed),
            Err(EnvelopeError::BadSignature)
        );
    }

    #[test]
    fn truncated_and_foreign_inputs_get_typed_errors() {
        let f = fixture();
        let sealed = seal_text(&f, b"hello");
        assert_eq!(open_with(&f, &[]), Err(EnvelopeError::Malformed));
        assert_eq!(open_with(&f, &sealed[..100]), Err(EnvelopeError::Malformed));
        // One byte short of the smallest envelope.
        assert_eq!(
            open_with(&f, &sealed[..sealed.len() - 1]),
            Err(EnvelopeError::Malformed)
        );
        let sealed = seal_text(&f, &[5; 600]);
        assert_eq!(
            open_with(&f, &sealed[..sealed.len() - 1]),
            Err(EnvelopeError::BadSignature)
        );
        let mut future = sealed.clone();
        future[0] = 3;
        assert_eq!(
            open_with(&f, &future),
            Err(EnvelopeError::UnsupportedVersion { version: 3 })
        );
    }

    #[test]
    fn a_later_epoch_is_named_bound_and_opens_only_with_its_key() {
        let f = fixture();
        let epoch_key = SpaceKey::generate().unwrap();
        let sealed = seal_in_epoch(&epoch_key, 7, &f.sender, &f.context, b"after").unwrap();
        assert_eq!(sealed[0], ENVELOPE_VERSION_EPOCH);
        assert_eq!(envelope_epoch(&sealed), Ok(7));
        assert_eq!(sealed.len(), sealed_len(5) + 4);
        let public = f.sender.public();
        assert_eq!(
            open(&epoch_key, &f.context, &public, &sealed).unwrap(),
            b"after"
        );
        // The pairing key (epoch 0) does not open it.
        assert_eq!(
            open(&f.space_key, &f.context, &public, &sealed),
            Err(EnvelopeError::DecryptFailed)
        );
        // The epoch is signed: renaming it is caught.
        let mut renamed = sealed.clone();
        renamed[4] ^= 1;
        assert_eq!(
            open(&epoch_key, &f.context, &public, &renamed),
            Err(EnvelopeError::BadSignature)
        );
        // Epoch 0 is sealed as version 1, exactly as before.
        let zero = seal_in_epoch(&f.space_key, 0, &f.sender, &f.context, b"x").unwrap();
        assert_eq!(zero[0], ENVELOPE_VERSION);
        assert_eq!(envelope_epoch(&zero), Ok(0));
        let mut named_zero = vec![ENVELOPE_VERSION_EPOCH, 0, 0, 0, 0];
        named_zero.extend_from_slice(&zero[1..]);
        assert_eq!(envelope_epoch(&named_zero), Err(EnvelopeError::Malformed));
        assert_eq!(envelope_epoch(&[2, 0]), Err(EnvelopeError::Malformed));
    }

    #[test]
    fn sealing_for_another_device_is_refused() {
        let f = fixture();
        let other = DeviceKeys::generate().unwrap();
        assert_eq!(
            seal(&f.space_key, &other, &f.context, b"x"),
            Err(SealError::SenderMismatch)
        );
    }

    #[test]
    fn errors_carry_no_content_or_keys() {
        let f = fixture();
        let sealed = seal_text(&f, b"secret words");
        let wrong = SpaceKey::generate().unwrap();
        let err = open(&wrong, &f.context, &f.sender.public(), &sealed).unwrap_err();
        let shown = format!("{err} {err:?}");
        assert!(!shown.contains("secret"));
        assert!(!shown.contains(&f.sender.device_id()));
    }
}
