//! This device's keys, its public identity, and the couple's space key.

use std::fmt;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use ed25519_dalek::{Signature, Signer, SigningKey, VerifyingKey};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;
use x25519_dalek::{PublicKey as AgreementPublicKey, SharedSecret, StaticSecret};
use zeroize::{Zeroize, ZeroizeOnDrop, Zeroizing};

use super::keystore::{KeyStore, KeyStoreError};
use super::random::{RandomnessUnavailable, fill_random};

/// Length of a device id: 32 bytes in base64url without padding.
pub const DEVICE_ID_LEN: usize = 43;

/// Key-store entry holding this device's secret keys.
pub const DEVICE_KEYS_ENTRY: &str = "hearth.device-keys";

/// Format version of the bytes [`DeviceKeys::to_secret_bytes`] writes.
const DEVICE_KEYS_FORMAT: u8 = 1;
/// Format version of a stored space key.
const SPACE_KEY_FORMAT: u8 = 1;

/// This device's two key pairs: Ed25519 to sign (relay requests, blobs,
/// pairing proofs) and X25519 for key agreement with other devices.
///
/// Both secrets are wiped from memory when the value is dropped. `Debug`
/// shows only the public device id.
#[derive(Clone)]
pub struct DeviceKeys {
    signing: SigningKey,
    agreement: StaticSecret,
    /// Computed once: deriving the X25519 public key costs a scalar
    /// multiplication, and every sealed blob needs the device id.
    public: DevicePublicKeys,
}

/// The public half of a device's keys; what partners and the relay know.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct DevicePublicKeys {
    signing: VerifyingKey,
    agreement: AgreementPublicKey,
}

/// The couple's shared 256-bit secret. Every blob in the space is sealed
/// under keys derived from it.
///
/// Wiped on drop; `Debug` never shows it; equality is constant-time.
#[derive(Clone, Zeroize, ZeroizeOnDrop)]
pub struct SpaceKey([u8; SpaceKey::LEN]);

/// A device id or public key that could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DeviceKeyError {
    /// The id does not have the 43 characters of a device id.
    #[error("a device id has 43 characters, this one has {found}; copy the whole id")]
    WrongLength {
        /// Characters found.
        found: usize,
    },
    /// The id holds characters outside base64url.
    #[error("a device id uses only letters, digits, '-' and '_'; this one has other characters")]
    NotBase64,
    /// The bytes are not a usable Ed25519 public key.
    #[error("the device's signing key is not a valid Ed25519 public key")]
    InvalidSigningKey,
    /// The bytes are not a usable X25519 public key.
    #[error("the device's agreement key is not a valid X25519 public key")]
    InvalidAgreementKey,
}

/// Loading, creating or saving keys failed.
#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    /// The platform key store refused or failed.
    #[error(transparent)]
    KeyStore(#[from] KeyStoreError),
    /// A stored secret has the wrong size or an unknown format version.
    #[error(
        "the stored secret '{entry}' is damaged or was written by a newer Hearth; \
         update the app, or remove this device from the space and pair it again"
    )]
    Corrupt {
        /// Key-store entry name (never the secret).
        entry: String,
    },
    /// No randomness to make a new key.
    #[error(transparent)]
    Randomness(#[from] RandomnessUnavailable),
}

impl DeviceKeys {
    /// Length of [`DeviceKeys::to_secret_bytes`].
    pub const SECRET_BYTES_LEN: usize = 1 + 32 + 32;

    /// Makes fresh keys from the OS random generator.
    pub fn generate() -> Result<Self, RandomnessUnavailable> {
        let mut signing = Zeroizing::new([0u8; 32]);
        let mut agreement = Zeroizing::new([0u8; 32]);
        fill_random(signing.as_mut())?;
        fill_random(agreement.as_mut())?;
        Ok(Self::from_secrets(&signing, *agreement))
    }

    fn from_secrets(signing: &[u8; 32], agreement: [u8; 32]) -> Self {
        let signing = SigningKey::from_bytes(signing);
        let agreement = StaticSecret::from(agreement);
        let public = DevicePublicKeys {
            signing: signing.verifying_key(),
            agreement: AgreementPublicKey::from(&agreement),
        };
        Self {
            signing,
            agreement,
            public,
        }
    }

