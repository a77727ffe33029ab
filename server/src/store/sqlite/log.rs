//! A space's log of blobs: pushing (within the quota), pulling a page
//! after a cursor, and the bookkeeping both share (usage, head, blob ids).

use std::collections::HashMap;

use hearth_protocol::{
    BlobId, DeviceId, DocumentId, LogItem, NewBlob, PullResponse, SpaceId, StoredBlob, Tombstone,
};
use rusqlite::{Connection, OptionalExtension, params};

use super::super::rules::{self, Page};
use super::super::{
    PullBounds, Pushed, Quota, StoreError, stored_deletion, stored_device, stored_id, stored_u64,
    to_i64,
};
use super::documents::forgotten;
use super::spaces::member;

/// The (seq, digest) a blob id already has, live or compacted away.
pub(super) fn stored_blob_id(
    connection: &Connection,
    key: i64,
    id: &BlobId,
) -> Result<Option<(u64, Vec<u8>)>, StoreError> {
    let row: Option<(i64, Vec<u8>)> = connection
        .prepare_cached(
            "SELECT seq, digest FROM blobs WHERE space = ?1 AND blob_id = ?2
             UNION ALL
             SELECT seq, digest FROM compacted WHERE space = ?1 AND blob_id = ?2
             LIMIT 1",
        )?
        .query_row(params![key, id.as_str()], |row| {
            Ok((row.get(0)?, row.get(1)?))
        })
        .optional()?;
    row.map(|(seq, digest)| Ok((stored_u64(seq)?, digest)))
        .transpose()
}

