//! A [`KeyStore`] in front of another that remembers what it read, for as
//! long as a profile is open.
//!
//! Every sync pass needs the space key and each epoch key with its holders;
//! read from the platform store each time, that is an IPC to the Keychain or
//! the Android Keystore (a file read and a failed open for each absent entry
//! with the CLI's store) for every delivered entry. The profile is the only
//! writer of its entries, and every write goes through this cache, so what
//! it remembers stays what the store holds. What it read is wiped when it
//! is replaced, deleted or dropped (the profile closed).
//!
//! Errors are never remembered: a store that was locked is asked again.

use std::collections::HashMap;
use std::fmt;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use zeroize::Zeroizing;

use super::keystore::{KeyStore, KeyStoreError};

/// What an entry was last read or written as: `None` when absent.
type Seen = HashMap<String, Option<Zeroizing<Vec<u8>>>>;

/// A remembering key store; see the module docs.
pub(crate) struct KeyCache {
    inner: Arc<dyn KeyStore>,
    seen: Mutex<Seen>,
}

impl KeyCache {
    pub(crate) fn new(inner: Arc<dyn KeyStore>) -> Self {
        Self {
            inner,
            seen: Mutex::new(HashMap::new()),
        }
    }

    /// Held across the call to the store it fronts, so a read cannot put
    /// back a value a concurrent write just replaced.
    fn seen(&self) -> MutexGuard<'_, Seen> {
        self.seen.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl KeyStore for KeyCache {
    fn load(&self, name: String) -> Result<Option<Vec<u8>>, KeyStoreError> {
        let mut seen = self.seen();
        if let Some(value) = seen.get(&name) {
            return Ok(value.as_ref().map(|v| v.to_vec()));
        }
        let value = self.inner.load(name.clone())?;
        seen.insert(name, value.as_ref().map(|v| Zeroizing::new(v.clone())));
        Ok(value)
    }

    fn store(&self, name: String, secret: Vec<u8>) -> Result<(), KeyStoreError> {
        let mut seen = self.seen();
        let kept = Zeroizing::new(secret.clone());
        match self.inner.store(name.clone(), secret) {
            Ok(()) => {
                seen.insert(name, Some(kept));
                Ok(())
            }
            Err(e) => {
                // The store may or may not hold the new value now.
                seen.remove(&name);
                Err(e)
            }
        }
    }

    fn delete(&self, name: String) -> Result<(), KeyStoreError> {
        let mut seen = self.seen();
        match self.inner.delete(name.clone()) {
            Ok(()) => {
                seen.insert(name, None);
                Ok(())
            }
            Err(e) => {
                seen.remove(&name);
                Err(e)
            }
        }
    }
}

impl fmt::Debug for KeyCache {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("KeyCache")
            .field("entries", &self.seen().len())
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};

    use super::*;
    use crate::crypto::MemoryKeyStore;

    /// Counts the reads that reach the store, and fails while `locked`.
    #[derive(Default)]
    struct Counted {
        inner: MemoryKeyStore,
        loads: AtomicUsize,
        locked: std::sync::atomic::AtomicBool,
    }

    impl KeyStore for Counted {
        fn load(&self, name: String) -> Result<Option<Vec<u8>>, KeyStoreError> {
            if self.locked.load(Ordering::SeqCst) {
                return Err(KeyStoreError::Unavailable {
                    reason: "locked".into(),
                });
            }
            self.loads.fetch_add(1, Ordering::SeqCst);
            self.inner.load(name)
        }
        fn store(&self, name: String, secret: Vec<u8>) -> Result<(), KeyStoreError> {
            if self.locked.load(Ordering::SeqCst) {
                return Err(KeyStoreError::Unavailable {
                    reason: "locked".into(),
                });
            }
            self.inner.store(name, secret)
        }
        fn delete(&self, name: String) -> Result<(), KeyStoreError> {
            self.inner.delete(name)
        }
    }

    #[test]
    fn an_entry_is_read_from_the_store_once_present_or_absent() {
        let store = Arc::new(Counted::default());
        store.inner.store("a".into(), vec![1]).unwrap();
        let cache = KeyCache::new(store.clone());
        for _ in 0..3 {
            assert_eq!(cache.load("a".into()).unwrap(), Some(vec![1]));
            assert_eq!(cache.load("b".into()).unwrap(), None);
        }
        assert_eq!(store.loads.load(Ordering::SeqCst), 2);
    }

    #[test]
    fn writes_go_through_and_are_what_later_reads_see() {
        let store = Arc::new(Counted::default());
        let cache = KeyCache::new(store.clone());
        assert_eq!(cache.load("a".into()).unwrap(), None);
        cache.store("a".into(), vec![2]).unwrap();
        assert_eq!(cache.load("a".into()).unwrap(), Some(vec![2]));
        assert_eq!(store.inner.load("a".into()).unwrap(), Some(vec![2]));
        cache.delete("a".into()).unwrap();
        assert_eq!(cache.load("a".into()).unwrap(), None);
        assert_eq!(store.inner.load("a".into()).unwrap(), None);
        assert_eq!(store.loads.load(Ordering::SeqCst), 1);
    }

    #[test]
    fn a_failed_read_or_write_is_not_remembered() {
        let store = Arc::new(Counted::default());
        store.inner.store("a".into(), vec![1]).unwrap();
        let cache = KeyCache::new(store.clone());
        store.locked.store(true, Ordering::SeqCst);
        assert!(cache.load("a".into()).is_err());
        assert!(cache.store("a".into(), vec![3]).is_err());
        store.locked.store(false, Ordering::SeqCst);
        assert_eq!(cache.load("a".into()).unwrap(), Some(vec![1]));
    }
}
