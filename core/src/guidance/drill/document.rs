//! A drill's shared document and its projection row, and the drill as this
//! partner sees it.

use automerge::{
    AutoCommit, ObjType, ROOT, ReadDoc, ScalarValue, Value, transaction::Transactable,
};
use rusqlite::{Connection, OptionalExtension, params};
use serde::{Deserialize, Serialize};

use super::rules::{DrillView, LoggedMove, Seat, TurnMove, replay};
use crate::content::embedded;
use crate::document::{KIND_KEY, get_i64, get_obj, get_str};
use crate::error::{Error, Result};
use crate::journal::{Actor, new_id};
use crate::store::documents;

/// The `kind` of drill documents.
pub(crate) const KIND: crate::DocumentKind = crate::DocumentKind::Drill;

/// A drill as this partner sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct DrillSession {
    /// The drill's id.
    pub id: String,
    /// The exercise it practises.
    pub exercise_id: String,
    /// This partner's seat.
    pub my_seat: Seat,
    /// Whose turn it is and what this partner can do now.
    pub view: DrillView,
    /// Moves made at the same moment on both phones that did not fit.
    pub skipped_moves: u32,
    /// Whether the drill is over (all rounds done, or stopped).
    pub finished: bool,
}

/// Starts a drill of `exercise_id` with this partner in the first seat.
pub(crate) fn start(conn: &Connection, who: &Actor<'_>, exercise_id: &str) -> Result<String> {
    let exercise = embedded::catalog()?
        .get(exercise_id)
        .ok_or_else(|| Error::NotFound {
            what: "exercise",
            id: exercise_id.to_owned(),
        })?;
    let drill = exercise.drill.as_ref().ok_or_else(|| Error::NotFound {
        what: "turn-based drill",
        id: exercise_id.to_owned(),
    })?;
    let id = format!("{KIND}:{}", new_id());
    let mut doc = AutoCommit::new().with_actor(who.device.clone());
    doc.put(ROOT, KIND_KEY, KIND.as_str())?;
    doc.put(ROOT, "exercise_id", exercise_id)?;
    doc.put(ROOT, "rounds", i64::from(drill.rounds))?;
    doc.put(ROOT, "first_seat", who.member)?;
    doc.put(ROOT, "started_at", who.now)?;
    doc.put_object(ROOT, "moves", ObjType::List)?;
    doc.commit();
    project(conn, &id, &doc)?;
    documents::put_snapshot(conn, &id, KIND.as_str(), &mut doc, who.now)?;
    documents::queue_push(conn, &id, Some(&doc.get_heads()), who.now)?;
    Ok(id)
}

/// Makes a move as this partner, if it fits the drill now.
pub(crate) fn act(conn: &Connection, who: &Actor<'_>, id: &str, action: TurnMove) -> Result<()> {
    let mut doc = documents::load(conn, id, who.device)?.ok_or_else(|| Error::NotFound {
        what: "drill",
        id: id.to_owned(),
    })?;
    let stored = read(&doc, id)?;
    let seat = stored.seat_of(who.member);
    let mut state = replay(stored.rounds, &stored.moves)?.state;
    state.apply(seat, action)?;
    let before = doc.get_heads();
    let list = get_obj(&doc, &ROOT, "moves", ObjType::List).ok_or_else(|| invalid(id))?;
    let end = doc.length(&list);
    doc.insert(&list, end, encode(LoggedMove { by: seat, action }))?;
    doc.commit();
    project(conn, id, &doc)?;
    documents::append_changes(conn, id, KIND.as_str(), &mut doc, &before, who.now)?;
    documents::queue_push(conn, id, Some(&doc.get_heads()), who.now)
}

