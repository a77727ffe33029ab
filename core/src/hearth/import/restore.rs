//! Writing a checked export into a new profile, in the caller's one
//! transaction: the profile takes the export's member id, every shared
//! document is merged as if it came from another device (which rebuilds
//! its projections) and queued to be sent after pairing, and the
//! device-local items are written back.

use automerge::ActorId;
use rusqlite::{Connection, params};

use super::ImportError;
use super::file::Export;
use crate::error::{Error, Result};
use crate::guidance::assessment::AssessmentKind;
use crate::guidance::member;
use crate::journal::{self, Actor, entry};
use crate::kind::DocumentKind;
use crate::merge::{self, MergeOutcome};
use crate::store::{documents, members};
use crate::sync::state;

/// Restores `export` into the profile behind `conn`.
pub(super) fn restore(
    conn: &Connection,
    export: &Export,
    device: &ActorId,
    now: i64,
) -> Result<()> {
    let (current, _) = members::me(conn)?
        .ok_or_else(|| Error::DamagedDatabase("this person's name is missing".into()))?;
    check_new(conn, &current)?;
    take_identity(conn, &current, export)?;
    let who = Actor {
        member: &export.member,
        device,
        now,
    };
    let mine = member::doc_id(&export.member);
    for (id, kind, bytes) in &export.documents {
        // Another person's member document is theirs to send.
        if kind == DocumentKind::Member.as_str() && *id != mine {
            continue;
        }
        let (outcome, _) = merge::apply(conn, &who, id, bytes)?;
        if outcome == MergeOutcome::Forgotten {
            return Err(ImportError::Damaged("a shared item was listed twice".into()).into());
        }
        documents::queue_push(conn, id, None, now)?;
    }
    for (id, entry) in &export.private_entries {
        entry::put_private(conn, id, entry)?;
    }
    for (id, entry) in &export.shared_entries {
        if crate::journal::entry::row(conn, id)?.is_some() {
            return Err(ImportError::Damaged("an entry was listed twice".into()).into());
        }
        journal::put_shared(conn, &who, id, entry)?;
    }
    for (result, taken_at) in &export.assessments {
        let json = serde_json::to_string(result).map_err(|e| Error::Export(e.to_string()))?;
        conn.execute(
            "INSERT OR REPLACE INTO assessment_results (kind, result, taken_at) VALUES (?1, ?2, ?3)",
            params![AssessmentKind::of(result).name(), json, taken_at],
        )?;
    }
    for (exercise, day, outcome) in &export.exercise_log {
        conn.execute(
            "INSERT OR IGNORE INTO exercise_log (exercise_id, day, outcome) VALUES (?1, ?2, ?3)",
            params![exercise, day, outcome],
        )?;
    }
    if let Some((answers, outcome, taken_at)) = &export.safety_check {
        conn.execute(
            "INSERT INTO safety_check (id, answers, outcome, taken_at) VALUES (1, ?1, ?2, ?3)",
            params![answers, outcome, taken_at],
        )?;
    }
    if let Some(paused_at) = export.closeness_pause {
        conn.execute(
            "INSERT INTO closeness_pause (id, paused_at) VALUES (1, ?1)",
            [paused_at],
        )?;
    }
    Ok(())
}

/// Refuses a profile that is paired (or began pairing) or holds anything
/// beyond this person's own member document.
fn check_new(conn: &Connection, me: &str) -> Result<()> {
    // A space registered at the relay knows this profile's member id,
    // which a restore replaces.
    if state::get(conn, state::PAIRED)?.is_some()
        || state::get(conn, state::SPACE_CREATED)?.is_some()
        || state::is_closed(conn)?
    {
        return Err(ImportError::ProfileInUse.into());
    }
    let count = |sql: &str| -> Result<i64> { Ok(conn.query_row(sql, [], |r| r.get(0))?) };
    let documents: i64 = conn.query_row(
        "SELECT count(*) FROM documents WHERE id != ?1",
        [member::doc_id(me)],
        |r| r.get(0),
    )?;
    let local = count(
        "SELECT (SELECT count(*) FROM entries) + (SELECT count(*) FROM forgotten_documents)
              + (SELECT count(*) FROM assessment_results) + (SELECT count(*) FROM exercise_log)
              + (SELECT count(*) FROM safety_check) + (SELECT count(*) FROM quarantine)",
    )?;
    if documents + local > 0 {
        return Err(ImportError::ProfileInUse.into());
    }
    Ok(())
}

/// Makes the export's member this profile's person: the member id the new
/// profile made for itself, never sent anywhere, goes with its member
/// document.
fn take_identity(conn: &Connection, current: &str, export: &Export) -> Result<()> {
    if current == export.member {
        return members::rename(conn, current, &export.name);
    }
    let old_doc = member::doc_id(current);
    conn.execute("DELETE FROM documents WHERE id = ?1", [&old_doc])?;
    conn.execute("DELETE FROM outbox WHERE doc_id = ?1", [&old_doc])?;
    conn.execute("DELETE FROM sync_documents WHERE doc_id = ?1", [&old_doc])?;
    conn.execute("DELETE FROM member_settings WHERE member = ?1", [current])?;
    conn.execute("DELETE FROM members WHERE id = ?1", [current])?;
    members::add_me(conn, &export.member, &export.name)
}
