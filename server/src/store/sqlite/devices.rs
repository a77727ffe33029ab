//! A space's devices: admitting one (at most two people per space), the
//! person each counts as, and removing one.

use hearth_protocol::{DeviceId, MemberTag, SpaceId, SpaceInfo};
use rusqlite::{Connection, OptionalExtension, params};

use super::super::rules;
use super::super::{NewDevice, Outcome, StoreError, stored_device, to_i64};
use super::spaces::{member, space_info};

pub(super) fn add_device_row(
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

pub(super) fn remove_device(
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

/// Admits `new` into `space` on behalf of its device `by`, unless that
/// makes a third person.
pub(super) fn add_device(
    connection: &Connection,
    space: SpaceId,
    by: DeviceId,
    new: NewDevice,
    max_devices: u32,
    now: u64,
) -> Result<Outcome<SpaceInfo>, StoreError> {
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
}
