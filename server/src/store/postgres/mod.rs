//! The scale-out backend: PostgreSQL, shared by any number of relay
//! processes. Writes to a space lock its row, so sequence numbers are
//! handed out and committed in order; every change is announced with
//! `NOTIFY`, and [`listener`] turns other processes' announcements into
//! wake-ups for this process's live streams and pairing reads; `nonces`
//! claims the replay guard's keys in batches.

pub mod listener;
mod nonces;
pub(crate) mod tls;

use std::collections::HashMap;
use std::time::Duration;

use deadpool_postgres::GenericClient;
use deadpool_postgres::{ManagerConfig, Object, Pool, RecyclingMethod, Runtime};
use hearth_protocol::{
    CompactResponse, Deletion, DeviceId, DocumentId, LogItem, MemberTag, Nameplate, NewBlob,
    NewSnapshot, PairingClaimed, PairingMessage, PairingMessages, PairingOpened, PairingSide,
    PullResponse, SpaceId, SpaceInfo, StoredBlob, Tombstone,
};
use tokio_postgres::Row;
use tokio_postgres::types::FromSql;

use super::rules::{self, Claim, Page};
use super::{
    NewDevice, Outcome, PullBounds, Pushed, Quota, Store, StoreError, StoreFuture, blob_digest,
    deletion_text, nameplate_candidates, pairing_state, stored_deletion, stored_device, stored_id,
    stored_u64, to_i64,
};
use crate::config::check_schema;

const SCHEMA: &str = include_str!("schema.sql");
const SCHEMA_2: &str = include_str!("schema_2.sql");
const SCHEMA_3: &str = include_str!("schema_3.sql");
const SCHEMA_VERSION: i32 = 3;
/// Serialises schema set-up across relay processes starting together.
const MIGRATION_LOCK: i64 = 0x6865_6172_7468_0001;

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
        let prepared = prepare(&connected.client, schema).await;
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

/// Creates the schema and tables if needed; answers the schema in use.
async fn prepare(
    client: &tokio_postgres::Client,
    schema: Option<&str>,
) -> Result<String, StoreError> {
    client
        .execute("SELECT pg_advisory_lock($1)", &[&MIGRATION_LOCK])
        .await?;
    let result = migrate(client, schema).await;
    let unlocked = client
        .execute("SELECT pg_advisory_unlock($1)", &[&MIGRATION_LOCK])
        .await;
    let current = result?;
    unlocked?;
    Ok(current)
}

async fn migrate(
    client: &tokio_postgres::Client,
    schema: Option<&str>,
) -> Result<String, StoreError> {
    if let Some(schema) = schema {
        // Checked by check_schema: a safe identifier.
        client
            .batch_execute(&format!("CREATE SCHEMA IF NOT EXISTS {schema}"))
            .await?;
    }
    let current: Option<String> = client
        .query_one("SELECT current_schema()", &[])
        .await?
        .try_get(0)?;
    let current = current.ok_or_else(|| {
        StoreError::Backend(
            "the database has no schema to create tables in; create one or pass a schema".into(),
        )
    })?;
    client
        .batch_execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)")
        .await?;
    let version: Option<i32> = match client
        .query_opt("SELECT max(version) FROM schema_version", &[])
        .await?
    {
        Some(row) => row.try_get(0)?,
        None => None,
    };
    match version {
        None => {
            client
                .batch_execute(&format!(
                    "BEGIN; {SCHEMA}\n{SCHEMA_2}\n{SCHEMA_3}\nINSERT INTO schema_version (version) VALUES ({SCHEMA_VERSION}); COMMIT;"
                ))
                .await?;
        }
        Some(1) => {
            client
                .batch_execute(&format!(
                    "BEGIN; {SCHEMA_2}\n{SCHEMA_3}\nINSERT INTO schema_version (version) VALUES ({SCHEMA_VERSION}); COMMIT;"
                ))
                .await?;
        }
        Some(2) => {
            client
                .batch_execute(&format!(
                    "BEGIN; {SCHEMA_3}\nINSERT INTO schema_version (version) VALUES ({SCHEMA_VERSION}); COMMIT;"
                ))
                .await?;
        }
        Some(SCHEMA_VERSION) => {}
        Some(other) => {
            return Err(StoreError::Backend(format!(
                "the database has schema version {other}, not {SCHEMA_VERSION}; run a matching relay"
            )));
        }
    }
    Ok(current)
}

