//! One document's blobs: forgetting the document (a tombstone that
//! refuses later writes) and compacting its blobs into a snapshot.

use deadpool_postgres::GenericClient;
use hearth_protocol::{CompactResponse, Deletion, DeviceId, DocumentId, NewSnapshot, SpaceId};

use super::super::rules;
use super::super::{
    Outcome, StoreError, blob_digest, deletion_text, stored_deletion, stored_id, stored_u64, to_i64,
};
use super::log::stored_blob_ids;
use super::spaces::member;
use super::{PostgresStore, col, listener, notify};

/// The documents among `docs` that were forgotten, with the signed
/// statements that forgot them.
pub(super) async fn forgotten_documents(
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

impl PostgresStore {
    pub(super) async fn forget_document(
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
            .prepare_cached("SELECT seq, deletion FROM tombstones WHERE space = $1 AND doc = $2")
            .await?;
        if let Some(row) = transaction
            .query_opt(&earlier, &[&found.key, &doc.as_str()])
            .await?
        {
            let signed: Option<String> = col(&row, 1)?;
            if signed.is_some() {
                return Ok(Outcome {
                    value: stored_u64(col(&row, 0)?)?,
                    created: false,
                });
            }
            // An unsigned tombstone (from before deletions were signed, or
            // written behind the relay's back) proves nothing to the
            // devices: the signed deletion takes its place, at a new seq,
            // so that the devices that refused it receive this one.
            let drop = transaction
                .prepare_cached("DELETE FROM tombstones WHERE space = $1 AND doc = $2")
                .await?;
            transaction
                .execute(&drop, &[&found.key, &doc.as_str()])
                .await?;
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

    pub(super) async fn compact_document(
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
