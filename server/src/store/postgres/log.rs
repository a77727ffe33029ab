//! A space's log of blobs: pushing (within the quota), pulling a page
//! after a cursor, the lookups both share, and the heads the notification
//! listener reads after a reconnect.

use std::collections::HashMap;

use deadpool_postgres::GenericClient;
use hearth_protocol::{
    DeviceId, DocumentId, LogItem, NewBlob, PullResponse, SpaceId, StoredBlob, Tombstone,
};

use super::super::rules::{self, Page};
use super::super::{
    PullBounds, Pushed, Quota, StoreError, stored_deletion, stored_device, stored_id, stored_u64,
    to_i64,
};
use super::documents::forgotten_documents;
use super::spaces::member;
use super::{PostgresStore, col, listener};

/// The (seq, digest) of blob ids already stored, live or compacted away.
/// Takes the space id (not its key) so it can be sent in the same pipeline
/// as the membership check.
pub(super) async fn stored_blob_ids(
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

impl PostgresStore {
    pub(super) async fn push_blobs(
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

    pub(super) async fn pull_items(
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
        Ok(page.finish(found.head, found.incarnation))
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
