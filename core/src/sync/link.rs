//! Linking a new device of one's own (a new phone, a laptop) to the couple's
//! space. The person's existing device shows a code; the new device types
//! it. The exchange is pairing's (`crypto::pairing`, with the link
//! purpose, so a partner's code never links and a link code never pairs);
//! besides the space key, the existing device sends the new one a
//! [`LinkBundle`]: the person it belongs to, the partner, every device of
//! the space and every later key epoch. The existing device then admits
//! the new one at the relay and announces it to the partner's devices.
//!
//! What syncs arrives at the new device with its first sync. Private
//! entries, the safety check and this device's settings stay on the
//! device they were written on.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use rusqlite::Connection;
use serde::{Deserialize, Serialize};
use zeroize::{Zeroize, Zeroizing};

use crate::crypto::{DevicePublicKeys, KeyStore, LinkDetails, SpaceKey};
use crate::error::{Error, Result};
use crate::store::members;
use crate::sync::{epochs, state};

/// The version of [`LinkBundle`] this build writes and reads.
const BUNDLE_VERSION: u8 = 1;

/// A person of the space.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Person {
    pub member_id: String,
    pub name: String,
}

/// A device of the space as the existing device knows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct KnownDevice {
    /// Its public keys ([`DevicePublicKeys::to_bytes`]), base64url.
    pub keys: String,
    pub member: String,
    pub label: Option<String>,
    pub added_at: i64,
    /// When it was removed: its old blobs still verify, nothing new is
    /// sealed under a key it holds.
    pub removed_at: Option<i64>,
}

/// A key epoch after pairing's, with the devices it was sealed to.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct EpochKey {
    pub epoch: u32,
    /// The key, base64url (a third of the room JSON numbers take).
    pub key: String,
    pub holders: Vec<String>,
}

impl Drop for EpochKey {
    fn drop(&mut self) {
        self.key.zeroize();
    }
}

/// A `space_devices` row: id, member, label, added at, removed at.
type DeviceRow = (String, String, Option<String>, i64, Option<i64>);

/// What the existing device tells the new one.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct LinkBundle {
    pub v: u8,
    /// The person both devices belong to.
    pub me: Person,
    /// The partner, once paired.
    pub partner: Option<Person>,
    /// Every device of the space but the new one, the sender included.
    pub devices: Vec<KnownDevice>,
    pub epochs: Vec<EpochKey>,
}

fn damaged(what: &str) -> Error {
    Error::Pairing(crate::error::Failure::new(format!(
        "the details from your other device could not be read: {what}; update Hearth on both devices"
    )))
}

