//! Unpacked device public keys, kept between requests: turning a key's 32
//! bytes into a curve point is a sizeable share of a signature check, and
//! the same devices sign request after request.

use std::collections::HashMap;
use std::sync::Mutex;

use ed25519_dalek::VerifyingKey;
use hearth_protocol::DeviceId;

/// Keys kept before the cache starts over (a few MB at most).
const CAPACITY: usize = 50_000;

/// Device header text to unpacked public key.
#[derive(Debug, Default)]
pub(crate) struct DeviceKeys {
    keys: Mutex<HashMap<String, VerifyingKey>>,
}

impl DeviceKeys {
    /// The key a device header names, or `None` when it names none.
    pub fn key_of(&self, device: &str) -> Option<VerifyingKey> {
        if let Some(key) = self.keys.lock().ok()?.get(device) {
            return Some(*key);
        }
        let key = DeviceId::parse_key(device).ok()?;
        if let Ok(mut keys) = self.keys.lock() {
            // Starting over is crude but bounded; hot keys return at once.
            if keys.len() >= CAPACITY {
                keys.clear();
            }
            keys.insert(device.to_owned(), key);
        }
        Some(key)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_unpacked_once_and_junk_is_refused() {
        let keys = DeviceKeys::default();
        let key = ed25519_dalek::SigningKey::from_bytes(&[3; 32]).verifying_key();
        let text = DeviceId::from_key(&key).encode();
        assert_eq!(keys.key_of(&text), Some(key));
        assert_eq!(keys.key_of(&text), Some(key));
        assert_eq!(keys.keys.lock().unwrap().len(), 1);
        assert_eq!(keys.key_of("not a key"), None);
    }
}
