//! The couple's small shared lists: goals from a brainstorm, date-jar ideas
//! and appreciation notes. Each item is its own document, written by one
//! partner and changed by either (a goal's status, an idea marked done).

use rusqlite::{Connection, params};
use serde::{Deserialize, Serialize};
use time::Date;

use super::day;
use super::flat::{self, Fields};
use crate::content::goal::GoalStatus;
use crate::error::{Error, Result};
use crate::journal::entry::{People, Person};
use crate::journal::{Actor, new_id};
use crate::kind::DocumentKind;

/// The kind of goal documents.
pub(crate) const GOAL: DocumentKind = DocumentKind::Goal;
/// The kind of date-jar documents.
pub(crate) const DATE_IDEA: DocumentKind = DocumentKind::DateIdea;
/// The kind of appreciation documents.
pub(crate) const APPRECIATION: DocumentKind = DocumentKind::Appreciation;

/// The longest goal, idea or note, in characters.
pub const MAX_ITEM_CHARS: usize = 500;

/// A goal the couple is considering or working on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Goal {
    /// The goal's id.
    pub id: String,
    /// Who suggested it.
    pub author: Person,
    /// The goal.
    pub text: String,
    /// Where it stands.
    pub status: GoalStatus,
    /// When it was suggested (Unix ms).
    pub created_at_ms: i64,
}

/// An idea in the date jar.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct DateIdea {
    /// The idea's id.
    pub id: String,
    /// Who put it in the jar.
    pub author: Person,
    /// The idea.
    pub text: String,
    /// The day it was done, if it was.
    pub done_on: Option<String>,
}

/// A note of thanks from one partner to the other.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Appreciation {
    /// The note's id.
    pub id: String,
    /// Who wrote it.
    pub author: Person,
    /// What they wrote.
    pub text: String,
    /// When (Unix ms).
    pub created_at_ms: i64,
}

fn check_text(what: &'static str, text: &str) -> Result<String> {
    let text = text.trim();
    crate::text::check_named(what, text, MAX_ITEM_CHARS)?;
    Ok(text.to_owned())
}

/// Creates a new item document of `kind`; returns its id.
fn create(
    conn: &Connection,
    who: &Actor<'_>,
    kind: DocumentKind,
    text: &str,
    mut extra: Vec<(String, Option<automerge::ScalarValue>)>,
) -> Result<String> {
    let text = check_text(what(kind), text)?;
    let id = format!("{kind}:{}", new_id());
    extra.extend([
        ("text".to_owned(), flat::s(text)),
        ("author".to_owned(), flat::s(who.member)),
        ("created_at".to_owned(), flat::i(who.now)),
    ]);
    let fields = flat::write(conn, who, &id, kind, &extra)?;
    project(conn, kind, &id, &fields)?;
    Ok(id)
}

fn what(kind: DocumentKind) -> &'static str {
    match kind {
        GOAL => "goal",
        DATE_IDEA => "date idea",
        _ => "note",
    }
}

/// Changes an existing item.
fn change(
    conn: &Connection,
    who: &Actor<'_>,
    kind: DocumentKind,
    id: &str,
    changes: &[(String, Option<automerge::ScalarValue>)],
) -> Result<()> {
    if flat::load(conn, who, id)?.is_none() {
        return Err(Error::NotFound {
            what: what(kind),
            id: id.to_owned(),
        });
    }
    let fields = flat::write(conn, who, id, kind, changes)?;
    project(conn, kind, id, &fields)
}

/// Adds a goal idea to the brainstorm.
pub(crate) fn add_goal(conn: &Connection, who: &Actor<'_>, text: &str) -> Result<String> {
    create(
        conn,
        who,
        GOAL,
        text,
        vec![("status".to_owned(), flat::s("idea"))],
    )
}

/// Moves a goal to `status`, if that step is allowed.
pub(crate) fn set_goal_status(
    conn: &Connection,
    who: &Actor<'_>,
    id: &str,
    status: GoalStatus,
) -> Result<()> {
    let current: Option<String> = conn
        .prepare_cached("SELECT status FROM goals WHERE id = ?1")?
        .query_row([id], |r| r.get(0))
        .map(Some)
        .or_else(|e| match e {
            rusqlite::Error::QueryReturnedNoRows => Ok(None),
            other => Err(other),
        })?;
    let current = current.ok_or_else(|| Error::NotFound {
        what: "goal",
        id: id.to_owned(),
    })?;
    let next = goal_status(&current).change_to(status)?;
    change(
        conn,
        who,
        GOAL,
        id,
        &[
            ("status".to_owned(), flat::s(goal_status_name(next))),
            ("updated_at".to_owned(), flat::i(who.now)),
        ],
    )
}

