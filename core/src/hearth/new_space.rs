//! Starting again after the shared space closed (this person left, or the
//! partner did): the closed profile is kept whole, openable and read-only,
//! in an `old-space-<time>` folder inside the data folder (its database,
//! side files and device key), and a fresh, unpaired profile with the same
//! name takes its place, ready to pair again. Nothing of the old journal
//! is copied into the new profile, so nothing the old partner wrote can
//! reach a new space.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::{Hearth, OpenOptions};
use crate::crypto::keys::DEVICE_KEYS_ENTRY;
use crate::crypto::{FileKeyStore, KeyError, KeyStore};
use crate::error::{Error, Result};
use crate::store::{DATABASE_FILE, files};
use crate::sync::state;

/// The fresh profile, and where the closed one was kept.
#[derive(Debug)]
pub struct NewSpace {
    /// The new, unpaired profile, open.
    pub hearth: Hearth,
    /// The folder holding the closed profile; open it with
    /// [`Hearth::open`] to read or export the old journal.
    pub old_profile: PathBuf,
}

impl Hearth {
    /// Keeps the closed profile in `data_dir` aside, whole, and starts a
    /// fresh one there with the same name and relay. Refused while the
    /// shared space is open ([`Error::AlreadyPaired`]: leave it first) and
    /// for a profile that never paired ([`Error::NotPaired`]: it can pair
    /// as it is).
    pub fn start_new_space(data_dir: impl AsRef<Path>, options: OpenOptions) -> Result<NewSpace> {
        let data_dir = data_dir.as_ref();
        let old = Self::open(
            data_dir,
            OpenOptions {
                display_name: None,
                ..options.clone()
            },
        )?;
        let (paired, closed, relay) = old.store.read(|conn| {
            Ok((
                state::get(conn, state::PAIRED)?.is_some(),
                state::is_closed(conn)?,
                state::get(conn, state::RELAY_URL)?,
            ))
        })?;
        if !closed {
            return Err(if paired {
                Error::AlreadyPaired
            } else {
                Error::NotPaired
            });
        }
        let name = old.profile()?.me.name;
        let key = old.keys.to_secret_bytes();
        let now = old.now_ms();
        drop(old);

        let kept = files::move_into(data_dir, DATABASE_FILE, &format!("old-space-{now}"))?;
        let io = |path: &Path, source| Error::DataDir {
            path: path.to_owned(),
            source,
        };
        match &options.key_store {
            // The folder's own key files go with the profile.
            None => {
                let keys = data_dir.join("keys");
                std::fs::rename(&keys, kept.join("keys")).map_err(|e| io(&keys, e))?;
            }
            // A platform key store holds one device key: the kept profile
            // takes it as a file of its own (readable by its owner only),
            // and the new profile makes a new one.
            Some(store) => {
                let files: Arc<dyn KeyStore> =
                    Arc::new(FileKeyStore::open(kept.join("keys")).map_err(KeyError::from)?);
                files
                    .store(DEVICE_KEYS_ENTRY.to_owned(), key.to_vec())
                    .map_err(KeyError::from)?;
                store
                    .delete(DEVICE_KEYS_ENTRY.to_owned())
                    .map_err(KeyError::from)?;
            }
        }
        let hearth = Self::open(
            data_dir,
            OpenOptions {
                display_name: Some(name),
                ..options
            },
        )?;
        if let Some(relay) = relay {
            hearth.set_relay(&relay)?;
        }
        Ok(NewSpace {
            hearth,
            old_profile: kept,
        })
    }
}
