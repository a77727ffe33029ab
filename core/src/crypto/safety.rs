//! A device's safety number: 30 digits derived from its public keys alone,
//! the same on every phone that knows the device, so two people can read
//! them to each other (or compare screens) to be sure a device in their
//! space is the one they think (Signal-style).
//!
//! Derivation (version 1):
//!
//! ```text
//! h0 = SHA-512( 0x00 0x01 || "hearth-device-safety-v1" || ed25519 public key (32) || x25519 public key (32) )
//! h(i+1) = SHA-512( h(i) || ed25519 public key || x25519 public key ),  5,200 rounds in all
//! digits = the first 30 bytes of the last hash, in six 5-byte chunks; each chunk read as a
//!          big-endian number, mod 100,000, written as 5 digits
//! ```
//!
//! shown as six groups of five (`"12345 67890 …"`). The iterations (as in
//! Signal's fingerprints) make finding another key with the same number
//! about 2^12 times slower per try; with about 2^99.7 possible numbers a
//! collision on a chosen device is out of reach. The number depends on
//! both public keys, so a relay or a third party that swapped either key
//! would show a different number.

use sha2::{Digest, Sha512};

use super::keys::DevicePublicKeys;

/// Digits in a device safety number.
pub const DEVICE_SAFETY_DIGITS: usize = 30;

const LABEL: &[u8] = b"hearth-device-safety-v1";
const ROUNDS: usize = 5200;

/// The safety number of the device with these public keys.
#[must_use]
pub fn device_safety_number(device: &DevicePublicKeys) -> String {
    let signing = device.signing_key().to_bytes();
    let agreement = device.agreement_key();
    let mut hash = Sha512::new();
    hash.update([0u8, 1]);
    hash.update(LABEL);
    hash.update(signing);
    hash.update(agreement);
    let mut digest = hash.finalize();
    for _ in 1..ROUNDS {
        let mut next = Sha512::new();
        next.update(digest);
        next.update(signing);
        next.update(agreement);
        digest = next.finalize();
    }
    let groups: Vec<String> = digest[..30]
        .chunks(5)
        .map(|chunk| {
            let value = chunk
                .iter()
                .fold(0u64, |acc, byte| (acc << 8) | u64::from(*byte));
            format!("{:05}", value % 100_000)
        })
        .collect();
    groups.join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crypto::DeviceKeys;
    use crate::crypto::keystore::MemoryKeyStore;

    #[test]
    fn thirty_digits_in_six_groups_stable_and_distinct_per_device() {
        let store = MemoryKeyStore::default();
        let one = DeviceKeys::create(&store).unwrap().public();
        let number = device_safety_number(&one);
        assert_eq!(number.len(), DEVICE_SAFETY_DIGITS + 5);
        assert_eq!(number.split(' ').count(), 6);
        assert!(
            number
                .split(' ')
                .all(|g| g.len() == 5 && g.bytes().all(|b| b.is_ascii_digit()))
        );
        assert_eq!(number, device_safety_number(&one));
        let other = DeviceKeys::create(&MemoryKeyStore::default())
            .unwrap()
            .public();
        assert_ne!(number, device_safety_number(&other));
    }

    #[test]
    fn each_public_key_changes_the_number() {
        let keys = DeviceKeys::create(&MemoryKeyStore::default())
            .unwrap()
            .public();
        let other = DeviceKeys::create(&MemoryKeyStore::default())
            .unwrap()
            .public();
        let swapped_agreement =
            DevicePublicKeys::new(*keys.signing_key(), other.agreement_key()).unwrap();
        let swapped_signing =
            DevicePublicKeys::new(*other.signing_key(), keys.agreement_key()).unwrap();
        let base = device_safety_number(&keys);
        assert_ne!(base, device_safety_number(&swapped_agreement));
        assert_ne!(base, device_safety_number(&swapped_signing));
    }
}
