//! Program enrolments: how far each partner has come in a program, the
//! shared document behind it, and its projection rows. The programs
//! themselves are the catalogue's, in [`crate::content::program`].
//!
//! Progress never punishes a gap. There are no streaks and no "you are
//! behind": the next task is simply the first day not done yet, whenever
//! the couple comes back to it.
//!
//! One shared document per program, where each partner records joining,
//! leaving, and each day they did (`day7.<member>`).

use std::collections::BTreeSet;

use rusqlite::{Connection, params};
use serde::{Deserialize, Serialize};
use time::Date;

use super::day;
use super::flat::{self, Fields, own};
use crate::content::program::Program;
use crate::error::Result;
use crate::journal::Actor;

/// The `kind` of enrolment documents.
pub(crate) const KIND: crate::DocumentKind = crate::DocumentKind::Enrolment;

/// After this many days without a completed task, the app welcomes the
/// person back instead of showing anything like a broken streak.
pub const WELCOME_BACK_AFTER_DAYS: i64 = 3;

/// A day one partner completed. Duplicates are harmless (the same day
/// marked from two sessions counts once).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DayMark {
    /// The program day.
    pub day: u32,
    /// When it was marked done.
    pub on: Date,
}

/// Progress marks that do not fit the program.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum ProgressError {
    /// A mark for a day the program does not have.
    #[error(
        "day {day} is not part of this program, which has {total} days; the enrolment belongs to another program"
    )]
    UnknownDay {
        /// The day marked.
        day: u32,
        /// Days in the program.
        total: u32,
    },
}

/// How far a couple has come in a program.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Progress {
    /// Days in the program.
    pub total_days: u32,
    /// Days this partner has done.
    pub done_by_me: u32,
    /// Days the other partner has done.
    pub done_by_partner: u32,
    /// Days both have done.
    pub done_by_both: u32,
    /// This partner's next task: the first day not done yet.
    pub next_day: Option<u32>,
    /// The other partner's first day not done yet.
    pub partner_next_day: Option<u32>,
    /// The phase (from 1) this partner is in.
    pub phase: u32,
    /// Both partners have done every day.
    pub finished: bool,
    /// This partner is coming back after a few days away: greet them,
    /// never scold.
    pub welcome_back: bool,
}

impl Program {
    fn done(&self, marks: &[DayMark]) -> Result<BTreeSet<u32>, ProgressError> {
        let total = self.total();
        marks
            .iter()
            .map(|m| {
                if (1..=total).contains(&m.day) {
                    Ok(m.day)
                } else {
                    Err(ProgressError::UnknownDay { day: m.day, total })
                }
            })
            .collect()
    }

    /// Both partners' progress, from each one's completed days.
    pub fn progress(
        &self,
        mine: &[DayMark],
        partner: &[DayMark],
        today: Date,
    ) -> Result<Progress, ProgressError> {
        let total = self.total();
        let my_days = self.done(mine)?;
        let their_days = self.done(partner)?;
        let first_open = |done: &BTreeSet<u32>| (1..=total).find(|d| !done.contains(d));
        let count = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
        let next_day = first_open(&my_days);
        let last_active = mine.iter().map(|m| m.on).max();
        let welcome_back = next_day.is_some()
            && last_active
                .is_some_and(|last| (today - last).whole_days() >= WELCOME_BACK_AFTER_DAYS);
        Ok(Progress {
            total_days: total,
            done_by_me: count(my_days.len()),
            done_by_partner: count(their_days.len()),
            done_by_both: count(my_days.intersection(&their_days).count()),
            next_day,
            partner_next_day: first_open(&their_days),
            phase: self.phase_of(next_day.unwrap_or(total)).unwrap_or(1),
            finished: next_day.is_none() && first_open(&their_days).is_none(),
            welcome_back,
        })
    }
}