fn col<'a, T: FromSql<'a>>(row: &'a Row, index: usize) -> Result<T, StoreError> {
    Ok(row.try_get(index)?)
}

/// A space the acting device belongs to.
struct Member {
    key: i64,
    head: u64,
    /// When the relay created the space (its incarnation).
    created_at: u64,
}

/// Looks up the space and checks membership; `lock` takes the space row
/// for the rest of the transaction (every write does, so writes to one
/// space commit in sequence order).
async fn member(
    client: &impl GenericClient,
    space: &SpaceId,
    device: &DeviceId,
    lock: bool,
) -> Result<Member, StoreError> {
    let sql = if lock {
        "SELECT s.key, s.head,
                EXISTS(SELECT 1 FROM devices d WHERE d.space = s.key AND d.device = $2),
                s.created_at,
                EXISTS(SELECT 1 FROM removed_devices r WHERE r.space = s.key AND r.device = $2)
         FROM spaces s WHERE s.id = $1 FOR UPDATE OF s"
    } else {
        "SELECT s.key, s.head,
                EXISTS(SELECT 1 FROM devices d WHERE d.space = s.key AND d.device = $2),
                s.created_at,
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
        created_at: stored_u64(col(&row, 3)?)?,
    })
}

async fn space_info(
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

async fn add_device_row(
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

async fn notify(
    client: &impl GenericClient,
    channel: &str,
    payload: &str,
) -> Result<(), StoreError> {
    let statement = client.prepare_cached("SELECT pg_notify($1, $2)").await?;
    client.execute(&statement, &[&channel, &payload]).await?;
    Ok(())
}

/// The (seq, digest) of blob ids already stored, live or compacted away.
/// Takes the space id (not its key) so it can be sent in the same pipeline
/// as the membership check.
async fn stored_blob_ids(
    client: &impl GenericClient,
    space: &SpaceId,
    ids: &[&str],
) -> Result<HashMap<String, (u64, Vec<u8>)>, StoreError> {
    let statement = client
        .prepare_cached(
            "WITH s AS (SELECT key FROM spaces WHERE id = $1)
             SELECT blob_id, seq, digest FROM blobs
                 WHERE space = (SELECT key FROM s) AND blob_id = ANY($2)
             UNION ALL
             SELECT blob_id, seq, digest FROM compacted
                 WHERE space = (SELECT key FROM s) AND blob_id = ANY($2)",
        )
        .await?;
    let mut found = HashMap::new();
    for row in client.query(&statement, &[&space.as_str(), &ids]).await? {
        found.insert(
            col::<String>(&row, 0)?,
            (stored_u64(col(&row, 1)?)?, col::<Vec<u8>>(&row, 2)?),
        );
    }
    Ok(found)
}

/// What a space holds: (ciphertext bytes, blobs).
async fn usage(client: &impl GenericClient, key: i64) -> Result<(u64, u64), StoreError> {
    let statement = client
        .prepare_cached("SELECT bytes, blobs FROM spaces WHERE key = $1")
        .await?;
    let row = client.query_one(&statement, &[&key]).await?;
    Ok((stored_u64(col(&row, 0)?)?, stored_u64(col(&row, 1)?)?))
}

/// The signed statement that erased `space`, if a member erased it.
async fn erasure(
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

/// The documents among `docs` that were forgotten, with the signed
/// statements that forgot them.
async fn forgotten_documents(
    client: &impl GenericClient,
    space: &SpaceId,
    docs: &[&str],
) -> Result<Vec<(DocumentId, Option<Deletion>)>, StoreError> {
    let statement = client
        .prepare_cached(
            "SELECT doc, deletion FROM tombstones
             WHERE space = (SELECT key FROM spaces WHERE id = $1) AND doc = ANY($2)",
        )
        .await?;
    let mut forgotten = Vec::new();
    for row in client.query(&statement, &[&space.as_str(), &docs]).await? {
        forgotten.push((
            stored_id(col::<&str>(&row, 0)?)?,
            stored_deletion(col::<Option<&str>>(&row, 1)?),
        ));
    }
    Ok(forgotten)
}

/// A pairing mailbox's stored state.
struct Mailbox {
    side_a: String,
    side_b: Option<String>,
    expires_at: u64,
    closed: bool,
    last_seq: u64,
}

async fn mailbox(
    client: &impl GenericClient,
    nameplate: &Nameplate,
    lock: bool,
) -> Result<Mailbox, StoreError> {
    let sql = if lock {
        "SELECT side_a, side_b, expires_at, closed, last_seq FROM pairings
         WHERE nameplate = $1 FOR UPDATE"
    } else {
        "SELECT side_a, side_b, expires_at, closed, last_seq FROM pairings WHERE nameplate = $1"
    };
    let statement = client.prepare_cached(sql).await?;
    let row = client
        .query_opt(&statement, &[&nameplate.as_str()])
        .await?
        .ok_or(StoreError::PairingUnknown)?;
    Ok(Mailbox {
        side_a: col(&row, 0)?,
        side_b: col(&row, 1)?,
        expires_at: stored_u64(col(&row, 2)?)?,
        closed: col(&row, 3)?,
        last_seq: stored_u64(col(&row, 4)?)?,
    })
}

impl PostgresStore {
    async fn push_blobs(
        &self,
        space: SpaceId,
        by: DeviceId,
        blobs: Vec<NewBlob>,
        quota: Quota,
    ) -> Result<Pushed, StoreError> {
        let mut client = self.client().await?;
        let transaction = client.transaction().await?;
        let docs: Vec<&str> = rules::push_documents(&blobs)
            .into_iter()
            .map(DocumentId::as_str)
            .collect();
        let ids: Vec<&str> = blobs.iter().map(|blob| blob.id.as_str()).collect();
        // Sent as one pipeline; the server runs them in order, so the two
        // reads see the space as locked by the first.
        let (found, forgotten, existing) = tokio::try_join!(
            member(&transaction, &space, &by, true),
            forgotten_documents(&transaction, &space, &docs),
            stored_blob_ids(&transaction, &space, &ids),
        )?;
        let plan = rules::plan_push(blobs, found.head, forgotten, &existing)?;
        let adds = plan.adds();
        if adds.1 > 0 {
            rules::check_quota(usage(&transaction, found.key).await?, adds, quota)?;
        }
        if plan.grew(found.head) {
            let mut seqs = Vec::with_capacity(plan.inserts.len());
            for blob in &plan.inserts {
                seqs.push(to_i64(blob.seq)?);
            }
            let ids: Vec<&str> = plan.inserts.iter().map(|b| b.id.as_str()).collect();
            let docs: Vec<&str> = plan.inserts.iter().map(|b| b.doc.as_str()).collect();
            let digests: Vec<&[u8]> = plan.inserts.iter().map(|b| b.digest.as_slice()).collect();
            let data: Vec<&[u8]> = plan.inserts.iter().map(|b| b.data.as_slice()).collect();
            // Insert, move the head and announce in one round trip.
            let write = transaction
                .prepare_cached(
                    "WITH inserted AS (
                         INSERT INTO blobs (space, seq, blob_id, doc, device, snapshot, digest, data)
                         SELECT $1, t.seq, t.blob_id, t.doc, $2, false, t.digest, t.data
                         FROM UNNEST($3::bigint[], $4::text[], $5::text[], $6::bytea[], $7::bytea[])
                              AS t(seq, blob_id, doc, digest, data)
                     ), moved AS (
                         UPDATE spaces SET head = $8, bytes = bytes + $11, blobs = blobs + $12
                         WHERE key = $1
                     )
                     SELECT pg_notify($9, $10)",
                )
                .await?;
            let payload =
                listener::head_payload(self.instance, &space, found.head, plan.response.head, &by);
            transaction
                .execute(
                    &write,
                    &[
                        &found.key,
                        &by.as_bytes().as_slice(),
                        &seqs,
                        &ids,
                        &docs,
                        &digests,
                        &data,
                        &to_i64(plan.response.head)?,
                        &self.channel,
                        &payload,
                        &i64::try_from(adds.0).unwrap_or(i64::MAX),
                        &i64::try_from(adds.1).unwrap_or(i64::MAX),
                    ],
                )
                .await?;
        }
        transaction.commit().await?;
        Ok(Pushed {
            response: plan.response,
            previous_head: found.head,
        })
    }

    async fn pull_items(
        &self,
        space: SpaceId,
        by: DeviceId,
        bounds: PullBounds,
    ) -> Result<PullResponse, StoreError> {
        let client = self.client().await?;
        let found = member(&client, &space, &by, false).await?;
        if bounds.after > found.head {
            return Err(StoreError::CursorPastEnd { head: found.head });
        }
        // Items up to the head read above were all committed before it
        // (writers hold the space row until commit). The byte budget is
        // applied here too, so a page of huge blobs is never fetched whole:
        // rows whose predecessors fit, and always the first two, so the
        // page can tell whether more follow even after an oversized first.
        let statement = client
            .prepare_cached(
                "SELECT seq, blob_id, doc, device, snapshot, data, deletion FROM (
                     SELECT *, (SUM(size) OVER (ORDER BY seq) - size)::bigint AS before,
                            ROW_NUMBER() OVER (ORDER BY seq) AS n FROM (
                         SELECT seq, blob_id, doc, device, snapshot, data,
                                octet_length(data)::bigint AS size, NULL::text AS deletion
                         FROM blobs WHERE space = $1 AND seq > $2 AND seq <= $3
                         UNION ALL
                         SELECT seq, NULL, doc, NULL, false, NULL, 0::bigint, deletion
                         FROM tombstones WHERE space = $1 AND seq > $2 AND seq <= $3
                         ORDER BY seq LIMIT $4
                     ) page
                 ) sized
                 WHERE before <= $5 OR n <= 2 ORDER BY seq",
            )
            .await?;
        let max_bytes = i64::try_from(bounds.max_bytes).unwrap_or(i64::MAX);
        let rows = client
            .query(
                &statement,
                &[
                    &found.key,
                    &to_i64(bounds.after)?,
                    &to_i64(found.head)?,
                    &(i64::from(bounds.limit) + 1),
                    &max_bytes,
                ],
            )
            .await?;
        let mut page = Page::new(bounds.limit, bounds.max_bytes);
        for row in rows {
            let seq = stored_u64(col(&row, 0)?)?;
            let doc: DocumentId = stored_id(col::<&str>(&row, 2)?)?;
            let item = match col::<Option<&str>>(&row, 1)? {
                None => LogItem::Tombstone(Tombstone {
                    seq,
                    doc,
                    deletion: stored_deletion(col::<Option<&str>>(&row, 6)?),
                }),
                Some(id) => LogItem::Blob(StoredBlob {
                    seq,
                    id: stored_id(id)?,
                    doc,
                    device: stored_device(col::<&[u8]>(&row, 3)?)?,
                    snapshot: col(&row, 4)?,
                    data: col(&row, 5)?,
                }),
            };
            if !page.offer(item) {
                break;
            }
        }
        Ok(page.finish(found.head, found.created_at))
    }

    async fn forget_document(
        &self,
        space: SpaceId,
        by: DeviceId,
        doc: DocumentId,
        deletion: Deletion,
    ) -> Result<Outcome<u64>, StoreError> {
        let mut client = self.client().await?;
        let transaction = client.transaction().await?;
        let found = member(&transaction, &space, &by, true).await?;
        let earlier = transaction
            .prepare_cached("SELECT seq FROM tombstones WHERE space = $1 AND doc = $2")
            .await?;
        if let Some(row) = transaction
            .query_opt(&earlier, &[&found.key, &doc.as_str()])
            .await?
        {
            return Ok(Outcome {
                value: stored_u64(col(&row, 0)?)?,
                created: false,
            });
        }
        let seq = found.head + 1;
        let seq_i64 = to_i64(seq)?;
        let tombstone = transaction
            .prepare_cached(
                "INSERT INTO tombstones (space, doc, seq, deletion) VALUES ($1, $2, $3, $4)",
            )
            .await?;
        transaction
            .execute(
                &tombstone,
                &[
                    &found.key,
                    &doc.as_str(),
                    &seq_i64,
                    &deletion_text(&deletion)?,
                ],
            )
            .await?;
        let head = transaction
            .prepare_cached("UPDATE spaces SET head = $2 WHERE key = $1")
            .await?;
        transaction.execute(&head, &[&found.key, &seq_i64]).await?;
        let forget_blobs = transaction
            .prepare_cached(
                "WITH gone AS (
                     DELETE FROM blobs WHERE space = $1 AND doc = $2
                     RETURNING octet_length(data) AS size
                 )
                 UPDATE spaces SET
                     bytes = greatest(bytes - (SELECT coalesce(sum(size), 0) FROM gone), 0),
                     blobs = greatest(blobs - (SELECT count(*) FROM gone), 0)
                 WHERE key = $1",
            )
            .await?;
        transaction
            .execute(&forget_blobs, &[&found.key, &doc.as_str()])
            .await?;
        let forget_compacted = transaction
            .prepare_cached("DELETE FROM compacted WHERE space = $1 AND doc = $2")
            .await?;
        transaction
            .execute(&forget_compacted, &[&found.key, &doc.as_str()])
            .await?;
        notify(
            &transaction,
            &self.channel,
            &listener::head_payload(self.instance, &space, found.head, seq, &by),
        )
        .await?;
        transaction.commit().await?;
        Ok(Outcome {
            value: seq,
            created: true,
        })
    }

    async fn compact_document(
        &self,
        space: SpaceId,
        by: DeviceId,
        doc: DocumentId,
        upto: u64,
        snapshot: NewSnapshot,
    ) -> Result<CompactResponse, StoreError> {
        let mut client = self.client().await?;
        let transaction = client.transaction().await?;
        let found = member(&transaction, &space, &by, true).await?;
        let digest = blob_digest(&doc, &snapshot.data);
        let forgotten = forgotten_documents(&transaction, &space, &[doc.as_str()])
            .await?
            .into_iter()
            .next()
            .map(|(_, deletion)| deletion);
        let existing = stored_blob_ids(&transaction, &space, &[snapshot.id.as_str()])
            .await?
            .remove(snapshot.id.as_str());
        if let Some(done) = rules::check_compaction(
            &doc,
            forgotten,
            upto,
            found.head,
            &snapshot.id,
            &digest,
            existing,
        )? {
            return Ok(done);
        }
        let upto = to_i64(upto)?;
        let replaced_query = transaction
            .prepare_cached(
                "SELECT seq, blob_id, digest FROM blobs WHERE space = $1 AND doc = $2 AND seq <= $3",
            )
            .await?;
        let rows = transaction
            .query(&replaced_query, &[&found.key, &doc.as_str(), &upto])
            .await?;
        let mut seqs = Vec::with_capacity(rows.len());
        let mut ids: Vec<&str> = Vec::with_capacity(rows.len());
        let mut digests: Vec<&[u8]> = Vec::with_capacity(rows.len());
        let mut stored_seqs = Vec::with_capacity(rows.len());
        for row in &rows {
            let seq: i64 = col(row, 0)?;
            stored_seqs.push(seq);
            seqs.push(stored_u64(seq)?);
            ids.push(col(row, 1)?);
            digests.push(col(row, 2)?);
        }
        let top = rules::snapshot_seq(&seqs)?;
        let keep = transaction
            .prepare_cached(
                "INSERT INTO compacted (space, blob_id, seq, doc, digest)
                 SELECT $1, t.blob_id, t.seq, $2, t.digest
                 FROM UNNEST($3::text[], $4::bigint[], $5::bytea[]) AS t(blob_id, seq, digest)
                 ON CONFLICT (space, blob_id) DO UPDATE SET seq = EXCLUDED.seq, digest = EXCLUDED.digest",
            )
            .await?;
        transaction
            .execute(
                &keep,
                &[&found.key, &doc.as_str(), &ids, &stored_seqs, &digests],
            )
            .await?;
        let delete = transaction
            .prepare_cached(
                "WITH gone AS (
                     DELETE FROM blobs WHERE space = $1 AND doc = $2 AND seq <= $3
                     RETURNING octet_length(data) AS size
                 )
                 UPDATE spaces SET
                     bytes = greatest(bytes + $4 - (SELECT coalesce(sum(size), 0) FROM gone), 0),
                     blobs = greatest(blobs + 1 - (SELECT count(*) FROM gone), 0)
                 WHERE key = $1",
            )
            .await?;
        let snapshot_bytes = i64::try_from(snapshot.data.len()).unwrap_or(i64::MAX);
        transaction
            .execute(
                &delete,
                &[&found.key, &doc.as_str(), &upto, &snapshot_bytes],
            )
            .await?;
        let insert = transaction
            .prepare_cached(
                "INSERT INTO blobs (space, seq, blob_id, doc, device, snapshot, digest, data)
                 VALUES ($1, $2, $3, $4, $5, true, $6, $7)",
            )
            .await?;
        transaction
            .execute(
                &insert,
                &[
                    &found.key,
                    &to_i64(top)?,
                    &snapshot.id.as_str(),
                    &doc.as_str(),
                    &by.as_bytes().as_slice(),
                    &digest.as_slice(),
                    &snapshot.data.as_slice(),
                ],
            )
            .await?;
        transaction.commit().await?;
        Ok(CompactResponse {
            seq: top,
            replaced: seqs.len() as u64,
        })
    }
}

