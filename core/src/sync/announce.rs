//! The device list as a shared record: a device that adds or removes a
//! device of its own person tells every other device of the space with a
//! blob of the reserved relay document [`DEVICES_DOC`], sealed and signed
//! like any blob (so the relay can neither read nor forge it). A phone
//! that pulls one from a device of the space adds the new device (with its
//! public keys, so its blobs verify) or marks the removed one, but only
//! for the sender's own person: nobody adds a device for the partner.
//! The one exception is a recovery: a person who lost every device is let
//! back in from the partner's device, and that announcement replaces all
//! of the person's devices with the new one, so it can never add a device
//! beside ones the person still holds without those devices learning
//! they were removed.

use std::sync::Mutex;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hearth_protocol::{BlobId, DocumentId, NewBlob, SpaceId};
use rusqlite::Connection;
use serde::{Deserialize, Serialize};

use crate::crypto::{self, BlobContext, DeviceKeys, DevicePublicKeys};
use crate::error::{Error, Result};
use crate::sync::client::RelayClient;
use crate::sync::epochs::Epochs;
use crate::sync::state;

/// The relay document device announcements travel in.
pub(crate) const DEVICES_DOC: &str = "devices";

/// What one announcement says.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub(crate) enum Announcement {
    /// A device of the sender's person joined the space.
    Added {
        /// Its public keys ([`DevicePublicKeys::to_bytes`]), base64url.
        keys: String,
        /// The person (member id).
        member: String,
        /// The name its person gave it ("laptop").
        #[serde(default, skip_serializing_if = "Option::is_none")]
        label: Option<String>,
    },
    /// A device of the sender's person was removed.
    Removed {
        /// Its id.
        device: String,
    },
    /// The partner of the sender lost their devices and was let back in
    /// on this one, from the sender's device: every other device of
    /// `member` is removed.
    Replaced {
        /// Its public keys ([`DevicePublicKeys::to_bytes`]), base64url.
        keys: String,
        /// The person (member id), never the sender's.
        member: String,
        /// The name its person gave it ("phone").
        #[serde(default, skip_serializing_if = "Option::is_none")]
        label: Option<String>,
    },
}

/// A checked announcement, to record in the page's transaction.
#[derive(Debug, Clone)]
pub(crate) enum RosterChange {
    /// Add this device of `member`.
    Added {
        member: String,
        keys: Box<DevicePublicKeys>,
        label: Option<String>,
    },
    /// Mark this device of `member` removed.
    Removed { member: String, device: String },
    /// Remove every device of `member` but this new one, added.
    Replaced {
        member: String,
        keys: Box<DevicePublicKeys>,
        label: Option<String>,
        /// Who let the device in.
        by: String,
    },
}

/// Devices announced earlier in the pass being opened: a page may hold a
/// device's announcement and then its first blobs.
#[derive(Default)]
pub(crate) struct Announced(Mutex<Vec<DevicePublicKeys>>);

impl Announced {
    /// The public keys of `device` if it is in the space or was announced
    /// earlier in this pass.
    pub fn keys_of(&self, conn: &Connection, device: &str) -> Result<Option<DevicePublicKeys>> {
        if let Some(keys) = state::device(conn, device)? {
            return Ok(Some(keys));
        }
        Ok(self
            .0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .iter()
            .find(|k| k.device_id() == device)
            .cloned())
    }

    fn remember(&self, keys: DevicePublicKeys) {
        self.0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .push(keys);
    }
}

/// The member a device of the space belongs to, unless it was removed.
fn active_member(conn: &Connection, device: &str) -> Result<Option<String>> {
    use rusqlite::OptionalExtension as _;
    Ok(conn
        .prepare_cached(
            "SELECT member FROM space_devices WHERE device_id = ?1 AND removed_at IS NULL",
        )?
        .query_row([device], |r| r.get(0))
        .optional()?)
}

