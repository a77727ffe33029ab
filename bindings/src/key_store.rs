//! The phone's secure storage as a foreign trait: the shell implements
//! [`KeyStore`] with the iOS Keychain or the Android Keystore, and the
//! adapter here hands it to the core, which keeps this device's keys in it.

use std::fmt;
use std::sync::Arc;

use hearth_core::crypto::keystore::check_entry_name;
use hearth_core::crypto::{KeyStore as CoreKeyStore, KeyStoreError as CoreKeyStoreError};

/// Secure storage for this device's secrets, implemented by the shell.
///
/// Entry names use only `A-Z a-z 0-9 . - _` (1 to 100 characters, not
/// starting with a dot), so every platform store accepts them as they are.
/// `store` must replace the old value atomically: after a crash either the
/// old or the new secret is there, never a mix.
#[uniffi::export(with_foreign)]
pub trait KeyStore: Send + Sync {
    /// The secret stored under `name`, or `None` if there is none.
    fn load(&self, name: String) -> Result<Option<Vec<u8>>, KeyStoreError>;
    /// Stores `secret` under `name`, replacing any previous value.
    fn store(&self, name: String, secret: Vec<u8>) -> Result<(), KeyStoreError>;
    /// Removes `name`; removing a missing entry is not an error.
    fn delete(&self, name: String) -> Result<(), KeyStoreError>;
}

/// What the shell's key store reports when it cannot do what was asked.
/// Reasons name the entry or the platform's error, never a secret.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, uniffi::Error)]
pub enum KeyStoreError {
    /// The store cannot be used right now (the phone is locked, the
    /// keystore is missing): Hearth asks the person to unlock and retry.
    #[error("{reason}")]
    Unavailable {
        /// What the platform reported.
        reason: String,
    },
    /// Reading or writing the entry failed.
    #[error("{reason}")]
    Failed {
        /// What the platform reported.
        reason: String,
    },
}

impl From<uniffi::UnexpectedUniFFICallbackError> for KeyStoreError {
    // The shell threw something other than a KeyStoreError.
    fn from(error: uniffi::UnexpectedUniFFICallbackError) -> Self {
        Self::Failed {
            reason: format!("the key store failed unexpectedly: {}", error.reason),
        }
    }
}

/// The shell's key store, seen by the core as one of its own.
pub(crate) struct PlatformKeyStore(pub(crate) Arc<dyn KeyStore>);

impl fmt::Debug for PlatformKeyStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("PlatformKeyStore")
    }
}

impl PlatformKeyStore {
    fn core_error(name: &str, error: KeyStoreError) -> CoreKeyStoreError {
        match error {
            KeyStoreError::Unavailable { reason } => CoreKeyStoreError::Unavailable { reason },
            KeyStoreError::Failed { reason } => CoreKeyStoreError::Io {
                name: name.to_owned(),
                reason,
            },
        }
    }
}

impl CoreKeyStore for PlatformKeyStore {
    fn load(&self, name: String) -> Result<Option<Vec<u8>>, CoreKeyStoreError> {
        // The shell is promised portable names; hold the core to it too.
        check_entry_name(&name)?;
        self.0
            .load(name.clone())
            .map_err(|e| Self::core_error(&name, e))
    }

    fn store(&self, name: String, secret: Vec<u8>) -> Result<(), CoreKeyStoreError> {
        check_entry_name(&name)?;
        self.0
            .store(name.clone(), secret)
            .map_err(|e| Self::core_error(&name, e))
    }

    fn delete(&self, name: String) -> Result<(), CoreKeyStoreError> {
        check_entry_name(&name)?;
        self.0
            .delete(name.clone())
            .map_err(|e| Self::core_error(&name, e))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use hearth_core::crypto::MemoryKeyStore;

    /// A shell's store backed by the core's in-memory one, that can be
    /// switched to "locked".
    #[derive(Default)]
    struct FakePhoneStore {
        inner: MemoryKeyStore,
        locked: std::sync::atomic::AtomicBool,
    }

    impl KeyStore for FakePhoneStore {
        fn load(&self, name: String) -> Result<Option<Vec<u8>>, KeyStoreError> {
            if self.locked.load(std::sync::atomic::Ordering::SeqCst) {
                return Err(KeyStoreError::Unavailable {
                    reason: "the phone is locked".into(),
                });
            }
            CoreKeyStore::load(&self.inner, name).map_err(|e| KeyStoreError::Failed {
                reason: e.to_string(),
            })
        }
        fn store(&self, name: String, secret: Vec<u8>) -> Result<(), KeyStoreError> {
            CoreKeyStore::store(&self.inner, name, secret).map_err(|e| KeyStoreError::Failed {
                reason: e.to_string(),
            })
        }
        fn delete(&self, name: String) -> Result<(), KeyStoreError> {
            Err(KeyStoreError::Failed {
                reason: format!("cannot delete {name}"),
            })
        }
    }

    #[test]
    fn the_adapter_passes_secrets_through_and_maps_errors() {
        let phone = Arc::new(FakePhoneStore::default());
        let store = PlatformKeyStore(phone.clone());
        store.store("device".into(), vec![1, 2, 3]).unwrap();
        assert_eq!(store.load("device".into()).unwrap(), Some(vec![1, 2, 3]));
        assert_eq!(
            store.delete("device".into()),
            Err(CoreKeyStoreError::Io {
                name: "device".into(),
                reason: "cannot delete device".into()
            })
        );
        phone
            .locked
            .store(true, std::sync::atomic::Ordering::SeqCst);
        assert_eq!(
            store.load("device".into()),
            Err(CoreKeyStoreError::Unavailable {
                reason: "the phone is locked".into()
            })
        );
    }

    #[test]
    fn the_adapter_refuses_names_a_platform_store_might_not_take() {
        let store = PlatformKeyStore(Arc::new(FakePhoneStore::default()));
        assert_eq!(
            store.store("../escape".into(), vec![1]),
            Err(CoreKeyStoreError::InvalidName {
                name: "../escape".into()
            })
        );
    }
}
