//! The embedded backend: one SQLite file in WAL mode, with a writing and a
//! reading connection, each on a thread of its own (`thread`).

mod thread;

use std::collections::HashMap;
use std::path::Path;

use hearth_protocol::{
    BlobId, CompactResponse, Deletion, DeviceId, DocumentId, LogItem, MemberTag, Nameplate,
    NewBlob, NewSnapshot, PairingClaimed, PairingMessage, PairingMessages, PairingOpened,
    PairingSide, PullResponse, SpaceId, SpaceInfo, StoredBlob, Tombstone,
};
use rusqlite::config::DbConfig;
use rusqlite::{Connection, OptionalExtension, params};

use self::thread::ConnectionThreads;
pub(crate) use self::thread::describe;
use super::rules::{self, Claim, Page};
use super::{
    NewDevice, Outcome, PullBounds, Pushed, Quota, Store, StoreError, StoreFuture, blob_digest,
    deletion_text, nameplate_candidates, pairing_state, stored_deletion, stored_device, stored_id,
    stored_u64, to_i64,
};
use crate::nonces::NonceCache;

const SCHEMA: &str = include_str!("schema.sql");
const SCHEMA_2: &str = include_str!("schema_2.sql");
const SCHEMA_3: &str = include_str!("schema_3.sql");
const SCHEMA_VERSION: i64 = 3;

/// The SQLite backend.
#[derive(Debug)]
pub struct SqliteStore {
    connection: ConnectionThreads,
    nonces: NonceCache,
}

impl SqliteStore {
    /// Opens (creating if needed) the relay database at `path`.
    ///
    /// # Errors
    /// [`StoreError`] when the file cannot be opened, is not a relay
    /// database, or was written by a newer relay.
    pub fn open(path: &Path) -> Result<Self, StoreError> {
        // One relay process per file: an advisory lock on the file itself
        // (an empty new file is a new database to SQLite), taken before
        // anything else touches it and held while the writer is open.
        let owner = std::fs::File::options()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(path)?;
        lock_owner(&owner)?;
        let writer = open_connection(path)?;
        migrate(&writer)?;
        let reader = open_connection(path)?;
        reader.execute_batch("PRAGMA query_only = ON;")?;
        Ok(Self {
            connection: ConnectionThreads::start(writer, reader, Some(owner))?,
            nonces: NonceCache::default(),
        })
    }
}

/// Takes the file's lock, waiting up to two seconds: a relay that was just
/// dropped (rather than shut down) may still be closing its connections.
fn lock_owner(owner: &std::fs::File) -> Result<(), StoreError> {
    for _ in 0..40 {
        match owner.try_lock() {
            Ok(()) => return Ok(()),
            Err(std::fs::TryLockError::WouldBlock) => {
                std::thread::sleep(std::time::Duration::from_millis(50));
            }
            Err(std::fs::TryLockError::Error(error)) => return Err(error.into()),
        }
    }
    Err(StoreError::FileInUse)
}

/// Opens a connection to the file and sets it up for the relay.
fn open_connection(path: &Path) -> Result<Connection, StoreError> {
    let connection = Connection::open(path)?;
    // FULL: a push the relay acknowledged survives a power cut, because
    // the pushing phone will not send those changes again.
    connection.execute_batch(
        "PRAGMA busy_timeout = 5000;
         PRAGMA journal_mode = WAL;
         PRAGMA synchronous = FULL;
         PRAGMA secure_delete = ON;
         PRAGMA cache_size = -32768;",
    )?;
    // Without the planner stability guarantee, this STAT4 build of
    // SQLite re-plans a statement whenever a range bound (the pull's
    // `seq > ?`) changes: a full parse on every pull.
    connection.set_db_config(DbConfig::SQLITE_DBCONFIG_ENABLE_QPSG, true)?;
    Ok(connection)
}

