//! The replay guard on PostgreSQL, claimed in batches.
//!
//! Every signed request claims its (device, nonce) key before it runs, so
//! with one `INSERT` each, a pull turns into a write transaction and the
//! database commits as many of them as requests arrive. Here one task
//! gathers the claims that arrive while the previous batch is in flight and
//! inserts them with one statement: under load, one commit serves many
//! requests; alone, a claim still costs one round trip. A request is
//! answered only after its key is committed, so a replay to any relay
//! instance sharing the database is refused, as before.

use std::collections::HashSet;

use deadpool_postgres::Pool;
use tokio::sync::{mpsc, oneshot};

use super::super::{StoreError, to_i64};

/// At most this many claims go into one statement.
const MAX_BATCH: usize = 512;

type Reply = oneshot::Sender<Result<bool, StoreError>>;

/// Hands claims to the batching task.
#[derive(Debug, Clone)]
pub struct NonceClaims {
    queue: mpsc::UnboundedSender<(u128, i64, Reply)>,
}

impl NonceClaims {
    /// Starts the task that claims on `pool`; it ends when the last
    /// `NonceClaims` is dropped.
    pub fn start(pool: Pool) -> Self {
        let (queue, rx) = mpsc::unbounded_channel();
        tokio::spawn(run(pool, rx));
        Self { queue }
    }

    /// Records `key` until `expires_at`; false when it was recorded before
    /// (by this relay or another one on the same database).
    pub async fn claim(&self, key: [u8; 16], expires_at: u64) -> Result<bool, StoreError> {
        let (reply, answer) = oneshot::channel();
        self.queue
            .send((u128::from_le_bytes(key), to_i64(expires_at)?, reply))
            .map_err(|_| StoreError::Backend("the replay guard has stopped".into()))?;
        answer
            .await
            .map_err(|_| StoreError::Backend("the replay guard has stopped".into()))?
    }
}

async fn run(pool: Pool, mut rx: mpsc::UnboundedReceiver<(u128, i64, Reply)>) {
    let mut batch = Vec::with_capacity(MAX_BATCH);
    while rx.recv_many(&mut batch, MAX_BATCH).await > 0 {
        match insert(&pool, &batch).await {
            Ok(fresh) => {
                let granted = answers(&fresh, batch.iter().map(|(key, _, _)| *key));
                for ((_, _, reply), granted) in batch.drain(..).zip(granted) {
                    let _ = reply.send(Ok(granted));
                }
            }
            Err(error) => {
                // Each waiter gets the failure in words; none is told its
                // key is fresh.
                let words = error.to_string();
                for (_, _, reply) in batch.drain(..) {
                    let _ = reply.send(Err(StoreError::Backend(words.clone())));
                }
            }
        }
    }
}

/// Whether each claim, in order, is the first of its key: the key was
/// inserted by this batch (`fresh`) and no earlier claim in the batch had it.
fn answers(fresh: &HashSet<u128>, keys: impl Iterator<Item = u128>) -> Vec<bool> {
    let mut granted = HashSet::with_capacity(fresh.len());
    keys.map(|key| fresh.contains(&key) && granted.insert(key))
        .collect()
}

/// Inserts the batch's keys; answers the ones that were not there before.
async fn insert(pool: &Pool, batch: &[(u128, i64, Reply)]) -> Result<HashSet<u128>, StoreError> {
    let client = pool
        .get()
        .await
        .map_err(|_| StoreError::Pool("could not get a database connection".into()))?;
    let keys: Vec<Vec<u8>> = batch
        .iter()
        .map(|(key, _, _)| key.to_le_bytes().to_vec())
        .collect();
    let expiries: Vec<i64> = batch.iter().map(|(_, expires_at, _)| *expires_at).collect();
    let statement = client
        .prepare_cached(
            "INSERT INTO nonces (key, expires_at)
             SELECT * FROM UNNEST($1::bytea[], $2::bigint[])
             ON CONFLICT DO NOTHING RETURNING key",
        )
        .await?;
    let mut fresh = HashSet::with_capacity(batch.len());
    for row in client.query(&statement, &[&keys, &expiries]).await? {
        let key: &[u8] = row.try_get(0)?;
        let key: [u8; 16] = key
            .try_into()
            .map_err(|_| StoreError::Backend("a stored nonce key has the wrong length".into()))?;
        fresh.insert(u128::from_le_bytes(key));
    }
    Ok(fresh)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_claimed_twice_in_one_batch_is_granted_once() {
        let fresh = HashSet::from([1, 2]);
        // 1 twice, 2 once, 3 already stored before the batch.
        let granted = answers(&fresh, [1, 3, 1, 2, 1].into_iter());
        assert_eq!(granted, [true, false, false, true, false]);
    }
}
