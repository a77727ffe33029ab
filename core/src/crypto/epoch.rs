//! Key epochs: after a device is removed, the remover makes a new random
//! key for the space and sends it to each remaining device, sealed to that
//! device's X25519 key, in one signed [`EpochBundle`]. New blobs are sealed
//! under the newest key the phone holds (envelope version 2 names the
//! epoch); old blobs keep opening with the keys of their epochs. A removed
//! device gets no copy, so it cannot open anything sealed afterwards.
//!
//! Sealing to one recipient (version 1):
//!
//! ```text
//! shared = X25519(sender's agreement key, recipient's agreement key)   (static-static)
//! key    = HKDF-SHA256(ikm = shared, salt = "", info = "hearth-epoch-v1 seal")
//! aad    = "hearth-epoch-v1 aad\0" || len-prefixed(space, epoch (4 BE), sender id, recipient id)
//! box    = XChaCha20-Poly1305(key, random 24-byte nonce, epoch key, aad)
//! ```
//!
//! The bundle is signed with the sender's Ed25519 key over
//! `"hearth-epoch-v1 signature\0"` and the bundle's JSON with an empty
//! `signature`. Only the sender and the recipient can compute `shared`;
//! the signature proves which device of the space made the epoch.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use ed25519_dalek::Signature;
use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use super::kdf::derive_key;
use super::keys::{DeviceKeys, DevicePublicKeys, SpaceKey};
use super::random::{RandomnessUnavailable, fill_random};

const SEAL_INFO: &[u8] = b"hearth-epoch-v1 seal";
const AAD_LABEL: &[u8] = b"hearth-epoch-v1 aad\0";
const SIGNATURE_LABEL: &[u8] = b"hearth-epoch-v1 signature\0";
const BUNDLE_VERSION: u8 = 1;

/// A key epoch could not be made or read. None of these carry key bytes.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EpochError {
    /// The bundle is not in the expected form.
    #[error("a key update from the other devices could not be read")]
    Malformed,
    /// The signature does not verify against the claimed sender.
    #[error("a key update was not signed by the device it names")]
    BadSignature,
    /// The sealed key did not open: altered, or not meant for this device.
    #[error("a key update meant for this device could not be opened")]
    SealBroken,
    /// A recipient's agreement key is a low-order point.
    #[error("a device's agreement key cannot be used")]
    WeakKey,
    /// No randomness for a key or nonce.
    #[error(transparent)]
    Randomness(#[from] RandomnessUnavailable),
}

/// The epoch key sealed to one device.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SealedEpochKey {
    /// The recipient's device id.
    pub device: String,
    /// The XChaCha20 nonce, base64url.
    pub nonce: String,
    /// The sealed key with its tag, base64url.
    pub sealed: String,
}

/// A new key epoch of a space, as one device publishes it to the others.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EpochBundle {
    /// Format version (1).
    pub v: u8,
    /// The space id.
    pub space: String,
    /// The epoch's id: random, never 0 (the key from pairing).
    pub epoch: u32,
    /// The device that made it.
    pub by: String,
    /// When, in milliseconds since 1970.
    pub at: i64,
    /// The key, sealed to each remaining device.
    pub sealed: Vec<SealedEpochKey>,
    /// Ed25519 by `by`, base64url (see the module docs).
    pub signature: String,
}

fn aad(space: &str, epoch: u32, sender: &str, recipient: &str) -> Vec<u8> {
    let mut aad = AAD_LABEL.to_vec();
    for field in [
        space.as_bytes(),
        &epoch.to_be_bytes(),
        sender.as_bytes(),
        recipient.as_bytes(),
    ] {
        aad.extend_from_slice(&(field.len() as u64).to_be_bytes());
        aad.extend_from_slice(field);
    }
    aad
}

fn cipher(me: &DeviceKeys, peer: &DevicePublicKeys) -> Result<XChaCha20Poly1305, EpochError> {
    let shared = me.agree(peer).ok_or(EpochError::WeakKey)?;
    let key = derive_key(shared.as_bytes(), b"", SEAL_INFO);
    Ok(XChaCha20Poly1305::new(chacha20poly1305::Key::from_slice(
        key.as_ref(),
    )))
}

impl EpochBundle {
    /// Makes and signs the bundle of epoch `epoch` with `key`, sealed to
    /// each of `recipients`.
    pub fn create(
        space: &str,
        epoch: u32,
        key: &SpaceKey,
        by: &DeviceKeys,
        recipients: &[DevicePublicKeys],
        at: i64,
    ) -> Result<Self, EpochError> {
        let sender = by.device_id();
        let mut sealed = Vec::with_capacity(recipients.len());
        for recipient in recipients {
            let device = recipient.device_id();
            let mut nonce = [0u8; 24];
            fill_random(&mut nonce)?;
            let boxed = cipher(by, recipient)?
                .encrypt(
                    XNonce::from_slice(&nonce),
                    Payload {
                        msg: key.as_bytes(),
                        aad: &aad(space, epoch, &sender, &device),
                    },
                )
                .map_err(|_| EpochError::SealBroken)?;
            sealed.push(SealedEpochKey {
                device,
                nonce: URL_SAFE_NO_PAD.encode(nonce),
                sealed: URL_SAFE_NO_PAD.encode(boxed),
            });
        }
        let mut bundle = Self {
            v: BUNDLE_VERSION,
            space: space.to_owned(),
            epoch,
            by: sender,
            at,
            sealed,
            signature: String::new(),
        };
        let signature = by.sign(&bundle.signed_bytes()?);
        bundle.signature = URL_SAFE_NO_PAD.encode(signature.to_bytes());
        Ok(bundle)
    }