/// Opens and checks an announcement `sender` pushed: `Ok(Err(why))` when
/// it is refused.
pub(crate) fn open(
    conn: &Connection,
    epochs: &Epochs,
    announced: &Announced,
    me: &DeviceKeys,
    ctx: &BlobContext,
    data: &[u8],
) -> Result<std::result::Result<Option<RosterChange>, &'static str>> {
    const STRANGER: &str =
        "a device list change from a device that is not in your space was rejected";
    const BROKEN: &str = "a device list change that failed its checks was rejected";
    let (Some(member), Some(sender)) = (
        active_member(conn, &ctx.sender_device)?,
        state::active_device(conn, &ctx.sender_device)?,
    ) else {
        return Ok(Err(STRANGER));
    };
    let Some(plain) = epochs.open(ctx, &sender, data) else {
        return Ok(Err(BROKEN));
    };
    let Ok(said) = serde_json::from_slice::<Announcement>(&plain) else {
        return Ok(Err(BROKEN));
    };
    Ok(match said {
        Announcement::Added {
            keys,
            member: of,
            label,
        } => {
            let keys = crate::sync::link::decode_keys(&keys);
            match keys {
                // A device joins only through its own person's device.
                Some(keys) if of == member => {
                    if keys.device_id() == me.device_id() {
                        Ok(None)
                    } else {
                        admit(conn, epochs, announced, &keys)?;
                        Ok(Some(RosterChange::Added {
                            member,
                            keys: Box::new(keys),
                            label: shown_label(label.as_deref()),
                        }))
                    }
                }
                _ => Err(BROKEN),
            }
        }
        Announcement::Removed { device } => {
            // Only a device of the sender's own person; keys it holds seal
            // nothing new from here on, also in this pass.
            if active_member(conn, &device)?.is_some_and(|of| of == member) {
                epochs.distrust(&device);
            }
            Ok(Some(RosterChange::Removed { member, device }))
        }
        Announcement::Replaced {
            keys,
            member: of,
            label,
        } => {
            // Only for the other person of the space, never the sender's.
            let Some(keys) = crate::sync::link::decode_keys(&keys) else {
                return Ok(Err(BROKEN));
            };
            if of == member || !is_person_of_space(conn, &of)? {
                return Ok(Err(BROKEN));
            }
            // This device itself: its link already said all of it.
            if keys.device_id() == me.device_id() {
                return Ok(Ok(None));
            }
            for device in active_devices_of(conn, &of)? {
                if device != keys.device_id() {
                    epochs.distrust(&device);
                }
            }
            admit(conn, epochs, announced, &keys)?;
            Ok(Some(RosterChange::Replaced {
                member: of,
                keys: Box::new(keys),
                label: shown_label(label.as_deref()),
                by: member,
            }))
        }
    })
}

/// Counts `keys` among the holders of the keys held here and remembers
/// them for the rest of the pass, if the device is new to this phone. A
/// known one is an announcement pulled again (a new device or a restart
/// reads the log from its start): counting it would make it a holder of
/// keys made after it joined, or after it was removed, and no key would
/// be safe to seal with.
fn admit(
    conn: &Connection,
    epochs: &Epochs,
    announced: &Announced,
    keys: &DevicePublicKeys,
) -> Result<()> {
    if state::device(conn, &keys.device_id())?.is_none() {
        epochs.joined(&keys.device_id())?;
        announced.remember(*keys);
    }
    Ok(())
}

/// A label as announced, dropped (not shown) if the app would refuse it.
fn shown_label(label: Option<&str>) -> Option<String> {
    crate::sync::link::clean_label(label).ok().flatten()
}

/// Whether `member` has or had a device in the space.
fn is_person_of_space(conn: &Connection, member: &str) -> Result<bool> {
    Ok(conn
        .prepare_cached("SELECT 1 FROM space_devices WHERE member = ?1 LIMIT 1")?
        .exists([member])?)
}

