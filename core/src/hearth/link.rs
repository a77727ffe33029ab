//! The facade's linking of a new device: of one's own (a new phone, a
//! laptop: the existing device shows a code, [`Hearth::start_linking`] then
//! [`Hearth::finish_linking`], and the new device types it into
//! [`Hearth::link`]), or the partner's, when they lost every device of
//! theirs (the partner's device shows the code,
//! [`Hearth::start_partner_recovery`], and the new device types it into
//! [`Hearth::recover`]; their earlier devices are removed). The exchange
//! and what travels are in `sync::link`.

use std::path::Path;
use std::sync::Arc;

use hearth_protocol::{DeviceId, ErrorCode};

use super::sync::{checked_relay_url, wait_until_admitted};
use super::{Hearth, OpenOptions, owner_only};
use crate::crypto::keys::DEVICE_KEYS_ENTRY;
use crate::crypto::{DeviceKeys, FileKeyStore, KeyError, KeyStore, PairingCode, Purpose};
use crate::error::{Error, Result};
use crate::events::Event;
use crate::store::{DATABASE_FILE, Store, members};
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
pub(super) const ADDITIONS_OWED: &str = "additions_owed";

/// The partner's devices let in here by a recovery (a JSON list of ids).
const RECOVERED_HERE: &str = "recovered_here";

