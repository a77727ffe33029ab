//! Pairing mailboxes: opening one under a fresh nameplate, claiming its
//! second side, posting and reading messages, and closing it.

use hearth_protocol::{
    Nameplate, PairingClaimed, PairingMessage, PairingMessages, PairingOpened, PairingSide,
};
use rusqlite::{Connection, OptionalExtension, params};

use super::super::rules::{self, Claim};
use super::super::{StoreError, nameplate_candidates, pairing_state, stored_u64, to_i64};

/// A pairing mailbox's stored state.
struct Mailbox {
    side_a: String,
    side_b: Option<String>,
    expires_at: u64,
    closed: bool,
    last_seq: u64,
}

fn mailbox(connection: &Connection, nameplate: &Nameplate) -> Result<Mailbox, StoreError> {
    let row: Option<(String, Option<String>, i64, bool, i64)> = connection
        .prepare_cached(
            "SELECT side_a, side_b, expires_at, closed, last_seq FROM pairings WHERE nameplate = ?1",
        )?
        .query_row([nameplate.as_str()], |row| {
            Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?, row.get(4)?))
        })
        .optional()?;
    let (side_a, side_b, expires_at, closed, last_seq) = row.ok_or(StoreError::PairingUnknown)?;
    Ok(Mailbox {
        side_a,
        side_b,
        expires_at: stored_u64(expires_at)?,
        closed,
        last_seq: stored_u64(last_seq)?,
    })
}

/// A mailbox that is open now and held by `side`.
fn open_mailbox(
    connection: &Connection,
    nameplate: &Nameplate,
    side: &PairingSide,
    now: u64,
) -> Result<Mailbox, StoreError> {
    let found = mailbox(connection, nameplate)?;
    pairing_state(found.closed, found.expires_at, now)?;
    rules::check_side(&found.side_a, found.side_b.as_deref(), side.as_str())?;
    Ok(found)
}

pub(super) fn open_pairing(
    connection: &Connection,
    side: &PairingSide,
    now: u64,
    ttl_secs: u64,
) -> Result<PairingOpened, StoreError> {
    let expires_at = now + ttl_secs;
    let mut insert = connection.prepare_cached(
        "INSERT OR IGNORE INTO pairings (nameplate, side_a, expires_at) VALUES (?1, ?2, ?3)",
    )?;
    for nameplate in nameplate_candidates() {
        if insert.execute(params![
            nameplate.as_str(),
            side.as_str(),
            to_i64(expires_at)?
        ])? == 1
        {
            return Ok(PairingOpened {
                nameplate,
                expires_at,
            });
        }
    }
    Err(StoreError::NameplatesExhausted)
}

pub(super) fn claim_pairing(
    connection: &Connection,
    nameplate: &Nameplate,
    side: &PairingSide,
    now: u64,
) -> Result<PairingClaimed, StoreError> {
    let found = mailbox(connection, nameplate)?;
    pairing_state(found.closed, found.expires_at, now)?;
    if rules::claim(&found.side_a, found.side_b.as_deref(), side.as_str())? == Claim::Take {
        connection
            .prepare_cached("UPDATE pairings SET side_b = ?2 WHERE nameplate = ?1")?
            .execute(params![nameplate.as_str(), side.as_str()])?;
    }
    Ok(PairingClaimed {
        expires_at: found.expires_at,
    })
}

pub(super) fn post_pairing(
    connection: &Connection,
    nameplate: &Nameplate,
    side: &PairingSide,
    body: &[u8],
    max_messages: u32,
    now: u64,
) -> Result<u64, StoreError> {
    let found = open_mailbox(connection, nameplate, side, now)?;
    let posted: i64 = connection
        .prepare_cached("SELECT COUNT(*) FROM pairing_messages WHERE nameplate = ?1 AND side = ?2")?
        .query_row(params![nameplate.as_str(), side.as_str()], |row| row.get(0))?;
    if posted >= i64::from(max_messages) {
        return Err(StoreError::PairingMessageLimit { max: max_messages });
    }
    let seq = found.last_seq + 1;
    connection
        .prepare_cached(
            "INSERT INTO pairing_messages (nameplate, seq, side, body) VALUES (?1, ?2, ?3, ?4)",
        )?
        .execute(params![
            nameplate.as_str(),
            to_i64(seq)?,
            side.as_str(),
            body
        ])?;
    connection
        .prepare_cached("UPDATE pairings SET last_seq = ?2 WHERE nameplate = ?1")?
        .execute(params![nameplate.as_str(), to_i64(seq)?])?;
    Ok(seq)
}

pub(super) fn read_pairing(
    connection: &Connection,
    nameplate: &Nameplate,
    side: &PairingSide,
    after: u64,
    now: u64,
) -> Result<PairingMessages, StoreError> {
    let found = open_mailbox(connection, nameplate, side, now)?;
    let mut statement = connection.prepare_cached(
        "SELECT seq, body FROM pairing_messages
         WHERE nameplate = ?1 AND side <> ?2 AND seq > ?3 ORDER BY seq",
    )?;
    let rows = statement.query_map(
        params![nameplate.as_str(), side.as_str(), to_i64(after)?],
        |row| Ok((row.get::<_, i64>(0)?, row.get::<_, Vec<u8>>(1)?)),
    )?;
    let mut messages = Vec::new();
    for row in rows {
        let (seq, body) = row?;
        messages.push(PairingMessage {
            seq: stored_u64(seq)?,
            body,
        });
    }
    Ok(PairingMessages {
        messages,
        expires_at: found.expires_at,
    })
}

pub(super) fn close_pairing(
    connection: &Connection,
    nameplate: &Nameplate,
    side: &PairingSide,
) -> Result<(), StoreError> {
    let found = mailbox(connection, nameplate)?;
    rules::check_side(&found.side_a, found.side_b.as_deref(), side.as_str())?;
    connection
        .prepare_cached("UPDATE pairings SET closed = 1 WHERE nameplate = ?1")?
        .execute([nameplate.as_str()])?;
    connection
        .prepare_cached("DELETE FROM pairing_messages WHERE nameplate = ?1")?
        .execute([nameplate.as_str()])?;
    Ok(())
}