/// A program the couple is in, and how far each partner has come.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Enrolment {
    /// The program's id.
    pub program_id: String,
    /// The program's title.
    pub title: String,
    /// Whether this partner is in it (joined and not left).
    pub joined_by_me: bool,
    /// Whether the other partner is in it.
    pub joined_by_partner: bool,
    /// Both partners' progress.
    pub progress: Progress,
}

/// The document id of the enrolment in `program_id`.
pub(crate) fn doc_id(program_id: &str) -> String {
    format!("program:{program_id}")
}

/// Joins (or rejoins) a program.
pub(crate) fn join(conn: &Connection, who: &Actor<'_>, program_id: &str, on: Date) -> Result<()> {
    write(
        conn,
        who,
        program_id,
        vec![
            (own("joined", who.member), flat::s(day::format(on))),
            (own("left", who.member), None),
        ],
    )
}

/// Leaves a program; the days done stay recorded.
pub(crate) fn leave(conn: &Connection, who: &Actor<'_>, program_id: &str, on: Date) -> Result<()> {
    write(
        conn,
        who,
        program_id,
        vec![(own("left", who.member), flat::s(day::format(on)))],
    )
}

/// Marks program day `number` done by this partner.
pub(crate) fn mark_day(
    conn: &Connection,
    who: &Actor<'_>,
    program_id: &str,
    number: u32,
    on: Date,
) -> Result<()> {
    write(
        conn,
        who,
        program_id,
        vec![(
            own(&format!("day{number}"), who.member),
            flat::s(day::format(on)),
        )],
    )
}

fn write(
    conn: &Connection,
    who: &Actor<'_>,
    program_id: &str,
    mut changes: Vec<(String, Option<automerge::ScalarValue>)>,
) -> Result<()> {
    changes.push(("program".to_owned(), flat::s(program_id)));
    let fields = flat::write(conn, who, &doc_id(program_id), KIND, &changes)?;
    project(conn, &fields)
}

/// Rebuilds a program's enrolment rows from its document.
pub(crate) fn project(conn: &Connection, fields: &Fields) -> Result<()> {
    let Some(program) = flat::text(fields, "program") else {
        return Ok(());
    };
    conn.prepare_cached("DELETE FROM program_members WHERE program_id = ?1")?
        .execute([&program])?;
    conn.prepare_cached("DELETE FROM program_days WHERE program_id = ?1")?
        .execute([&program])?;
    let mut join = conn.prepare_cached(
        "INSERT INTO program_members (program_id, member, joined_on, left_on) VALUES (?1, ?2, ?3, ?4)",
    )?;
    for (member, _) in flat::per_member(fields, "joined") {
        join.execute(params![
            program,
            member,
            flat::text(fields, &own("joined", member)),
            flat::text(fields, &own("left", member)),
        ])?;
    }
    let mut mark = conn.prepare_cached(
        "INSERT INTO program_days (program_id, member, day, done_on) VALUES (?1, ?2, ?3, ?4)",
    )?;
    for key in fields.keys() {
        let Some((day, member)) = key
            .strip_prefix("day")
            .and_then(|rest| rest.split_once('.'))
            .and_then(|(n, m)| Some((n.parse::<u32>().ok()?, m)))
        else {
            continue;
        };
        mark.execute(params![program, member, day, flat::text(fields, key)])?;
    }
    Ok(())
}

/// The ids of programs either partner is in.
pub(crate) fn active_program_ids(conn: &Connection) -> Result<Vec<String>> {
    let mut stmt = conn.prepare_cached(
        "SELECT DISTINCT program_id FROM program_members WHERE left_on IS NULL ORDER BY program_id",
    )?;
    let ids = stmt
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(ids)
}

