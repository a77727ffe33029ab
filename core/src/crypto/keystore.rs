//! Where device secrets live: the [`KeyStore`] trait the phone shells
//! implement with Keychain / Android Keystore, a file-backed store for the
//! CLI and tests, and an in-memory store for tests.

use std::collections::HashMap;
use std::fmt;
use std::fs;
use std::io::{self, Write as _};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use zeroize::Zeroizing;

use super::random::fill_random;

/// Longest accepted entry name.
pub const MAX_ENTRY_NAME_LEN: usize = 100;

/// Secure storage for small secrets, addressed by entry name.
///
/// Object safe, `Send + Sync`, and with owned arguments so it maps onto a
/// UniFFI foreign trait: the shells implement it with the platform keystore.
/// Entry names use only `A-Z a-z 0-9 . - _` (see [`check_entry_name`]).
pub trait KeyStore: Send + Sync {
    /// The secret stored under `name`, or `None` if there is none.
    fn load(&self, name: String) -> Result<Option<Vec<u8>>, KeyStoreError>;
    /// Stores `secret` under `name`, replacing any previous value. Either
    /// the old or the new value survives a crash, never a mix.
    fn store(&self, name: String, secret: Vec<u8>) -> Result<(), KeyStoreError>;
    /// Removes `name`; removing a missing entry is not an error.
    fn delete(&self, name: String) -> Result<(), KeyStoreError>;
}

/// A key store operation failed. Messages name the entry, never its value.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KeyStoreError {
    /// The store cannot be used right now (device locked, storage missing).
    #[error("the key store is not available ({reason}); unlock the device and try again")]
    Unavailable {
        /// What the platform reported.
        reason: String,
    },
    /// The entry name has characters or a length the store does not accept.
    #[error(
        "'{name}' is not a valid key store entry name; use 1 to 100 of A-Z a-z 0-9 . - _, \
         not starting with '.'"
    )]
    InvalidName {
        /// The rejected name.
        name: String,
    },
    /// Reading or writing the entry failed.
    #[error("the key store could not read or write '{name}': {reason}")]
    Io {
        /// Entry name.
        name: String,
        /// What failed, from the operating system.
        reason: String,
    },
}

/// Checks that `name` is usable as an entry name on every platform store
/// (and as a file name): 1 to 100 of `A-Z a-z 0-9 . - _`, not starting with
/// a dot.
pub fn check_entry_name(name: &str) -> Result<(), KeyStoreError> {
    let valid = !name.is_empty()
        && name.len() <= MAX_ENTRY_NAME_LEN
        && !name.starts_with('.')
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'_'));
    if valid {
        Ok(())
    } else {
        Err(KeyStoreError::InvalidName {
            name: name.to_owned(),
        })
    }
}

/// A directory holding one file per secret, for the CLI and tests.
///
/// Files are written to a temporary file, flushed, then renamed over the
/// old one, so a crash leaves either the old or the new secret. On Unix the
/// directory is 0700 and the files 0600. The files are not encrypted: this
/// store is as safe as the account that owns the directory.
#[derive(Debug)]
pub struct FileKeyStore {
    dir: PathBuf,
}

impl FileKeyStore {
    /// Opens (creating if needed) the store in `dir`.
    pub fn open(dir: impl Into<PathBuf>) -> Result<Self, KeyStoreError> {
        let dir = dir.into();
        create_private_dir(&dir).map_err(|e| KeyStoreError::Unavailable {
            reason: format!("cannot create the key directory: {e}"),
        })?;
        Ok(Self { dir })
    }