impl LinkBundle {
    /// What this device (of person `host`, with keys `own`) knows, for a
    /// new device of `person`: the host's own person (a link) or the
    /// partner (a recovery, see [`LinkBundle::retire`]).
    #[allow(clippy::too_many_arguments)]
    pub fn gather(
        conn: &Connection,
        key_store: &dyn KeyStore,
        (space_id, root): (&str, &SpaceKey),
        host: &str,
        own: &DevicePublicKeys,
        person: &str,
        now: i64,
    ) -> Result<Self> {
        let name =
            |id: &str| -> Result<String> { Ok(members::name(conn, id)?.unwrap_or_default()) };
        let partner = if person == host {
            members::partner(conn)?
        } else {
            Some(host.to_owned())
        };
        let partner = match partner {
            Some(id) => Some(Person {
                name: name(&id)?,
                member_id: id,
            }),
            None => None,
        };
        let mut devices = vec![KnownDevice {
            keys: URL_SAFE_NO_PAD.encode(own.to_bytes()),
            member: host.to_owned(),
            label: crate::store::device::get(conn, OWN_LABEL)?,
            added_at: now,
            removed_at: None,
        }];
        let mut stmt = conn.prepare_cached(
            "SELECT device_id, member, label, added_at, removed_at FROM space_devices ORDER BY added_at",
        )?;
        let rows: Vec<DeviceRow> = stmt
            .query_map([], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
            })?
            .collect::<rusqlite::Result<_>>()?;
        for (id, member, label, added_at, removed_at) in rows {
            if id == own.device_id() {
                continue;
            }
            if let Some(keys) = state::device(conn, &id)? {
                devices.push(KnownDevice {
                    keys: URL_SAFE_NO_PAD.encode(keys.to_bytes()),
                    member,
                    label,
                    added_at,
                    removed_at,
                });
            }
        }
        let epochs = epochs::held_keys(key_store, space_id, root)?
            .into_iter()
            .filter(|held| held.epoch != 0)
            .map(|held| EpochKey {
                epoch: held.epoch,
                key: URL_SAFE_NO_PAD.encode(held.key.as_bytes()),
                holders: held.holders.unwrap_or_default(),
            })
            .collect();
        Ok(Self {
            v: BUNDLE_VERSION,
            me: Person {
                name: name(person)?,
                member_id: person.to_owned(),
            },
            partner,
            devices,
            epochs,
        })
    }

    /// For a recovery: every device of the person the bundle is for is
    /// removed as of `now` (the new device replaces them).
    pub fn retire(&mut self, now: i64) {
        for device in &mut self.devices {
            if device.member == self.me.member_id && device.removed_at.is_none() {
                device.removed_at = Some(now);
            }
        }
    }

    /// The devices of the bundle's person it marks removed, by id.
    pub fn retired(&self) -> Vec<String> {
        self.devices
            .iter()
            .filter(|d| d.member == self.me.member_id && d.removed_at.is_some())
            .filter_map(|d| decode_keys(&d.keys).map(|k| k.device_id()))
            .collect()
    }

    /// The bytes to send.
    pub fn to_details(&self) -> Result<LinkDetails> {
        serde_json::to_vec(self)
            .map(|bytes| LinkDetails(Zeroizing::new(bytes)))
            .map_err(Error::pairing_failed)
    }

    /// Reads what the existing device sent.
    pub fn from_details(details: &LinkDetails) -> Result<Self> {
        let bundle: Self =
            serde_json::from_slice(&details.0).map_err(|_| damaged("not in the expected form"))?;
        if bundle.v != BUNDLE_VERSION {
            return Err(damaged("another version"));
        }
        Ok(bundle)
    }

    /// Writes what the bundle says into a new device's fresh database and
    /// key store: its person, the partner, the space, the relay
    /// (`relay_url`), the device list; the keys of later epochs, with
    /// `new_device` among their holders. The caller saves the space key
    /// itself.
    pub fn apply(
        &self,
        tx: &Connection,
        key_store: &dyn KeyStore,
        space_id: &str,
        relay_url: &str,
        new_device: &str,
        label: Option<&str>,
    ) -> Result<()> {
        members::add_me(tx, &self.me.member_id, &self.me.name)?;
        if let Some(partner) = &self.partner {
            members::put_partner(tx, &partner.member_id, &partner.name)?;
        }
        crate::store::device::set_space_id(tx, space_id)?;
        crate::store::device::set(tx, OWN_LABEL, label)?;
        state::set(tx, state::RELAY_URL, relay_url)?;
        for device in &self.devices {
            let keys = decode_keys(&device.keys).ok_or_else(|| damaged("a device's keys"))?;
            if keys.device_id() == new_device {
                continue;
            }
            state::add_device(tx, &device.member, &keys, device.added_at)?;
            state::set_label(tx, &keys.device_id(), device.label.as_deref())?;
            if let Some(removed) = device.removed_at {
                tx.prepare_cached("UPDATE space_devices SET removed_at = ?2 WHERE device_id = ?1")?
                    .execute(rusqlite::params![keys.device_id(), removed])?;
            }
        }
        for held in &self.epochs {
            let mut holders = held.holders.clone();
            if !holders.iter().any(|h| h == new_device) {
                holders.push(new_device.to_owned());
            }
            let mut bytes = Zeroizing::new([0u8; 32]);
            match URL_SAFE_NO_PAD.decode(held.key.as_bytes()) {
                Ok(decoded) if decoded.len() == 32 => {
                    bytes.copy_from_slice(&Zeroizing::new(decoded));
                }
                _ => return Err(damaged("a key")),
            }
            let key = SpaceKey::from_bytes(*bytes);
            epochs::save_key(key_store, space_id, held.epoch, &key, &holders)?;
        }
        state::set(tx, state::PAIRED, "1")?;
        state::set(tx, state::CURSOR, "0")
    }
}

/// Public keys sent as base64url, if they are keys.
pub(crate) fn decode_keys(text: &str) -> Option<DevicePublicKeys> {
    URL_SAFE_NO_PAD
        .decode(text)
        .ok()
        .and_then(|b| <[u8; DevicePublicKeys::BYTES_LEN]>::try_from(b).ok())
        .and_then(|b| DevicePublicKeys::from_bytes(&b).ok())
}

/// The `device` table key of this device's own label.
pub(crate) const OWN_LABEL: &str = "label";

/// Longest device label, in characters.
pub const MAX_LABEL_CHARS: usize = 40;

/// Trims a device label and checks it: `None` when blank.
pub(crate) fn clean_label(label: Option<&str>) -> Result<Option<String>> {
    let Some(label) = label.map(str::trim).filter(|l| !l.is_empty()) else {
        return Ok(None);
    };
    if label.chars().count() > MAX_LABEL_CHARS || label.chars().any(char::is_control) {
        return Err(Error::InvalidDeviceLabel {
            max: MAX_LABEL_CHARS,
        });
    }
    Ok(Some(label.to_owned()))
}