    /// The secret keys as bytes for a [`KeyStore`]: a format byte, the
    /// Ed25519 seed, the X25519 secret. Wiped when dropped.
    pub fn to_secret_bytes(&self) -> Zeroizing<Vec<u8>> {
        let mut out = Zeroizing::new(Vec::with_capacity(Self::SECRET_BYTES_LEN));
        out.push(DEVICE_KEYS_FORMAT);
        out.extend_from_slice(self.signing.as_bytes());
        out.extend_from_slice(self.agreement.as_bytes());
        out
    }

    /// Reads keys written by [`DeviceKeys::to_secret_bytes`]. `entry` names
    /// the source in the error.
    pub fn from_secret_bytes(bytes: &[u8], entry: &str) -> Result<Self, KeyError> {
        let corrupt = || KeyError::Corrupt {
            entry: entry.to_owned(),
        };
        let (format, keys) = bytes.split_first().ok_or_else(corrupt)?;
        if *format != DEVICE_KEYS_FORMAT || keys.len() != 64 {
            return Err(corrupt());
        }
        let mut signing = Zeroizing::new([0u8; 32]);
        let mut agreement = Zeroizing::new([0u8; 32]);
        signing.copy_from_slice(&keys[..32]);
        agreement.copy_from_slice(&keys[32..]);
        Ok(Self::from_secrets(&signing, *agreement))
    }

    /// Loads this device's keys from `store`, or makes and stores new ones
    /// on first run.
    pub fn load_or_create(store: &dyn KeyStore) -> Result<Self, KeyError> {
        match Self::load(store)? {
            Some(keys) => Ok(keys),
            None => Self::create(store),
        }
    }

    /// This device's keys from `store`, or `None` when there are none.
    pub fn load(store: &dyn KeyStore) -> Result<Option<Self>, KeyError> {
        store
            .load(DEVICE_KEYS_ENTRY.to_owned())?
            .map(|bytes| Self::from_secret_bytes(&Zeroizing::new(bytes), DEVICE_KEYS_ENTRY))
            .transpose()
    }

    /// Makes new keys and stores them in `store`, replacing any there.
    pub fn create(store: &dyn KeyStore) -> Result<Self, KeyError> {
        let keys = Self::generate()?;
        store.store(
            DEVICE_KEYS_ENTRY.to_owned(),
            keys.to_secret_bytes().to_vec(),
        )?;
        Ok(keys)
    }

    /// The public half, to share with the partner and the relay.
    pub fn public(&self) -> DevicePublicKeys {
        self.public
    }

    /// This device's id on the wire (see [`DevicePublicKeys::device_id`]).
    pub fn device_id(&self) -> String {
        self.public().device_id()
    }

    /// The Ed25519 key the relay client signs requests with.
    pub fn signing_key(&self) -> &SigningKey {
        &self.signing
    }

    /// Signs `message` with this device's Ed25519 key.
    pub fn sign(&self, message: &[u8]) -> Signature {
        self.signing.sign(message)
    }

    /// X25519 agreement with another device. `None` when the peer's key is
    /// a low-order point that would make the shared secret predictable.
    pub fn agree(&self, peer: &DevicePublicKeys) -> Option<SharedSecret> {
        let shared = self.agreement.diffie_hellman(&peer.agreement);
        shared.was_contributory().then_some(shared)
    }
}

impl fmt::Debug for DeviceKeys {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DeviceKeys")
            .field("public", &self.public())
            .finish_non_exhaustive()
    }
}

impl DevicePublicKeys {
    /// Length of [`DevicePublicKeys::to_bytes`].
    pub const BYTES_LEN: usize = 64;

    /// Builds the public keys from their parts, rejecting weak (small-order)
    /// signing keys.
    pub fn new(signing: VerifyingKey, agreement: [u8; 32]) -> Result<Self, DeviceKeyError> {
        if signing.is_weak() {
            return Err(DeviceKeyError::InvalidSigningKey);
        }
        Ok(Self {
            signing,
            agreement: AgreementPublicKey::from(agreement),
        })
    }