impl Store for PostgresStore {
    fn create_space(
        &self,
        space: SpaceId,
        device: DeviceId,
        person: Option<MemberTag>,
        now: u64,
    ) -> StoreFuture<'_, Outcome<SpaceInfo>> {
        Box::pin(async move {
            let mut client = self.client().await?;
            let transaction = client.transaction().await?;
            let insert = transaction
                .prepare_cached(
                    "INSERT INTO spaces (id, head, created_at) VALUES ($1, 0, $2)
                     ON CONFLICT (id) DO NOTHING RETURNING key",
                )
                .await?;
            let created = transaction
                .query_opt(&insert, &[&space.as_str(), &to_i64(now)?])
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
        })
    }

    fn space_info(&self, space: SpaceId, device: DeviceId) -> StoreFuture<'_, SpaceInfo> {
        Box::pin(async move {
            let client = self.client().await?;
            let found = member(&client, &space, &device, false).await?;
            space_info(&client, &space, found.key, found.head).await
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
        Box::pin(async move {
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
        })
    }

    fn remove_device(
        &self,
        space: SpaceId,
        by: DeviceId,
        device: DeviceId,
        now: u64,
    ) -> StoreFuture<'_, bool> {
        Box::pin(async move {
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
        })
    }

    fn erase_space(
        &self,
        space: SpaceId,
        by: DeviceId,
        erasure: Deletion,
        now: u64,
    ) -> StoreFuture<'_, ()> {
        Box::pin(async move {
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
        })
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
            erasure(&client, &space).await
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
            Ok(member(&client, &space, &device, false).await?.head)
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
        Box::pin(async move {
            let client = self.client().await?;
            let expires_at = now + ttl_secs;
            let statement = client
                .prepare_cached(
                    "INSERT INTO pairings (nameplate, side_a, expires_at) VALUES ($1, $2, $3)
                     ON CONFLICT DO NOTHING",
                )
                .await?;
            for nameplate in nameplate_candidates() {
                let inserted = client
                    .execute(
                        &statement,
                        &[&nameplate.as_str(), &side.as_str(), &to_i64(expires_at)?],
                    )
                    .await?;
                if inserted == 1 {
                    return Ok(PairingOpened {
                        nameplate,
                        expires_at,
                    });
                }
            }
            Err(StoreError::NameplatesExhausted)
        })
    }

    fn claim_pairing(
        &self,
        nameplate: Nameplate,
        side: PairingSide,
        now: u64,
    ) -> StoreFuture<'_, PairingClaimed> {
        Box::pin(async move {
            let mut client = self.client().await?;
            let transaction = client.transaction().await?;
            let found = mailbox(&transaction, &nameplate, true).await?;
            pairing_state(found.closed, found.expires_at, now)?;
            if rules::claim(&found.side_a, found.side_b.as_deref(), side.as_str())? == Claim::Take {
                let statement = transaction
                    .prepare_cached("UPDATE pairings SET side_b = $2 WHERE nameplate = $1")
                    .await?;
                transaction
                    .execute(&statement, &[&nameplate.as_str(), &side.as_str()])
                    .await?;
                notify(
                    &transaction,
                    &self.channel,
                    &listener::pairing_payload(self.instance, &nameplate),
                )
                .await?;
            }
            transaction.commit().await?;
            Ok(PairingClaimed {
                expires_at: found.expires_at,
            })
        })
    }

    fn post_pairing(
        &self,
        nameplate: Nameplate,
        side: PairingSide,
        body: Vec<u8>,
        max_messages: u32,
        now: u64,
    ) -> StoreFuture<'_, u64> {
        Box::pin(async move {
            let mut client = self.client().await?;
            let transaction = client.transaction().await?;
            let found = mailbox(&transaction, &nameplate, true).await?;
            pairing_state(found.closed, found.expires_at, now)?;
            rules::check_side(&found.side_a, found.side_b.as_deref(), side.as_str())?;
            let count = transaction
                .prepare_cached(
                    "SELECT COUNT(*) FROM pairing_messages WHERE nameplate = $1 AND side = $2",
                )
                .await?;
            let posted: i64 = col(
                &transaction
                    .query_one(&count, &[&nameplate.as_str(), &side.as_str()])
                    .await?,
                0,
            )?;
            if posted >= i64::from(max_messages) {
                return Err(StoreError::PairingMessageLimit { max: max_messages });
            }
            let seq = found.last_seq + 1;
            let insert = transaction
                .prepare_cached(
                    "INSERT INTO pairing_messages (nameplate, seq, side, body) VALUES ($1, $2, $3, $4)",
                )
                .await?;
            transaction
                .execute(
                    &insert,
                    &[&nameplate.as_str(), &to_i64(seq)?, &side.as_str(), &body],
                )
                .await?;
            let update = transaction
                .prepare_cached("UPDATE pairings SET last_seq = $2 WHERE nameplate = $1")
                .await?;
            transaction
                .execute(&update, &[&nameplate.as_str(), &to_i64(seq)?])
                .await?;
            notify(
                &transaction,
                &self.channel,
                &listener::pairing_payload(self.instance, &nameplate),
            )
            .await?;
            transaction.commit().await?;
            Ok(seq)
        })
    }

    fn read_pairing(
        &self,
        nameplate: Nameplate,
        side: PairingSide,
        after: u64,
        now: u64,
    ) -> StoreFuture<'_, PairingMessages> {
        Box::pin(async move {
            let client = self.client().await?;
            let found = mailbox(&client, &nameplate, false).await?;
            pairing_state(found.closed, found.expires_at, now)?;
            rules::check_side(&found.side_a, found.side_b.as_deref(), side.as_str())?;
            let statement = client
                .prepare_cached(
                    "SELECT seq, body FROM pairing_messages
                     WHERE nameplate = $1 AND side <> $2 AND seq > $3 ORDER BY seq",
                )
                .await?;
            let mut messages = Vec::new();
            for row in client
                .query(
                    &statement,
                    &[&nameplate.as_str(), &side.as_str(), &to_i64(after)?],
                )
                .await?
            {
                messages.push(PairingMessage {
                    seq: stored_u64(col(&row, 0)?)?,
                    body: col(&row, 1)?,
                });
            }
            Ok(PairingMessages {
                messages,
                expires_at: found.expires_at,
            })
        })
    }

    fn close_pairing(&self, nameplate: Nameplate, side: PairingSide) -> StoreFuture<'_, ()> {
        Box::pin(async move {
            let mut client = self.client().await?;
            let transaction = client.transaction().await?;
            let found = mailbox(&transaction, &nameplate, true).await?;
            rules::check_side(&found.side_a, found.side_b.as_deref(), side.as_str())?;
            for sql in [
                "UPDATE pairings SET closed = true WHERE nameplate = $1",
                "DELETE FROM pairing_messages WHERE nameplate = $1",
            ] {
                let statement = transaction.prepare_cached(sql).await?;
                transaction
                    .execute(&statement, &[&nameplate.as_str()])
                    .await?;
            }
            notify(
                &transaction,
                &self.channel,
                &listener::pairing_payload(self.instance, &nameplate),
            )
            .await?;
            transaction.commit().await?;
            Ok(())
        })
    }

    fn purge(&self, now: u64, grace_secs: u64) -> StoreFuture<'_, ()> {
        Box::pin(async move {
            let client = self.client().await?;
            let now = to_i64(now)?;
            let grace = to_i64(grace_secs)?;
            client
                .execute(
                    "DELETE FROM pairing_messages WHERE nameplate IN
                        (SELECT nameplate FROM pairings WHERE expires_at <= $1)",
                    &[&now],
                )
                .await?;
            client
                .execute(
                    "DELETE FROM pairings WHERE expires_at + $2 <= $1",
                    &[&now, &grace],
                )
                .await?;
            client
                .execute("DELETE FROM nonces WHERE expires_at <= $1", &[&now])
                .await?;
            Ok(())
        })
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

