//! Pairing mailboxes: opening one under a fresh nameplate, claiming its
//! second side, posting and reading messages, and closing it. Changes are
//! announced so pairing reads on other relay processes wake up.

use deadpool_postgres::GenericClient;
use hearth_protocol::{
    Nameplate, PairingClaimed, PairingMessage, PairingMessages, PairingOpened, PairingSide,
};

use super::super::rules::{self, Claim};
use super::super::{StoreError, nameplate_candidates, pairing_state, stored_u64, to_i64};
use super::{PostgresStore, col, listener, notify};

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
    pub(super) async fn open_pairing_mailbox(
        &self,
        side: PairingSide,
        now: u64,
        ttl_secs: u64,
    ) -> Result<PairingOpened, StoreError> {
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
    }

    pub(super) async fn claim_pairing_side(
        &self,
        nameplate: Nameplate,
        side: PairingSide,
        now: u64,
    ) -> Result<PairingClaimed, StoreError> {
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
    }

    pub(super) async fn post_pairing_message(
        &self,
        nameplate: Nameplate,
        side: PairingSide,
        body: Vec<u8>,
        max_messages: u32,
        now: u64,
    ) -> Result<u64, StoreError> {
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
    }

    pub(super) async fn read_pairing_messages(
        &self,
        nameplate: Nameplate,
        side: PairingSide,
        after: u64,
        now: u64,
    ) -> Result<PairingMessages, StoreError> {
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
    }

    pub(super) async fn close_pairing_mailbox(
        &self,
        nameplate: Nameplate,
        side: PairingSide,
    ) -> Result<(), StoreError> {
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
    }
}
