//! The facade's linking of a new device of one's own (a new phone, a
//! laptop): the existing device shows a code ([`Hearth::start_linking`],
//! then [`Hearth::finish_linking`]); the new device types it into
//! [`Hearth::link`], which sets up its profile in the space. The exchange
//! and what travels are in `sync::link`.

use std::path::Path;
use std::sync::Arc;

use hearth_protocol::DeviceId;

use super::sync::{checked_relay_url, wait_until_admitted};
use super::{Hearth, OpenOptions, owner_only};
use crate::crypto::keys::DEVICE_KEYS_ENTRY;
use crate::crypto::{DeviceKeys, FileKeyStore, KeyError, KeyStore, PairingCode, Purpose};
use crate::error::{Error, Result};
use crate::events::Event;
use crate::store::{DATABASE_FILE, Store};
use crate::sync::client::RelayClient;
use crate::sync::engine::member_tag;
use crate::sync::link::{LinkBundle, clean_label};
use crate::sync::{PairingInvite, announce, epochs, pairing, state};

/// What both devices show once a link is done.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct LinkResult {
    /// The person both devices belong to.
    pub member_name: String,
    /// The new device's id (to remove it if the numbers differ).
    pub device_id: String,
    /// The new device's name, if it was given one.
    pub device_label: Option<String>,
    /// Twelve digits, the same on both devices: compare them to be sure
    /// the new device is the one you hold.
    pub safety_number: String,
}

/// The devices announced while the relay did not take the announcement:
/// (device id, label) to announce at the next sync.
const ADDITIONS_OWED: &str = "additions_owed";

impl Hearth {
    /// Starts linking a new device of this person: opens a mailbox at the
    /// relay and makes the code to type on the new device. Then call
    /// [`Hearth::finish_linking`]. Only a paired device can link one: the
    /// new device joins the couple's shared space.
    pub async fn start_linking(&self) -> Result<PairingInvite> {
        self.check_in_space()?;
        let client = self.client()?;
        let invite = pairing::invite(&client, Purpose::Link).await?;
        Ok(self.keep_invite(invite))
    }

    /// Waits for the new device to type the code, sends it the space, then
    /// admits it at the relay and tells the partner's devices about it.
    pub async fn finish_linking(&self) -> Result<LinkResult> {
        let invite = self.take_invite(Purpose::Link)?;
        self.store.read(state::check_open)?;
        let client = self.client()?;
        let (space, space_id) = self.space()?;
        let root = self.space_key(&space_id, false)?;
        let now = self.now_ms();
        let details = self
            .store
            .read(|conn| {
                LinkBundle::gather(
                    conn,
                    self.key_store.as_ref(),
                    &space_id,
                    &root,
                    &self.member,
                    &self.keys.public(),
                    now,
                )
            })?
            .to_details()?;
        let outcome = pairing::host_link(
            &client,
            &invite,
            &self.keys,
            self.me()?,
            (&space_id, &root),
            details,
        )
        .await?;
        let new = &outcome.joiner;
        let new_id = new.device.device_id();
        // A name this app would refuse is dropped rather than shown.
        let label = clean_label(Some(&new.display_name)).ok().flatten();
        let device = DeviceId::parse(&new_id).map_err(Error::pairing_failed)?;
        client
            .add_device(
                &self.keys,
                &space,
                device,
                Some(member_tag(&root, &self.member)?),
            )
            .await
            .map_err(|e| self.stop_if_removed(e.into()))?;
        epochs::add_holder(self.key_store.as_ref(), &space_id, &new_id)?;
        self.store.write(|tx| {
            state::add_device(tx, &self.member, &new.device, now)?;
            state::set_label(tx, &new_id, label.as_deref())?;
            let mut owed = owed_additions(tx)?;
            owed.push(new_id.clone());
            state::set(
                tx,
                ADDITIONS_OWED,
                &serde_json::to_string(&owed).unwrap_or_default(),
            )
        })?;
        self.emit([Event::SyncStatusChanged]);
        // Sent now, or by the next sync if the relay does not take it.
        let _ = self.announce_owed_additions().await;
        Ok(LinkResult {
            member_name: outcome.host.display_name.clone(),
            device_id: new_id,
            device_label: label,
            safety_number: outcome.safety_number,
        })
    }