/// Reads the current head of each space (after the listener missed
/// notifications); `None` for spaces that no longer exist.
pub(crate) async fn heads(
    client: &tokio_postgres::Client,
    spaces: &[SpaceId],
) -> Result<HashMap<SpaceId, u64>, StoreError> {
    let ids: Vec<&str> = spaces.iter().map(SpaceId::as_str).collect();
    let mut heads = HashMap::new();
    for row in client
        .query("SELECT id, head FROM spaces WHERE id = ANY($1)", &[&ids])
        .await?
    {
        heads.insert(
            stored_id::<SpaceId>(col::<&str>(&row, 0)?)?,
            stored_u64(col(&row, 1)?)?,
        );
    }
    Ok(heads)
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

#[cfg(test)]
mod tests {
    use super::*;

    /// A version 1 database (unlogged nonces, no signed deletions) moves to
    /// version 2 on start. Runs when `HEARTH_TEST_POSTGRES_URL` is set.
    #[tokio::test]
    async fn a_version_1_database_moves_to_version_2() {
        let Ok(url) = std::env::var("HEARTH_TEST_POSTGRES_URL") else {
            eprintln!("skipped: HEARTH_TEST_POSTGRES_URL is not set");
            return;
        };
        let schema = format!("migrate_{}", getrandom::u64().unwrap() % 1_000_000_000);
        let mut config: tokio_postgres::Config = url.parse().unwrap();
        config.options(format!("-c search_path={schema}"));
        let (client, connection) = config.connect(tokio_postgres::NoTls).await.unwrap();
        tokio::spawn(connection);
        client
            .batch_execute(&format!(
                "CREATE SCHEMA {schema};
                 CREATE TABLE schema_version (version INTEGER NOT NULL);
                 BEGIN; {SCHEMA}
                 INSERT INTO schema_version (version) VALUES (1); COMMIT;
                 ALTER TABLE nonces SET UNLOGGED;
                 INSERT INTO spaces (id, head, created_at) VALUES ('s', 1, 0);
                 INSERT INTO blobs (space, seq, blob_id, doc, device, digest, data)
                     SELECT key, 1, 'b', 'd', '\\x00', '\\x00', '\\x0102' FROM spaces;"
            ))
            .await
            .unwrap();
        let store = PostgresStore::open(&url, Some(&schema), 1, None)
            .await
            .unwrap();
        let version: i32 = client
            .query_one("SELECT max(version) FROM schema_version", &[])
            .await
            .unwrap()
            .get(0);
        assert_eq!(version, SCHEMA_VERSION);
        let persistence: i8 = client
            .query_one(
                "SELECT relpersistence FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                 WHERE c.relname = 'nonces' AND n.nspname = $1",
                &[&schema],
            )
            .await
            .unwrap()
            .get(0);
        assert_eq!(persistence as u8, b'p', "the nonces table is logged");
        let usage: (i64, i64) = client
            .query_one("SELECT bytes, blobs FROM spaces", &[])
            .await
            .map(|row| (row.get(0), row.get(1)))
            .unwrap();
        assert_eq!(usage, (2, 1), "usage is counted for existing spaces");
        drop(store);
        client
            .batch_execute(&format!("DROP SCHEMA {schema} CASCADE"))
            .await
            .unwrap();
    }
}