    /// The directory this store writes to.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    fn entry_path(&self, name: &str) -> Result<PathBuf, KeyStoreError> {
        check_entry_name(name)?;
        Ok(self.dir.join(name))
    }

    fn write_atomically(&self, name: &str, secret: &[u8]) -> io::Result<()> {
        let mut suffix = [0u8; 8];
        fill_random(&mut suffix).map_err(io::Error::other)?;
        let suffix = hex::encode(suffix);
        // The leading dot keeps temporary files out of the entry namespace.
        let temp = self.dir.join(format!(".{name}.{suffix}.tmp"));
        let result = (|| {
            let mut file = private_file_options().open(&temp)?;
            file.write_all(secret)?;
            file.sync_all()?;
            fs::rename(&temp, self.dir.join(name))?;
            sync_dir(&self.dir)
        })();
        if result.is_err() {
            // Best effort: the temp file may not exist if open failed.
            let _ = fs::remove_file(&temp);
        }
        result
    }
}

impl KeyStore for FileKeyStore {
    fn load(&self, name: String) -> Result<Option<Vec<u8>>, KeyStoreError> {
        let path = self.entry_path(&name)?;
        match fs::read(&path) {
            Ok(bytes) => Ok(Some(bytes)),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(io_error(name, &e)),
        }
    }

    fn store(&self, name: String, secret: Vec<u8>) -> Result<(), KeyStoreError> {
        let secret = Zeroizing::new(secret);
        check_entry_name(&name)?;
        self.write_atomically(&name, &secret)
            .map_err(|e| io_error(name, &e))
    }

    fn delete(&self, name: String) -> Result<(), KeyStoreError> {
        let path = self.entry_path(&name)?;
        match fs::remove_file(&path) {
            Ok(()) => sync_dir(&self.dir).map_err(|e| io_error(name, &e)),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
            Err(e) => Err(io_error(name, &e)),
        }
    }
}

fn io_error(name: String, e: &io::Error) -> KeyStoreError {
    KeyStoreError::Io {
        name,
        reason: e.to_string(),
    }
}

#[cfg(unix)]
fn create_private_dir(dir: &Path) -> io::Result<()> {
    use std::os::unix::fs::{DirBuilderExt as _, PermissionsExt as _};
    fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)?;
    // An existing directory may have been created with looser rights.
    fs::set_permissions(dir, fs::Permissions::from_mode(0o700))
}

#[cfg(not(unix))]
fn create_private_dir(dir: &Path) -> io::Result<()> {
    fs::create_dir_all(dir)
}

fn private_file_options() -> fs::OpenOptions {
    let mut options = fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt as _;
        options.mode(0o600);
    }
    options
}

/// Makes a rename or removal durable by flushing the directory entry.
#[cfg(unix)]
fn sync_dir(dir: &Path) -> io::Result<()> {
    fs::File::open(dir)?.sync_all()
}

#[cfg(not(unix))]
fn sync_dir(_dir: &Path) -> io::Result<()> {
    Ok(())
}

/// A key store in memory, for tests. Values are wiped when replaced,
/// deleted or dropped.
#[derive(Default)]
pub struct MemoryKeyStore {
    entries: Mutex<Entries>,
}

type Entries = HashMap<String, Zeroizing<Vec<u8>>>;

impl MemoryKeyStore {
    /// An empty store.
    pub fn new() -> Self {
        Self::default()
    }

    fn entries(&self) -> Result<std::sync::MutexGuard<'_, Entries>, KeyStoreError> {
        self.entries.lock().map_err(|_| KeyStoreError::Unavailable {
            reason: "an earlier operation on the in-memory store panicked".to_owned(),
        })
    }
}

impl KeyStore for MemoryKeyStore {
    fn load(&self, name: String) -> Result<Option<Vec<u8>>, KeyStoreError> {
        check_entry_name(&name)?;
        Ok(self.entries()?.get(&name).map(|v| v.to_vec()))
    }

    fn store(&self, name: String, secret: Vec<u8>) -> Result<(), KeyStoreError> {
        let secret = Zeroizing::new(secret);
        check_entry_name(&name)?;
        self.entries()?.insert(name, secret);
        Ok(())
    }

    fn delete(&self, name: String) -> Result<(), KeyStoreError> {
        check_entry_name(&name)?;
        self.entries()?.remove(&name);
        Ok(())
    }
}