fn migrate(connection: &Connection) -> Result<(), StoreError> {
    let version: i64 = connection.query_row("PRAGMA user_version", [], |row| row.get(0))?;
    match version {
        0 => {
            connection.execute_batch(&format!("BEGIN; {SCHEMA} {SCHEMA_2} {SCHEMA_3} COMMIT;"))?;
            Ok(())
        }
        1 => {
            connection.execute_batch(&format!("BEGIN; {SCHEMA_2} {SCHEMA_3} COMMIT;"))?;
            Ok(())
        }
        2 => {
            connection.execute_batch(&format!("BEGIN; {SCHEMA_3} COMMIT;"))?;
            Ok(())
        }
        SCHEMA_VERSION => Ok(()),
        _ => Err(StoreError::Backend(format!(
            "the database has schema version {version}, newer than this relay's {SCHEMA_VERSION}; run a newer relay"
        ))),
    }
}

/// A space the acting device belongs to.
struct Member {
    key: i64,
    head: u64,
    /// When the relay created the space (its incarnation).
    created_at: u64,
}

fn member(
    connection: &Connection,
    space: &SpaceId,
    device: &DeviceId,
) -> Result<Member, StoreError> {
    let row: Option<(i64, i64, bool, i64, bool)> = connection
        .prepare_cached(
            "SELECT s.key, s.head,
                    EXISTS(SELECT 1 FROM devices d WHERE d.space = s.key AND d.device = ?2),
                    s.created_at,
                    EXISTS(SELECT 1 FROM removed_devices r WHERE r.space = s.key AND r.device = ?2)
             FROM spaces s WHERE s.id = ?1",
        )?
        .query_row(params![space.as_str(), device.as_bytes()], |row| {
            Ok((
                row.get(0)?,
                row.get(1)?,
                row.get(2)?,
                row.get(3)?,
                row.get(4)?,
            ))
        })
        .optional()?;
    match row {
        None => Err(match erasure(connection, space)? {
            Some(erasure) => StoreError::Erased(Box::new(erasure)),
            None => StoreError::UnknownSpace,
        }),
        Some((_, _, false, _, true)) => Err(StoreError::DeviceRemoved),
        Some((_, _, false, _, false)) => Err(StoreError::NotAMember),
        Some((key, head, true, created_at, _)) => Ok(Member {
            key,
            head: stored_u64(head)?,
            created_at: stored_u64(created_at)?,
        }),
    }
}

fn space_info(
    connection: &Connection,
    space: &SpaceId,
    key: i64,
    head: u64,
) -> Result<SpaceInfo, StoreError> {
    let mut statement =
        connection.prepare_cached("SELECT device FROM devices WHERE space = ?1 ORDER BY rowid")?;
    let rows = statement.query_map([key], |row| row.get::<_, Vec<u8>>(0))?;
    let mut devices = Vec::new();
    for row in rows {
        devices.push(stored_device(&row?)?);
    }
    Ok(SpaceInfo {
        space: space.clone(),
        devices,
        head,
    })
}

fn add_device_row(
    connection: &Connection,
    key: i64,
    device: &DeviceId,
    member: Option<&MemberTag>,
    now: u64,
) -> Result<(), StoreError> {
    connection
        .prepare_cached(
            "INSERT INTO devices (space, device, added_at, member) VALUES (?1, ?2, ?3, ?4)",
        )?
        .execute(params![
            key,
            device.as_bytes(),
            to_i64(now)?,
            member.map(MemberTag::as_str)
        ])?;
    Ok(())
}

/// The person each device of a space counts as.
fn people(connection: &Connection, key: i64) -> Result<Vec<String>, StoreError> {
    let mut statement =
        connection.prepare_cached("SELECT device, member FROM devices WHERE space = ?1")?;
    let rows = statement.query_map([key], |row| {
        Ok((row.get::<_, Vec<u8>>(0)?, row.get::<_, Option<String>>(1)?))
    })?;
    let mut people = Vec::new();
    for row in rows {
        let (device, member) = row?;
        people.push(rules::person(&stored_device(&device)?, member.as_deref()));
    }
    Ok(people)
}

