//! The space's key epochs on this phone: which keys it holds, which one
//! seals new blobs, and the key updates it publishes and receives.
//!
//! Epoch 0 is the space key from pairing (which also keys the relay's
//! document ids and member tags, so those never change). Removing a
//! device makes a new epoch: a random key and id, kept in the key store,
//! sent to the remaining devices as an [`EpochBundle`] pushed as a blob of
//! the reserved relay document [`EPOCH_DOC`] (real document ids are
//! 22-character keyed hashes, so it cannot collide). A phone that pulls a
//! bundle signed by a device of the space opens the key sealed to it and
//! seals from then on under it. Keys and their order live in the key
//! store, next to the space key.

use std::sync::{Arc, Mutex};

use hearth_protocol::{BlobId, DocumentId, NewBlob};
use rusqlite::Connection;

use crate::crypto::epoch::{EpochBundle, new_epoch_id};
use crate::crypto::{
    self, BlobContext, DeviceKeys, DevicePublicKeys, KeyError, KeyStore, SpaceKey,
};
use crate::error::{Error, Result};
use crate::sync::client::RelayClient;
use crate::sync::state;

/// The relay document key updates travel in.
pub(crate) const EPOCH_DOC: &str = "epochs";

/// Set while a removal's new epoch is still to be published.
pub(crate) const EPOCH_OWED: &str = "epoch_owed";

/// The key-store name of the list of epochs (their ids in the order this
/// phone learned them), hashed like the space key's.
fn list_entry(space_id: &str) -> String {
    SpaceKey::entry_name(&format!("{space_id}#epochs"))
}

/// The "space id" the key of `epoch` is saved under.
fn key_name(space_id: &str, epoch: u32) -> String {
    format!("{space_id}#epoch-{epoch}")
}

fn epoch_ids(store: &dyn KeyStore, space_id: &str) -> Result<Vec<u32>> {
    let bytes = store
        .load(list_entry(space_id))
        .map_err(KeyError::from)?
        .unwrap_or_default();
    if bytes.len() % 4 != 0 {
        return Err(Error::Keys(KeyError::Corrupt {
            entry: list_entry(space_id),
        }));
    }
    Ok(bytes
        .chunks(4)
        .map(|c| u32::from_be_bytes([c[0], c[1], c[2], c[3]]))
        .collect())
}

/// The key-store entry listing which devices hold the key of `epoch`.
fn holders_entry(space_id: &str, epoch: u32) -> String {
    SpaceKey::entry_name(&format!("{space_id}#epoch-{epoch}-holders"))
}

/// One key a phone holds.
#[derive(Clone)]
pub(crate) struct HeldKey {
    pub epoch: u32,
    pub key: SpaceKey,
    /// The devices it was sealed to, and its maker; `None` for epoch 0,
    /// which every device that ever joined holds (and for a key whose list
    /// is missing).
    pub holders: Option<Vec<String>>,
}

/// The keys of a space this phone holds, oldest first (epoch 0 first).
pub(crate) fn held_keys(
    store: &dyn KeyStore,
    space_id: &str,
    root: &SpaceKey,
) -> Result<Vec<HeldKey>> {
    let mut keys = vec![HeldKey {
        epoch: 0,
        key: root.clone(),
        holders: None,
    }];
    for epoch in epoch_ids(store, space_id)? {
        if let Some(key) = SpaceKey::load(store, &key_name(space_id, epoch))? {
            // Without a readable list, the key counts as held by every
            // device, like the pairing key: it opens, and seals only while
            // no device was removed.
            let holders = store
                .load(holders_entry(space_id, epoch))
                .map_err(KeyError::from)?
                .and_then(|bytes| serde_json::from_slice::<Vec<String>>(&bytes).ok());
            keys.push(HeldKey {
                epoch,
                key,
                holders,
            });
        }
    }
    Ok(keys)
}