impl fmt::Debug for MemoryKeyStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let count = self.entries.lock().map(|e| e.len()).ok();
        f.debug_struct("MemoryKeyStore")
            .field("entries", &count)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    fn exercise(store: &dyn KeyStore) {
        assert_eq!(store.load("a".into()).unwrap(), None);
        store.store("a".into(), vec![1, 2, 3]).unwrap();
        assert_eq!(store.load("a".into()).unwrap(), Some(vec![1, 2, 3]));
        store.store("a".into(), vec![4]).unwrap();
        assert_eq!(store.load("a".into()).unwrap(), Some(vec![4]));
        store.delete("a".into()).unwrap();
        assert_eq!(store.load("a".into()).unwrap(), None);
        store.delete("a".into()).unwrap();
        for bad in ["", ".hidden", "../up", "a/b", "space key", &"x".repeat(101)] {
            assert_eq!(
                store.store(bad.into(), vec![1]),
                Err(KeyStoreError::InvalidName { name: bad.into() })
            );
            assert!(store.load(bad.into()).is_err());
            assert!(store.delete(bad.into()).is_err());
        }
    }

    #[test]
    fn memory_store_behaves() {
        exercise(&MemoryKeyStore::new());
    }

    #[test]
    fn file_store_behaves() {
        let dir = tempfile::tempdir().unwrap();
        exercise(&FileKeyStore::open(dir.path().join("keys")).unwrap());
    }

    #[test]
    fn store_is_object_safe_send_and_sync() {
        let store: Arc<dyn KeyStore> = Arc::new(MemoryKeyStore::new());
        let other = Arc::clone(&store);
        std::thread::spawn(move || other.store("t".into(), vec![9]).unwrap())
            .join()
            .unwrap();
        assert_eq!(store.load("t".into()).unwrap(), Some(vec![9]));
    }

    #[test]
    fn file_store_persists_and_leaves_no_temp_files() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("keys");
        {
            let store = FileKeyStore::open(&path).unwrap();
            store.store("device".into(), vec![7; 65]).unwrap();
            store.store("device".into(), vec![8; 65]).unwrap();
        }
        let store = FileKeyStore::open(&path).unwrap();
        assert_eq!(store.load("device".into()).unwrap(), Some(vec![8; 65]));
        let names: Vec<_> = fs::read_dir(&path)
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        assert_eq!(names, vec!["device".to_owned()]);
    }

    #[cfg(unix)]
    #[test]
    fn file_store_is_private_on_unix() {
        use std::os::unix::fs::PermissionsExt as _;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("keys");
        let store = FileKeyStore::open(&path).unwrap();
        store.store("device".into(), vec![1]).unwrap();
        let file_mode = fs::metadata(path.join("device"))
            .unwrap()
            .permissions()
            .mode();
        let dir_mode = fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(file_mode & 0o777, 0o600);
        assert_eq!(dir_mode & 0o777, 0o700);
    }

    #[test]
    fn file_store_reports_an_unusable_directory() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("not-a-dir");
        fs::write(&file, b"x").unwrap();
        assert!(matches!(
            FileKeyStore::open(&file),
            Err(KeyStoreError::Unavailable { .. })
        ));
    }

    #[test]
    fn errors_name_the_entry_but_not_the_secret() {
        let dir = tempfile::tempdir().unwrap();
        let store = FileKeyStore::open(dir.path()).unwrap();
        // A directory where the entry's file should be makes reading fail.
        fs::create_dir(dir.path().join("blocked")).unwrap();
        let err = store.load("blocked".into()).unwrap_err();
        assert!(matches!(err, KeyStoreError::Io { ref name, .. } if name == "blocked"));
        let err = store
            .store("blocked".into(), b"s3cret".to_vec())
            .unwrap_err();
        assert!(!err.to_string().contains("s3cret"));
    }
}
