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

/// The keys of a space this phone holds, oldest first (epoch 0 first).
pub(crate) fn held_keys(
    store: &dyn KeyStore,
    space_id: &str,
    root: &SpaceKey,
) -> Result<Vec<(u32, SpaceKey)>> {
    let mut keys = vec![(0, root.clone())];
    for epoch in epoch_ids(store, space_id)? {
        if let Some(key) = SpaceKey::load(store, &key_name(space_id, epoch))? {
            keys.push((epoch, key));
        }
    }
    Ok(keys)
}

/// Saves the key of `epoch` and appends it to the list (once).
pub(crate) fn save_key(
    store: &dyn KeyStore,
    space_id: &str,
    epoch: u32,
    key: &SpaceKey,
) -> Result<()> {
    let mut ids = epoch_ids(store, space_id)?;
    if ids.contains(&epoch) {
        return Ok(());
    }
    key.save(store, &key_name(space_id, epoch))?;
    ids.push(epoch);
    let bytes: Vec<u8> = ids.iter().flat_map(|id| id.to_be_bytes()).collect();
    store
        .store(list_entry(space_id), bytes)
        .map_err(KeyError::from)?;
    Ok(())
}

/// Forgets every epoch key of a space (leaving it).
pub(crate) fn forget_keys(store: &dyn KeyStore, space_id: &str) -> Result<()> {
    for epoch in epoch_ids(store, space_id)? {
        SpaceKey::forget(store, &key_name(space_id, epoch))?;
    }
    store.delete(list_entry(space_id)).map_err(KeyError::from)?;
    Ok(())
}

/// The keys a sync pass seals and opens with.
pub(crate) struct Epochs {
    store: Arc<dyn KeyStore>,
    space_id: String,
    keys: Mutex<Vec<(u32, SpaceKey)>>,
}

impl Epochs {
    /// The keys held for `space_id`, whose epoch-0 key is `root`.
    pub fn load(store: Arc<dyn KeyStore>, space_id: &str, root: &SpaceKey) -> Result<Self> {
        let keys = held_keys(store.as_ref(), space_id, root)?;
        Ok(Self {
            store,
            space_id: space_id.to_owned(),
            keys: Mutex::new(keys),
        })
    }

    fn keys(&self) -> std::sync::MutexGuard<'_, Vec<(u32, SpaceKey)>> {
        self.keys
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Seals a blob under the newest epoch this phone holds.
    pub fn seal(&self, sender: &DeviceKeys, ctx: &BlobContext, plain: &[u8]) -> Result<Vec<u8>> {
        let (epoch, key) = self
            .keys()
            .last()
            .cloned()
            .ok_or_else(|| Error::Sync("no space key".into()))?;
        crypto::seal_in_epoch(&key, epoch, sender, ctx, plain).map_err(Error::sync_failed)
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
            .find(|(id, _)| *id == epoch)
            .map(|(_, key)| key.clone())?;
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
            Ok((bundle.epoch, bundle.open_for(me, &signer)?))
        });
        let Ok((epoch, key)) = opened else {
            return Ok(Some("a key update that failed its checks was rejected"));
        };
        if let Some(key) = key {
            save_key(self.store.as_ref(), &self.space_id, epoch, &key)?;
            let mut keys = self.keys();
            if !keys.iter().any(|(id, _)| *id == epoch) {
                keys.push((epoch, key));
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
    save_key(store, space.as_str(), epoch, &key)
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