/// What `device` is in the space `key`: listed, removed, or unknown, with
/// the person it counts as.
fn removal_target(
    connection: &Connection,
    key: i64,
    device: &DeviceId,
) -> Result<rules::RemovalTarget, StoreError> {
    let found: Option<(bool, Option<String>)> = connection
        .prepare_cached(
            "SELECT 1, member FROM devices WHERE space = ?1 AND device = ?2
             UNION ALL
             SELECT 0, member FROM removed_devices WHERE space = ?1 AND device = ?2",
        )?
        .query_row(params![key, device.as_bytes()], |row| {
            Ok((row.get(0)?, row.get(1)?))
        })
        .optional()?;
    Ok(match found {
        None => rules::RemovalTarget::Unknown,
        Some((true, member)) => {
            rules::RemovalTarget::Listed(rules::person(device, member.as_deref()))
        }
        Some((false, member)) => {
            rules::RemovalTarget::Removed(rules::person(device, member.as_deref()))
        }
    })
}

fn remove_device(
    connection: &Connection,
    space: &SpaceId,
    by: &DeviceId,
    device: &DeviceId,
    now: u64,
) -> Result<bool, StoreError> {
    let found = member(connection, space, by)?;
    let rules::RemovalTarget::Listed(remover) = removal_target(connection, found.key, by)? else {
        return Err(StoreError::NotAMember);
    };
    let target = removal_target(connection, found.key, device)?;
    if !rules::check_removal(&remover, &target)? {
        return Ok(false);
    }
    connection
        .prepare_cached(
            "INSERT INTO removed_devices (space, device, member, removed_by, removed_at)
             SELECT space, device, member, ?3, ?4 FROM devices WHERE space = ?1 AND device = ?2",
        )?
        .execute(params![
            found.key,
            device.as_bytes(),
            by.as_bytes(),
            to_i64(now)?
        ])?;
    connection
        .prepare_cached("DELETE FROM devices WHERE space = ?1 AND device = ?2")?
        .execute(params![found.key, device.as_bytes()])?;
    Ok(true)
}

/// The signed statement that erased `space`, if a member erased it.
fn erasure(connection: &Connection, space: &SpaceId) -> Result<Option<Deletion>, StoreError> {
    let text: Option<String> = connection
        .prepare_cached("SELECT deletion FROM erasures WHERE id = ?1")?
        .query_row([space.as_str()], |row| row.get(0))
        .optional()?;
    Ok(stored_deletion(text.as_deref()))
}

