//! A space's devices: admitting one (at most two people per space), the
//! person each counts as, and removing one; and the removed devices the
//! notification listener ends live streams for after a reconnect.

use deadpool_postgres::GenericClient;
use hearth_protocol::{DeviceId, MemberTag, SpaceId, SpaceInfo};

use super::super::rules;
use super::super::{NewDevice, Outcome, StoreError, stored_device, stored_id, to_i64};
use super::spaces::{member, space_info};
use super::{PostgresStore, col, listener, notify};

pub(super) async fn add_device_row(
    client: &impl GenericClient,
    key: i64,
    device: &DeviceId,
    member: Option<&MemberTag>,
    now: u64,
) -> Result<(), StoreError> {
    let statement = client
        .prepare_cached(
            "INSERT INTO devices (space, device, added_at, member) VALUES ($1, $2, $3, $4)",
        )
        .await?;
    client
        .execute(
            &statement,
            &[
                &key,
                &device.as_bytes().as_slice(),
                &to_i64(now)?,
                &member.map(MemberTag::as_str),
            ],
        )
        .await?;
    Ok(())
}

/// The person each device of a space counts as.
async fn people(client: &impl GenericClient, key: i64) -> Result<Vec<String>, StoreError> {
    let statement = client
        .prepare_cached("SELECT device, member FROM devices WHERE space = $1")
        .await?;
    let mut people = Vec::new();
    for row in client.query(&statement, &[&key]).await? {
        let device = stored_device(col::<&[u8]>(&row, 0)?)?;
        people.push(rules::person(&device, col::<Option<&str>>(&row, 1)?));
    }
    Ok(people)
}

/// What `device` is in the space `key`: listed, removed, or unknown, with
/// the person it counts as.
async fn removal_target(
    client: &impl GenericClient,
    key: i64,
    device: &DeviceId,
) -> Result<rules::RemovalTarget, StoreError> {
    let statement = client
        .prepare_cached(
            "SELECT true, member FROM devices WHERE space = $1 AND device = $2
             UNION ALL
             SELECT false, member FROM removed_devices WHERE space = $1 AND device = $2",
        )
        .await?;
    let row = client
        .query_opt(&statement, &[&key, &device.as_bytes().as_slice()])
        .await?;
    Ok(match row {
        None => rules::RemovalTarget::Unknown,
        Some(row) => {
            let person = rules::person(device, col::<Option<&str>>(&row, 1)?);
            if col::<bool>(&row, 0)? {
                rules::RemovalTarget::Listed(person)
            } else {
                rules::RemovalTarget::Removed(person)
            }
        }
    })
}

impl PostgresStore {
    pub(super) async fn admit_device(
        &self,
        space: SpaceId,
        by: DeviceId,
        new: NewDevice,
        max_devices: u32,
        now: u64,
    ) -> Result<Outcome<SpaceInfo>, StoreError> {
        let mut client = self.client().await?;
        let transaction = client.transaction().await?;
        let found = member(&transaction, &space, &by, true).await?;
        let mut info = space_info(&transaction, &space, found.key, found.head).await?;
        if info.devices.contains(&new.device) {
            return Ok(Outcome {
                value: info,
                created: false,
            });
        }
        if matches!(
            removal_target(&transaction, found.key, &new.device).await?,
            rules::RemovalTarget::Removed(_)
        ) {
            return Err(StoreError::DeviceRemoved);
        }
        if info.devices.len() >= max_devices as usize {
            return Err(StoreError::SpaceFull { max: max_devices });
        }
        rules::check_couple(
            &people(&transaction, found.key).await?,
            &rules::person(&new.device, new.member.as_ref().map(MemberTag::as_str)),
        )?;
        add_device_row(
            &transaction,
            found.key,
            &new.device,
            new.member.as_ref(),
            now,
        )
        .await?;
        transaction.commit().await?;
        info.devices.push(new.device);
        Ok(Outcome {
            value: info,
            created: true,
        })
    }

    pub(super) async fn evict_device(
        &self,
        space: SpaceId,
        by: DeviceId,
        device: DeviceId,
        now: u64,
    ) -> Result<bool, StoreError> {
        let mut client = self.client().await?;
        let transaction = client.transaction().await?;
        let found = member(&transaction, &space, &by, true).await?;
        let rules::RemovalTarget::Listed(remover) =
            removal_target(&transaction, found.key, &by).await?
        else {
            return Err(StoreError::NotAMember);
        };
        let target = removal_target(&transaction, found.key, &device).await?;
        if !rules::check_removal(&remover, &target)? {
            return Ok(false);
        }
        let keep = transaction
            .prepare_cached(
                "INSERT INTO removed_devices (space, device, member, removed_by, removed_at)
                 SELECT space, device, member, $3, $4 FROM devices
                 WHERE space = $1 AND device = $2",
            )
            .await?;
        transaction
            .execute(
                &keep,
                &[
                    &found.key,
                    &device.as_bytes().as_slice(),
                    &by.as_bytes().as_slice(),
                    &to_i64(now)?,
                ],
            )
            .await?;
        let drop = transaction
            .prepare_cached("DELETE FROM devices WHERE space = $1 AND device = $2")
            .await?;
        transaction
            .execute(&drop, &[&found.key, &device.as_bytes().as_slice()])
            .await?;
        notify(
            &transaction,
            &self.channel,
            &listener::removed_payload(self.instance, &space, &device),
        )
        .await?;
        transaction.commit().await?;
        Ok(true)
    }
}

/// The devices removed from `spaces`: after a reconnect, their live
/// streams on this relay must end even if the notification was missed.
pub(crate) async fn removed_devices(
    client: &tokio_postgres::Client,
    spaces: &[SpaceId],
) -> Result<Vec<(SpaceId, DeviceId)>, StoreError> {
    let ids: Vec<&str> = spaces.iter().map(SpaceId::as_str).collect();
    let mut removed = Vec::new();
    for row in client
        .query(
            "SELECT s.id, r.device FROM removed_devices r JOIN spaces s ON s.key = r.space
             WHERE s.id = ANY($1)",
            &[&ids],
        )
        .await?
    {
        removed.push((
            stored_id::<SpaceId>(col::<&str>(&row, 0)?)?,
            stored_device(col::<&[u8]>(&row, 1)?)?,
        ));
    }
    Ok(removed)
}
