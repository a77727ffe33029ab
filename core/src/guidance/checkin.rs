//! The monthly check-ins the couple held: one shared document listing the
//! days (`held.2026-11-26` = who recorded it). When the next one is due is
//! computed from the last (see [`crate::content::checkin::next_due`]).

use rusqlite::{Connection, OptionalExtension, params};
use time::Date;

use super::day;
use super::flat::{self, Fields};
use crate::error::Result;
use crate::journal::Actor;

/// The `kind` and id of the check-in document.
pub(crate) const KIND: crate::DocumentKind = crate::DocumentKind::CheckIns;
pub(crate) const DOC_ID: &str = "checkins";

/// Records that the couple held a check-in on `on`.
pub(crate) fn record(conn: &Connection, who: &Actor<'_>, on: Date) -> Result<()> {
    let fields = flat::write(
        conn,
        who,
        DOC_ID,
        KIND,
        &[(format!("held.{}", day::format(on)), flat::s(who.member))],
    )?;
    project(conn, &fields)
}

/// Rebuilds the check-in rows from the document.
pub(crate) fn project(conn: &Connection, fields: &Fields) -> Result<()> {
    conn.prepare_cached("DELETE FROM checkins")?.execute([])?;
    let mut insert =
        conn.prepare_cached("INSERT INTO checkins (day, recorded_by) VALUES (?1, ?2)")?;
    for key in fields.keys() {
        if let Some(held) = key.strip_prefix("held.") {
            insert.execute(params![held, flat::text(fields, key)])?;
        }
    }
    Ok(())
}

/// The last check-in held, if any.
pub(crate) fn last(conn: &Connection) -> Result<Option<Date>> {
    let last: Option<String> = conn
        .query_row("SELECT max(day) FROM checkins", [], |r| r.get(0))
        .optional()?
        .flatten();
    Ok(last.and_then(|d| day::parse(&d).ok()))
}
