//! The sync engine's bookkeeping in SQLite: settings and progress, each
//! document's relay id and pushed heads, and the devices of the space.

use automerge::ChangeHash;
use rusqlite::{Connection, OptionalExtension, params};

use crate::crypto::DevicePublicKeys;
use crate::error::{Error, Result};
use crate::store::documents::{decode_heads, encode_heads};

/// Keys of `sync_state`.
pub(crate) const RELAY_URL: &str = "relay_url";
pub(crate) const CURSOR: &str = "cursor";
pub(crate) const LAST_SYNCED: &str = "last_synced_at";
pub(crate) const LAST_ERROR: &str = "last_error";
pub(crate) const NOTICE: &str = "notice";
pub(crate) const REJECTED: &str = "rejected_blobs";
pub(crate) const PAIRED: &str = "paired";
pub(crate) use crate::store::space::{CLOSED, check_open, is_closed};
pub(crate) const SPACE_CREATED: &str = "space_created";
/// The space's incarnation at the relay (see `PullResponse::incarnation`).
pub(crate) const INCARNATION: &str = "incarnation";
/// How many relay faults (unproven deletions or closures) were refused.
pub(crate) const RELAY_FAULTS: &str = "relay_faults";
/// The last relay fault, in plain words.
pub(crate) const RELAY_FAULT: &str = "relay_fault";
/// Set once the relay refused this device as removed: sync stops.
pub(crate) const REMOVED: &str = "device_removed";

/// A setting.
pub(crate) fn get(conn: &Connection, key: &str) -> Result<Option<String>> {
    Ok(conn
        .prepare_cached("SELECT value FROM sync_state WHERE key = ?1")?
        .query_row([key], |r| r.get(0))
        .optional()?)
}

/// Settings `keys`, each with its value if it is set, read in one
/// statement (up to four).
pub(crate) fn get_some<const N: usize>(
    conn: &Connection,
    keys: [&str; N],
) -> Result<[Option<String>; N]> {
    const SOME: [&str; 4] = [
        "SELECT key, value FROM sync_state WHERE key IN (?1)",
        "SELECT key, value FROM sync_state WHERE key IN (?1, ?2)",
        "SELECT key, value FROM sync_state WHERE key IN (?1, ?2, ?3)",
        "SELECT key, value FROM sync_state WHERE key IN (?1, ?2, ?3, ?4)",
    ];
    const { assert!(N >= 1 && N <= SOME.len(), "one to four settings at a time") };
    let sql = SOME[N - 1];
    let mut found: [Option<String>; N] = std::array::from_fn(|_| None);
    let mut statement = conn.prepare_cached(sql)?;
    let mut rows = statement.query(rusqlite::params_from_iter(keys))?;
    while let Some(row) = rows.next()? {
        let key: String = row.get(0)?;
        if let Some(i) = keys.iter().position(|k| *k == key) {
            found[i] = Some(row.get(1)?);
        }
    }
    Ok(found)
}

/// Sets a setting.
pub(crate) fn set(conn: &Connection, key: &str, value: &str) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO sync_state (key, value) VALUES (?1, ?2)
         ON CONFLICT (key) DO UPDATE SET value = ?2",
    )?
    .execute(params![key, value])?;
    Ok(())
}

/// Sets two settings in one statement.
pub(crate) fn set_two(conn: &Connection, settings: [(&str, &str); 2]) -> Result<()> {
    let [(k1, v1), (k2, v2)] = settings;
    conn.prepare_cached(
        "INSERT INTO sync_state (key, value) VALUES (?1, ?2), (?3, ?4)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
    )?
    .execute(params![k1, v1, k2, v2])?;
    Ok(())
}

/// Clears a setting.
pub(crate) fn clear(conn: &Connection, key: &str) -> Result<()> {
    conn.prepare_cached("DELETE FROM sync_state WHERE key = ?1")?
        .execute([key])?;
    Ok(())
}

/// A numeric setting (0 when unset).
pub(crate) fn number(conn: &Connection, key: &str) -> Result<u64> {
    Ok(get(conn, key)?.and_then(|v| v.parse().ok()).unwrap_or(0))
}

