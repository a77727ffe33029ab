//! The know-each-other game's rounds: the reveal rule, the flat shared
//! document of a round, and its projection rows. One partner answers a
//! prompt about themselves, the other guesses what they said, and both see
//! both once both are in. It feeds nothing but fun: no score, no
//! recommendation.
//!
//! The partner who starts a round writes the shared keys (`prompt`,
//! `answerer`, `started_at`); each partner writes only their own entry
//! (`entry.<member>`): the answerer's answer about themselves, or the other's
//! guess. What each may see is [`reveal_round`]. The prompts are the
//! catalogue's, in [`crate::content::game`].

use rusqlite::{Connection, OptionalExtension, params};
use serde::{Deserialize, Serialize};

use super::flat::{self, Fields, own};
use crate::content::game::{GameDeck, GamePrompt};
use crate::error::{Error, Result};
use crate::journal::{Actor, new_id};

/// The `kind` of game round documents.
pub(crate) const KIND: crate::DocumentKind = crate::DocumentKind::Game;

/// The longest answer or guess, in characters.
pub const MAX_ENTRY_CHARS: usize = 500;

/// One round as one partner may see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct RoundView {
    /// Whether this partner answers about themselves (else they guess).
    pub i_answer: bool,
    /// The answer about the answerer: always shown to the answerer, shown
    /// to the guesser only once both are in.
    pub answer: Option<String>,
    /// The guess: always shown to the guesser, shown to the answerer only
    /// once both are in.
    pub guess: Option<String>,
    /// Both are in, and both see both.
    pub revealed: bool,
    /// The other partner has written their part (without showing it).
    pub partner_is_in: bool,
}

/// The reveal rule. Blank text does not count, so saving an empty entry
/// cannot unlock the other's.
///
/// ```
/// use hearth_core::guidance::game::reveal_round;
///
/// // Sam guessed, Robin (the answerer) has not answered: Robin learns only
/// // that Sam is in.
/// let robin = reveal_round(true, None, Some("pizza"));
/// assert_eq!(robin.guess, None);
/// assert!(robin.partner_is_in && !robin.revealed);
/// // Once Robin answers, both see both.
/// let robin = reveal_round(true, Some("soup"), Some("pizza"));
/// assert_eq!(robin.guess.as_deref(), Some("pizza"));
/// ```
pub fn reveal_round(i_answer: bool, answer: Option<&str>, guess: Option<&str>) -> RoundView {
    let answer = answer.filter(|t| !t.trim().is_empty());
    let guess = guess.filter(|t| !t.trim().is_empty());
    let revealed = answer.is_some() && guess.is_some();
    let (mine, theirs) = if i_answer {
        (answer, guess)
    } else {
        (guess, answer)
    };
    let show_theirs = if revealed { theirs } else { None };
    let (answer, guess) = if i_answer {
        (mine, show_theirs)
    } else {
        (show_theirs, mine)
    };
    RoundView {
        i_answer,
        answer: answer.map(str::to_owned),
        guess: guess.map(str::to_owned),
        revealed,
        partner_is_in: theirs.is_some(),
    }
}

/// One round of the game as this partner sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct GameRound {
    /// The round's id.
    pub id: String,
    /// The prompt: a question to the answerer about themselves.
    pub prompt: GamePrompt,
    /// The entries, as far as this partner may see them.
    pub view: RoundView,
    /// When it was started (Unix ms).
    pub started_at_ms: i64,
}

/// Starts a round on the next prompt; `answerer` answers about themselves.
pub(crate) fn start(
    conn: &Connection,
    who: &Actor<'_>,
    deck: &GameDeck,
    seed: &str,
    answerer: &str,
) -> Result<String> {
    let played = played(conn)?;
    let prompt = deck.next_prompt(seed, &played).ok_or(Error::NotFound {
        what: "game prompt",
        id: String::new(),
    })?;
    let id = format!("{KIND}:{}", new_id());
    let fields = flat::write(
        conn,
        who,
        &id,
        KIND,
        &[
            ("prompt".to_owned(), flat::s(prompt.id.as_str())),
            ("answerer".to_owned(), flat::s(answerer)),
            ("started_at".to_owned(), flat::i(who.now)),
        ],
    )?;
    project(conn, &id, &fields)?;
    Ok(id)
}

/// Writes this partner's entry in a round: their answer if they are the
/// answerer, their guess otherwise. Rewriting it is allowed until both are
/// in; after the reveal an entry stays as it was.
pub(crate) fn enter(conn: &Connection, who: &Actor<'_>, id: &str, text: &str) -> Result<()> {
    let text = text.trim();
    crate::text::check_named("entry", text, MAX_ENTRY_CHARS)?;
    let Some(fields) = flat::load(conn, who, id)? else {
        return Err(Error::NotFound {
            what: "game round",
            id: id.to_owned(),
        });
    };
    let entries = flat::per_member(&fields, "entry").count();
    let mine = flat::text(&fields, &own("entry", who.member)).is_some();
    if entries >= 2 && mine {
        return Err(Error::RoundRevealed);
    }
    let fields = flat::write(
        conn,
        who,
        id,
        KIND,
        &[(own("entry", who.member), flat::s(text))],
    )?;
    project(conn, id, &fields)
}