#[expect(
    clippy::too_many_arguments,
    reason = "one column each; a struct would only rename them"
)]
pub(super) fn insert_blob(
    connection: &Connection,
    key: i64,
    seq: u64,
    id: &BlobId,
    doc: &DocumentId,
    device: &DeviceId,
    snapshot: bool,
    digest: &[u8; 32],
    data: &[u8],
) -> Result<(), StoreError> {
    connection
        .prepare_cached(
            "INSERT INTO blobs (space, seq, blob_id, doc, device, snapshot, digest, data)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        )?
        .execute(params![
            key,
            to_i64(seq)?,
            id.as_str(),
            doc.as_str(),
            device.as_bytes(),
            snapshot,
            digest.as_slice(),
            data
        ])?;
    Ok(())
}

/// Moves a space's usage by (bytes, blobs).
pub(super) fn add_usage(
    connection: &Connection,
    key: i64,
    bytes: i64,
    blobs: i64,
) -> Result<(), StoreError> {
    connection
        .prepare_cached(
            "UPDATE spaces SET bytes = max(bytes + ?2, 0), blobs = max(blobs + ?3, 0) WHERE key = ?1",
        )?
        .execute(params![key, bytes, blobs])?;
    Ok(())
}

/// Deletes the blobs `sql` selects (parameters: space key, document and
/// optionally a seq) and answers how many bytes and blobs went.
pub(super) fn delete_counted(
    connection: &Connection,
    sql: &str,
    params: impl rusqlite::Params,
) -> Result<(i64, i64), StoreError> {
    let mut statement = connection.prepare_cached(sql)?;
    let mut rows = statement.query(params)?;
    let (mut bytes, mut blobs) = (0i64, 0i64);
    while let Some(row) = rows.next()? {
        bytes += row.get::<_, i64>(0)?;
        blobs += 1;
    }
    Ok((bytes, blobs))
}

/// Moves a space's head to `head` and its usage by (bytes, blobs), in one
/// statement: a push and a forget do both.
pub(super) fn advance(
    connection: &Connection,
    key: i64,
    head: u64,
    bytes: i64,
    blobs: i64,
) -> Result<(), StoreError> {
    connection
        .prepare_cached(
            "UPDATE spaces SET head = ?2, bytes = max(bytes + ?3, 0), blobs = max(blobs + ?4, 0)
             WHERE key = ?1",
        )?
        .execute(params![key, to_i64(head)?, bytes, blobs])?;
    Ok(())
}

pub(super) fn push(
    connection: &Connection,
    space: &SpaceId,
    by: &DeviceId,
    blobs: Vec<NewBlob>,
    quota: Quota,
) -> Result<Pushed, StoreError> {
    let space = member(connection, space, by)?;
    let mut gone = Vec::new();
    for doc in rules::push_documents(&blobs) {
        if let Some(deletion) = forgotten(connection, space.key, doc)? {
            gone.push((doc.clone(), deletion));
        }
    }
    let mut existing = HashMap::new();
    if gone.is_empty() {
        for blob in &blobs {
            if let Some(found) = stored_blob_id(connection, space.key, &blob.id)? {
                existing.insert(blob.id.as_str().to_owned(), found);
            }
        }
    }
    let plan = rules::plan_push(blobs, space.head, gone, &existing)?;
    let adds = plan.adds();
    if adds.1 > 0 {
        rules::check_quota(space.usage, adds, quota)?;
    }
    for blob in &plan.inserts {
        insert_blob(
            connection,
            space.key,
            blob.seq,
            &blob.id,
            &blob.doc,
            by,
            false,
            &blob.digest,
            &blob.data,
        )?;
    }
    if plan.grew(space.head) {
        advance(
            connection,
            space.key,
            plan.response.head,
            i64::try_from(adds.0).unwrap_or(i64::MAX),
            i64::try_from(adds.1).unwrap_or(i64::MAX),
        )?;
    }
    Ok(Pushed {
        response: plan.response,
        previous_head: space.head,
    })
}

/// Blobs and tombstones after a cursor, in seq order.
const PULL: &str = "SELECT seq, blob_id, doc, device, snapshot, data, NULL FROM blobs
         WHERE space = ?1 AND seq > ?2
     UNION ALL
     SELECT seq, NULL, doc, NULL, 0, NULL, deletion FROM tombstones
         WHERE space = ?1 AND seq > ?2
     ORDER BY seq LIMIT ?3";

pub(super) fn pull(
    connection: &Connection,
    space: &SpaceId,
    by: &DeviceId,
    bounds: PullBounds,
) -> Result<PullResponse, StoreError> {
    let space = member(connection, space, by)?;
    if bounds.after > space.head {
        return Err(StoreError::CursorPastEnd { head: space.head });
    }
    let mut statement = connection.prepare_cached(PULL)?;
    let mut rows = statement.query(params![
        space.key,
        to_i64(bounds.after)?,
        i64::from(bounds.limit) + 1
    ])?;
    let mut page = Page::new(bounds.limit, bounds.max_bytes);
    while let Some(row) = rows.next()? {
        let seq = stored_u64(row.get(0)?)?;
        let doc: DocumentId = stored_id(&row.get::<_, String>(2)?)?;
        let blob_id: Option<String> = row.get(1)?;
        let item = match blob_id {
            None => LogItem::Tombstone(Tombstone {
                seq,
                doc,
                deletion: stored_deletion(row.get::<_, Option<String>>(6)?.as_deref()),
            }),
            Some(id) => LogItem::Blob(StoredBlob {
                seq,
                id: stored_id(&id)?,
                doc,
                device: stored_device(&row.get::<_, Vec<u8>>(3)?)?,
                snapshot: row.get(4)?,
                data: row.get(5)?,
            }),
        };
        if !page.offer(item) {
            break;
        }
    }
    Ok(page.finish(space.head, space.incarnation))
}

#[cfg(test)]
mod tests {
    use super::super::devices::add_device_row;
    use super::super::migration::migrate;
    use super::super::open_connection;
    use super::*;

    /// The pull's `seq > ?` would make SQLite re-plan the statement on
    /// every call (its STAT4 build re-plans on new range values); the
    /// planner stability guarantee set at open keeps one plan.
    #[test]
    fn pulls_reuse_their_prepared_statement() {
        let dir = tempfile::tempdir().unwrap();
        let connection = open_connection(&dir.path().join("relay.db")).unwrap();
        migrate(&connection).unwrap();
        let device =
            DeviceId::from_key(&ed25519_dalek::SigningKey::from_bytes(&[1; 32]).verifying_key());
        let space = SpaceId::parse("s").unwrap();
        connection
            .execute(
                "INSERT INTO spaces (id, head, incarnation) VALUES ('s', 9, 0)",
                [],
            )
            .unwrap();
        add_device_row(
            &connection,
            connection.last_insert_rowid(),
            &device,
            None,
            0,
        )
        .unwrap();
        for after in 0..5 {
            let bounds = PullBounds {
                after,
                limit: 10 + u32::try_from(after).unwrap(),
                max_bytes: 1000,
            };
            pull(&connection, &space, &device, bounds).unwrap();
        }
        let statement = connection.prepare_cached(PULL).unwrap();
        assert_eq!(
            statement.get_status(rusqlite::StatementStatus::RePrepare),
            0
        );
    }
}