    /// The device id: the Ed25519 public key in base64url without padding
    /// (43 characters). The relay knows devices by this id.
    pub fn device_id(&self) -> String {
        URL_SAFE_NO_PAD.encode(self.signing.as_bytes())
    }

    /// The Ed25519 public key that verifies this device's signatures.
    pub fn signing_key(&self) -> &VerifyingKey {
        &self.signing
    }

    /// The X25519 public key for agreement with this device.
    pub fn agreement_key(&self) -> [u8; 32] {
        self.agreement.to_bytes()
    }

    /// Signing key then agreement key, 64 bytes.
    pub fn to_bytes(&self) -> [u8; Self::BYTES_LEN] {
        let mut out = [0u8; Self::BYTES_LEN];
        out[..32].copy_from_slice(self.signing.as_bytes());
        out[32..].copy_from_slice(self.agreement.as_bytes());
        out
    }

    /// Reads the 64 bytes of [`DevicePublicKeys::to_bytes`].
    pub fn from_bytes(bytes: &[u8; Self::BYTES_LEN]) -> Result<Self, DeviceKeyError> {
        let mut signing = [0u8; 32];
        let mut agreement = [0u8; 32];
        signing.copy_from_slice(&bytes[..32]);
        agreement.copy_from_slice(&bytes[32..]);
        let signing =
            VerifyingKey::from_bytes(&signing).map_err(|_| DeviceKeyError::InvalidSigningKey)?;
        Self::new(signing, agreement)
    }
}

impl fmt::Debug for DevicePublicKeys {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // A short prefix is enough to tell devices apart in a log.
        let id = self.device_id();
        write!(f, "DevicePublicKeys({}…)", id.get(..8).unwrap_or(&id))
    }
}

/// Reads a device id (see [`DevicePublicKeys::device_id`]) back into the
/// Ed25519 public key it names.
pub fn parse_device_id(id: &str) -> Result<VerifyingKey, DeviceKeyError> {
    if id.len() != DEVICE_ID_LEN {
        return Err(DeviceKeyError::WrongLength { found: id.len() });
    }
    let bytes = URL_SAFE_NO_PAD
        .decode(id)
        .map_err(|_| DeviceKeyError::NotBase64)?;
    let bytes: [u8; 32] = bytes
        .try_into()
        .map_err(|_| DeviceKeyError::WrongLength { found: id.len() })?;
    let key = VerifyingKey::from_bytes(&bytes).map_err(|_| DeviceKeyError::InvalidSigningKey)?;
    if key.is_weak() {
        return Err(DeviceKeyError::InvalidSigningKey);
    }
    Ok(key)
}

/// Public keys travel as `{ "signing": device id, "agreement": base64url }`.
#[derive(Serialize, Deserialize)]
struct DevicePublicKeysWire {
    signing: String,
    agreement: String,
}

impl Serialize for DevicePublicKeys {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        DevicePublicKeysWire {
            signing: self.device_id(),
            agreement: URL_SAFE_NO_PAD.encode(self.agreement.as_bytes()),
        }
        .serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for DevicePublicKeys {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        use serde::de::Error as _;
        let wire = DevicePublicKeysWire::deserialize(deserializer)?;
        let signing = parse_device_id(&wire.signing).map_err(D::Error::custom)?;
        let agreement: [u8; 32] = URL_SAFE_NO_PAD
            .decode(&wire.agreement)
            .ok()
            .and_then(|b| b.try_into().ok())
            .ok_or_else(|| D::Error::custom(DeviceKeyError::InvalidAgreementKey))?;
        Self::new(signing, agreement).map_err(D::Error::custom)
    }
}

impl SpaceKey {
    /// Key length in bytes.
    pub const LEN: usize = 32;

    /// Makes a new random space key (when a partner creates the space).
    pub fn generate() -> Result<Self, RandomnessUnavailable> {
        let mut key = Self([0u8; Self::LEN]);
        fill_random(&mut key.0)?;
        Ok(key)
    }

    /// Wraps existing key bytes (received in pairing, read from storage).
    pub fn from_bytes(bytes: [u8; Self::LEN]) -> Self {
        Self(bytes)
    }

    /// The raw key, for code in this module that derives subkeys from it.
    pub(crate) fn as_bytes(&self) -> &[u8; Self::LEN] {
        &self.0
    }

