//! The in-memory replay guard used with SQLite: one relay process owns a
//! SQLite file, so its memory is the only place a nonce needs to be
//! remembered. (With PostgreSQL nonces live in the database, so a request
//! replayed to another relay instance is refused too.)
//!
//! Keys are kept in one set per minute of expiry, so forgetting expired
//! ones drops whole sets instead of sweeping every key while requests wait
//! on the lock.

use std::collections::{HashSet, VecDeque};
use std::sync::Mutex;

/// Seconds of expiry each set covers.
const BUCKET_SECS: u64 = 60;

/// Remembers (device, nonce) keys until the request they came with would
/// be stale anyway.
#[derive(Debug, Default)]
pub(crate) struct NonceCache {
    /// (first second of the bucket's minute, keys expiring in it), oldest
    /// first.
    buckets: Mutex<VecDeque<(u64, HashSet<u128>)>>,
}

impl NonceCache {
    /// Records `key`; false when it was recorded before.
    pub fn claim(&self, key: [u8; 16], expires_at: u64) -> bool {
        let Ok(mut buckets) = self.buckets.lock() else {
            // A poisoned lock means a thread panicked mid-update; refusing
            // is the safe answer for a replay guard.
            return false;
        };
        let key = u128::from_le_bytes(key);
        if buckets.iter().any(|(_, keys)| keys.contains(&key)) {
            return false;
        }
        let start = expires_at - expires_at % BUCKET_SECS;
        let at = buckets.partition_point(|(bucket, _)| *bucket < start);
        match buckets.get_mut(at) {
            Some((bucket, keys)) if *bucket == start => {
                keys.insert(key);
            }
            _ => buckets.insert(at, (start, HashSet::from([key]))),
        }
        true
    }

    /// Forgets keys whose requests are stale by `now`.
    pub fn purge(&self, now: u64) {
        if let Ok(mut buckets) = self.buckets.lock() {
            while buckets
                .front()
                .is_some_and(|(start, _)| start + BUCKET_SECS <= now)
            {
                buckets.pop_front();
            }
        }
    }

    /// How many keys are remembered.
    #[cfg(test)]
    pub fn len(&self) -> usize {
        self.buckets.lock().map_or(0, |buckets| {
            buckets.iter().map(|(_, keys)| keys.len()).sum()
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_nonce_is_accepted_once_until_it_expires() {
        let cache = NonceCache::default();
        assert!(cache.claim([1; 16], 1_000));
        assert!(!cache.claim([1; 16], 1_000));
        // The same nonce claimed with another expiry is still a replay.
        assert!(!cache.claim([1; 16], 1_100));
        assert!(cache.claim([2; 16], 900));
        assert!(cache.claim([3; 16], 1_200));
        assert_eq!(cache.len(), 3);
        // Expiries are kept by minute: purging at 960 drops [900, 960).
        cache.purge(960);
        assert_eq!(cache.len(), 2);
        assert!(!cache.claim([1; 16], 1_000));
        cache.purge(1_020);
        assert_eq!(cache.len(), 1);
        cache.purge(1_260);
        assert_eq!(cache.len(), 0);
    }

    #[test]
    fn buckets_stay_in_expiry_order() {
        let cache = NonceCache::default();
        for (n, expiry) in [(1u8, 600), (2, 120), (3, 360), (4, 125)] {
            assert!(cache.claim([n; 16], expiry));
        }
        let starts: Vec<u64> = cache
            .buckets
            .lock()
            .unwrap()
            .iter()
            .map(|(start, _)| *start)
            .collect();
        assert_eq!(starts, [120, 360, 600]);
    }
}
