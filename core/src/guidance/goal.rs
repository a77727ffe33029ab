//! Shared goals: the status a goal moves through, the brainstorm rule, and
//! the goal documents with their projection rows. Each goal is its own
//! item document (see [`super::items`]), written by one partner and moved
//! along by either.

use rusqlite::{Connection, params};
use serde::{Deserialize, Serialize};

use super::flat::{self, Fields};
use super::items::{self, Item};
use crate::error::{Error, Result};
use crate::journal::Actor;
use crate::journal::entry::{People, Person};
use crate::kind::DocumentKind;

/// The kind of goal documents.
pub(crate) const KIND: DocumentKind = DocumentKind::Goal;
/// The projection table.
pub(crate) const TABLE: &str = "goals";

/// Where a goal stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(rename_all = "snake_case")]
pub enum GoalStatus {
    /// Offered in a brainstorm, not picked yet.
    Idea,
    /// Picked together; you are working on it.
    Chosen,
    /// Reached.
    Done,
    /// Put aside for now; it can be picked again later.
    SetAside,
}

/// A status change that does not make sense.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("a goal cannot go from {from:?} to {to:?}; pick it again first or leave it as it is")]
pub struct GoalStatusError {
    /// The current status.
    pub from: GoalStatus,
    /// The status asked for.
    pub to: GoalStatus,
}

impl GoalStatus {
    /// Checks a change of status. Ideas are picked (or set aside), chosen
    /// goals are done or set aside, and anything may be picked again. A done
    /// goal may also be reopened as chosen when you want to keep it going.
    pub fn change_to(self, to: GoalStatus) -> Result<GoalStatus, GoalStatusError> {
        use GoalStatus::*;
        let allowed = matches!(
            (self, to),
            (Idea, Chosen)
                | (Idea, SetAside)
                | (Chosen, Done)
                | (Chosen, SetAside)
                | (SetAside, Chosen)
                | (Done, Chosen)
        );
        if allowed {
            Ok(to)
        } else {
            Err(GoalStatusError { from: self, to })
        }
    }
}

/// Whether a brainstorm is ready to pick from: both partners must have
/// offered at least one idea, so the goals belong to both of you.
pub fn ready_to_pick(my_ideas: u32, partner_ideas: u32) -> bool {
    my_ideas > 0 && partner_ideas > 0
}

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

/// Adds a goal idea to the brainstorm.
pub(crate) fn add_goal(conn: &Connection, who: &Actor<'_>, text: &str) -> Result<String> {
    items::create(
        conn,
        who,
        KIND,
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
    items::change(
        conn,
        who,
        KIND,
        id,
        &[
            ("status".to_owned(), flat::s(goal_status_name(next))),
            ("updated_at".to_owned(), flat::i(who.now)),
        ],
    )
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

/// Rebuilds a goal's row from its document.
pub(crate) fn project(conn: &Connection, id: &str, item: &Item, fields: &Fields) -> Result<()> {
    let (author, text, created) = (&item.author, &item.text, item.created);
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

#[cfg(test)]
mod tests {
    use super::GoalStatus::*;
    use super::*;

    #[test]
    fn goals_move_along_sensible_paths() {
        assert_eq!(Idea.change_to(Chosen), Ok(Chosen));
        assert_eq!(Chosen.change_to(Done), Ok(Done));
        assert_eq!(SetAside.change_to(Chosen), Ok(Chosen));
        assert_eq!(
            Idea.change_to(Done),
            Err(GoalStatusError {
                from: Idea,
                to: Done
            })
        );
        assert!(Done.change_to(Idea).is_err());
        assert!(Chosen.change_to(Chosen).is_err());
    }

    #[test]
    fn both_partners_must_offer_ideas() {
        assert!(ready_to_pick(2, 1));
        assert!(!ready_to_pick(5, 0));
        assert!(!ready_to_pick(0, 3));
    }
}
