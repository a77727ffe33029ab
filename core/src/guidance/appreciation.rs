//! Appreciation notes from one partner to the other: each its own item
//! document (see [`super::items`]) with its projection row.

use rusqlite::{Connection, params};
use serde::{Deserialize, Serialize};

use super::items::{self, Item};
use crate::error::Result;
use crate::journal::Actor;
use crate::journal::entry::{People, Person};
use crate::kind::DocumentKind;

/// The kind of appreciation documents.
pub(crate) const KIND: DocumentKind = DocumentKind::Appreciation;
/// The projection table.
pub(crate) const TABLE: &str = "appreciations";

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

/// Writes an appreciation note.
pub(crate) fn appreciate(conn: &Connection, who: &Actor<'_>, text: &str) -> Result<String> {
    items::create(conn, who, KIND, text, Vec::new())
}

/// Rebuilds a note's row from its document.
pub(crate) fn project(conn: &Connection, id: &str, item: &Item) -> Result<()> {
    let (author, text, created) = (&item.author, &item.text, item.created);
    conn.prepare_cached(
        "INSERT OR REPLACE INTO appreciations (id, author, text, created_at)
             VALUES (?1, ?2, ?3, ?4)",
    )?
    .execute(params![id, author, text, created])?;
    Ok(())
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