/// `Some` when `doc` was forgotten, with the statement that forgot it
/// (none for tombstones older than signed deletions).
fn forgotten(
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

/// The (seq, digest) a blob id already has, live or compacted away.
fn stored_blob_id(
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
fn insert_blob(
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

/// What a space holds: (ciphertext bytes, blobs).
fn usage(connection: &Connection, key: i64) -> Result<(u64, u64), StoreError> {
    let (bytes, blobs): (i64, i64) = connection
        .prepare_cached("SELECT bytes, blobs FROM spaces WHERE key = ?1")?
        .query_row([key], |row| Ok((row.get(0)?, row.get(1)?)))?;
    Ok((stored_u64(bytes)?, stored_u64(blobs)?))
}

/// Moves a space's usage by (bytes, blobs).
fn add_usage(connection: &Connection, key: i64, bytes: i64, blobs: i64) -> Result<(), StoreError> {
    connection
        .prepare_cached(
            "UPDATE spaces SET bytes = max(bytes + ?2, 0), blobs = max(blobs + ?3, 0) WHERE key = ?1",
        )?
        .execute(params![key, bytes, blobs])?;
    Ok(())
}

/// Deletes the blobs `sql` selects (parameters: space key, document and
/// optionally a seq) and answers how many bytes and blobs went.
fn delete_counted(
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

fn set_head(connection: &Connection, key: i64, head: u64) -> Result<(), StoreError> {
    connection
        .prepare_cached("UPDATE spaces SET head = ?2 WHERE key = ?1")?
        .execute(params![key, to_i64(head)?])?;
    Ok(())
}

fn push(
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
        rules::check_quota(usage(connection, space.key)?, adds, quota)?;
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
        set_head(connection, space.key, plan.response.head)?;
        add_usage(
            connection,
            space.key,
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

fn pull(
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
    Ok(page.finish(space.head, space.created_at))
}

fn forget(
    connection: &Connection,
    space: &SpaceId,
    by: &DeviceId,
    doc: &DocumentId,
    deletion: &Deletion,
) -> Result<Outcome<u64>, StoreError> {
    let space = member(connection, space, by)?;
    let earlier: Option<i64> = connection
        .prepare_cached("SELECT seq FROM tombstones WHERE space = ?1 AND doc = ?2")?
        .query_row(params![space.key, doc.as_str()], |row| row.get(0))
        .optional()?;
    if let Some(seq) = earlier {
        return Ok(Outcome {
            value: stored_u64(seq)?,
            created: false,
        });
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
    add_usage(connection, space.key, -bytes, -blobs)?;
    connection
        .prepare_cached("DELETE FROM compacted WHERE space = ?1 AND doc = ?2")?
        .execute(params![space.key, doc.as_str()])?;
    set_head(connection, space.key, seq)?;
    Ok(Outcome {
        value: seq,
        created: true,
    })
}

fn compact(
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

fn erase(
    connection: &Connection,
    space: &SpaceId,
    by: &DeviceId,
    erasure: &Deletion,
    now: u64,
) -> Result<(), StoreError> {
    let id = space;
    let space = member(connection, space, by)?;
    for table in [
        "blobs",
        "compacted",
        "tombstones",
        "devices",
        "removed_devices",
    ] {
        connection
            .prepare_cached(&format!("DELETE FROM {table} WHERE space = ?1"))?
            .execute([space.key])?;
    }
    connection
        .prepare_cached("DELETE FROM spaces WHERE key = ?1")?
        .execute([space.key])?;
    connection
        .prepare_cached(
            "INSERT OR REPLACE INTO erasures (id, deletion, erased_at) VALUES (?1, ?2, ?3)",
        )?
        .execute(params![id.as_str(), deletion_text(erasure)?, to_i64(now)?])?;
    Ok(())
}

/// A pairing mailbox's stored state.
struct Mailbox {
    side_a: String,
    side_b: Option<String>,
    expires_at: u64,
    closed: bool,
    last_seq: u64,
}

fn mailbox(connection: &Connection, nameplate: &Nameplate) -> Result<Mailbox, StoreError> {
    let row: Option<(String, Option<String>, i64, bool, i64)> = connection
        .prepare_cached(
            "SELECT side_a, side_b, expires_at, closed, last_seq FROM pairings WHERE nameplate = ?1",
        )?
        .query_row([nameplate.as_str()], |row| {
            Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?, row.get(4)?))
        })
        .optional()?;
    let (side_a, side_b, expires_at, closed, last_seq) = row.ok_or(StoreError::PairingUnknown)?;
    Ok(Mailbox {
        side_a,
        side_b,
        expires_at: stored_u64(expires_at)?,
        closed,
        last_seq: stored_u64(last_seq)?,
    })
}

/// A mailbox that is open now and held by `side`.
fn open_mailbox(
    connection: &Connection,
    nameplate: &Nameplate,
    side: &PairingSide,
    now: u64,
) -> Result<Mailbox, StoreError> {
    let found = mailbox(connection, nameplate)?;
    pairing_state(found.closed, found.expires_at, now)?;
    rules::check_side(&found.side_a, found.side_b.as_deref(), side.as_str())?;
    Ok(found)
}

fn open_pairing(
    connection: &Connection,
    side: &PairingSide,
    now: u64,
    ttl_secs: u64,
) -> Result<PairingOpened, StoreError> {
    let expires_at = now + ttl_secs;
    let mut insert = connection.prepare_cached(
        "INSERT OR IGNORE INTO pairings (nameplate, side_a, expires_at) VALUES (?1, ?2, ?3)",
    )?;
    for nameplate in nameplate_candidates() {
        if insert.execute(params![
            nameplate.as_str(),
            side.as_str(),
            to_i64(expires_at)?
        ])? == 1
        {
            return Ok(PairingOpened {
                nameplate,
                expires_at,
            });
        }
    }
    Err(StoreError::NameplatesExhausted)
}

fn claim_pairing(
    connection: &Connection,
    nameplate: &Nameplate,
    side: &PairingSide,
    now: u64,
) -> Result<PairingClaimed, StoreError> {
    let found = mailbox(connection, nameplate)?;
    pairing_state(found.closed, found.expires_at, now)?;
    if rules::claim(&found.side_a, found.side_b.as_deref(), side.as_str())? == Claim::Take {
        connection
            .prepare_cached("UPDATE pairings SET side_b = ?2 WHERE nameplate = ?1")?
            .execute(params![nameplate.as_str(), side.as_str()])?;
    }
    Ok(PairingClaimed {
        expires_at: found.expires_at,
    })
}

fn post_pairing(
    connection: &Connection,
    nameplate: &Nameplate,
    side: &PairingSide,
    body: &[u8],
    max_messages: u32,
    now: u64,
) -> Result<u64, StoreError> {
    let found = open_mailbox(connection, nameplate, side, now)?;
    let posted: i64 = connection
        .prepare_cached("SELECT COUNT(*) FROM pairing_messages WHERE nameplate = ?1 AND side = ?2")?
        .query_row(params![nameplate.as_str(), side.as_str()], |row| row.get(0))?;
    if posted >= i64::from(max_messages) {
        return Err(StoreError::PairingMessageLimit { max: max_messages });
    }
    let seq = found.last_seq + 1;
    connection
        .prepare_cached(
            "INSERT INTO pairing_messages (nameplate, seq, side, body) VALUES (?1, ?2, ?3, ?4)",
        )?
        .execute(params![
            nameplate.as_str(),
            to_i64(seq)?,
            side.as_str(),
            body
        ])?;
    connection
        .prepare_cached("UPDATE pairings SET last_seq = ?2 WHERE nameplate = ?1")?
        .execute(params![nameplate.as_str(), to_i64(seq)?])?;
    Ok(seq)
}

fn read_pairing(
    connection: &Connection,
    nameplate: &Nameplate,
    side: &PairingSide,
    after: u64,
    now: u64,
) -> Result<PairingMessages, StoreError> {
    let found = open_mailbox(connection, nameplate, side, now)?;
    let mut statement = connection.prepare_cached(
        "SELECT seq, body FROM pairing_messages
         WHERE nameplate = ?1 AND side <> ?2 AND seq > ?3 ORDER BY seq",
    )?;
    let rows = statement.query_map(
        params![nameplate.as_str(), side.as_str(), to_i64(after)?],
        |row| Ok((row.get::<_, i64>(0)?, row.get::<_, Vec<u8>>(1)?)),
    )?;
    let mut messages = Vec::new();
    for row in rows {
        let (seq, body) = row?;
        messages.push(PairingMessage {
            seq: stored_u64(seq)?,
            body,
        });
    }
    Ok(PairingMessages {
        messages,
        expires_at: found.expires_at,
    })
}

fn close_pairing(
    connection: &Connection,
    nameplate: &Nameplate,
    side: &PairingSide,
) -> Result<(), StoreError> {
    let found = mailbox(connection, nameplate)?;
    rules::check_side(&found.side_a, found.side_b.as_deref(), side.as_str())?;
    connection
        .prepare_cached("UPDATE pairings SET closed = 1 WHERE nameplate = ?1")?
        .execute([nameplate.as_str()])?;
    connection
        .prepare_cached("DELETE FROM pairing_messages WHERE nameplate = ?1")?
        .execute([nameplate.as_str()])?;
    Ok(())
}

/// Copies the WAL into the file and truncates it, so forgotten ciphertext
/// does not linger in old WAL frames.
fn checkpoint(connection: &Connection) -> Result<(), StoreError> {
    connection.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
    Ok(())
}

fn purge(connection: &Connection, now: u64, grace_secs: u64) -> Result<(), StoreError> {
    let now = to_i64(now)?;
    connection
        .prepare_cached(
            "DELETE FROM pairing_messages WHERE nameplate IN
                (SELECT nameplate FROM pairings WHERE expires_at <= ?1)",
        )?
        .execute([now])?;
    connection
        .prepare_cached("DELETE FROM pairings WHERE expires_at + ?2 <= ?1")?
        .execute(params![now, to_i64(grace_secs)?])?;
    Ok(())
}

impl Store for SqliteStore {
    fn create_space(
        &self,
        space: SpaceId,
        device: DeviceId,
        person: Option<MemberTag>,
        now: u64,
    ) -> StoreFuture<'_, Outcome<SpaceInfo>> {
        Box::pin(self.connection.write(move |connection| {
            let key: Option<i64> = connection
                .prepare_cached("SELECT key FROM spaces WHERE id = ?1")?
                .query_row([space.as_str()], |row| row.get(0))
                .optional()?;
            if key.is_some() {
                return match member(connection, &space, &device) {
                    Ok(found) => Ok(Outcome {
                        value: space_info(connection, &space, found.key, found.head)?,
                        created: false,
                    }),
                    Err(StoreError::NotAMember) => Err(StoreError::SpaceExists),
                    Err(other) => Err(other),
                };
            }
            connection
                .prepare_cached("INSERT INTO spaces (id, head, created_at) VALUES (?1, 0, ?2)")?
                .execute(params![space.as_str(), to_i64(now)?])?;
            connection
                .prepare_cached("DELETE FROM erasures WHERE id = ?1")?
                .execute([space.as_str()])?;
            let key = connection.last_insert_rowid();
            add_device_row(connection, key, &device, person.as_ref(), now)?;
            Ok(Outcome {
                value: space_info(connection, &space, key, 0)?,
                created: true,
            })
        }))
    }

    fn space_info(&self, space: SpaceId, device: DeviceId) -> StoreFuture<'_, SpaceInfo> {
        Box::pin(self.connection.read(move |connection| {
            let found = member(connection, &space, &device)?;
            space_info(connection, &space, found.key, found.head)
        }))
    }

    fn add_device(
        &self,
        space: SpaceId,
        by: DeviceId,
        new: NewDevice,
        max_devices: u32,
        now: u64,
    ) -> StoreFuture<'_, Outcome<SpaceInfo>> {
        Box::pin(self.connection.write(move |connection| {
            let found = member(connection, &space, &by)?;
            let info = space_info(connection, &space, found.key, found.head)?;
            if info.devices.contains(&new.device) {
                return Ok(Outcome {
                    value: info,
                    created: false,
                });
            }
            if matches!(
                removal_target(connection, found.key, &new.device)?,
                rules::RemovalTarget::Removed(_)
            ) {
                return Err(StoreError::DeviceRemoved);
            }
            if info.devices.len() >= max_devices as usize {
                return Err(StoreError::SpaceFull { max: max_devices });
            }
            rules::check_couple(
                &people(connection, found.key)?,
                &rules::person(&new.device, new.member.as_ref().map(MemberTag::as_str)),
            )?;
            add_device_row(connection, found.key, &new.device, new.member.as_ref(), now)?;
            let mut info = info;
            info.devices.push(new.device);
            Ok(Outcome {
                value: info,
                created: true,
            })
        }))
    }

    fn remove_device(
        &self,
        space: SpaceId,
        by: DeviceId,
        device: DeviceId,
        now: u64,
    ) -> StoreFuture<'_, bool> {
        Box::pin(
            self.connection
                .write(move |connection| remove_device(connection, &space, &by, &device, now)),
        )
    }

    fn erase_space(
        &self,
        space: SpaceId,
        by: DeviceId,
        erasure: Deletion,
        now: u64,
    ) -> StoreFuture<'_, ()> {
        Box::pin(
            self.connection
                .write(move |connection| erase(connection, &space, &by, &erasure, now)),
        )
    }

    fn erasure(&self, space: SpaceId) -> StoreFuture<'_, Option<Deletion>> {
        Box::pin(
            self.connection
                .read(move |connection| erasure(connection, &space)),
        )
    }

    fn push(
        &self,
        space: SpaceId,
        by: DeviceId,
        blobs: Vec<NewBlob>,
        quota: Quota,
    ) -> StoreFuture<'_, Pushed> {
        Box::pin(
            self.connection
                .write(move |connection| push(connection, &space, &by, blobs, quota)),
        )
    }

    fn pull(
        &self,
        space: SpaceId,
        by: DeviceId,
        bounds: PullBounds,
    ) -> StoreFuture<'_, PullResponse> {
        Box::pin(
            self.connection
                .read(move |connection| pull(connection, &space, &by, bounds)),
        )
    }

    fn forget(
        &self,
        space: SpaceId,
        by: DeviceId,
        doc: DocumentId,
        deletion: Deletion,
    ) -> StoreFuture<'_, Outcome<u64>> {
        Box::pin(async move {
            let outcome = self
                .connection
                .write(move |connection| forget(connection, &space, &by, &doc, &deletion))
                .await?;
            if outcome.created {
                // The forgotten ciphertext is zeroed in the file
                // (secure_delete); this empties the WAL of it too, at once
                // rather than at the next upkeep: an edited entry's old
                // words leave the relay with the sync that sent the edit.
                self.connection.write_alone(checkpoint).await?;
            }
            Ok(outcome)
        })
    }

    fn compact(
        &self,
        space: SpaceId,
        by: DeviceId,
        doc: DocumentId,
        upto: u64,
        snapshot: NewSnapshot,
    ) -> StoreFuture<'_, CompactResponse> {
        Box::pin(
            self.connection
                .write(move |connection| compact(connection, &space, &by, &doc, upto, &snapshot)),
        )
    }

    fn head(&self, space: SpaceId, device: DeviceId) -> StoreFuture<'_, u64> {
        Box::pin(
            self.connection
                .read(move |connection| Ok(member(connection, &space, &device)?.head)),
        )
    }

    fn claim_nonce(&self, key: [u8; 16], expires_at: u64) -> StoreFuture<'_, bool> {
        let fresh = self.nonces.claim(key, expires_at);
        Box::pin(async move { Ok(fresh) })
    }

    fn open_pairing(
        &self,
        side: PairingSide,
        now: u64,
        ttl_secs: u64,
    ) -> StoreFuture<'_, PairingOpened> {
        Box::pin(
            self.connection
                .write(move |connection| open_pairing(connection, &side, now, ttl_secs)),
        )
    }

    fn claim_pairing(
        &self,
        nameplate: Nameplate,
        side: PairingSide,
        now: u64,
    ) -> StoreFuture<'_, PairingClaimed> {
        Box::pin(
            self.connection
                .write(move |connection| claim_pairing(connection, &nameplate, &side, now)),
        )
    }

    fn post_pairing(
        &self,
        nameplate: Nameplate,
        side: PairingSide,
        body: Vec<u8>,
        max_messages: u32,
        now: u64,
    ) -> StoreFuture<'_, u64> {
        Box::pin(self.connection.write(move |connection| {
            post_pairing(connection, &nameplate, &side, &body, max_messages, now)
        }))
    }

    fn read_pairing(
        &self,
        nameplate: Nameplate,
        side: PairingSide,
        after: u64,
        now: u64,
    ) -> StoreFuture<'_, PairingMessages> {
        Box::pin(
            self.connection
                .read(move |connection| read_pairing(connection, &nameplate, &side, after, now)),
        )
    }

    fn close_pairing(&self, nameplate: Nameplate, side: PairingSide) -> StoreFuture<'_, ()> {
        Box::pin(
            self.connection
                .write(move |connection| close_pairing(connection, &nameplate, &side)),
        )
    }

    fn purge(&self, now: u64, grace_secs: u64) -> StoreFuture<'_, ()> {
        self.nonces.purge(now);
        Box::pin(async move {
            self.connection
                .write(move |connection| purge(connection, now, grace_secs))
                .await?;
            // What was deleted since is zeroed in the file (secure_delete)
            // and, with this, gone from the WAL too.
            self.connection.write_alone(checkpoint).await
        })
    }

    fn ping(&self) -> StoreFuture<'_, ()> {
        Box::pin(self.connection.read(|connection| {
            connection
                .prepare("SELECT 1 FROM spaces LIMIT 1")?
                .exists([])?;
            Ok(())
        }))
    }

    fn close(&self) -> StoreFuture<'_, ()> {
        Box::pin(async move {
            self.connection.close().await;
            Ok(())
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What the relay forgets is gone from its files after the next
    /// upkeep: freed pages are zeroed and the WAL is truncated.
    #[tokio::test]
    async fn forgotten_ciphertext_leaves_the_relay_files() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("relay.db");
        let store = SqliteStore::open(&path).unwrap();
        let key = ed25519_dalek::SigningKey::from_bytes(&[1; 32]);
        let device = DeviceId::from_key(&key.verifying_key());
        let space = SpaceId::parse("s").unwrap();
        let doc = DocumentId::parse("d").unwrap();
        store
            .create_space(space.clone(), device, None, 0)
            .await
            .unwrap();
        let marker = b"zanzibar-marigold-ciphertext".repeat(40);
        let blob = NewBlob {
            id: BlobId::parse("b").unwrap(),
            doc: doc.clone(),
            data: marker.clone(),
        };
        let quota = Quota {
            bytes: 1 << 20,
            blobs: 10,
        };
        store
            .push(space.clone(), device, vec![blob], quota)
            .await
            .unwrap();
        let deletion = Deletion::forget(&key, &space, &doc, 0);
        store.forget(space, device, doc, deletion).await.unwrap();
        store.purge(0, 0).await.unwrap();
        let mut bytes = std::fs::read(&path).unwrap();
        bytes.extend(std::fs::read(dir.path().join("relay.db-wal")).unwrap_or_default());
        assert!(
            !bytes.windows(marker.len()).any(|w| w == marker.as_slice()),
            "forgotten ciphertext is still in the relay's files"
        );
        store.close().await.unwrap();
    }

    /// A version 1 database gains signed deletions: tombstones it already
    /// holds stay (unsigned, which phones refuse to act on).
    #[test]
    fn a_version_1_database_moves_to_the_current_version() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("relay.db");
        let old = Connection::open(&path).unwrap();
        old.execute_batch(&format!("BEGIN; {SCHEMA} COMMIT;"))
            .unwrap();
        old.execute(
            "INSERT INTO tombstones (space, doc, seq) VALUES (1, 'd', 1)",
            [],
        )
        .unwrap();
        drop(old);
        let connection = open_connection(&path).unwrap();
        migrate(&connection).unwrap();
        let version: i64 = connection
            .query_row("PRAGMA user_version", [], |row| row.get(0))
            .unwrap();
        assert_eq!(version, SCHEMA_VERSION);
        let unsigned: Option<String> = connection
            .query_row("SELECT deletion FROM tombstones", [], |row| row.get(0))
            .unwrap();
        assert!(unsigned.is_none());
        assert_eq!(
            erasure(&connection, &SpaceId::parse("s").unwrap()).unwrap(),
            None
        );
        migrate(&connection).unwrap();
    }

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
                "INSERT INTO spaces (id, head, created_at) VALUES ('s', 9, 0)",
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