/// The devices of `member` not removed.
fn active_devices_of(conn: &Connection, member: &str) -> Result<Vec<String>> {
    let mut stmt = conn.prepare_cached(
        "SELECT device_id FROM space_devices WHERE member = ?1 AND removed_at IS NULL",
    )?;
    let ids = stmt
        .query_map([member], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(ids)
}

/// Records a checked change in the page's transaction. A removed device
/// stays removed even if it is announced again. A device the partner
/// added is told to the person (`me` is this phone's member), once.
pub(crate) fn apply(tx: &Connection, change: &RosterChange, me: &str, now: i64) -> Result<()> {
    match change {
        RosterChange::Added {
            member,
            keys,
            label,
        } => {
            let id = keys.device_id();
            let new = state::device(tx, &id)?.is_none();
            state::add_device(tx, member, keys, now)?;
            state::set_label(tx, &id, label.as_deref())?;
            if new && member != me {
                let name = crate::store::members::name(tx, member)?
                    .unwrap_or_else(|| "Your partner".to_owned());
                state::set(tx, state::NOTICE, &added_notice(&name, label.as_deref()))?;
            }
            Ok(())
        }
        RosterChange::Removed { member, device } => {
            // Only a device of the announcing person (checked in `open`).
            if active_member(tx, device)?.is_some_and(|of| of == *member) {
                state::mark_removed(tx, device, now)?;
            }
            Ok(())
        }
        RosterChange::Replaced {
            member,
            keys,
            label,
            by,
        } => {
            let id = keys.device_id();
            let new = state::device(tx, &id)?.is_none();
            let removed = state::retire_others(tx, member, &id, now)?;
            state::add_device(tx, member, keys, now)?;
            state::set_label(tx, &id, label.as_deref())?;
            if new || removed > 0 {
                let name_of = |m: &str| -> Result<String> {
                    Ok(crate::store::members::name(tx, m)?
                        .unwrap_or_else(|| "Your partner".to_owned()))
                };
                let notice = if member == me {
                    replaced_mine_notice(&name_of(by)?, label.as_deref())
                } else {
                    replaced_notice(&name_of(member)?, label.as_deref())
                };
                state::set(tx, state::NOTICE, &notice)?;
            }
            Ok(())
        }
    }
}

/// Tells the other devices of the space about `said`, as a blob sealed
/// under the newest key epoch.
pub(crate) async fn publish(
    client: &RelayClient,
    keys: &DeviceKeys,
    epochs: &Epochs,
    space: &SpaceId,
    said: &Announcement,
) -> Result<()> {
    let mut id = [0u8; 16];
    crypto::fill_random(&mut id).map_err(Error::sync_failed)?;
    let blob = BlobId::from_random_bytes(id);
    let ctx = BlobContext {
        space_id: space.as_str().to_owned(),
        doc_id: DEVICES_DOC.to_owned(),
        sender_device: keys.device_id(),
        blob_id: blob.as_str().to_owned(),
    };
    let plain = serde_json::to_vec(said).map_err(Error::sync_failed)?;
    let sealed = epochs.seal(keys, &ctx, &plain)?;
    let doc = DocumentId::parse(DEVICES_DOC).map_err(Error::sync_failed)?;
    client
        .push(
            keys,
            space,
            vec![NewBlob {
                id: blob,
                doc,
                data: sealed,
            }],
        )
        .await?;
    Ok(())
}

/// What the person reads when the partner added a device.
fn added_notice(name: &str, label: Option<&str>) -> String {
    let which = label.map(|l| format!(" ({l})")).unwrap_or_default();
    format!(
        "{name} added a device{which} to your shared space. If you did not expect it, compare its safety number in the list of devices with the one on {name}'s device."
    )
}

/// What a person's device reads when the partner's device let a new
/// device in for them and so removed this one.
fn replaced_mine_notice(partner: &str, label: Option<&str>) -> String {
    let which = label.map(|l| format!(" ({l})")).unwrap_or_default();
    format!(
        "{partner} let a new device{which} into your shared space in your name and removed your other devices, this one included. If you did not ask for this, talk to {partner}, then leave the space."
    )
}

/// What the person reads when their partner, who had lost their devices,
/// is back on a new one.
fn replaced_notice(name: &str, label: Option<&str>) -> String {
    let which = label.map(|l| format!(" ({l})")).unwrap_or_default();
    format!(
        "{name} is back in your shared space on a new device{which}, let in from your side; {name}'s earlier devices were removed. Compare its safety number in the list of devices with the one on {name}'s new device."
    )
}

/// An announcement that `keys`, a device of `member` named `label`, joined.
pub(crate) fn replaced(keys: &DevicePublicKeys, member: &str, label: Option<&str>) -> Announcement {
    Announcement::Replaced {
        keys: URL_SAFE_NO_PAD.encode(keys.to_bytes()),
        member: member.to_owned(),
        label: label.map(str::to_owned),
    }
}

/// An announcement that `keys`, a device of `member` named `label`, joined.
pub(crate) fn added(keys: &DevicePublicKeys, member: &str, label: Option<&str>) -> Announcement {
    Announcement::Added {
        keys: URL_SAFE_NO_PAD.encode(keys.to_bytes()),
        member: member.to_owned(),
        label: label.map(str::to_owned),
    }
}