/// Saves the key of `epoch`, held by `holders`, and appends it to the list
/// (once).
pub(crate) fn save_key(
    store: &dyn KeyStore,
    space_id: &str,
    epoch: u32,
    key: &SpaceKey,
    holders: &[String],
) -> Result<()> {
    let mut ids = epoch_ids(store, space_id)?;
    if ids.contains(&epoch) {
        return Ok(());
    }
    key.save(store, &key_name(space_id, epoch))?;
    let listed = serde_json::to_vec(holders).map_err(Error::sync_failed)?;
    store
        .store(holders_entry(space_id, epoch), listed)
        .map_err(KeyError::from)?;
    ids.push(epoch);
    let bytes: Vec<u8> = ids.iter().flat_map(|id| id.to_be_bytes()).collect();
    store
        .store(list_entry(space_id), bytes)
        .map_err(KeyError::from)?;
    Ok(())
}

/// Counts `device` among the holders of every epoch key held here: a
/// device that joins later gets (or may have got) every key its person's
/// devices hold.
pub(crate) fn add_holder(store: &dyn KeyStore, space_id: &str, device: &str) -> Result<()> {
    for epoch in epoch_ids(store, space_id)? {
        let entry = holders_entry(space_id, epoch);
        let mut holders: Vec<String> = store
            .load(entry.clone())
            .map_err(KeyError::from)?
            .and_then(|bytes| serde_json::from_slice(&bytes).ok())
            .unwrap_or_default();
        if !holders.iter().any(|h| h == device) {
            holders.push(device.to_owned());
            let listed = serde_json::to_vec(&holders).map_err(Error::sync_failed)?;
            store.store(entry, listed).map_err(KeyError::from)?;
        }
    }
    Ok(())
}

/// Forgets every epoch key of a space (leaving it).
pub(crate) fn forget_keys(store: &dyn KeyStore, space_id: &str) -> Result<()> {
    for epoch in epoch_ids(store, space_id)? {
        SpaceKey::forget(store, &key_name(space_id, epoch))?;
        store
            .delete(holders_entry(space_id, epoch))
            .map_err(KeyError::from)?;
    }
    store.delete(list_entry(space_id)).map_err(KeyError::from)?;
    Ok(())
}

