//! Whether the couple's shared space is still open on this phone: once it
//! closed (left, or erased by the partner), shared data is read-only. The
//! flag lives in `sync_state`, written by the sync layer when it closes
//! the space; everything that writes shared documents asks here.

use rusqlite::{Connection, OptionalExtension};

use crate::error::{Error, Result};

/// The `sync_state` key set when the space closed.
pub(crate) const CLOSED: &str = "closed";

/// Whether the shared space was closed: the shared data is read-only.
pub(crate) fn is_closed(conn: &Connection) -> Result<bool> {
    Ok(conn
        .prepare_cached("SELECT 1 FROM sync_state WHERE key = ?1")?
        .query_row([CLOSED], |_| Ok(()))
        .optional()?
        .is_some())
}

/// Refuses a change to shared data once the space is closed.
pub(crate) fn check_open(conn: &Connection) -> Result<()> {
    if is_closed(conn)? {
        return Err(Error::SpaceClosed);
    }
    Ok(())
}
