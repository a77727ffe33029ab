//! The facade's device methods: the devices of both partners with their
//! safety numbers, and removing one of this person's other devices (a
//! lost phone). A removed device is refused by the relay at once; this
//! phone then moves the space to a new key epoch (`sync::epochs`).

use hearth_protocol::{DeviceId, ErrorCode};
use rusqlite::Connection;

use super::Hearth;
use crate::crypto::{DevicePublicKeys, device_safety_number};
use crate::error::{Error, Result};
use crate::events::Event;
use crate::store::members;
use crate::sync::{announce, epochs, state};

/// The removals whose announcement has not reached the relay yet (a JSON
/// list of device ids).
const REMOVALS_OWED: &str = "removals_owed";

/// Whether this phone owes the relay any device work: a retired device to
/// remove there, a key epoch, a removal or an addition to announce. Each
/// is noted under its own key until done, so one look at the keys answers
/// for all of them (every sync asks, and almost always the answer is no).
pub(super) fn owes_device_work(conn: &Connection) -> Result<bool> {
    Ok(conn
        // Four lookups, not `key IN (...)`: an IN list (or ORs, which
        // SQLite turns into one) fills a temporary b-tree at every run, and
        // this runs before every push.
        .prepare_cached(
            "SELECT 1 WHERE EXISTS (SELECT 1 FROM sync_state WHERE key = ?1)
                OR EXISTS (SELECT 1 FROM sync_state WHERE key = ?2)
                OR EXISTS (SELECT 1 FROM sync_state WHERE key = ?3)
                OR EXISTS (SELECT 1 FROM sync_state WHERE key = ?4)",
        )?
        .exists([
            super::link::RETIRED_AT_RELAY_OWED,
            epochs::EPOCH_OWED,
            REMOVALS_OWED,
            super::link::ADDITIONS_OWED,
        ])?)
}

fn owed_removals(conn: &Connection) -> Result<Vec<String>> {
    Ok(state::get(conn, REMOVALS_OWED)?
        .and_then(|text| serde_json::from_str(&text).ok())
        .unwrap_or_default())
}

/// One device of the couple's space.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct DeviceInfo {
    /// The device's id: its public signing key, as the relay sees it.
    pub device_id: String,
    /// The person it belongs to (their display name).
    pub member_name: String,
    /// Whether it belongs to the person holding this phone.
    pub mine: bool,
    /// Whether it is this phone.
    pub this_device: bool,
    /// The device's name ("laptop"), given when it was linked; none for a
    /// device paired without one.
    pub label: Option<String>,
    /// When this phone learned of it (milliseconds since 1970); none for
    /// this phone itself.
    pub added_at_ms: Option<i64>,
    /// Thirty digits in six groups, derived from the device's public keys
    /// (see `crypto::safety`): the same on every phone that knows the
    /// device, to be compared aloud or side by side.
    pub safety_number: String,
}

/// One device of the space as this phone knows it.
struct Listed {
    id: String,
    member: String,
    keys: DevicePublicKeys,
    added_at: i64,
    label: Option<String>,
}

/// The devices of the space as this phone knows them, removed devices
/// left out.
fn listed_devices(conn: &Connection) -> Result<Vec<Listed>> {
    let ids: Vec<(String, String)> = state::device_ids(conn)?;
    let mut found = Vec::with_capacity(ids.len());
    for (id, member) in ids {
        let (added_at, label): (i64, Option<String>) = conn
            .prepare_cached("SELECT added_at, label FROM space_devices WHERE device_id = ?1")?
            .query_row([&id], |r| Ok((r.get(0)?, r.get(1)?)))?;
        if let Some(keys) = state::device(conn, &id)? {
            found.push(Listed {
                id,
                member,
                keys,
                added_at,
                label,
            });
        }
    }
    Ok(found)
}

impl Hearth {
    /// Every device of both partners: this phone first, then the others in
    /// the order this phone learned of them. Removed devices are not
    /// listed.
    pub fn devices(&self) -> Result<Vec<DeviceInfo>> {
        self.store.read(|conn| {
            let name_of = |member: &str| -> Result<String> {
                Ok(members::name(conn, member)?.unwrap_or_else(|| "someone".to_owned()))
            };
            let mine = self.keys.public();
            let mut devices = vec![DeviceInfo {
                device_id: mine.device_id(),
                member_name: name_of(&self.member)?,
                mine: true,
                this_device: true,
                label: crate::store::device::get(conn, crate::sync::link::OWN_LABEL)?,
                added_at_ms: None,
                safety_number: device_safety_number(&mine),
            }];
            for listed in listed_devices(conn)? {
                if listed.id == devices[0].device_id {
                    continue;
                }
                devices.push(DeviceInfo {
                    device_id: listed.id,
                    member_name: name_of(&listed.member)?,
                    mine: listed.member == self.member,
                    this_device: false,
                    label: listed.label,
                    added_at_ms: Some(listed.added_at),
                    safety_number: device_safety_number(&listed.keys),
                });
            }
            Ok(devices)
        })
    }