/// Where the couple stands in `program` on `today`.
pub(crate) fn enrolment(
    conn: &Connection,
    me: &str,
    program: &Program,
    today: Date,
) -> Result<Enrolment> {
    let mut stmt = conn.prepare_cached(
        "SELECT member, left_on IS NULL FROM program_members WHERE program_id = ?1",
    )?;
    let members: Vec<(String, bool)> = stmt
        .query_map([&program.id], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let mut stmt =
        conn.prepare_cached("SELECT member, day, done_on FROM program_days WHERE program_id = ?1")?;
    let rows: Vec<(String, u32, String)> = stmt
        .query_map([&program.id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let (mut mine, mut partner) = (Vec::new(), Vec::new());
    for (member, number, on) in rows {
        let Ok(on) = day::parse(&on) else { continue };
        let mark = DayMark { day: number, on };
        if member == me {
            mine.push(mark);
        } else {
            partner.push(mark);
        }
    }
    Ok(Enrolment {
        program_id: program.id.clone(),
        title: program.title.clone(),
        joined_by_me: members.iter().any(|(m, active)| m == me && *active),
        joined_by_partner: members.iter().any(|(m, active)| m != me && *active),
        progress: program.progress(&mine, &partner, today)?,
    })
}

#[cfg(test)]
mod tests {
    use time::{Duration, Month};

    use super::*;
    use crate::content::embedded;
    use crate::content::program::INTIMACY_CHALLENGE;

    fn program() -> &'static Program {
        embedded::programs()
            .unwrap()
            .get(INTIMACY_CHALLENGE)
            .unwrap()
    }

    fn start() -> Date {
        Date::from_calendar_date(2025, Month::May, 1).unwrap()
    }

    fn marks(days: &[(u32, i64)]) -> Vec<DayMark> {
        days.iter()
            .map(|&(day, offset)| DayMark {
                day,
                on: start() + Duration::days(offset),
            })
            .collect()
    }

    #[test]
    fn a_gap_never_costs_progress() {
        // Days 1-3 done, then two weeks away.
        let mine = marks(&[(1, 0), (2, 1), (3, 2)]);
        let today = start() + Duration::days(16);
        let p = program().progress(&mine, &[], today).unwrap();
        assert_eq!(
            p.next_day,
            Some(4),
            "the couple resumes where they left off"
        );
        assert_eq!(p.done_by_me, 3);
        assert!(p.welcome_back);
        assert_eq!(p.phase, 1);
        // Coming back the next day: no greeting needed.
        let p = program()
            .progress(&mine, &[], start() + Duration::days(3))
            .unwrap();
        assert!(!p.welcome_back);
    }

    #[test]
    fn progress_counts_each_partner_and_both() {
        let mine = marks(&[(1, 0), (2, 1), (2, 1), (4, 3)]);
        let theirs = marks(&[(1, 0), (4, 5)]);
        let p = program()
            .progress(&mine, &theirs, start() + Duration::days(5))
            .unwrap();
        assert_eq!((p.done_by_me, p.done_by_partner, p.done_by_both), (3, 2, 2));
        assert_eq!(p.next_day, Some(3), "a skipped day stays open");
        assert_eq!(p.partner_next_day, Some(2));
        assert!(!p.finished);
    }

    #[test]
    fn phases_follow_the_days_and_the_end_is_shared() {
        let all: Vec<(u32, i64)> = (1..=30).map(|d| (d, i64::from(d))).collect();
        let mine = marks(&all);
        let p = program().progress(&mine[..15], &[], start()).unwrap();
        assert_eq!((p.next_day, p.phase), (Some(16), 2));
        let p = program().progress(&mine, &mine[..29], start()).unwrap();
        assert_eq!(p.next_day, None);
        assert_eq!(p.phase, 3);
        assert!(!p.finished, "finished means both partners");
        let p = program()
            .progress(&mine, &mine, start() + Duration::days(90))
            .unwrap();
        assert!(p.finished);
        assert!(!p.welcome_back);
    }

    #[test]
    fn marks_outside_the_program_are_an_error() {
        let bad = marks(&[(31, 0)]);
        assert_eq!(
            program().progress(&bad, &[], start()),
            Err(ProgressError::UnknownDay { day: 31, total: 30 })
        );
        assert!(program().progress(&[], &marks(&[(0, 0)]), start()).is_err());
    }
}