/// After a recovery, this person's earlier devices the relay has yet to
/// remove (a JSON list of ids).
pub(super) const RETIRED_AT_RELAY_OWED: &str = "retired_at_relay_owed";

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

    /// Starts letting the partner back in on a new device, for a partner
    /// who lost every device of theirs (with one left, they link the new
    /// one from it instead): opens a mailbox and makes the code to type on
    /// the partner's new device ([`Hearth::recover`]). Then call
    /// [`Hearth::finish_linking`]. The partner's earlier devices are
    /// removed once the new one is in, and the space moves to a new key.
    pub async fn start_partner_recovery(&self) -> Result<PairingInvite> {
        self.check_in_space()?;
        if self.store.read(members::partner)?.is_none() {
            return Err(Error::NotPaired);
        }
        let client = self.client()?;
        let invite = pairing::invite(&client, Purpose::Recover).await?;
        Ok(self.keep_invite(invite))
    }

    /// Waits for the new device to type the code, sends it the space, then
    /// admits it at the relay and tells the others about it: a device of
    /// this person ([`Hearth::start_linking`]), or the partner's new device
    /// ([`Hearth::start_partner_recovery`]), which replaces their others.
    pub async fn finish_linking(&self) -> Result<LinkResult> {
        let invite = self
            .take_invite(Purpose::Link)
            .or_else(|_| self.take_invite(Purpose::Recover))?;
        let recovery = invite.purpose == Purpose::Recover;
        self.store.read(state::check_open)?;
        let client = self.client()?;
        let (space, space_id) = self.space()?;
        let root = self.space_key(&space_id, false)?;
        let now = self.now_ms();
        let person = if recovery {
            self.store.read(members::partner)?.ok_or(Error::NotPaired)?
        } else {
            self.member.clone()
        };
        let mut bundle = self.store.read(|conn| {
            LinkBundle::gather(
                conn,
                self.key_store.as_ref(),
                (&space_id, &root),
                &self.member,
                &self.keys.public(),
                &person,
                now,
            )
        })?;
        if recovery {
            bundle.retire(now);
        }
        let outcome = pairing::host_link(
            &client,
            &invite,
            &self.keys,
            self.me()?,
            (&space_id, &root),
            bundle.to_details()?,
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
                Some(member_tag(&root, &person)?),
            )
            .await
            .map_err(|e| self.stop_if_removed(e.into()))?;
        epochs::add_holder(self.key_store.as_ref(), &space_id, &new_id)?;
        self.store.write(|tx| {
            state::add_device(tx, &person, &new.device, now)?;
            state::set_label(tx, &new_id, label.as_deref())?;
            if recovery {
                // The partner's other devices are gone: nothing new is
                // sealed to them, and their later blobs are not believed.
                state::retire_others(tx, &person, &new_id, now)?;
                state::set(tx, epochs::EPOCH_OWED, "1")?;
                let mut let_in = recovered_here(tx)?;
                let_in.push(new_id.clone());
                state::set(
                    tx,
                    RECOVERED_HERE,
                    &serde_json::to_string(&let_in).unwrap_or_default(),
                )?;
            }
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
        let _ = self.publish_owed_epoch().await;
        Ok(LinkResult {
            member_name: bundle.me.name.clone(),
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
                let (member, label): (String, Option<String>) = conn
                    .prepare_cached("SELECT member, label FROM space_devices WHERE device_id = ?1")?
                    .query_row([id], |r| Ok((r.get(0)?, r.get(1)?)))?;
                Ok(keys.map(|keys| (keys, member, label)))
            })?;
            // A device removed before it was announced needs no
            // announcement.
            if let Some((keys, member, label)) = found {
                // The partner's device let in here replaces their others.
                let said = if member == self.member {
                    announce::added(&keys, &member, label.as_deref())
                } else {
                    announce::replaced(&keys, &member, label.as_deref())
                };
                self.announce(&said).await?;
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
        Self::join_as_device(
            Purpose::Link,
            data_dir.as_ref(),
            options,
            relay_url,
            code,
            label,
        )
        .await
    }

    /// Sets up `data_dir` as the new device of a person who lost every
    /// device of theirs, with the code the partner's device shows
    /// ([`Hearth::start_partner_recovery`]) and the relay it syncs
    /// through. As [`Hearth::link`], but the person's earlier devices are
    /// removed from the space (here and at the relay), and what they
    /// kept private is gone with them.
    pub async fn recover(
        data_dir: impl AsRef<Path>,
        options: OpenOptions,
        relay_url: &str,
        code: &str,
        label: Option<&str>,
    ) -> Result<(Self, LinkResult)> {
        let (hearth, result) = Self::join_as_device(
            Purpose::Recover,
            data_dir.as_ref(),
            options,
            relay_url,
            code,
            label,
        )
        .await?;
        // Owed until the relay takes them; the next sync tries again.
        let _ = hearth.remove_retired_at_relay().await;
        Ok((hearth, result))
    }

    async fn join_as_device(
        purpose: Purpose,
        data_dir: &Path,
        options: OpenOptions,
        relay_url: &str,
        code: &str,
        label: Option<&str>,
    ) -> Result<(Self, LinkResult)> {
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
        let outcome = pairing::join_link(
            &client,
            purpose,
            &code,
            &keys,
            label.clone().unwrap_or_default(),
        )
        .await?;
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
                )?;
                let retired = bundle.retired();
                if retired.is_empty() {
                    return Ok(());
                }
                state::set(
                    tx,
                    RETIRED_AT_RELAY_OWED,
                    &serde_json::to_string(&retired).unwrap_or_default(),
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
            member_name: bundle.me.name.clone(),
            device_id: keys.device_id(),
            device_label: label,
            safety_number: outcome.safety_number,
        };
        Ok((hearth, result))
    }
}

fn owed_additions(conn: &rusqlite::Connection) -> Result<Vec<String>> {
    listed(conn, ADDITIONS_OWED)
}

/// The partner's devices this phone let in by a recovery (so it may
/// refuse one again if the numbers differed).
pub(super) fn recovered_here(conn: &rusqlite::Connection) -> Result<Vec<String>> {
    listed(conn, RECOVERED_HERE)
}

/// A JSON list of device ids kept under `key`.
fn listed(conn: &rusqlite::Connection, key: &str) -> Result<Vec<String>> {
    Ok(state::get(conn, key)?
        .and_then(|text| serde_json::from_str(&text).ok())
        .unwrap_or_default())
}

impl Hearth {
    /// After a recovery, removes this person's earlier devices at the
    /// relay (only a device of the same person may), so a lost phone is
    /// refused there too. Retried by every sync until the relay took them.
    pub(crate) async fn remove_retired_at_relay(&self) -> Result<()> {
        let owed = self.store.read(|c| listed(c, RETIRED_AT_RELAY_OWED))?;
        if owed.is_empty() {
            return Ok(());
        }
        let client = self.client()?;
        let (space, _) = self.space()?;
        for id in &owed {
            let Ok(device) = DeviceId::parse(id) else {
                continue;
            };
            match client.remove_device(&self.keys, &space, &device).await {
                Ok(()) => {}
                // Never admitted there, or removed already: nothing owed.
                Err(e) if e.code() == Some(ErrorCode::UnknownDevice) => {}
                Err(e) => return Err(self.stop_if_removed(e.into())),
            }
        }
        self.store
            .write(|tx| state::clear(tx, RETIRED_AT_RELAY_OWED))
    }
}
