//! Storage of shared Automerge documents: a compacted snapshot plus the
//! changes made since, the list of forgotten documents, and the outbox the
//! sync engine drains.

use automerge::{ActorId, AutoCommit, ChangeHash};
use rusqlite::{Connection, OptionalExtension, params};

use crate::error::{Error, Result};

/// After this many appended changes a document is rewritten as one snapshot.
const COMPACT_AFTER: i64 = 32;

/// The kind recorded for a document whose first change has not arrived yet
/// (its later changes came first); it gets its real kind once complete.
pub(crate) const PENDING_KIND: &str = "pending";

/// Loads document `id` with this device's actor, or `None` if it is not here.
pub(crate) fn load(conn: &Connection, id: &str, actor: &ActorId) -> Result<Option<AutoCommit>> {
    let row: Option<(Vec<u8>, Vec<u8>)> = conn
        .prepare_cached("SELECT snapshot, changes FROM documents WHERE id = ?1")?
        .query_row([id], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    let Some((snapshot, changes)) = row else {
        return Ok(None);
    };
    let damaged = |e: automerge::AutomergeError| {
        Error::DamagedDatabase(format!("stored document {id} could not be loaded: {e}"))
    };
    if !crate::merge::known_chunks(&snapshot) || !crate::merge::known_chunks(&changes) {
        return Err(Error::DamagedDatabase(format!(
            "stored document {id} could not be loaded: it is not whole Automerge chunks"
        )));
    }
    // Automerge can panic on malformed bytes (found by fuzzing); a damaged
    // file must give an error, never a panic across the FFI.
    let parse = std::panic::AssertUnwindSafe(|| -> Result<AutoCommit> {
        let mut doc = AutoCommit::load(&snapshot).map_err(damaged)?;
        if !changes.is_empty() {
            doc.load_incremental(&changes).map_err(damaged)?;
        }
        Ok(doc)
    });
    let mut doc = std::panic::catch_unwind(parse).unwrap_or_else(|_| {
        Err(Error::DamagedDatabase(format!(
            "stored document {id} could not be loaded: Automerge stopped with a panic"
        )))
    })?;
    doc.set_actor(actor.clone());
    Ok(Some(doc))
}

/// What a push of a document needs without loading it: its bytes as
/// stored, and its heads when they were queued with it.
pub(crate) struct Stored {
    /// A saved document followed by whole changes: bytes
    /// `AutoCommit::load` accepts, as a snapshot holds them.
    pub bytes: Vec<u8>,
    pub heads: Option<Vec<ChangeHash>>,
}

/// The statement [`stored`] runs.
pub(crate) const STORED: &str = "SELECT d.snapshot, d.changes, o.heads FROM documents d
     LEFT JOIN outbox o ON o.doc_id = d.id WHERE d.id = ?1";

/// Document `id` as stored, or `None` if it is not here.
pub(crate) fn stored(conn: &Connection, id: &str) -> Result<Option<Stored>> {
    Ok(conn
        .prepare_cached(STORED)?
        .query_row([id], |r| {
            let mut bytes: Vec<u8> = r.get(0)?;
            bytes.extend_from_slice(&r.get::<_, Vec<u8>>(1)?);
            let heads: Option<Vec<u8>> = r.get(2)?;
            Ok(Stored {
                bytes,
                heads: heads.map(|h| decode_heads(&h)),
            })
        })
        .optional()?)
}

/// Stores `doc` whole as document `id`, replacing what was there.
pub(crate) fn put_snapshot(
    conn: &Connection,
    id: &str,
    kind: &str,
    doc: &mut AutoCommit,
    now: i64,
) -> Result<()> {
    put_bytes(conn, id, kind, &doc.save(), now)
}

/// Stores `snapshot` (bytes `AutoCommit::load` accepts) as document `id`,
/// replacing what was there.
pub(crate) fn put_bytes(
    conn: &Connection,
    id: &str,
    kind: &str,
    snapshot: &[u8],
    now: i64,
) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO documents (id, kind, snapshot, changes, change_count, updated_at)
         VALUES (?1, ?2, ?3, x'', 0, ?4)
         ON CONFLICT (id) DO UPDATE SET kind = ?2, snapshot = ?3, changes = x'',
             change_count = 0, updated_at = ?4",
    )?
    .execute(params![id, kind, snapshot, now])?;
    Ok(())
}

