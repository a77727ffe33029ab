//! The monthly check-ins: when the next one is due, the shared document
//! of the check-ins held, and its projection rows. The shell schedules the
//! reminder; the guide is the catalogue's, in [`crate::content::checkin`].
//!
//! One shared document lists the days (`held.2026-11-26` = who recorded
//! it) and how each partner found the month (`month.2026-11-26.<member>` =
//! 1 hard .. 5 good; each partner writes only their own). When the next one
//! is due is computed from the last (see [`next_due`]); hard months in a
//! row bring up professional help (see [`crate::guidance::professional`]).

use rusqlite::{Connection, OptionalExtension, params};
use serde::{Deserialize, Serialize};
use time::{Date, Duration, Month};

use super::day;
use super::flat::{self, Fields};
use crate::error::Result;
use crate::guidance::assessment::ScoreError;
use crate::journal::Actor;

/// The `kind` and id of the check-in document.
pub(crate) const KIND: crate::DocumentKind = crate::DocumentKind::CheckIns;
pub(crate) const DOC_ID: &str = "checkins";

/// The lowest and highest month rating.
pub const MONTH_RATINGS: std::ops::RangeInclusive<u32> = 1..=5;

/// When the next monthly check-in is due.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct CheckInDue {
    /// The day it is due, `YYYY-MM-DD`.
    pub due_on: String,
    /// Whether it is due (or overdue) on the day asked about.
    pub is_due: bool,
    /// The last one held, if any.
    pub last_held: Option<String>,
}

/// The same day one month later, or the month's last day when it is
/// shorter (31 January is followed by 28 or 29 February).
pub fn one_month_after(date: Date) -> Date {
    let (year, month) = match date.month() {
        Month::December => (date.year() + 1, Month::January),
        m => (date.year(), m.next()),
    };
    let day = date.day().min(month.length(year));
    // Every part is in range by construction; the fallback only guards the
    // end of the calendar the `time` crate supports.
    Date::from_calendar_date(year, month, day).unwrap_or(date + Duration::days(30))
}

/// When the next check-in is due: one month after the last one, or on the
/// day the couple started if they have never had one. A due date in the
/// past means it is due now; the shell reminds, never nags.
///
/// ```
/// use hearth_core::guidance::checkin::next_due;
/// use time::{Date, Month};
///
/// let d = |m, day| Date::from_calendar_date(2025, m, day).unwrap();
/// assert_eq!(next_due(Some(d(Month::January, 31)), d(Month::January, 1)), d(Month::February, 28));
/// assert_eq!(next_due(None, d(Month::May, 3)), d(Month::May, 3));
/// ```
pub fn next_due(last_done: Option<Date>, started_on: Date) -> Date {
    match last_done {
        Some(last) => one_month_after(last),
        None => started_on,
    }
}

/// Whether a check-in is due today.
pub fn is_due(last_done: Option<Date>, started_on: Date, today: Date) -> bool {
    next_due(last_done, started_on) <= today
}

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

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: Month, day: u8) -> Date {
        Date::from_calendar_date(y, m, day).unwrap()
    }

    #[test]
    fn due_one_month_after_the_last() {
        assert_eq!(
            next_due(Some(d(2025, Month::March, 14)), d(2024, Month::May, 1)),
            d(2025, Month::April, 14)
        );
        assert_eq!(
            one_month_after(d(2025, Month::December, 20)),
            d(2026, Month::January, 20)
        );
    }

    #[test]
    fn short_months_clamp_to_their_last_day() {
        assert_eq!(
            one_month_after(d(2025, Month::January, 31)),
            d(2025, Month::February, 28)
        );
        assert_eq!(
            one_month_after(d(2024, Month::January, 30)),
            d(2024, Month::February, 29)
        );
        assert_eq!(
            one_month_after(d(2025, Month::August, 31)),
            d(2025, Month::September, 30)
        );
    }

    #[test]
    fn the_first_one_is_due_from_the_start() {
        let start = d(2025, Month::June, 2);
        assert_eq!(next_due(None, start), start);
        assert!(is_due(None, start, start));
        assert!(!is_due(None, start, d(2025, Month::June, 1)));
        let last = d(2025, Month::June, 10);
        assert!(!is_due(Some(last), start, d(2025, Month::July, 9)));
        assert!(is_due(Some(last), start, d(2025, Month::July, 10)));
        assert!(
            is_due(Some(last), start, d(2025, Month::September, 1)),
            "overdue stays due"
        );
    }
}