    fn signed_bytes(&self) -> Result<Vec<u8>, EpochError> {
        let unsigned = Self {
            signature: String::new(),
            ..self.clone()
        };
        let json = serde_json::to_vec(&unsigned).map_err(|_| EpochError::Malformed)?;
        let mut message = SIGNATURE_LABEL.to_vec();
        message.extend_from_slice(&json);
        Ok(message)
    }

    /// Every device that holds this epoch's key: its maker and each
    /// device it was sealed to.
    #[must_use]
    pub fn holders(&self) -> Vec<String> {
        let mut holders = vec![self.by.clone()];
        holders.extend(self.sealed.iter().map(|s| s.device.clone()));
        holders
    }

    /// The bundle as bytes, to travel as a blob.
    pub fn to_bytes(&self) -> Result<Vec<u8>, EpochError> {
        serde_json::to_vec(self).map_err(|_| EpochError::Malformed)
    }

    /// Reads a bundle (not yet verified).
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, EpochError> {
        let bundle: Self = serde_json::from_slice(bytes).map_err(|_| EpochError::Malformed)?;
        if bundle.v != BUNDLE_VERSION || bundle.epoch == 0 {
            return Err(EpochError::Malformed);
        }
        Ok(bundle)
    }

    /// Checks that `signer`, the device named in `by`, signed the bundle.
    pub fn verify(&self, signer: &DevicePublicKeys) -> Result<(), EpochError> {
        if signer.device_id() != self.by {
            return Err(EpochError::BadSignature);
        }
        let bytes = URL_SAFE_NO_PAD
            .decode(&self.signature)
            .map_err(|_| EpochError::BadSignature)?;
        let signature = Signature::from_slice(&bytes).map_err(|_| EpochError::BadSignature)?;
        signer
            .signing_key()
            .verify_strict(&self.signed_bytes()?, &signature)
            .map_err(|_| EpochError::BadSignature)
    }

    /// Verifies the bundle and opens the key sealed to `me`; `None` when
    /// it holds none for this device (it was removed, or joined later).
    pub fn open_for(
        &self,
        me: &DeviceKeys,
        signer: &DevicePublicKeys,
    ) -> Result<Option<SpaceKey>, EpochError> {
        self.verify(signer)?;
        let mine = me.device_id();
        let Some(entry) = self.sealed.iter().find(|s| s.device == mine) else {
            return Ok(None);
        };
        let nonce = URL_SAFE_NO_PAD
            .decode(&entry.nonce)
            .map_err(|_| EpochError::Malformed)?;
        if nonce.len() != 24 {
            return Err(EpochError::Malformed);
        }
        let boxed = URL_SAFE_NO_PAD
            .decode(&entry.sealed)
            .map_err(|_| EpochError::Malformed)?;
        let plain = Zeroizing::new(
            cipher(me, signer)?
                .decrypt(
                    XNonce::from_slice(&nonce),
                    Payload {
                        msg: &boxed,
                        aad: &aad(&self.space, self.epoch, &self.by, &mine),
                    },
                )
                .map_err(|_| EpochError::SealBroken)?,
        );
        let bytes: [u8; SpaceKey::LEN] = plain
            .as_slice()
            .try_into()
            .map_err(|_| EpochError::SealBroken)?;
        Ok(Some(SpaceKey::from_bytes(bytes)))
    }
}

/// A new random epoch id (never 0).
pub fn new_epoch_id() -> Result<u32, RandomnessUnavailable> {
    loop {
        let mut bytes = [0u8; 4];
        fill_random(&mut bytes)?;
        let id = u32::from_be_bytes(bytes);
        if id != 0 {
            return Ok(id);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn device() -> DeviceKeys {
        DeviceKeys::generate().unwrap()
    }

    #[test]
    fn each_remaining_device_opens_the_key_and_a_removed_one_gets_none() {
        let (remover, partner, removed) = (device(), device(), device());
        let key = SpaceKey::generate().unwrap();
        let bundle =
            EpochBundle::create("space", 9, &key, &remover, &[partner.public()], 1000).unwrap();
        let read = EpochBundle::from_bytes(&bundle.to_bytes().unwrap()).unwrap();
        assert_eq!(read, bundle);
        assert_eq!(
            read.open_for(&partner, &remover.public()).unwrap(),
            Some(key)
        );
        assert_eq!(read.open_for(&removed, &remover.public()).unwrap(), None);
        // No key bytes travel in the clear.
        let text = String::from_utf8(bundle.to_bytes().unwrap()).unwrap();
        assert!(!text.contains(&URL_SAFE_NO_PAD.encode(SpaceKey::generate().unwrap().as_bytes())));
    }

    #[test]
    fn a_forged_or_altered_bundle_is_refused() {
        let (remover, partner, stranger) = (device(), device(), device());
        let key = SpaceKey::generate().unwrap();
        let bundle =
            EpochBundle::create("space", 9, &key, &remover, &[partner.public()], 1000).unwrap();
        // Claimed by another device.
        assert_eq!(
            bundle.open_for(&partner, &stranger.public()),
            Err(EpochError::BadSignature)
        );
        // Any field changed.
        let mut moved = bundle.clone();
        moved.epoch = 10;
        assert_eq!(
            moved.open_for(&partner, &remover.public()),
            Err(EpochError::BadSignature)
        );
        // A stranger's own bundle with a key sealed by it to the partner:
        // it verifies only as the stranger's, whom the phone does not know.
        let forged =
            EpochBundle::create("space", 9, &key, &stranger, &[partner.public()], 1).unwrap();
        assert_eq!(
            forged.verify(&remover.public()),
            Err(EpochError::BadSignature)
        );
        assert_eq!(
            EpochBundle::from_bytes(b"{\"v\":1}"),
            Err(EpochError::Malformed)
        );
    }
}
