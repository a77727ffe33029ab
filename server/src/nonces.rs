//! The in-memory replay guard used with SQLite: one relay process owns a
//! SQLite file, so its memory is the only place a nonce needs to be
//! remembered. (With PostgreSQL nonces live in the database, so a request
//! replayed to another relay instance is refused too.)

use std::collections::HashMap;
use std::sync::Mutex;

/// Remembers (device, nonce) keys until the request they came with would
/// be stale anyway.
#[derive(Debug, Default)]
pub(crate) struct NonceCache {
    seen: Mutex<HashMap<u128, u64>>,
}

impl NonceCache {
    /// Records `key`; false when it was recorded before.
    pub fn claim(&self, key: [u8; 16], expires_at: u64) -> bool {
        let Ok(mut seen) = self.seen.lock() else {
            // A poisoned lock means a thread panicked mid-update; refusing
            // is the safe answer for a replay guard.
            return false;
        };
        match seen.entry(u128::from_le_bytes(key)) {
            std::collections::hash_map::Entry::Occupied(_) => false,
            std::collections::hash_map::Entry::Vacant(slot) => {
                slot.insert(expires_at);
                true
            }
        }
    }

    /// Forgets keys whose requests are stale by `now`.
    pub fn purge(&self, now: u64) {
        if let Ok(mut seen) = self.seen.lock() {
            seen.retain(|_, expires_at| *expires_at > now);
        }
    }

    /// How many keys are remembered.
    #[cfg(test)]
    pub fn len(&self) -> usize {
        self.seen.lock().map_or(0, |seen| seen.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_nonce_is_accepted_once_until_it_expires() {
        let cache = NonceCache::default();
        assert!(cache.claim([1; 16], 100));
        assert!(!cache.claim([1; 16], 100));
        assert!(cache.claim([2; 16], 50));
        cache.purge(60);
        assert_eq!(cache.len(), 1);
        assert!(!cache.claim([1; 16], 100));
        cache.purge(100);
        assert_eq!(cache.len(), 0);
    }
}
