//! The `device` table: what belongs to this device alone and never syncs:
//! its Automerge actor, the couple's space id, the app's settings and the
//! person's drafts. One place reads and writes it.

use automerge::ActorId;
use rusqlite::{Connection, OptionalExtension};

use crate::error::{Error, Result};

const SPACE_ID: &str = "space_id";
const ACTOR: &str = "actor";

/// A value, if set.
pub(crate) fn get(conn: &Connection, key: &str) -> Result<Option<String>> {
    Ok(conn
        .prepare_cached("SELECT value FROM device WHERE key = ?1")?
        .query_row([key], |r| r.get(0))
        .optional()?)
}

/// Sets (or with `None` removes) a value.
pub(crate) fn set(conn: &Connection, key: &str, value: Option<&str>) -> Result<()> {
    match value {
        Some(value) => conn
            .prepare_cached("INSERT OR REPLACE INTO device (key, value) VALUES (?1, ?2)")?
            .execute([key, value])?,
        None => conn
            .prepare_cached("DELETE FROM device WHERE key = ?1")?
            .execute([key])?,
    };
    Ok(())
}

/// The couple's space id: this device's own until pairing, then the one
/// both devices share. It seeds the daily question.
pub(crate) fn space_id(conn: &Connection) -> Result<String> {
    get(conn, SPACE_ID)?
        .ok_or_else(|| Error::DamagedDatabase("this device's space id is missing".into()))
}

/// Takes the shared space id (pairing, for the joiner).
pub(crate) fn set_space_id(conn: &Connection, space_id: &str) -> Result<()> {
    set(conn, SPACE_ID, Some(space_id))
}

/// This device's Automerge actor and a space id of its own, created on
/// first open.
pub(crate) fn identity(conn: &Connection) -> Result<ActorId> {
    if get(conn, SPACE_ID)?.is_none() {
        set(conn, SPACE_ID, Some(&crate::journal::new_id()))?;
    }
    match get(conn, ACTOR)? {
        Some(hex) => ActorId::try_from(hex.as_str())
            .map_err(|_| Error::DamagedDatabase("this device's id is unreadable".into())),
        None => {
            let actor = ActorId::random();
            set(conn, ACTOR, Some(&actor.to_hex_string()))?;
            Ok(actor)
        }
    }
}
