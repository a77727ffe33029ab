//! What never leaves this phone: the exercise log (done and skipped), the
//! safety check and the pause on closeness suggestions it sets. Neither is ever written to a shared document, so the
//! sync engine, which only reads documents, cannot carry them anywhere.

use rusqlite::{Connection, OptionalExtension, params};
use time::Date;

use super::day;
use crate::content::embedded;
use crate::error::{Error, Result};
use crate::guidance::recommend::Completion;
use crate::guidance::safety::{SafetyAnswer, SafetyOutcome};

/// Records that this partner did (or skipped) an exercise on `on`.
pub(crate) fn log_exercise(
    conn: &Connection,
    exercise_id: &str,
    on: Date,
    done: bool,
) -> Result<()> {
    if embedded::catalog()?.get(exercise_id).is_none() {
        return Err(Error::NotFound {
            what: "exercise",
            id: exercise_id.to_owned(),
        });
    }
    conn.prepare_cached(
        "INSERT OR IGNORE INTO exercise_log (exercise_id, day, outcome) VALUES (?1, ?2, ?3)",
    )?
    .execute(params![
        exercise_id,
        day::format(on),
        if done { "done" } else { "skipped" }
    ])?;
    Ok(())
}

/// Exercises done on or after `since`.
pub(crate) fn done_since(conn: &Connection, since: Date) -> Result<Vec<Completion>> {
    let mut stmt = conn.prepare_cached(
        "SELECT exercise_id, day FROM exercise_log WHERE outcome = 'done' AND day >= ?1",
    )?;
    let rows: Vec<(String, String)> = stmt
        .query_map([day::format(since)], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows
        .into_iter()
        .filter_map(|(exercise_id, d)| {
            Some(Completion {
                exercise_id,
                on: day::parse(&d).ok()?,
            })
        })
        .collect())
}

/// Exercises skipped on or after `since`.
pub(crate) fn skipped_since(conn: &Connection, since: Date) -> Result<Vec<String>> {
    let mut stmt = conn.prepare_cached(
        "SELECT DISTINCT exercise_id FROM exercise_log WHERE outcome = 'skipped' AND day >= ?1",
    )?;
    let ids = stmt
        .query_map([day::format(since)], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(ids)
}

/// Scores the safety check and keeps answers and outcome on this phone.
pub(crate) fn record_safety(
    conn: &Connection,
    now: i64,
    answers: &[SafetyAnswer],
) -> Result<SafetyOutcome> {
    let outcome = embedded::safety()?.assess(answers)?;
    let json = |e: serde_json::Error| Error::Export(e.to_string());
    conn.prepare_cached(
        "INSERT OR REPLACE INTO safety_check (id, answers, outcome, taken_at) VALUES (1, ?1, ?2, ?3)",
    )?
    .execute(params![
        serde_json::to_string(answers).map_err(json)?,
        serde_json::to_string(&outcome).map_err(json)?,
        now
    ])?;
    if outcome.concern {
        conn.prepare_cached(
            "INSERT OR IGNORE INTO closeness_pause (id, paused_at) VALUES (1, ?1)",
        )?
        .execute([now])?;
    }
    Ok(outcome)
}

/// Whether closeness suggestions are paused on this phone: set by a safety
/// concern, and kept when the check is cleared (clearing is advice for
/// digital safety, not a sign that things are better).
pub(crate) fn closeness_paused(conn: &Connection) -> Result<bool> {
    Ok(conn
        .query_row("SELECT 1 FROM closeness_pause WHERE id = 1", [], |_| Ok(()))
        .optional()?
        .is_some())
}

/// Turns closeness suggestions back on: only this person's explicit choice.
pub(crate) fn resume_closeness(conn: &Connection) -> Result<()> {
    conn.execute("DELETE FROM closeness_pause", [])?;
    Ok(())
}

/// The last safety check's outcome, if one was taken.
pub(crate) fn safety_outcome(conn: &Connection) -> Result<Option<SafetyOutcome>> {
    let json: Option<String> = conn
        .query_row("SELECT outcome FROM safety_check WHERE id = 1", [], |r| {
            r.get(0)
        })
        .optional()?;
    json.map(|j| {
        serde_json::from_str(&j)
            .map_err(|e| Error::DamagedDatabase(format!("the safety check is unreadable: {e}")))
    })
    .transpose()
}

/// Erases the safety check from this phone.
pub(crate) fn clear_safety(conn: &Connection) -> Result<()> {
    conn.execute("DELETE FROM safety_check", [])?;
    Ok(())
}
