//! Spaces: creating one, checking that a device belongs to one (and
//! locking its row for a write), what it holds (its devices and head),
//! and erasing one.

use deadpool_postgres::GenericClient;
use hearth_protocol::{Deletion, DeviceId, MemberTag, SpaceId, SpaceInfo};

use super::super::{
    Outcome, StoreError, deletion_text, new_incarnation, stored_deletion, stored_device,
    stored_u64, to_i64,
};
use super::devices::add_device_row;
use super::{PostgresStore, col, listener, notify};

/// A space the acting device belongs to.
pub(super) struct Member {
    pub(super) key: i64,
    pub(super) head: u64,
    /// Picked when the relay created the space (see `new_incarnation`).
    pub(super) incarnation: u64,
}

/// Looks up the space and checks membership; `lock` takes the space row
/// for the rest of the transaction (every write does, so writes to one
/// space commit in sequence order).
pub(super) async fn member(
    client: &impl GenericClient,
    space: &SpaceId,
    device: &DeviceId,
    lock: bool,
) -> Result<Member, StoreError> {
    let sql = if lock {
        "SELECT s.key, s.head,
                EXISTS(SELECT 1 FROM devices d WHERE d.space = s.key AND d.device = $2),
                s.incarnation,
                EXISTS(SELECT 1 FROM removed_devices r WHERE r.space = s.key AND r.device = $2)
         FROM spaces s WHERE s.id = $1 FOR UPDATE OF s"
    } else {
        "SELECT s.key, s.head,
                EXISTS(SELECT 1 FROM devices d WHERE d.space = s.key AND d.device = $2),
                s.incarnation,
                EXISTS(SELECT 1 FROM removed_devices r WHERE r.space = s.key AND r.device = $2)
         FROM spaces s WHERE s.id = $1"
    };
    let statement = client.prepare_cached(sql).await?;
    let Some(row) = client
        .query_opt(
            &statement,
            &[&space.as_str(), &device.as_bytes().as_slice()],
        )
        .await?
    else {
        return Err(match erasure(client, space).await? {
            Some(erasure) => StoreError::Erased(Box::new(erasure)),
            None => StoreError::UnknownSpace,
        });
    };
    if !col::<bool>(&row, 2)? {
        return Err(if col::<bool>(&row, 4)? {
            StoreError::DeviceRemoved
        } else {
            StoreError::NotAMember
        });
    }
    Ok(Member {
        key: col(&row, 0)?,
        head: stored_u64(col(&row, 1)?)?,
        incarnation: stored_u64(col(&row, 3)?)?,
    })
}

pub(super) async fn space_info(
    client: &impl GenericClient,
    space: &SpaceId,
    key: i64,
    head: u64,
) -> Result<SpaceInfo, StoreError> {
    let statement = client
        .prepare_cached("SELECT device FROM devices WHERE space = $1 ORDER BY position")
        .await?;
    let mut devices = Vec::new();
    for row in client.query(&statement, &[&key]).await? {
        devices.push(stored_device(col::<&[u8]>(&row, 0)?)?);
    }
    Ok(SpaceInfo {
        space: space.clone(),
        devices,
        head,
    })
}

/// The signed statement that erased `space`, if a member erased it.
pub(super) async fn erasure(
    client: &impl GenericClient,
    space: &SpaceId,
) -> Result<Option<Deletion>, StoreError> {
    let statement = client
        .prepare_cached("SELECT deletion FROM erasures WHERE id = $1")
        .await?;
    let row = client.query_opt(&statement, &[&space.as_str()]).await?;
    Ok(match row {
        Some(row) => stored_deletion(Some(col::<&str>(&row, 0)?)),
        None => None,
    })
}

impl PostgresStore {
    pub(super) async fn insert_space(
        &self,
        space: SpaceId,
        device: DeviceId,
        person: Option<MemberTag>,
        now: u64,
    ) -> Result<Outcome<SpaceInfo>, StoreError> {
        let mut client = self.client().await?;
        let transaction = client.transaction().await?;
        let insert = transaction
            .prepare_cached(
                "INSERT INTO spaces (id, head, incarnation) VALUES ($1, 0, $2)
                 ON CONFLICT (id) DO NOTHING RETURNING key",
            )
            .await?;
        let created = transaction
            .query_opt(&insert, &[&space.as_str(), &to_i64(new_incarnation()?)?])
            .await?;
        let outcome = match created {
            Some(row) => {
                let key: i64 = col(&row, 0)?;
                add_device_row(&transaction, key, &device, person.as_ref(), now).await?;
                let forget_erasure = transaction
                    .prepare_cached("DELETE FROM erasures WHERE id = $1")
                    .await?;
                transaction
                    .execute(&forget_erasure, &[&space.as_str()])
                    .await?;
                Outcome {
                    value: space_info(&transaction, &space, key, 0).await?,
                    created: true,
                }
            }
            None => match member(&transaction, &space, &device, false).await {
                Ok(found) => Outcome {
                    value: space_info(&transaction, &space, found.key, found.head).await?,
                    created: false,
                },
                Err(StoreError::NotAMember) => return Err(StoreError::SpaceExists),
                Err(other) => return Err(other),
            },
        };
        transaction.commit().await?;
        Ok(outcome)
    }

    pub(super) async fn wipe_space(
        &self,
        space: SpaceId,
        by: DeviceId,
        erasure: Deletion,
        now: u64,
    ) -> Result<(), StoreError> {
        let mut client = self.client().await?;
        let transaction = client.transaction().await?;
        let found = member(&transaction, &space, &by, true).await?;
        for table in [
            "blobs",
            "compacted",
            "tombstones",
            "devices",
            "removed_devices",
            "spaces",
        ] {
            let column = if table == "spaces" { "key" } else { "space" };
            let statement = transaction
                .prepare_cached(&format!("DELETE FROM {table} WHERE {column} = $1"))
                .await?;
            transaction.execute(&statement, &[&found.key]).await?;
        }
        let keep = transaction
            .prepare_cached(
                "INSERT INTO erasures (id, deletion, erased_at) VALUES ($1, $2, $3)
                 ON CONFLICT (id) DO UPDATE SET deletion = $2, erased_at = $3",
            )
            .await?;
        transaction
            .execute(
                &keep,
                &[&space.as_str(), &deletion_text(&erasure)?, &to_i64(now)?],
            )
            .await?;
        notify(
            &transaction,
            &self.channel,
            &listener::erased_payload(self.instance, &space),
        )
        .await?;
        transaction.commit().await?;
        Ok(())
    }
}