/// Records `count` relay faults, described by `words`.
pub(crate) fn relay_fault(conn: &Connection, count: usize, words: &str) -> Result<()> {
    let total = number(conn, RELAY_FAULTS)?.saturating_add(count as u64);
    set(conn, RELAY_FAULTS, &total.to_string())?;
    set(conn, RELAY_FAULT, words)
}

/// A document's relay id and the heads last pushed.
pub(crate) fn pushed(conn: &Connection, doc_id: &str) -> Result<Option<Vec<ChangeHash>>> {
    let heads: Option<Option<Vec<u8>>> = conn
        .prepare_cached("SELECT pushed FROM sync_documents WHERE doc_id = ?1")?
        .query_row([doc_id], |r| r.get(0))
        .optional()?;
    Ok(heads.flatten().map(|bytes| decode_heads(&bytes)))
}

/// Records a document's relay id (and that one more blob of it is there).
pub(crate) fn record_blob(
    conn: &Connection,
    doc_id: &str,
    relay_id: &str,
    pushed: Option<&[ChangeHash]>,
) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO sync_documents (doc_id, relay_id, pushed, blobs) VALUES (?1, ?2, ?3, 1)
         ON CONFLICT (doc_id) DO UPDATE SET blobs = blobs + 1,
             pushed = coalesce(?3, pushed)",
    )?
    .execute(params![doc_id, relay_id, pushed.map(encode_heads)])?;
    Ok(())
}

/// After a compaction: one snapshot blob at the relay, holding `heads`.
pub(crate) fn record_snapshot(conn: &Connection, doc_id: &str, heads: &[ChangeHash]) -> Result<()> {
    conn.prepare_cached("UPDATE sync_documents SET blobs = 1, pushed = ?2 WHERE doc_id = ?1")?
        .execute(params![doc_id, encode_heads(heads)])?;
    Ok(())
}

/// The local id of a relay document id, if this phone knows it.
pub(crate) fn local_id(conn: &Connection, relay_id: &str) -> Result<Option<String>> {
    Ok(conn
        .prepare_cached("SELECT doc_id FROM sync_documents WHERE relay_id = ?1")?
        .query_row([relay_id], |r| r.get(0))
        .optional()?)
}

/// Forgets a document's sync bookkeeping.
pub(crate) fn drop_document(conn: &Connection, doc_id: &str) -> Result<()> {
    conn.prepare_cached("DELETE FROM sync_documents WHERE doc_id = ?1")?
        .execute([doc_id])?;
    Ok(())
}

const CROWDED: &str = "SELECT doc_id, relay_id FROM sync_documents WHERE blobs >= 24";

/// Documents with 24 blobs or more at the relay, to compact: a snapshot
/// then replaces the blobs. The threshold is written into the SQL, as in
/// the partial index that holds just these documents (schema 11): with a
/// bound parameter SQLite could not use that index.
pub(crate) fn crowded(conn: &Connection) -> Result<Vec<(String, String)>> {
    let rows = conn
        .prepare_cached(CROWDED)?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

/// Adds a device of the space (learned at pairing).
pub(crate) fn add_device(
    conn: &Connection,
    member: &str,
    keys: &DevicePublicKeys,
    now: i64,
) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO space_devices (device_id, member, public_keys, added_at) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (device_id) DO UPDATE SET member = ?2, public_keys = ?3",
    )?
    .execute(params![keys.device_id(), member, keys.to_bytes().to_vec(), now])?;
    Ok(())
}

/// Names a device of the space ("laptop"); `None` clears the name.
pub(crate) fn set_label(conn: &Connection, device_id: &str, label: Option<&str>) -> Result<()> {
    conn.prepare_cached("UPDATE space_devices SET label = ?2 WHERE device_id = ?1")?
        .execute(params![device_id, label])?;
    Ok(())
}

/// Marks device `device_id` removed as of `now` (a removal already noted
/// keeps its time). Its old blobs still verify; nothing new is sealed to
/// it.
pub(crate) fn mark_removed(conn: &Connection, device_id: &str, now: i64) -> Result<()> {
    conn.prepare_cached(
        "UPDATE space_devices SET removed_at = ?2 WHERE device_id = ?1 AND removed_at IS NULL",
    )?
    .execute(params![device_id, now])?;
    Ok(())
}

