//! The document form the couple's small shared lists have in common:
//! goals ([`super::goal`]), date-jar ideas ([`super::date_jar`]) and
//! appreciation notes ([`super::appreciation`]). Each item is its own flat
//! document (`text`, `author`, `created_at`, and the list's own keys),
//! written by one partner and changed by either (a goal's status, an idea
//! marked done).

use rusqlite::Connection;

use super::flat::{self, Fields};
use super::{appreciation, date_jar, goal};
use crate::error::{Error, Result};
use crate::journal::{Actor, new_id};
use crate::kind::DocumentKind;

/// The longest goal, idea or note, in characters.
pub const MAX_ITEM_CHARS: usize = 500;

/// What every item document holds.
pub(crate) struct Item {
    /// Who wrote it.
    pub(crate) author: String,
    /// The goal, idea or note.
    pub(crate) text: String,
    /// When (Unix ms).
    pub(crate) created: i64,
}

fn check_text(what: &'static str, text: &str) -> Result<String> {
    let text = text.trim();
    crate::text::check_named(what, text, MAX_ITEM_CHARS)?;
    Ok(text.to_owned())
}

/// Creates a new item document of `kind`; returns its id.
pub(crate) fn create(
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
        goal::KIND => "goal",
        date_jar::KIND => "date idea",
        _ => "note",
    }
}

/// Changes an existing item.
pub(crate) fn change(
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

/// Rebuilds an item's row from its document.
pub(crate) fn project(
    conn: &Connection,
    kind: DocumentKind,
    id: &str,
    fields: &Fields,
) -> Result<()> {
    let item = Item {
        author: flat::text(fields, "author").unwrap_or_default(),
        text: flat::text(fields, "text").unwrap_or_default(),
        created: flat::int(fields, "created_at").unwrap_or(0),
    };
    match kind {
        goal::KIND => goal::project(conn, id, &item, fields),
        date_jar::KIND => date_jar::project(conn, id, &item, fields),
        _ => appreciation::project(conn, id, &item),
    }
}

/// Removes an item's row.
pub(crate) fn unproject(conn: &Connection, kind: DocumentKind, id: &str) -> Result<()> {
    let table = match kind {
        goal::KIND => goal::TABLE,
        date_jar::KIND => date_jar::TABLE,
        _ => appreciation::TABLE,
    };
    conn.execute(&format!("DELETE FROM {table} WHERE id = ?1"), [id])?;
    Ok(())
}
