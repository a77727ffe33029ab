//! The monthly check-ins the couple held: one shared document listing the
//! days (`held.2026-11-26` = who recorded it) and how each partner found
//! the month (`month.2026-11-26.<member>` = 1 hard .. 5 good; each partner
//! writes only their own). When the next one is due is computed from the
//! last (see [`crate::content::checkin::next_due`]); hard months in a row
//! bring up professional help (see [`crate::content::professional`]).

use rusqlite::{Connection, OptionalExtension, params};
use time::Date;

use super::day;
use super::flat::{self, Fields};
use crate::content::assessment::ScoreError;
use crate::error::Result;
use crate::journal::Actor;

/// The `kind` and id of the check-in document.
pub(crate) const KIND: crate::DocumentKind = crate::DocumentKind::CheckIns;
pub(crate) const DOC_ID: &str = "checkins";

/// The lowest and highest month rating.
pub const MONTH_RATINGS: std::ops::RangeInclusive<u32> = 1..=5;

/// Records that the couple held a check-in on `on`, and how this partner
/// found the month, if they said.
pub(crate) fn record(
    conn: &Connection,
    who: &Actor<'_>,
    on: Date,
    month: Option<u32>,
) -> Result<()> {
    let day = day::format(on);
    let mut changes = vec![(format!("held.{day}"), flat::s(who.member))];
    if let Some(rating) = month {
        if !MONTH_RATINGS.contains(&rating) {
            return Err(ScoreError::OutOfRange {
                item: "the month's rating".to_owned(),
                value: rating,
                min: *MONTH_RATINGS.start(),
                max: *MONTH_RATINGS.end(),
            }
            .into());
        }
        changes.push((
            flat::own(&format!("month.{day}"), who.member),
            flat::i(i64::from(rating)),
        ));
    }
    let fields = flat::write(conn, who, DOC_ID, KIND, &changes)?;
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
    conn.prepare_cached("DELETE FROM checkin_ratings")?
        .execute([])?;
    let mut insert = conn
        .prepare_cached("INSERT INTO checkin_ratings (day, member, rating) VALUES (?1, ?2, ?3)")?;
    for (key, _) in fields.iter() {
        let Some((day, member)) = key
            .strip_prefix("month.")
            .and_then(|rest| rest.split_once('.'))
        else {
            continue;
        };
        let rating = flat::int(fields, key).and_then(|r| u32::try_from(r).ok());
        if let Some(rating) = rating.filter(|r| MONTH_RATINGS.contains(r)) {
            insert.execute(params![day, member, rating])?;
        }
    }
    Ok(())
}

/// The lowest month rating of each check-in that has one, newest first.
pub(crate) fn months_newest_first(conn: &Connection) -> Result<Vec<u32>> {
    let mut stmt = conn.prepare_cached(
        "SELECT min(rating) FROM checkin_ratings GROUP BY day ORDER BY day DESC LIMIT 12",
    )?;
    let rows = stmt
        .query_map([], |r| r.get::<_, u32>(0))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

/// The last check-in held, if any.
pub(crate) fn last(conn: &Connection) -> Result<Option<Date>> {
    let last: Option<String> = conn
        .query_row("SELECT max(day) FROM checkins", [], |r| r.get(0))
        .optional()?
        .flatten();
    Ok(last.and_then(|d| day::parse(&d).ok()))
}