/// Marks every device of `member` but `keep` removed as of `now` (a
/// recovery: the new device replaces them); answers how many were.
pub(crate) fn retire_others(
    conn: &Connection,
    member: &str,
    keep: &str,
    now: i64,
) -> Result<usize> {
    Ok(conn
        .prepare_cached(
            "UPDATE space_devices SET removed_at = ?3
             WHERE member = ?1 AND device_id <> ?2 AND removed_at IS NULL",
        )?
        .execute(params![member, keep, now])?)
}

/// The ids of the space's other devices (learned at pairing), each with
/// its member; removed devices are left out.
pub(crate) fn device_ids(conn: &Connection) -> Result<Vec<(String, String)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT device_id, member FROM space_devices WHERE removed_at IS NULL ORDER BY added_at",
    )?;
    let rows = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

/// The public keys of a device in the space, unless it was removed.
pub(crate) fn active_device(
    conn: &Connection,
    device_id: &str,
) -> Result<Option<DevicePublicKeys>> {
    let removed: Option<Option<i64>> = conn
        .prepare_cached("SELECT removed_at FROM space_devices WHERE device_id = ?1")?
        .query_row([device_id], |r| r.get(0))
        .optional()?;
    match removed {
        Some(None) => device(conn, device_id),
        _ => Ok(None),
    }
}

/// The public keys of a device of the space (also a removed one, whose
/// earlier blobs still verify), if it is one.
pub(crate) fn device(conn: &Connection, device_id: &str) -> Result<Option<DevicePublicKeys>> {
    let bytes: Option<Vec<u8>> = conn
        .prepare_cached("SELECT public_keys FROM space_devices WHERE device_id = ?1")?
        .query_row([device_id], |r| r.get(0))
        .optional()?;
    let Some(bytes) = bytes else { return Ok(None) };
    let array: [u8; DevicePublicKeys::BYTES_LEN] = bytes
        .try_into()
        .map_err(|_| Error::DamagedDatabase("a partner device's keys are damaged".into()))?;
    DevicePublicKeys::from_bytes(&array)
        .map(Some)
        .map_err(|_| Error::DamagedDatabase("a partner device's keys are damaged".into()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Store;

    /// Settings read together come back in the order they were asked
    /// for, each with its own value, and `None` where one is not set.
    #[test]
    fn settings_read_together_keep_their_order() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("hearth.db")).unwrap();
        store
            .write_unflushed(|tx| {
                set(tx, RELAY_URL, "https://relay.example")?;
                set(tx, PAIRED, "1")
            })
            .unwrap();
        let found = store
            .read(|c| get_some(c, [PAIRED, REMOVED, RELAY_URL]))
            .unwrap();
        assert_eq!(
            found,
            [Some("1".into()), None, Some("https://relay.example".into())]
        );
        assert_eq!(store.read(|c| get_some(c, [CURSOR])).unwrap(), [None]);
        // Two set at once: one new, one replaced.
        store
            .write_unflushed(|tx| set_two(tx, [(CURSOR, "7"), (PAIRED, "2")]))
            .unwrap();
        assert_eq!(
            store.read(|c| get_some(c, [CURSOR, PAIRED])).unwrap(),
            [Some("7".into()), Some("2".into())]
        );
    }

    /// A document is listed from its 24th blob at the relay on, and the
    /// listing reads the index of crowded documents, not every document.
    #[test]
    fn crowded_documents_come_from_their_own_index() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("hearth.db")).unwrap();
        let push = |doc: &str, times: usize| {
            store
                .write_unflushed(|tx| {
                    (0..times).try_for_each(|_| record_blob(tx, doc, &format!("relay-{doc}"), None))
                })
                .unwrap();
        };
        push("quiet", 1);
        push("busy", 23);
        assert!(store.read(crowded).unwrap().is_empty());
        push("busy", 1);
        assert_eq!(
            store.read(crowded).unwrap(),
            vec![("busy".to_owned(), "relay-busy".to_owned())]
        );
        let plan: String = store
            .read(|c| Ok(c.query_row(&format!("EXPLAIN QUERY PLAN {CROWDED}"), [], |r| r.get(3))?))
            .unwrap();
        assert!(plan.contains("sync_documents_crowded"), "{plan}");
    }
}