/// The drill as this partner sees it.
pub(crate) fn session(conn: &Connection, me: &str, id: &str) -> Result<DrillSession> {
    let row: Option<(String, u32, String, String)> = conn
        .prepare_cached("SELECT exercise_id, rounds, seat_a, moves FROM drills WHERE id = ?1")?
        .query_row([id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
        .optional()?;
    let (exercise_id, rounds, first, moves) = row.ok_or_else(|| Error::NotFound {
        what: "drill",
        id: id.to_owned(),
    })?;
    let moves: Vec<LoggedMove> = serde_json::from_str(&moves)
        .map_err(|e| Error::DamagedDatabase(format!("a drill's moves are unreadable: {e}")))?;
    let my_seat = if first == me {
        Seat::First
    } else {
        Seat::Second
    };
    let replayed = replay(rounds, &moves)?;
    Ok(DrillSession {
        id: id.to_owned(),
        exercise_id,
        my_seat,
        view: replayed.state.view(my_seat),
        skipped_moves: replayed.skipped,
        finished: replayed.state.is_over(),
    })
}

/// Drills not over yet, newest first.
pub(crate) fn open_drills(conn: &Connection, me: &str) -> Result<Vec<DrillSession>> {
    let mut stmt = conn.prepare_cached("SELECT id FROM drills ORDER BY started_at DESC")?;
    let ids: Vec<String> = stmt
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    let mut open = Vec::new();
    for id in ids {
        let s = session(conn, me, &id)?;
        if !s.finished {
            open.push(s);
        }
    }
    Ok(open)
}

struct StoredDrill {
    exercise_id: String,
    rounds: u32,
    first_seat: String,
    started_at: i64,
    moves: Vec<LoggedMove>,
}

impl StoredDrill {
    fn seat_of(&self, member: &str) -> Seat {
        if member == self.first_seat {
            Seat::First
        } else {
            Seat::Second
        }
    }
}

fn invalid(id: &str) -> Error {
    Error::InvalidDocument {
        doc_id: id.to_owned(),
        kind: KIND,
        reason: "a field is missing".into(),
    }
}

fn read(doc: &AutoCommit, id: &str) -> Result<StoredDrill> {
    let list = get_obj(doc, &ROOT, "moves", ObjType::List).ok_or_else(|| invalid(id))?;
    let moves = (0..doc.length(&list))
        .filter_map(|i| match doc.get(&list, i).ok()?? {
            (Value::Scalar(s), _) => match s.as_ref() {
                ScalarValue::Str(text) => decode(text),
                _ => None,
            },
            _ => None,
        })
        .collect();
    Ok(StoredDrill {
        exercise_id: get_str(doc, &ROOT, "exercise_id").ok_or_else(|| invalid(id))?,
        rounds: get_i64(doc, &ROOT, "rounds")
            .and_then(|r| u32::try_from(r).ok())
            .ok_or_else(|| invalid(id))?,
        first_seat: get_str(doc, &ROOT, "first_seat").ok_or_else(|| invalid(id))?,
        started_at: get_i64(doc, &ROOT, "started_at").unwrap_or(0),
        moves,
    })
}

/// Rebuilds a drill's row from its document.
pub(crate) fn project(conn: &Connection, id: &str, doc: &AutoCommit) -> Result<()> {
    let drill = read(doc, id)?;
    let moves = serde_json::to_string(&drill.moves).map_err(|e| Error::Export(e.to_string()))?;
    conn.prepare_cached(
        "INSERT OR REPLACE INTO drills (id, exercise_id, rounds, seat_a, started_at, moves)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![
        id,
        drill.exercise_id,
        drill.rounds,
        drill.first_seat,
        drill.started_at,
        moves
    ])?;
    Ok(())
}

/// Removes a drill's row.
pub(crate) fn unproject(conn: &Connection, id: &str) -> Result<()> {
    conn.prepare_cached("DELETE FROM drills WHERE id = ?1")?
        .execute([id])?;
    Ok(())
}

fn encode(m: LoggedMove) -> String {
    let seat = match m.by {
        Seat::First => "first",
        Seat::Second => "second",
    };
    let action = serde_json::to_value(m.action)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default();
    format!("{seat}:{action}")
}

fn decode(text: &str) -> Option<LoggedMove> {
    let (seat, action) = text.split_once(':')?;
    let by = match seat {
        "first" => Seat::First,
        "second" => Seat::Second,
        _ => return None,
    };
    let action: TurnMove = serde_json::from_value(serde_json::Value::String(action.into())).ok()?;
    Some(LoggedMove { by, action })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn moves_round_trip_through_their_stored_form() {
        for action in [
            TurnMove::DoneSpeaking,
            TurnMove::Heard,
            TurnMove::Pause,
            TurnMove::Stop,
        ] {
            let m = LoggedMove {
                by: Seat::Second,
                action,
            };
            assert_eq!(decode(&encode(m)), Some(m));
        }
        assert_eq!(decode("third:heard"), None);
        assert_eq!(decode("first:shout"), None);
    }
}
