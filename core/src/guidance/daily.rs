//! The daily question's answers: one shared document per day, holding each
//! partner's answer under their own keys. The partner's answer stays hidden
//! (see [`crate::content::answer::reveal`]) until this partner answered.

use rusqlite::{Connection, params};
use serde::{Deserialize, Serialize};
use time::Date;

use super::day;
use super::flat::{self, Fields, own};
use crate::content::answer::AnswerView;
use crate::content::question::Question;
use crate::error::Result;
use crate::journal::Actor;

/// The `kind` of answer documents.
pub(crate) const KIND: crate::DocumentKind = crate::DocumentKind::Answer;

/// The longest answer, in characters.
pub const MAX_ANSWER_CHARS: usize = 2_000;

/// The question of a day and where the two answers stand.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct DailyQuestion {
    /// The day, `YYYY-MM-DD`.
    pub day: String,
    /// The question, the same on both phones.
    pub question: Question,
    /// This partner's answer, and the other's: hidden until this partner
    /// has answered.
    pub answers: AnswerView,
}

/// The document id of a day's answers.
pub(crate) fn doc_id(date: Date) -> String {
    format!("answer:{}", day::format(date))
}

/// Stores (or replaces) this partner's answer for `date`.
pub(crate) fn answer(
    conn: &Connection,
    who: &Actor<'_>,
    date: Date,
    question_id: &str,
    text: &str,
) -> Result<()> {
    let text = text.trim();
    crate::text::check_named("answer", text, MAX_ANSWER_CHARS)?;
    let fields = flat::write(
        conn,
        who,
        &doc_id(date),
        KIND,
        &[
            ("day".to_owned(), flat::s(day::format(date))),
            (own("question", who.member), flat::s(question_id)),
            (own("answer", who.member), flat::s(text)),
            (own("at", who.member), flat::i(who.now)),
        ],
    )?;
    project(conn, &fields)
}

/// Rebuilds a day's answer rows from its document.
pub(crate) fn project(conn: &Connection, fields: &Fields) -> Result<()> {
    let Some(day) = flat::text(fields, "day") else {
        return Ok(());
    };
    conn.prepare_cached("DELETE FROM answers WHERE day = ?1")?
        .execute([&day])?;
    let mut insert = conn.prepare_cached(
        "INSERT INTO answers (day, member, question_id, text, answered_at)
         VALUES (?1, ?2, ?3, ?4, ?5)",
    )?;
    for (member, _) in flat::per_member(fields, "answer") {
        let text = flat::text(fields, &own("answer", member)).unwrap_or_default();
        let question = flat::text(fields, &own("question", member)).unwrap_or_default();
        let at = flat::int(fields, &own("at", member)).unwrap_or(0);
        insert.execute(params![day, member, question, text, at])?;
    }
    Ok(())
}

/// This partner's answer and the other's, for `date`.
pub(crate) fn answers(
    conn: &Connection,
    me: &str,
    date: Date,
) -> Result<(Option<String>, Option<String>)> {
    let mut stmt = conn.prepare_cached("SELECT member, text FROM answers WHERE day = ?1")?;
    let rows = stmt.query_map([day::format(date)], |r| {
        Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
    })?;
    let (mut mine, mut partner) = (None, None);
    for row in rows {
        let (member, text) = row?;
        if member == me {
            mine = Some(text);
        } else {
            partner = Some(text);
        }
    }
    Ok((mine, partner))
}