    /// Key-store entry for the key of `space_id`. The id is hashed so any
    /// id maps to a valid, fixed-length entry name.
    pub fn entry_name(space_id: &str) -> String {
        let digest = Sha256::digest(space_id.as_bytes());
        format!("hearth.space-key.{}", URL_SAFE_NO_PAD.encode(&digest[..16]))
    }

    /// Reads the key of `space_id` from `store`; `None` if this device has
    /// no key for that space.
    pub fn load(store: &dyn KeyStore, space_id: &str) -> Result<Option<Self>, KeyError> {
        let entry = Self::entry_name(space_id);
        let Some(bytes) = store.load(entry.clone())? else {
            return Ok(None);
        };
        let bytes = Zeroizing::new(bytes);
        match bytes.split_first() {
            Some((&SPACE_KEY_FORMAT, key)) if key.len() == Self::LEN => {
                let mut out = Self([0u8; Self::LEN]);
                out.0.copy_from_slice(key);
                Ok(Some(out))
            }
            _ => Err(KeyError::Corrupt { entry }),
        }
    }

    /// Saves this key as the key of `space_id` in `store`.
    pub fn save(&self, store: &dyn KeyStore, space_id: &str) -> Result<(), KeyError> {
        let mut bytes = Zeroizing::new(Vec::with_capacity(1 + Self::LEN));
        bytes.push(SPACE_KEY_FORMAT);
        bytes.extend_from_slice(&self.0);
        store.store(Self::entry_name(space_id), bytes.to_vec())?;
        Ok(())
    }

    /// Removes the key of `space_id` from `store` (leaving the space).
    pub fn forget(store: &dyn KeyStore, space_id: &str) -> Result<(), KeyError> {
        store.delete(Self::entry_name(space_id))?;
        Ok(())
    }
}

impl PartialEq for SpaceKey {
    fn eq(&self, other: &Self) -> bool {
        self.0.ct_eq(&other.0).into()
    }
}

impl Eq for SpaceKey {}