/// Appends the changes `doc` gained since `since` to document `id`,
/// compacting it into one snapshot once enough changes piled up.
pub(crate) fn append_changes(
    conn: &Connection,
    id: &str,
    kind: &str,
    doc: &mut AutoCommit,
    since: &[ChangeHash],
    now: i64,
) -> Result<()> {
    let stored: Option<(i64, Vec<u8>)> = conn
        .prepare_cached("SELECT change_count, changes FROM documents WHERE id = ?1")?
        .query_row([id], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    match stored {
        Some((count, mut changes)) if count + 1 < COMPACT_AFTER => {
            // Appended here, not with SQL's `||`, which turns bytes into text.
            changes.extend(doc.save_after(since));
            conn.prepare_cached(
                "UPDATE documents SET changes = ?2, change_count = change_count + 1,
                     updated_at = ?3 WHERE id = ?1",
            )?
            .execute(params![id, changes, now])?;
            Ok(())
        }
        _ => put_snapshot(conn, id, kind, doc, now),
    }
}

/// Deletes document `id` and remembers that it is gone, so it cannot come
/// back from an offline phone.
pub(crate) fn forget(conn: &Connection, id: &str, kind: &str, now: i64) -> Result<()> {
    conn.prepare_cached("DELETE FROM documents WHERE id = ?1")?
        .execute([id])?;
    // Blobs of it waiting in quarantine have nothing left to apply to.
    conn.prepare_cached("DELETE FROM quarantine WHERE doc_id = ?1")?
        .execute([id])?;
    conn.prepare_cached(
        "INSERT INTO forgotten_documents (id, kind, forgotten_at) VALUES (?1, ?2, ?3)
         ON CONFLICT (id) DO NOTHING",
    )?
    .execute(params![id, kind, now])?;
    Ok(())
}

/// Records that this phone replaced forgotten document `id` by `new_id`
/// (an edited entry).
pub(crate) fn mark_replaced(conn: &Connection, id: &str, new_id: &str) -> Result<()> {
    conn.prepare_cached("UPDATE forgotten_documents SET replaced_by = ?2 WHERE id = ?1")?
        .execute(params![id, new_id])?;
    Ok(())
}

/// Records that this person deleted forgotten document `id`.
pub(crate) fn mark_deleted_here(conn: &Connection, id: &str) -> Result<()> {
    conn.prepare_cached("UPDATE forgotten_documents SET deleted_here = 1 WHERE id = ?1")?
        .execute([id])?;
    Ok(())
}

/// The document this phone replaced forgotten document `id` by, if any.
pub(crate) fn replacement(conn: &Connection, id: &str) -> Result<Option<String>> {
    Ok(conn
        .prepare_cached("SELECT replaced_by FROM forgotten_documents WHERE id = ?1")?
        .query_row([id], |r| r.get(0))
        .optional()?
        .flatten())
}

/// Whether this person deleted document `id`.
pub(crate) fn deleted_here(conn: &Connection, id: &str) -> Result<bool> {
    Ok(conn
        .prepare_cached("SELECT 1 FROM forgotten_documents WHERE id = ?1 AND deleted_here = 1")?
        .exists([id])?)
}

/// Whether this person deleted document `id` or any edit of it made here
/// (its replacements, followed to the newest).
pub(crate) fn deleted_here_in_line(conn: &Connection, id: &str) -> Result<bool> {
    let mut current = id.to_owned();
    // A replacement chain is short; the bound only guards a damaged table.
    for _ in 0..1024 {
        if deleted_here(conn, &current)? {
            return Ok(true);
        }
        match replacement(conn, &current)? {
            Some(next) => current = next,
            None => return Ok(false),
        }
    }
    Ok(false)
}

/// Whether document `id` is here.
pub(crate) fn exists(conn: &Connection, id: &str) -> Result<bool> {
    Ok(conn
        .prepare_cached("SELECT 1 FROM documents WHERE id = ?1")?
        .exists([id])?)
}

/// Whether document `id` was deleted here or by the partner.
pub(crate) fn is_forgotten(conn: &Connection, id: &str) -> Result<bool> {
    Ok(conn
        .prepare_cached("SELECT 1 FROM forgotten_documents WHERE id = ?1")?
        .exists([id])?)
}

/// Queues document `id` for the next push (unless it is being forgotten).
/// Refused once the shared space is closed: shared data is then read-only.
///
/// `heads` are the document's as just stored, when known: its first push
/// then sends the bytes as stored, without loading and saving it again.
pub(crate) fn queue_push(
    conn: &Connection,
    id: &str,
    heads: Option<&[ChangeHash]>,
    now: i64,
) -> Result<()> {
    super::space::check_open(conn)?;
    conn.prepare_cached(
        "INSERT INTO outbox (doc_id, action, queued_at, heads) VALUES (?1, 'push', ?2, ?3)
         ON CONFLICT (doc_id) DO UPDATE SET version = version + 1, heads = ?3
             WHERE action = 'push'",
    )?
    .execute(params![id, now, heads.map(encode_heads)])?;
    Ok(())
}

/// Queues document `id` to be forgotten at the relay.
pub(crate) fn queue_forget(conn: &Connection, id: &str, now: i64) -> Result<()> {
    super::space::check_open(conn)?;
    conn.prepare_cached(
        "INSERT INTO outbox (doc_id, action, queued_at) VALUES (?1, 'forget', ?2)
         ON CONFLICT (doc_id) DO UPDATE SET action = 'forget', queued_at = ?2,
             version = version + 1",
    )?
    .execute(params![id, now])?;
    Ok(())
}

/// Heads as stored: their 32-byte hashes, one after another.
pub(crate) fn encode_heads(heads: &[ChangeHash]) -> Vec<u8> {
    heads.iter().flat_map(|h| h.0).collect()
}

/// Heads from what [`encode_heads`] wrote.
pub(crate) fn decode_heads(bytes: &[u8]) -> Vec<ChangeHash> {
    bytes
        .chunks_exact(32)
        .filter_map(|c| ChangeHash::try_from(c).ok())
        .collect()
}

#[cfg(test)]
mod tests {
    use automerge::ReadDoc as _;
    use automerge::transaction::Transactable as _;

    use super::*;
    use crate::store::{DATABASE_FILE, Store};

    fn opened() -> (tempfile::TempDir, Store) {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join(DATABASE_FILE)).unwrap();
        (dir, store)
    }

    #[test]
    fn a_queued_document_as_stored_loads_to_the_heads_queued_with_it() {
        let (_dir, store) = opened();
        let mut doc = AutoCommit::new();
        doc.put(automerge::ROOT, "n", 0_i64).unwrap();
        store
            .write(|tx| {
                put_snapshot(tx, "d", "entry", &mut doc, 1)?;
                queue_push(tx, "d", Some(&doc.get_heads()), 1)
            })
            .unwrap();
        for n in 1..4_i64 {
            let before = doc.get_heads();
            doc.put(automerge::ROOT, "n", n).unwrap();
            store
                .write(|tx| {
                    append_changes(tx, "d", "entry", &mut doc, &before, 2)?;
                    queue_push(tx, "d", Some(&doc.get_heads()), 2)
                })
                .unwrap();
        }
        let found = store.read(|c| stored(c, "d")).unwrap().unwrap();
        assert_eq!(found.heads.as_deref(), Some(doc.get_heads().as_slice()));
        let mut loaded = AutoCommit::load(&found.bytes).unwrap();
        assert_eq!(loaded.get_heads(), doc.get_heads());
        let n = loaded.get(automerge::ROOT, "n").unwrap().unwrap().0;
        assert_eq!(n.as_i64(), Some(3));
        assert!(store.read(|c| stored(c, "absent")).unwrap().is_none());
    }

    #[test]
    fn heads_not_queued_are_not_known() {
        let (_dir, store) = opened();
        let mut doc = AutoCommit::new();
        doc.put(automerge::ROOT, "n", 0_i64).unwrap();
        let bytes = doc.save();
        store
            .write(|tx| put_bytes(tx, "d", "entry", &bytes, 1))
            .unwrap();
        let found = store.read(|c| stored(c, "d")).unwrap().unwrap();
        assert_eq!((found.heads, found.bytes), (None, bytes));
        store.write(|tx| queue_push(tx, "d", None, 2)).unwrap();
        assert_eq!(store.read(|c| stored(c, "d")).unwrap().unwrap().heads, None);
    }
}