/// Puts an idea in the date jar.
pub(crate) fn add_date_idea(conn: &Connection, who: &Actor<'_>, text: &str) -> Result<String> {
    create(conn, who, DATE_IDEA, text, Vec::new())
}

/// Marks a date idea done on `on`.
pub(crate) fn mark_date_done(conn: &Connection, who: &Actor<'_>, id: &str, on: Date) -> Result<()> {
    change(
        conn,
        who,
        DATE_IDEA,
        id,
        &[("done_on".to_owned(), flat::s(day::format(on)))],
    )
}

/// Writes an appreciation note.
pub(crate) fn appreciate(conn: &Connection, who: &Actor<'_>, text: &str) -> Result<String> {
    create(conn, who, APPRECIATION, text, Vec::new())
}

fn goal_status(name: &str) -> GoalStatus {
    match name {
        "chosen" => GoalStatus::Chosen,
        "done" => GoalStatus::Done,
        "set_aside" => GoalStatus::SetAside,
        _ => GoalStatus::Idea,
    }
}

fn goal_status_name(status: GoalStatus) -> &'static str {
    match status {
        GoalStatus::Idea => "idea",
        GoalStatus::Chosen => "chosen",
        GoalStatus::Done => "done",
        GoalStatus::SetAside => "set_aside",
    }
}

/// Rebuilds an item's row from its document.
pub(crate) fn project(
    conn: &Connection,
    kind: DocumentKind,
    id: &str,
    fields: &Fields,
) -> Result<()> {
    let author = flat::text(fields, "author").unwrap_or_default();
    let text = flat::text(fields, "text").unwrap_or_default();
    let created = flat::int(fields, "created_at").unwrap_or(0);
    match kind {
        GOAL => {
            conn.prepare_cached(
                "INSERT OR REPLACE INTO goals (id, author, text, status, created_at, updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            )?
            .execute(params![
                id,
                author,
                text,
                flat::text(fields, "status").unwrap_or_else(|| "idea".into()),
                created,
                flat::int(fields, "updated_at").unwrap_or(created),
            ])?;
        }
        DATE_IDEA => {
            conn.prepare_cached(
                "INSERT OR REPLACE INTO date_ideas (id, author, text, created_at, done_on)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
            )?
            .execute(params![
                id,
                author,
                text,
                created,
                flat::text(fields, "done_on")
            ])?;
        }
        _ => {
            conn.prepare_cached(
                "INSERT OR REPLACE INTO appreciations (id, author, text, created_at)
                 VALUES (?1, ?2, ?3, ?4)",
            )?
            .execute(params![id, author, text, created])?;
        }
    }
    Ok(())
}

/// Removes an item's row.
pub(crate) fn unproject(conn: &Connection, kind: DocumentKind, id: &str) -> Result<()> {
    let table = match kind {
        GOAL => "goals",
        DATE_IDEA => "date_ideas",
        _ => "appreciations",
    };
    conn.execute(&format!("DELETE FROM {table} WHERE id = ?1"), [id])?;
    Ok(())
}

/// Every goal, oldest first.
pub(crate) fn goals(conn: &Connection, people: &People<'_>) -> Result<Vec<Goal>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, author, text, status, created_at FROM goals ORDER BY created_at, id",
    )?;
    let rows: Vec<(String, String, String, String, i64)> = stmt
        .query_map([], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
        })?
        .collect::<rusqlite::Result<_>>()?;
    rows.into_iter()
        .map(|(id, author, text, status, created_at_ms)| {
            Ok(Goal {
                id,
                author: people.get(conn, &author)?,
                text,
                status: goal_status(&status),
                created_at_ms,
            })
        })
        .collect()
}

/// Every date idea, oldest first.
pub(crate) fn date_ideas(conn: &Connection, people: &People<'_>) -> Result<Vec<DateIdea>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, author, text, done_on FROM date_ideas ORDER BY created_at, id",
    )?;
    let rows: Vec<(String, String, String, Option<String>)> = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?
        .collect::<rusqlite::Result<_>>()?;
    rows.into_iter()
        .map(|(id, author, text, done_on)| {
            Ok(DateIdea {
                id,
                author: people.get(conn, &author)?,
                text,
                done_on,
            })
        })
        .collect()
}

/// Every appreciation note, newest first.
pub(crate) fn appreciations(conn: &Connection, people: &People<'_>) -> Result<Vec<Appreciation>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, author, text, created_at FROM appreciations ORDER BY created_at DESC, id",
    )?;
    let rows: Vec<(String, String, String, i64)> = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?
        .collect::<rusqlite::Result<_>>()?;
    rows.into_iter()
        .map(|(id, author, text, created_at_ms)| {
            Ok(Appreciation {
                id,
                author: people.get(conn, &author)?,
                text,
                created_at_ms,
            })
        })
        .collect()
}
