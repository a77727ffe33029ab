//! Program enrolments: one shared document per program, where each partner
//! records joining, leaving, and each day they did (`day7.<member>`).
//! Missing days never count against anyone: progress is the first day not
//! yet done, whenever the couple comes back.

use rusqlite::{Connection, params};
use serde::{Deserialize, Serialize};
use time::Date;

use super::day;
use super::flat::{self, Fields, own};
use crate::content::program::{DayMark, Program, Progress};
use crate::error::Result;
use crate::journal::Actor;

/// The `kind` of enrolment documents.
pub(crate) const KIND: crate::DocumentKind = crate::DocumentKind::Enrolment;

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
