//! Upkeep: dropping expired pairing mailboxes (messages at expiry, the
//! record after a grace period) and expired nonces.

use super::super::{StoreError, to_i64};
use super::PostgresStore;

impl PostgresStore {
    pub(super) async fn purge_expired(&self, now: u64, grace_secs: u64) -> Result<(), StoreError> {
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
    }
}
