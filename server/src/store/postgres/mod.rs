//! The scale-out backend: PostgreSQL, shared by any number of relay
//! processes. Writes to a space lock its row, so sequence numbers are
//! handed out and committed in order; every change is announced with
//! `NOTIFY`, and [`listener`] turns other processes' announcements into
//! wake-ups for this process's live streams and pairing reads; `nonces`
//! claims the replay guard's keys in batches.
//!
//! This module connects and maps the [`Store`] trait onto the methods that
//! do the work, one module per resource: `spaces`, `devices`, the blob
//! `log`, per-document `documents` (forget, compact), `pairing` mailboxes,
//! `maintenance` (purge) and `migration` (the schema).

mod devices;
mod documents;
pub mod listener;
mod log;
mod maintenance;
mod migration;
mod nonces;
mod pairing;
mod spaces;
pub(crate) mod tls;

use std::time::Duration;

use deadpool_postgres::GenericClient;
use deadpool_postgres::{ManagerConfig, Object, Pool, RecyclingMethod, Runtime};
use hearth_protocol::{
    CompactResponse, Deletion, DeviceId, DocumentId, MemberTag, Nameplate, NewBlob, NewSnapshot,
    PairingClaimed, PairingMessages, PairingOpened, PairingSide, PullResponse, SpaceId, SpaceInfo,
};
use tokio_postgres::Row;
use tokio_postgres::types::FromSql;

use super::{NewDevice, Outcome, PullBounds, Pushed, Quota, Store, StoreError, StoreFuture};
use crate::config::check_schema;

/// The PostgreSQL backend.
#[derive(Debug)]
pub struct PostgresStore {
    pool: Pool,
    config: tokio_postgres::Config,
    tls: tls::Tls,
    channel: String,
    instance: listener::Instance,
    nonces: nonces::NonceClaims,
}

impl PostgresStore {
    /// Connects, creates the schema if asked, and applies migrations.
    ///
    /// # Errors
    /// [`StoreError`] when the URL is invalid, the server unreachable, or
    /// the schema newer than this relay.
    pub async fn open(
        url: &str,
        schema: Option<&str>,
        pool_size: usize,
        ca_file: Option<&std::path::Path>,
    ) -> Result<Self, StoreError> {
        let mut config: tokio_postgres::Config = url.parse().map_err(|_| {
            StoreError::Backend(
                "the database URL is not a valid postgres:// URL (see the tokio-postgres URL format)"
                    .into(),
            )
        })?;
        if let Some(schema) = schema {
            check_schema(schema).map_err(|error| StoreError::Backend(error.to_string()))?;
            config.options(format!("-c search_path={schema}"));
        }
        config.connect_timeout(Duration::from_secs(10));
        let tls = tls::Tls::for_config(&config, ca_file)?;
        let connected = tls.connect(&config).await?;
        let prepared = migration::prepare(&connected.client, schema).await;
        drop(connected.client);
        let _ = connected.driver.await;
        let current = prepared?;
        let channel = format!("hearth_relay_{current}");
        let manager = tls.manager(
            config.clone(),
            ManagerConfig {
                recycling_method: RecyclingMethod::Fast,
            },
        );
        let pool = Pool::builder(manager)
            .max_size(pool_size.max(1))
            .runtime(Runtime::Tokio1)
            .wait_timeout(Some(Duration::from_secs(10)))
            .create_timeout(Some(Duration::from_secs(10)))
            .build()
            .map_err(|_| StoreError::Pool("the connection pool could not be built".into()))?;
        Ok(Self {
            nonces: nonces::NonceClaims::start(pool.clone()),
            pool,
            config,
            tls,
            channel,
            instance: getrandom::u64().map_err(|_| {
                StoreError::Backend("the OS random generator is unavailable".into())
            })?,
        })
    }

    /// The connection settings (for the notification listener).
    pub fn config(&self) -> &tokio_postgres::Config {
        &self.config
    }

    /// How connections are made (for the notification listener).
    pub(crate) fn tls(&self) -> &tls::Tls {
        &self.tls
    }

    /// The `NOTIFY` channel this relay's tables announce on.
    pub fn channel(&self) -> &str {
        &self.channel
    }

    /// This process's id in notifications.
    pub fn instance(&self) -> listener::Instance {
        self.instance
    }

    async fn client(&self) -> Result<Object, StoreError> {
        self.pool.get().await.map_err(|error| {
            StoreError::Pool(match error {
                deadpool_postgres::PoolError::Timeout(_) => {
                    "timed out waiting for a database connection".into()
                }
                deadpool_postgres::PoolError::Closed => "the pool is closed".into(),
                _ => "could not connect to the database".into(),
            })
        })
    }
}

fn col<'a, T: FromSql<'a>>(row: &'a Row, index: usize) -> Result<T, StoreError> {
    Ok(row.try_get(index)?)
}