impl fmt::Debug for SpaceKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SpaceKey(<redacted>)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crypto::keystore::MemoryKeyStore;
    use ed25519_dalek::Verifier;

    #[test]
    fn secret_bytes_round_trip() {
        let keys = DeviceKeys::generate().unwrap();
        let bytes = keys.to_secret_bytes();
        assert_eq!(bytes.len(), DeviceKeys::SECRET_BYTES_LEN);
        let back = DeviceKeys::from_secret_bytes(&bytes, "test").unwrap();
        assert_eq!(back.public(), keys.public());
        let sig = back.sign(b"hello");
        keys.public().signing_key().verify(b"hello", &sig).unwrap();
    }

    #[test]
    fn damaged_secret_bytes_are_rejected() {
        let keys = DeviceKeys::generate().unwrap();
        let bytes = keys.to_secret_bytes();
        for bad in [
            &bytes[..10],
            &bytes[..0],
            &[&[9u8][..], &bytes[1..]].concat()[..],
        ] {
            let err = DeviceKeys::from_secret_bytes(bad, "hearth.device-keys").unwrap_err();
            assert!(
                matches!(err, KeyError::Corrupt { ref entry } if entry == "hearth.device-keys")
            );
        }
    }

    #[test]
    fn generated_keys_differ() {
        let a = DeviceKeys::generate().unwrap();
        let b = DeviceKeys::generate().unwrap();
        assert_ne!(a.public(), b.public());
        assert_ne!(SpaceKey::generate().unwrap(), SpaceKey::generate().unwrap());
    }

    #[test]
    fn device_id_round_trips_and_has_43_chars() {
        let keys = DeviceKeys::generate().unwrap();
        let id = keys.device_id();
        assert_eq!(id.len(), DEVICE_ID_LEN);
        assert!(!id.contains('='));
        assert_eq!(&parse_device_id(&id).unwrap(), keys.public().signing_key());
    }

    #[test]
    fn bad_device_ids_get_typed_errors() {
        let id = DeviceKeys::generate().unwrap().device_id();
        assert_eq!(
            parse_device_id(&id[..42]),
            Err(DeviceKeyError::WrongLength { found: 42 })
        );
        let with_plus = format!("+{}", &id[1..]);
        assert_eq!(parse_device_id(&with_plus), Err(DeviceKeyError::NotBase64));
        // The identity point is a small-order (weak) Ed25519 key.
        let mut identity = [0u8; 32];
        identity[0] = 1;
        let weak = URL_SAFE_NO_PAD.encode(identity);
        assert_eq!(
            parse_device_id(&weak),
            Err(DeviceKeyError::InvalidSigningKey)
        );
    }

    #[test]
    fn public_keys_round_trip_as_bytes_and_json() {
        let public = DeviceKeys::generate().unwrap().public();
        assert_eq!(
            DevicePublicKeys::from_bytes(&public.to_bytes()).unwrap(),
            public
        );
        let json = serde_json::to_string(&public).unwrap();
        assert!(json.contains(&public.device_id()));
        let back: DevicePublicKeys = serde_json::from_str(&json).unwrap();
        assert_eq!(back, public);
        let broken = json.replace(&public.device_id(), "short");
        assert!(serde_json::from_str::<DevicePublicKeys>(&broken).is_err());
    }

    #[test]
    fn agreement_matches_on_both_sides_and_rejects_low_order_keys() {
        let a = DeviceKeys::generate().unwrap();
        let b = DeviceKeys::generate().unwrap();
        let ab = a.agree(&b.public()).unwrap();
        let ba = b.agree(&a.public()).unwrap();
        assert_eq!(ab.as_bytes(), ba.as_bytes());
        let zero = DevicePublicKeys::new(*b.public().signing_key(), [0u8; 32]).unwrap();
        assert!(a.agree(&zero).is_none());
    }

    #[test]
    fn debug_output_hides_secrets() {
        let keys = DeviceKeys::generate().unwrap();
        let debug = format!("{keys:?}");
        let seed = keys.signing_key().as_bytes();
        assert!(!debug.contains(&URL_SAFE_NO_PAD.encode(seed)));
        assert!(!debug.contains(&format!("{seed:?}")));
        assert!(debug.contains(&keys.device_id()[..8]));
        let space = SpaceKey::from_bytes([0xAB; 32]);
        assert_eq!(format!("{space:?}"), "SpaceKey(<redacted>)");
    }

    #[test]
    fn load_or_create_is_stable_across_loads() {
        let store = MemoryKeyStore::new();
        let first = DeviceKeys::load_or_create(&store).unwrap();
        let again = DeviceKeys::load_or_create(&store).unwrap();
        assert_eq!(first.public(), again.public());
    }

    #[test]
    fn load_or_create_reports_a_damaged_entry() {
        let store = MemoryKeyStore::new();
        store
            .store(DEVICE_KEYS_ENTRY.to_owned(), vec![1, 2, 3])
            .unwrap();
        let err = DeviceKeys::load_or_create(&store).unwrap_err();
        assert!(matches!(err, KeyError::Corrupt { .. }));
        // The damaged entry is left for the user to act on, not overwritten.
        assert_eq!(
            store.load(DEVICE_KEYS_ENTRY.to_owned()).unwrap(),
            Some(vec![1, 2, 3])
        );
    }

    #[test]
    fn space_key_save_load_forget() {
        let store = MemoryKeyStore::new();
        let key = SpaceKey::generate().unwrap();
        assert!(SpaceKey::load(&store, "space-1").unwrap().is_none());
        key.save(&store, "space-1").unwrap();
        assert_eq!(
            SpaceKey::load(&store, "space-1").unwrap(),
            Some(key.clone())
        );
        assert!(SpaceKey::load(&store, "space-2").unwrap().is_none());
        SpaceKey::forget(&store, "space-1").unwrap();
        assert!(SpaceKey::load(&store, "space-1").unwrap().is_none());
    }

    #[test]
    fn damaged_space_key_is_reported() {
        let store = MemoryKeyStore::new();
        store
            .store(SpaceKey::entry_name("s"), vec![SPACE_KEY_FORMAT, 1, 2])
            .unwrap();
        assert!(matches!(
            SpaceKey::load(&store, "s"),
            Err(KeyError::Corrupt { .. })
        ));
    }
}
