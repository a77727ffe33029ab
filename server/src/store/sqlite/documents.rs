//! One document's blobs: forgetting the document (a tombstone that
//! refuses later writes) and compacting its blobs into a snapshot.

use hearth_protocol::{CompactResponse, Deletion, DeviceId, DocumentId, NewSnapshot, SpaceId};
use rusqlite::{Connection, OptionalExtension, params};

use super::super::rules;
use super::super::{
    Outcome, StoreError, blob_digest, deletion_text, stored_deletion, stored_u64, to_i64,
};
use super::log::{add_usage, advance, delete_counted, insert_blob, stored_blob_id};
use super::spaces::member;

/// `Some` when `doc` was forgotten, with the statement that forgot it
/// (none for tombstones older than signed deletions).
pub(super) fn forgotten(
    connection: &Connection,
    key: i64,
    doc: &DocumentId,
) -> Result<Option<Option<Deletion>>, StoreError> {
    let row: Option<Option<String>> = connection
        .prepare_cached("SELECT deletion FROM tombstones WHERE space = ?1 AND doc = ?2")?
        .query_row(params![key, doc.as_str()], |row| row.get(0))
        .optional()?;
    Ok(row.map(|text| stored_deletion(text.as_deref())))
}

pub(super) fn forget(
    connection: &Connection,
    space: &SpaceId,
    by: &DeviceId,
    doc: &DocumentId,
    deletion: &Deletion,
) -> Result<Outcome<u64>, StoreError> {
    let space = member(connection, space, by)?;
    let earlier: Option<(i64, Option<String>)> = connection
        .prepare_cached("SELECT seq, deletion FROM tombstones WHERE space = ?1 AND doc = ?2")?
        .query_row(params![space.key, doc.as_str()], |row| {
            Ok((row.get(0)?, row.get(1)?))
        })
        .optional()?;
    match earlier {
        Some((seq, Some(_))) => {
            return Ok(Outcome {
                value: stored_u64(seq)?,
                created: false,
            });
        }
        // An unsigned tombstone (from before deletions were signed, or
        // written behind the relay's back) proves nothing to the devices:
        // the signed deletion takes its place, at a new seq, so that the
        // devices that refused it receive this one.
        Some((_, None)) => {
            connection
                .prepare_cached("DELETE FROM tombstones WHERE space = ?1 AND doc = ?2")?
                .execute(params![space.key, doc.as_str()])?;
        }
        None => {}
    }
    let seq = space.head + 1;
    connection
        .prepare_cached(
            "INSERT INTO tombstones (space, doc, seq, deletion) VALUES (?1, ?2, ?3, ?4)",
        )?
        .execute(params![
            space.key,
            doc.as_str(),
            to_i64(seq)?,
            deletion_text(deletion)?
        ])?;
    let (bytes, blobs) = delete_counted(
        connection,
        "DELETE FROM blobs WHERE space = ?1 AND doc = ?2 RETURNING length(data)",
        params![space.key, doc.as_str()],
    )?;
    connection
        .prepare_cached("DELETE FROM compacted WHERE space = ?1 AND doc = ?2")?
        .execute(params![space.key, doc.as_str()])?;
    advance(connection, space.key, seq, -bytes, -blobs)?;
    Ok(Outcome {
        value: seq,
        created: true,
    })
}

pub(super) fn compact(
    connection: &Connection,
    space: &SpaceId,
    by: &DeviceId,
    doc: &DocumentId,
    upto: u64,
    snapshot: &NewSnapshot,
) -> Result<CompactResponse, StoreError> {
    let space = member(connection, space, by)?;
    let digest = blob_digest(doc, &snapshot.data);
    let gone = forgotten(connection, space.key, doc)?;
    let existing = stored_blob_id(connection, space.key, &snapshot.id)?;
    if let Some(done) =
        rules::check_compaction(doc, gone, upto, space.head, &snapshot.id, &digest, existing)?
    {
        return Ok(done);
    }
    let mut replaced = Vec::new();
    {
        let mut statement = connection.prepare_cached(
            "SELECT seq, blob_id, digest FROM blobs WHERE space = ?1 AND doc = ?2 AND seq <= ?3",
        )?;
        let rows = statement.query_map(params![space.key, doc.as_str(), to_i64(upto)?], |row| {
            Ok((
                row.get::<_, i64>(0)?,
                row.get::<_, String>(1)?,
                row.get::<_, Vec<u8>>(2)?,
            ))
        })?;
        for row in rows {
            replaced.push(row?);
        }
    }
    let seqs = replaced
        .iter()
        .map(|(seq, _, _)| stored_u64(*seq))
        .collect::<Result<Vec<u64>, StoreError>>()?;
    let top = rules::snapshot_seq(&seqs)?;
    {
        let mut keep = connection.prepare_cached(
            "INSERT OR REPLACE INTO compacted (space, blob_id, seq, doc, digest)
             VALUES (?1, ?2, ?3, ?4, ?5)",
        )?;
        for (seq, id, digest) in &replaced {
            keep.execute(params![space.key, id, seq, doc.as_str(), digest])?;
        }
    }
    let (bytes, blobs) = delete_counted(
        connection,
        "DELETE FROM blobs WHERE space = ?1 AND doc = ?2 AND seq <= ?3 RETURNING length(data)",
        params![space.key, doc.as_str(), to_i64(upto)?],
    )?;
    let snapshot_bytes = i64::try_from(snapshot.data.len()).unwrap_or(i64::MAX);
    add_usage(connection, space.key, snapshot_bytes - bytes, 1 - blobs)?;
    insert_blob(
        connection,
        space.key,
        top,
        &snapshot.id,
        doc,
        by,
        true,
        &digest,
        &snapshot.data,
    )?;
    Ok(CompactResponse {
        seq: top,
        replaced: seqs.len() as u64,
    })
}