async fn notify(
    client: &impl GenericClient,
    channel: &str,
    payload: &str,
) -> Result<(), StoreError> {
    let statement = client.prepare_cached("SELECT pg_notify($1, $2)").await?;
    client.execute(&statement, &[&channel, &payload]).await?;
    Ok(())
}

impl Store for PostgresStore {
    fn create_space(
        &self,
        space: SpaceId,
        device: DeviceId,
        person: Option<MemberTag>,
        now: u64,
    ) -> StoreFuture<'_, Outcome<SpaceInfo>> {
        Box::pin(self.insert_space(space, device, person, now))
    }

    fn space_info(&self, space: SpaceId, device: DeviceId) -> StoreFuture<'_, SpaceInfo> {
        Box::pin(async move {
            let client = self.client().await?;
            let found = spaces::member(&client, &space, &device, false).await?;
            spaces::space_info(&client, &space, found.key, found.head).await
        })
    }

    fn add_device(
        &self,
        space: SpaceId,
        by: DeviceId,
        new: NewDevice,
        max_devices: u32,
        now: u64,
    ) -> StoreFuture<'_, Outcome<SpaceInfo>> {
        Box::pin(self.admit_device(space, by, new, max_devices, now))
    }

    fn remove_device(
        &self,
        space: SpaceId,
        by: DeviceId,
        device: DeviceId,
        now: u64,
    ) -> StoreFuture<'_, bool> {
        Box::pin(self.evict_device(space, by, device, now))
    }

    fn erase_space(
        &self,
        space: SpaceId,
        by: DeviceId,
        erasure: Deletion,
        now: u64,
    ) -> StoreFuture<'_, ()> {
        Box::pin(self.wipe_space(space, by, erasure, now))
    }

    fn push(
        &self,
        space: SpaceId,
        by: DeviceId,
        blobs: Vec<NewBlob>,
        quota: Quota,
    ) -> StoreFuture<'_, Pushed> {
        Box::pin(self.push_blobs(space, by, blobs, quota))
    }

    fn pull(
        &self,
        space: SpaceId,
        by: DeviceId,
        bounds: PullBounds,
    ) -> StoreFuture<'_, PullResponse> {
        Box::pin(self.pull_items(space, by, bounds))
    }

    fn forget(
        &self,
        space: SpaceId,
        by: DeviceId,
        doc: DocumentId,
        deletion: Deletion,
    ) -> StoreFuture<'_, Outcome<u64>> {
        Box::pin(self.forget_document(space, by, doc, deletion))
    }

    fn erasure(&self, space: SpaceId) -> StoreFuture<'_, Option<Deletion>> {
        Box::pin(async move {
            let client = self.client().await?;
            spaces::erasure(&client, &space).await
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
        Box::pin(self.compact_document(space, by, doc, upto, snapshot))
    }

    fn head(&self, space: SpaceId, device: DeviceId) -> StoreFuture<'_, u64> {
        Box::pin(async move {
            let client = self.client().await?;
            Ok(spaces::member(&client, &space, &device, false).await?.head)
        })
    }

    fn claim_nonce(&self, key: [u8; 16], expires_at: u64) -> StoreFuture<'_, bool> {
        Box::pin(self.nonces.claim(key, expires_at))
    }

    fn open_pairing(
        &self,
        side: PairingSide,
        now: u64,
        ttl_secs: u64,
    ) -> StoreFuture<'_, PairingOpened> {
        Box::pin(self.open_pairing_mailbox(side, now, ttl_secs))
    }

    fn claim_pairing(
        &self,
        nameplate: Nameplate,
        side: PairingSide,
        now: u64,
    ) -> StoreFuture<'_, PairingClaimed> {
        Box::pin(self.claim_pairing_side(nameplate, side, now))
    }

    fn post_pairing(
        &self,
        nameplate: Nameplate,
        side: PairingSide,
        body: Vec<u8>,
        max_messages: u32,
        now: u64,
    ) -> StoreFuture<'_, u64> {
        Box::pin(self.post_pairing_message(nameplate, side, body, max_messages, now))
    }

    fn read_pairing(
        &self,
        nameplate: Nameplate,
        side: PairingSide,
        after: u64,
        now: u64,
    ) -> StoreFuture<'_, PairingMessages> {
        Box::pin(self.read_pairing_messages(nameplate, side, after, now))
    }

    fn close_pairing(&self, nameplate: Nameplate, side: PairingSide) -> StoreFuture<'_, ()> {
        Box::pin(self.close_pairing_mailbox(nameplate, side))
    }

    fn purge(&self, now: u64, grace_secs: u64) -> StoreFuture<'_, ()> {
        Box::pin(self.purge_expired(now, grace_secs))
    }

    fn ping(&self) -> StoreFuture<'_, ()> {
        Box::pin(async move {
            let client = self.client().await?;
            client
                .query_opt("SELECT 1 FROM spaces LIMIT 1", &[])
                .await?;
            Ok(())
        })
    }

    fn close(&self) -> StoreFuture<'_, ()> {
        Box::pin(async move {
            self.pool.close();
            Ok(())
        })
    }
}