/// The devices removed from the space, as this phone knows them.
fn removed_devices(conn: &Connection) -> Result<Vec<String>> {
    let mut stmt =
        conn.prepare_cached("SELECT device_id FROM space_devices WHERE removed_at IS NOT NULL")?;
    let rows = stmt
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

/// Why nothing can be sealed: a device was removed and no key it lacks
/// has arrived yet.
const NO_SAFE_KEY: &str = "a device was removed from your shared space and the new key has not reached this device yet; your changes are kept here and sent once it arrives";

/// The keys a sync pass seals and opens with.
pub(crate) struct Epochs {
    store: Arc<dyn KeyStore>,
    space_id: String,
    keys: Mutex<Vec<HeldKey>>,
    /// Removed devices: no key one of them holds seals anything new.
    removed: Mutex<Vec<String>>,
}

impl Epochs {
    /// The keys held for `space_id`, whose epoch-0 key is `root`.
    pub fn load(
        store: Arc<dyn KeyStore>,
        space_id: &str,
        root: &SpaceKey,
        conn: &Connection,
    ) -> Result<Self> {
        let keys = held_keys(store.as_ref(), space_id, root)?;
        Ok(Self {
            store,
            space_id: space_id.to_owned(),
            keys: Mutex::new(keys),
            removed: Mutex::new(removed_devices(conn)?),
        })
    }

    fn keys(&self) -> std::sync::MutexGuard<'_, Vec<HeldKey>> {
        self.keys
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    fn removed(&self) -> std::sync::MutexGuard<'_, Vec<String>> {
        self.removed
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Notes, mid-pass, that `device` joined: it is taken to hold every
    /// key held here.
    pub fn joined(&self, device: &str) -> Result<()> {
        add_holder(self.store.as_ref(), &self.space_id, device)?;
        for held in self.keys().iter_mut() {
            if let Some(holders) = held.holders.as_mut()
                && !holders.iter().any(|h| h == device)
            {
                holders.push(device.to_owned());
            }
        }
        Ok(())
    }

    /// Notes, mid-pass, that `device` was removed: keys it holds seal
    /// nothing more.
    pub fn distrust(&self, device: &str) {
        let mut removed = self.removed();
        if !removed.iter().any(|d| d == device) {
            removed.push(device.to_owned());
        }
    }

    /// Seals a blob under the newest epoch no removed device holds (epoch
    /// 0 only while no device was ever removed). With none, nothing is
    /// sealed: a key a lost phone knows never protects new words.
    pub fn seal(&self, sender: &DeviceKeys, ctx: &BlobContext, plain: &[u8]) -> Result<Vec<u8>> {
        let removed = self.removed().clone();
        let chosen = self
            .keys()
            .iter()
            .rev()
            .find(|held| match &held.holders {
                None => removed.is_empty(),
                Some(holders) => !holders.iter().any(|h| removed.contains(h)),
            })
            .cloned()
            .ok_or_else(|| Error::Sync(NO_SAFE_KEY.into()))?;
        crypto::seal_in_epoch(&chosen.key, chosen.epoch, sender, ctx, plain)
            .map_err(Error::sync_failed)
    }

    /// Opens a blob with the key of the epoch it names; `None` when this
    /// phone does not hold that key or the blob fails its checks.
    pub fn open(
        &self,
        ctx: &BlobContext,
        sender: &DevicePublicKeys,
        sealed: &[u8],
    ) -> Option<Vec<u8>> {
        let epoch = crypto::envelope_epoch(sealed).ok()?;
        let key = self
            .keys()
            .iter()
            .find(|held| held.epoch == epoch)
            .map(|held| held.key.clone())?;
        crypto::open(&key, ctx, sender, sealed).ok()
    }

    /// Takes in a pulled key update from `sender`: `Ok(None)` when it is
    /// fine (learned, already known, or holding nothing for this device),
    /// `Ok(Some(why))` when it is refused.
    pub fn pulled(
        &self,
        conn: &Connection,
        me: &DeviceKeys,
        sender: &str,
        data: &[u8],
    ) -> Result<Option<&'static str>> {
        let Some(signer) = state::active_device(conn, sender)? else {
            return Ok(Some(
                "a key update from a device that is not in your space was rejected",
            ));
        };
        let opened = EpochBundle::from_bytes(data).and_then(|bundle| {
            if bundle.space != self.space_id {
                return Err(crate::crypto::epoch::EpochError::Malformed);
            }
            Ok((
                bundle.epoch,
                bundle.holders(),
                bundle.open_for(me, &signer)?,
            ))
        });
        let Ok((epoch, holders, key)) = opened else {
            return Ok(Some("a key update that failed its checks was rejected"));
        };
        if let Some(key) = key {
            save_key(self.store.as_ref(), &self.space_id, epoch, &key, &holders)?;
            let mut keys = self.keys();
            if !keys.iter().any(|held| held.epoch == epoch) {
                keys.push(HeldKey {
                    epoch,
                    key,
                    holders: Some(holders),
                });
            }
        }
        Ok(None)
    }
}

