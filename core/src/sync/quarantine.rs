//! Pulled blobs this version could not apply, kept instead of skipped: a
//! payload layout from a newer app, bytes Automerge refused or panicked
//! on, a merge that failed. The cursor moves past them (the relay may
//! compact them away), so the opened payload is kept here and tried again
//! on every sync pass, which includes the first one after an app update.
//! While a document has quarantined blobs this phone never compacts it:
//! its snapshot would lack them, and the phones would never converge.

use rusqlite::{Connection, OptionalExtension as _, params};

use crate::error::Result;

/// The app version that tries a quarantined blob.
const APP_VERSION: &str = env!("CARGO_PKG_VERSION");

/// A quarantined blob.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Held {
    pub blob: String,
    pub relay_doc: String,
    pub payload: Vec<u8>,
}

/// Keeps `payload` of blob `blob` (document `relay_doc`, local id
/// `doc_id` when readable), or counts one more failed attempt.
pub(crate) fn keep(
    conn: &Connection,
    held: &Held,
    doc_id: Option<&str>,
    reason: &str,
    now: i64,
) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO quarantine
             (blob_id, relay_doc, doc_id, payload, reason, tried_by, attempts, first_seen)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, 1, ?7)
         ON CONFLICT (blob_id) DO UPDATE SET
             reason = ?5, tried_by = ?6, attempts = attempts + 1",
    )?
    .execute(params![
        held.blob,
        held.relay_doc,
        doc_id,
        held.payload,
        reason,
        APP_VERSION,
        now
    ])?;
    Ok(())
}

/// Every quarantined blob, oldest first.
pub(crate) fn all(conn: &Connection) -> Result<Vec<Held>> {
    let mut stmt = conn.prepare_cached(
        "SELECT blob_id, relay_doc, payload FROM quarantine ORDER BY first_seen, blob_id",
    )?;
    let rows = stmt
        .query_map([], |r| {
            Ok(Held {
                blob: r.get(0)?,
                relay_doc: r.get(1)?,
                payload: r.get(2)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

/// Removes a blob that finally applied (or whose document is gone).
pub(crate) fn release(conn: &Connection, blob: &str) -> Result<()> {
    conn.prepare_cached("DELETE FROM quarantine WHERE blob_id = ?1")?
        .execute([blob])?;
    Ok(())
}

/// Whether relay document `relay_doc` has quarantined blobs.
pub(crate) fn holds(conn: &Connection, relay_doc: &str) -> Result<bool> {
    Ok(conn
        .prepare_cached("SELECT 1 FROM quarantine WHERE relay_doc = ?1 LIMIT 1")?
        .query_row([relay_doc], |_| Ok(()))
        .optional()?
        .is_some())
}

/// How many blobs are quarantined.
pub(crate) fn count(conn: &Connection) -> Result<u32> {
    let n: i64 = conn
        .prepare_cached("SELECT count(*) FROM quarantine")?
        .query_row([], |r| r.get(0))?;
    Ok(u32::try_from(n).unwrap_or(u32::MAX))
}

/// Drops the quarantined blobs of a deleted document, by relay id.
pub(crate) fn drop_relay_doc(conn: &Connection, relay_doc: &str) -> Result<()> {
    conn.prepare_cached("DELETE FROM quarantine WHERE relay_doc = ?1")?
        .execute([relay_doc])?;
    Ok(())
}
