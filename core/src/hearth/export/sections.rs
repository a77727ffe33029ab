//! One section of the JSON export per kind of item, read from the rows the
//! app shows them from. People are named by member id (the export's
//! `people` list gives their names). Every item carries `private`: true
//! for what never left this phone. What the app hides from this person (the
//! partner's answer to a question this person has not answered, the other
//! entry of a game round not yet revealed) is left out here too.

use rusqlite::Connection;
use rusqlite::types::ValueRef;
use serde_json::{Map, Value};

use crate::error::Result;

/// A section: its key in the export and the query that lists its items.
/// `?1` is this person's member id. Columns named in [`JSON_COLUMNS`] hold
/// JSON and are embedded as such; `private` is a flag.
struct Section {
    key: &'static str,
    query: &'static str,
}

/// Columns stored as JSON text.
const JSON_COLUMNS: [&str; 4] = ["result", "moves", "answers", "outcome"];

/// The shared and device-local items, in the export's order. Journal
/// entries, with their reactions and comments, come from the journal.
const SECTIONS: &[Section] = &[
    Section {
        key: "daily_answers",
        // The partner's answer shows once this person answered the same
        // question that day.
        query: "SELECT a.day, a.member, a.question_id, a.text, a.answered_at, 0 AS private
                FROM answers a
                WHERE a.member = ?1 OR EXISTS (SELECT 1 FROM answers m
                    WHERE m.day = a.day AND m.member = ?1 AND m.question_id = a.question_id)
                ORDER BY a.day, a.member",
    },
    Section {
        key: "goals",
        query: "SELECT id, author, text, status, created_at, updated_at, 0 AS private
                FROM goals ORDER BY created_at, id",
    },
    Section {
        key: "check_ins",
        query: "SELECT day, recorded_by, 0 AS private FROM checkins ORDER BY day",
    },
    Section {
        key: "check_in_ratings",
        query: "SELECT day, member, rating, 0 AS private FROM checkin_ratings ORDER BY day, member",
    },
    Section {
        key: "programs",
        query: "SELECT program_id, member, joined_on, left_on, 0 AS private
                FROM program_members ORDER BY program_id, member",
    },
    Section {
        key: "program_days",
        query: "SELECT program_id, member, day, done_on, 0 AS private
                FROM program_days ORDER BY program_id, member, day",
    },
    Section {
        key: "shared_assessments",
        query: "SELECT doc_id AS id, kind, member, result, shared_at, 0 AS private
                FROM shared_assessments ORDER BY shared_at, doc_id",
    },
    Section {
        key: "my_assessments",
        // This person's own results; private until shared.
        query: "SELECT r.kind, r.result, r.taken_at,
                    NOT EXISTS (SELECT 1 FROM shared_assessments s
                        WHERE s.kind = r.kind AND s.member = ?1) AS private
                FROM assessment_results r ORDER BY r.kind",
    },
    Section {
        key: "date_ideas",
        query: "SELECT id, author, text, created_at, done_on, 0 AS private
                FROM date_ideas ORDER BY created_at, id",
    },
    Section {
        key: "appreciations",
        query: "SELECT id, author, text, created_at, 0 AS private
                FROM appreciations ORDER BY created_at, id",
    },
    Section {
        key: "exercise_log",
        query: "SELECT exercise_id, day, outcome, 1 AS private
                FROM exercise_log ORDER BY day, exercise_id, outcome",
    },
    Section {
        key: "drills",
        query: "SELECT id, exercise_id, rounds, seat_a, started_at, moves, 0 AS private
                FROM drills ORDER BY started_at, id",
    },
    Section {
        key: "game_rounds",
        query: "SELECT id, prompt_id, answerer, started_at, 0 AS private
                FROM game_rounds ORDER BY started_at, id",
    },
    Section {
        key: "game_entries",
        // The other entry of a round shows once both are in.
        query: "SELECT g.round_id, g.member, g.text, 0 AS private
                FROM game_entries g
                WHERE g.member = ?1
                   OR (SELECT count(*) FROM game_entries x WHERE x.round_id = g.round_id) >= 2
                ORDER BY g.round_id, g.member",
    },
];

/// Safety data: only when the person asks for it separately.
const SAFETY: &[Section] = &[
    Section {
        key: "safety_check",
        query: "SELECT answers, outcome, taken_at, 1 AS private FROM safety_check",
    },
    Section {
        key: "closeness_pause",
        query: "SELECT paused_at, 1 AS private FROM closeness_pause",
    },
];

/// Every section, by key, into `out`.
pub(super) fn add_all(conn: &Connection, me: &str, out: &mut Map<String, Value>) -> Result<()> {
    add(conn, me, SECTIONS, out)
}

/// The safety sections, by key, into `out`.
pub(super) fn add_safety(conn: &Connection, me: &str, out: &mut Map<String, Value>) -> Result<()> {
    add(conn, me, SAFETY, out)
}

fn add(
    conn: &Connection,
    me: &str,
    sections: &[Section],
    out: &mut Map<String, Value>,
) -> Result<()> {
    for section in sections {
        out.insert(
            section.key.to_owned(),
            Value::Array(rows(conn, me, section)?),
        );
    }
    Ok(())
}

fn rows(conn: &Connection, me: &str, section: &Section) -> Result<Vec<Value>> {
    let mut stmt = conn.prepare(section.query)?;
    let names: Vec<String> = stmt.column_names().map(str::to_owned).collect();
    let mut rows = if stmt.parameter_count() == 0 {
        stmt.query([])?
    } else {
        stmt.query([me])?
    };
    let mut items = Vec::new();
    while let Some(row) = rows.next()? {
        let mut item = Map::new();
        for (i, name) in names.iter().enumerate() {
            let value = match row.get_ref(i)? {
                ValueRef::Null => Value::Null,
                ValueRef::Integer(n) if name == "private" => Value::Bool(n != 0),
                ValueRef::Integer(n) => Value::from(n),
                ValueRef::Real(x) => Value::from(x),
                ValueRef::Text(bytes) => {
                    let text = String::from_utf8_lossy(bytes).into_owned();
                    if JSON_COLUMNS.contains(&name.as_str()) {
                        serde_json::from_str(&text).unwrap_or(Value::String(text))
                    } else {
                        Value::String(text)
                    }
                }
                // No section reads a blob.
                ValueRef::Blob(_) => Value::Null,
            };
            item.insert(name.clone(), value);
        }
        items.push(Value::Object(item));
    }
    Ok(items)
}