/// Makes a new epoch, seals it to every device still in the space (this
/// phone's other devices and the partner's), and publishes it through the
/// relay. The key is saved (and used) only once the relay took it.
pub(crate) async fn publish_new_epoch(
    client: &RelayClient,
    conn_devices: Vec<DevicePublicKeys>,
    keys: &DeviceKeys,
    store: &dyn KeyStore,
    space: &hearth_protocol::SpaceId,
    now_ms: i64,
) -> Result<()> {
    let epoch = new_epoch_id().map_err(Error::sync_failed)?;
    let key = SpaceKey::generate().map_err(Error::sync_failed)?;
    let bundle = EpochBundle::create(space.as_str(), epoch, &key, keys, &conn_devices, now_ms)
        .map_err(Error::sync_failed)?;
    let mut id = [0u8; 16];
    crypto::fill_random(&mut id).map_err(Error::sync_failed)?;
    let blob = NewBlob {
        id: BlobId::from_random_bytes(id),
        doc: DocumentId::parse(EPOCH_DOC).map_err(Error::sync_failed)?,
        data: bundle.to_bytes().map_err(Error::sync_failed)?,
    };
    client.push(keys, space, vec![blob]).await?;
    save_key(store, space.as_str(), epoch, &key, &bundle.holders())
}

/// The public keys of every device still in the space besides this one.
pub(crate) fn remaining_devices(conn: &Connection) -> Result<Vec<DevicePublicKeys>> {
    let mut found = Vec::new();
    for (id, _) in state::device_ids(conn)? {
        if let Some(keys) = state::active_device(conn, &id)? {
            found.push(keys);
        }
    }
    Ok(found)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crypto::MemoryKeyStore;
    use crate::store::Store;

    fn sealed_epoch(epochs: &Epochs, me: &DeviceKeys) -> Result<u32> {
        let ctx = BlobContext {
            space_id: "s".into(),
            doc_id: "d".into(),
            sender_device: me.device_id(),
            blob_id: "b".into(),
        };
        let sealed = epochs.seal(me, &ctx, b"words")?;
        Ok(crypto::envelope_epoch(&sealed).unwrap())
    }

    #[test]
    fn no_key_a_removed_device_holds_seals_anything_new() {
        let dir = tempfile::tempdir().unwrap();
        let db = Store::open(&dir.path().join("hearth.db")).unwrap();
        let store: Arc<dyn KeyStore> = Arc::new(MemoryKeyStore::default());
        let me = DeviceKeys::generate().unwrap();
        let root = SpaceKey::generate().unwrap();
        let load = || {
            db.read(|c| Epochs::load(Arc::clone(&store), "s", &root, c))
                .unwrap()
        };
        let hold = |names: &[&str]| names.iter().map(|n| (*n).to_owned()).collect::<Vec<_>>();

        let epochs = load();
        assert_eq!(sealed_epoch(&epochs, &me).unwrap(), 0);
        // Once a device is removed, the pairing key (which it holds) seals
        // nothing until a key it lacks arrives.
        epochs.distrust("lost");
        let waiting = sealed_epoch(&epochs, &me).unwrap_err();
        assert!(waiting.to_string().contains("new key has not reached"));

        let fresh = SpaceKey::generate().unwrap();
        save_key(store.as_ref(), "s", 11, &fresh, &hold(&["me", "partner"])).unwrap();
        // A later epoch the removed device made (a relay colluding with a
        // thief) is never chosen, though it is newer.
        let planted = SpaceKey::generate().unwrap();
        save_key(
            store.as_ref(),
            "s",
            12,
            &planted,
            &hold(&["lost", "partner"]),
        )
        .unwrap();
        let epochs = load();
        epochs.distrust("lost");
        assert_eq!(sealed_epoch(&epochs, &me).unwrap(), 11);
        // A device that joined later holds every key; removing it too
        // leaves nothing safe.
        epochs.joined("laptop").unwrap();
        epochs.distrust("laptop");
        assert!(sealed_epoch(&epochs, &me).is_err());
        // What `joined` noted was kept.
        let reloaded = load();
        reloaded.distrust("laptop");
        assert!(sealed_epoch(&reloaded, &me).is_err());
        forget_keys(store.as_ref(), "s").unwrap();
        assert_eq!(held_keys(store.as_ref(), "s", &root).unwrap().len(), 1);
    }
}