    /// Removes `device_id`, another device of the person holding this
    /// phone (a lost or stolen phone): the relay refuses it from then on,
    /// and this phone stops listing it or believing its deletions. The
    /// partner's devices and this phone itself cannot be removed here
    /// (leave the space instead).
    pub async fn remove_device(&self, device_id: &str) -> Result<()> {
        self.store.read(state::check_open)?;
        if device_id == self.keys.device_id() {
            return Err(Error::CannotRemoveThisDevice);
        }
        let known = self.store.read(|conn| {
            Ok(listed_devices(conn)?
                .into_iter()
                .find(|listed| listed.id == device_id))
        })?;
        let Some(Listed { member, .. }) = known else {
            return Err(Error::UnknownDevice(device_id.to_owned()));
        };
        if member != self.member {
            // The partner's new device, let in here by a recovery whose
            // numbers differed: refused here (the relay leaves the
            // partner's devices to the partner), and the next key is
            // sealed without it.
            if self
                .store
                .read(super::link::recovered_here)?
                .iter()
                .any(|id| id == device_id)
            {
                return self.refuse_here(device_id).await;
            }
            return Err(Error::NotYourDevice);
        }
        let target =
            DeviceId::parse(device_id).map_err(|_| Error::UnknownDevice(device_id.to_owned()))?;
        let client = self.client()?;
        let (space, _) = self.space()?;
        match client.remove_device(&self.keys, &space, &target).await {
            Ok(()) => {}
            Err(e) if e.code() == Some(ErrorCode::DeviceRemoved) => {
                return Err(self.removed_here());
            }
            Err(e) => return Err(e.into()),
        }
        let now = self.now_ms();
        self.store.write(|tx| {
            state::mark_removed(tx, device_id, now)?;
            // Owed until the relay takes them: a failure here is retried by
            // the next sync, before anything new is sealed.
            let mut owed = owed_removals(tx)?;
            owed.push(device_id.to_owned());
            state::set(
                tx,
                REMOVALS_OWED,
                &serde_json::to_string(&owed).unwrap_or_default(),
            )?;
            state::set(tx, epochs::EPOCH_OWED, "1")
        })?;
        self.emit([Event::SyncStatusChanged]);
        self.publish_owed_epoch().await
    }

    /// Stops believing the partner's device `device_id` on this phone and
    /// seals the next key without it.
    async fn refuse_here(&self, device_id: &str) -> Result<()> {
        let now = self.now_ms();
        self.store.write(|tx| {
            state::mark_removed(tx, device_id, now)?;
            state::set(tx, epochs::EPOCH_OWED, "1")
        })?;
        self.emit([Event::SyncStatusChanged]);
        self.publish_owed_epoch().await
    }

    /// Tells the other devices of the space about a change to this
    /// person's devices.
    pub(crate) async fn announce(&self, said: &announce::Announcement) -> Result<()> {
        let client = self.client()?;
        let (space, space_id) = self.space()?;
        let root = self.space_key(&space_id, false)?;
        let epochs = self.store.read(|conn| {
            epochs::Epochs::load(
                std::sync::Arc::clone(&self.key_store),
                &space_id,
                &root,
                conn,
            )
        })?;
        announce::publish(&client, &self.keys, &epochs, &space, said)
            .await
            .map_err(|e| self.stop_if_removed(e))
    }

    /// Publishes what a removal still owes: the new key epoch, sealed to
    /// every device that remains (so nothing written from now on opens on
    /// the removed one), then the removal's announcement to the partner's
    /// phones (sealed under the new epoch, so the removed device cannot
    /// read it).
    pub(crate) async fn publish_owed_epoch(&self) -> Result<()> {
        if !self.store.read_warm(owes_device_work)? {
            return Ok(());
        }
        self.remove_retired_at_relay().await?;
        self.publish_epoch_if_owed().await?;
        let owed = self.store.read(owed_removals)?;
        if self
            .store
            .read(|c| state::get(c, state::REMOVED))?
            .is_some()
        {
            return Ok(());
        }
        if owed.is_empty() {
            return self.announce_owed_additions().await;
        }
        for device in &owed {
            self.announce(&announce::Announcement::Removed {
                device: device.clone(),
            })
            .await?;
        }
        self.store.write(|tx| state::clear(tx, REMOVALS_OWED))?;
        self.announce_owed_additions().await
    }

    async fn publish_epoch_if_owed(&self) -> Result<()> {
        let owed = self.store.read(|c| {
            Ok(state::get(c, epochs::EPOCH_OWED)?.is_some()
                && !state::is_closed(c)?
                && state::get(c, state::REMOVED)?.is_none())
        })?;
        if !owed {
            return Ok(());
        }
        let client = self.client()?;
        let (space, _) = self.space()?;
        let recipients = self.store.read(epochs::remaining_devices)?;
        epochs::publish_new_epoch(
            &client,
            recipients,
            &self.keys,
            self.key_store.as_ref(),
            &space,
            self.now_ms(),
        )
        .await
        .map_err(|e| self.stop_if_removed(e))?;
        self.store.write(|tx| state::clear(tx, epochs::EPOCH_OWED))
    }

    /// Notes that the relay refused this phone as a removed device, and
    /// answers the error that stops sync for good.
    pub(crate) fn removed_here(&self) -> Error {
        let noted = self.store.write(|tx| state::set(tx, state::REMOVED, "1"));
        if noted.is_ok() {
            self.emit([Event::SyncStatusChanged]);
        }
        Error::DeviceRemoved
    }

    /// Turns a relay refusal of this phone as a removed device into
    /// [`Error::DeviceRemoved`] (noted, so sync stops before the network
    /// next time); any other error is returned as it is.
    pub(crate) fn stop_if_removed(&self, error: Error) -> Error {
        match &error {
            Error::Relay(e) if e.code() == Some(ErrorCode::DeviceRemoved) => self.removed_here(),
            _ => error,
        }
    }
}