/// Rebuilds a round's rows from its document.
pub(crate) fn project(conn: &Connection, id: &str, fields: &Fields) -> Result<()> {
    let (Some(prompt), Some(answerer)) =
        (flat::text(fields, "prompt"), flat::text(fields, "answerer"))
    else {
        return Ok(());
    };
    conn.prepare_cached(
        "INSERT OR REPLACE INTO game_rounds (id, prompt_id, answerer, started_at)
         VALUES (?1, ?2, ?3, ?4)",
    )?
    .execute(params![
        id,
        prompt,
        answerer,
        flat::int(fields, "started_at").unwrap_or(0)
    ])?;
    conn.prepare_cached("DELETE FROM game_entries WHERE round_id = ?1")?
        .execute([id])?;
    let mut insert = conn
        .prepare_cached("INSERT INTO game_entries (round_id, member, text) VALUES (?1, ?2, ?3)")?;
    for (member, _) in flat::per_member(fields, "entry") {
        let text = flat::text(fields, &own("entry", member)).unwrap_or_default();
        insert.execute(params![id, member, text])?;
    }
    Ok(())
}

/// Removes a round the partner deleted.
pub(crate) fn unproject(conn: &Connection, id: &str) -> Result<()> {
    conn.execute("DELETE FROM game_entries WHERE round_id = ?1", [id])?;
    conn.execute("DELETE FROM game_rounds WHERE id = ?1", [id])?;
    Ok(())
}

/// The prompts played so far.
fn played(conn: &Connection) -> Result<Vec<String>> {
    let mut stmt = conn.prepare_cached("SELECT prompt_id FROM game_rounds")?;
    let ids = stmt
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(ids)
}

/// One round as `me` sees it.
pub(crate) fn round(conn: &Connection, deck: &GameDeck, me: &str, id: &str) -> Result<GameRound> {
    let row: Option<(String, String, i64)> = conn
        .prepare_cached("SELECT prompt_id, answerer, started_at FROM game_rounds WHERE id = ?1")?
        .query_row([id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .optional()?;
    let Some((prompt_id, answerer, started_at_ms)) = row else {
        return Err(Error::NotFound {
            what: "game round",
            id: id.to_owned(),
        });
    };
    let prompt = deck
        .get(&prompt_id)
        .cloned()
        .ok_or_else(|| Error::NotFound {
            what: "game prompt",
            id: prompt_id.clone(),
        })?;
    let mut stmt =
        conn.prepare_cached("SELECT member, text FROM game_entries WHERE round_id = ?1")?;
    let entries: Vec<(String, String)> = stmt
        .query_map([id], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let answer = entries
        .iter()
        .find(|(m, _)| *m == answerer)
        .map(|(_, t)| t.as_str());
    let guess = entries
        .iter()
        .find(|(m, _)| *m != answerer)
        .map(|(_, t)| t.as_str());
    Ok(GameRound {
        id: id.to_owned(),
        prompt,
        view: reveal_round(answerer == me, answer, guess),
        started_at_ms,
    })
}

/// Every round, newest first.
pub(crate) fn rounds(conn: &Connection, deck: &GameDeck, me: &str) -> Result<Vec<GameRound>> {
    let mut stmt =
        conn.prepare_cached("SELECT id FROM game_rounds ORDER BY started_at DESC, id")?;
    let ids: Vec<String> = stmt
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    ids.iter()
        .filter_map(|id| match round(conn, deck, me, id) {
            // A prompt this app version does not know: skip the round.
            Err(Error::NotFound { .. }) => None,
            other => Some(other),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nothing_shows_before_both_are_in() {
        // The guesser wrote first.
        let answerer = reveal_round(true, None, Some("a red kite"));
        assert_eq!((answerer.answer, answerer.guess), (None, None));
        assert!(answerer.partner_is_in && !answerer.revealed);
        let guesser = reveal_round(false, None, Some("a red kite"));
        assert_eq!(guesser.guess.as_deref(), Some("a red kite"));
        assert_eq!(guesser.answer, None);
        assert!(!guesser.partner_is_in);
        // The answerer wrote first.
        let guesser = reveal_round(false, Some("tea"), None);
        assert_eq!((guesser.answer, guesser.guess), (None, None));
        assert!(guesser.partner_is_in);
        // A blank entry unlocks nothing.
        assert!(!reveal_round(false, Some("tea"), Some("  ")).revealed);
        // Both in: both see both, whichever side they are on.
        for i_answer in [true, false] {
            let v = reveal_round(i_answer, Some("tea"), Some("coffee"));
            assert!(v.revealed);
            assert_eq!(v.answer.as_deref(), Some("tea"));
            assert_eq!(v.guess.as_deref(), Some("coffee"));
        }
    }
}
