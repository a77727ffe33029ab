//! Spaces: creating one, checking that a device belongs to one, what it
//! holds (its devices and head), and erasing one.

use hearth_protocol::{Deletion, DeviceId, MemberTag, SpaceId, SpaceInfo};
use rusqlite::{Connection, OptionalExtension, params};

use super::super::{
    Outcome, StoreError, deletion_text, new_incarnation, stored_deletion, stored_device,
    stored_u64, to_i64,
};
use super::devices::add_device_row;

/// A space the acting device belongs to.
pub(super) struct Member {
    pub(super) key: i64,
    pub(super) head: u64,
    /// Picked when the relay created the space (see `new_incarnation`).
    pub(super) incarnation: u64,
    /// What the space holds: (ciphertext bytes, blobs).
    pub(super) usage: (u64, u64),
}

pub(super) fn member(
    connection: &Connection,
    space: &SpaceId,
    device: &DeviceId,
) -> Result<Member, StoreError> {
    type Row = (i64, i64, bool, i64, bool, (i64, i64));
    let row: Option<Row> = connection
        .prepare_cached(
            "SELECT s.key, s.head,
                    EXISTS(SELECT 1 FROM devices d WHERE d.space = s.key AND d.device = ?2),
                    s.incarnation,
                    EXISTS(SELECT 1 FROM removed_devices r WHERE r.space = s.key AND r.device = ?2),
                    s.bytes, s.blobs
             FROM spaces s WHERE s.id = ?1",
        )?
        .query_row(params![space.as_str(), device.as_bytes()], |row| {
            Ok((
                row.get(0)?,
                row.get(1)?,
                row.get(2)?,
                row.get(3)?,
                row.get(4)?,
                (row.get(5)?, row.get(6)?),
            ))
        })
        .optional()?;
    match row {
        None => Err(match erasure(connection, space)? {
            Some(erasure) => StoreError::Erased(Box::new(erasure)),
            None => StoreError::UnknownSpace,
        }),
        Some((_, _, false, _, true, _)) => Err(StoreError::DeviceRemoved),
        Some((_, _, false, _, false, _)) => Err(StoreError::NotAMember),
        Some((key, head, true, incarnation, _, (bytes, blobs))) => Ok(Member {
            key,
            head: stored_u64(head)?,
            incarnation: stored_u64(incarnation)?,
            usage: (stored_u64(bytes)?, stored_u64(blobs)?),
        }),
    }
}

pub(super) fn space_info(
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

/// The signed statement that erased `space`, if a member erased it.
pub(super) fn erasure(
    connection: &Connection,
    space: &SpaceId,
) -> Result<Option<Deletion>, StoreError> {
    let text: Option<String> = connection
        .prepare_cached("SELECT deletion FROM erasures WHERE id = ?1")?
        .query_row([space.as_str()], |row| row.get(0))
        .optional()?;
    Ok(stored_deletion(text.as_deref()))
}

/// Creates `space` with `device` as its first device; an existing space
/// the device is in is returned unchanged.
pub(super) fn create_space(
    connection: &Connection,
    space: SpaceId,
    device: DeviceId,
    person: Option<MemberTag>,
    now: u64,
) -> Result<Outcome<SpaceInfo>, StoreError> {
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
        .prepare_cached("INSERT INTO spaces (id, head, incarnation) VALUES (?1, 0, ?2)")?
        .execute(params![space.as_str(), to_i64(new_incarnation()?)?])?;
    connection
        .prepare_cached("DELETE FROM erasures WHERE id = ?1")?
        .execute([space.as_str()])?;
    let key = connection.last_insert_rowid();
    add_device_row(connection, key, &device, person.as_ref(), now)?;
    Ok(Outcome {
        value: space_info(connection, &space, key, 0)?,
        created: true,
    })
}

pub(super) fn erase(
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