    /// Tells the partner's devices (and this person's others) about the
    /// devices linked here that they have not heard of yet.
    pub(crate) async fn announce_owed_additions(&self) -> Result<()> {
        let owed = self.store.read(owed_additions)?;
        if owed.is_empty() {
            return Ok(());
        }
        for id in &owed {
            let found = self.store.read(|conn| {
                let keys = state::active_device(conn, id)?;
                let label: Option<String> = conn
                    .prepare_cached("SELECT label FROM space_devices WHERE device_id = ?1")?
                    .query_row([id], |r| r.get(0))?;
                Ok(keys.map(|keys| (keys, label)))
            })?;
            // A device removed before it was announced needs no
            // announcement.
            if let Some((keys, label)) = found {
                self.announce(&announce::added(&keys, &self.member, label.as_deref()))
                    .await?;
            }
        }
        self.store.write(|tx| state::clear(tx, ADDITIONS_OWED))
    }

    /// Sets up `data_dir` as a new device of a person who already uses
    /// Hearth, with the code their existing device shows
    /// ([`Hearth::start_linking`]) and the relay it syncs through. The
    /// folder must not hold a profile yet. The new device takes its
    /// person's name and space, and gets the shared journal and everything
    /// else that syncs with its first sync; private entries and what stays
    /// on one device (the safety check, settings) do not travel. `label`
    /// names it for the others ("laptop").
    pub async fn link(
        data_dir: impl AsRef<Path>,
        options: OpenOptions,
        relay_url: &str,
        code: &str,
        label: Option<&str>,
    ) -> Result<(Self, LinkResult)> {
        let data_dir = data_dir.as_ref();
        let label = clean_label(label)?;
        let relay_url = checked_relay_url(relay_url)?.to_owned();
        let code = PairingCode::parse(code).map_err(|e| Error::InvalidCode(e.to_string()))?;
        let database = data_dir.join(DATABASE_FILE);
        if database.exists() {
            return Err(Error::ProfileExists);
        }
        // A platform key store may still hold this app's key from before
        // a reinstall: it is used, never replaced. The folder's own key
        // store is made only once the link succeeded, so a failed link
        // leaves the folder as it was.
        let existing = match &options.key_store {
            Some(store) => DeviceKeys::load(store.as_ref())?,
            None if data_dir.join("keys").exists() => return Err(Error::ProfileExists),
            None => None,
        };
        let keys = match &existing {
            Some(keys) => keys.clone(),
            None => DeviceKeys::generate().map_err(KeyError::from)?,
        };
        let client = RelayClient::new(&relay_url)?;
        let outcome =
            pairing::join_link(&client, &code, &keys, label.clone().unwrap_or_default()).await?;
        let details = outcome
            .link
            .as_ref()
            .ok_or_else(|| Error::pairing_failed("the other device sent no link details"))?;
        let bundle = LinkBundle::from_details(details)?;

        std::fs::create_dir_all(data_dir).map_err(|source| Error::DataDir {
            path: data_dir.to_owned(),
            source,
        })?;
        owner_only(data_dir, 0o700).map_err(|source| Error::DataDir {
            path: data_dir.to_owned(),
            source,
        })?;
        let key_store: Arc<dyn KeyStore> = match &options.key_store {
            Some(store) => Arc::clone(store),
            None => Arc::new(FileKeyStore::open(data_dir.join("keys")).map_err(KeyError::from)?),
        };
        {
            let store = Store::open(&database)?;
            store.write(|tx| {
                bundle.apply(
                    tx,
                    key_store.as_ref(),
                    &outcome.space_id,
                    &relay_url,
                    &keys.device_id(),
                    label.as_deref(),
                )
            })?;
        }
        outcome
            .space_key
            .save(key_store.as_ref(), &outcome.space_id)?;
        if existing.is_none() {
            key_store
                .store(
                    DEVICE_KEYS_ENTRY.to_owned(),
                    keys.to_secret_bytes().to_vec(),
                )
                .map_err(KeyError::from)?;
        }
        let hearth = Self::open(
            data_dir,
            OpenOptions {
                display_name: None,
                key_store: Some(key_store),
                ..options
            },
        )?;
        wait_until_admitted(&client, &keys, &outcome.space_id).await?;
        let result = LinkResult {
            member_name: outcome.host.display_name.clone(),
            device_id: keys.device_id(),
            device_label: label,
            safety_number: outcome.safety_number,
        };
        Ok((hearth, result))
    }
}

fn owed_additions(conn: &rusqlite::Connection) -> Result<Vec<String>> {
    Ok(state::get(conn, ADDITIONS_OWED)?
        .and_then(|text| serde_json::from_str(&text).ok())
        .unwrap_or_default())
}
