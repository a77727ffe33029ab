//! The daily question's answers: the reveal rule, the shared document of a
//! day holding each partner's answer under their own keys, and its
//! projection rows.
//!
//! Your partner's answer stays hidden until you have answered too (see
//! [`reveal`]), so neither of you answers in the other's shadow.
//!
//! Either partner may swap the day's question: each writes how many times
//! they swapped (`swaps.<member>`), and the day's question is the one after
//! the sum of both (see [`QuestionBank::swapped_for_sized`]), so both phones
//! converge on the same replacement. A swap starts the day over: answers
//! count only for the question they were given to.
//!
//! After a safety concern this phone never serves a deep question: when the
//! day's question is deep, it shows the next swap instead and records that
//! swap with the person's answer. To the partner it looks like any swap.

use rusqlite::{Connection, OptionalExtension, params};
use serde::{Deserialize, Serialize};
use time::Date;

use super::day;
use super::flat::{self, Fields, own};
use crate::content::question::{Depth, Question, QuestionBank};
use crate::error::Result;
use crate::journal::Actor;

/// The `kind` of answer documents.
pub(crate) const KIND: crate::DocumentKind = crate::DocumentKind::Answer;

/// The longest answer, in characters.
pub const MAX_ANSWER_CHARS: usize = 2_000;

/// What you may see of your partner's answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum PartnerAnswer {
    /// Your partner has not answered yet.
    NotYet,
    /// Your partner has answered; you see their words once you answer too.
    /// Deliberately holds no text, so nothing can leak through this value.
    Hidden,
    /// Both of you have answered.
    Shown {
        /// Your partner's answer.
        text: String,
    },
}

/// Both sides of a day's question as one partner may see them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct AnswerView {
    /// Your own answer, if you gave one.
    pub mine: Option<String>,
    /// Your partner's answer, as far as you may see it.
    pub partner: PartnerAnswer,
}

/// Applies the reveal rule. An answer that is empty or only whitespace does
/// not count: otherwise saving a blank answer would unlock the partner's.
///
/// ```
/// use hearth_core::guidance::daily::{PartnerAnswer, reveal};
///
/// // Your partner answered and you have not: you learn only that they did.
/// assert_eq!(reveal(None, Some("the sea")).partner, PartnerAnswer::Hidden);
/// // Once you answer, their words appear.
/// let view = reveal(Some("the mountains"), Some("the sea"));
/// assert_eq!(view.partner, PartnerAnswer::Shown { text: "the sea".into() });
/// ```
pub fn reveal(mine: Option<&str>, partner: Option<&str>) -> AnswerView {
    let mine = mine.filter(|t| !t.trim().is_empty());
    let partner = partner.filter(|t| !t.trim().is_empty());
    let partner = match (mine, partner) {
        (_, None) => PartnerAnswer::NotYet,
        (None, Some(_)) => PartnerAnswer::Hidden,
        (Some(_), Some(text)) => PartnerAnswer::Shown {
            text: text.to_owned(),
        },
    };
    AnswerView {
        mine: mine.map(str::to_owned),
        partner,
    }
}

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

/// Where the day's question stands on this phone.
#[derive(Debug, Clone)]
pub(crate) struct Served {
    /// The question this phone shows.
    pub(crate) question: Question,
    /// Swaps this phone must record before an answer counts: 1 when the
    /// shared question is deep and this person raised a safety concern.
    pub(crate) pending_swap: bool,
}

/// The question of `date` as this phone serves it: the couple's question
/// after both partners' swaps, and, after a safety concern (`gentle`), the
/// next swap instead of a deep one.
pub(crate) fn served(
    conn: &Connection,
    bank: &QuestionBank,
    seed: &str,
    size: u32,
    date: Date,
    gentle: bool,
) -> Result<Served> {
    let swaps = total_swaps(conn, date)?;
    let pick = |n: u32| {
        bank.swapped_for_sized(seed, date, size, n)
            .or_else(|_| bank.swapped_for_sized(seed, date, size_of(bank), n))
            .unwrap_or_else(|_| bank.question_for(seed, date))
            .clone()
    };
    let shared = pick(swaps);
    if gentle && shared.depth == Depth::Deep {
        return Ok(Served {
            question: pick(swaps.saturating_add(1)),
            pending_swap: true,
        });
    }
    Ok(Served {
        question: shared,
        pending_swap: false,
    })
}

fn size_of(bank: &QuestionBank) -> u32 {
    u32::try_from(bank.len()).unwrap_or(u32::MAX)
}

/// Both partners' swaps of `date`, added up.
fn total_swaps(conn: &Connection, date: Date) -> Result<u32> {
    let n: i64 = conn
        .prepare_cached("SELECT coalesce(sum(swaps), 0) FROM answer_swaps WHERE day = ?1")?
        .query_row([day::format(date)], |r| r.get(0))?;
    Ok(u32::try_from(n.max(0)).unwrap_or(u32::MAX))
}

/// This partner's own swaps of `date`.
fn my_swaps(conn: &Connection, me: &str, date: Date) -> Result<i64> {
    let n: Option<i64> = conn
        .prepare_cached("SELECT swaps FROM answer_swaps WHERE day = ?1 AND member = ?2")?
        .query_row(params![day::format(date), me], |r| r.get(0))
        .optional()?;
    Ok(n.unwrap_or(0))
}

/// Records that this partner swapped the question of `date` once more,
/// plus the swap this phone owes if it was already showing the next one
/// (see [`Served::pending_swap`]), so the swap always brings a new question.
pub(crate) fn swap(conn: &Connection, who: &Actor<'_>, date: Date, served: &Served) -> Result<()> {
    let owed = i64::from(served.pending_swap);
    let mine = my_swaps(conn, who.member, date)?.saturating_add(owed);
    let fields = flat::write(
        conn,
        who,
        &doc_id(date),
        KIND,
        &[
            ("day".to_owned(), flat::s(day::format(date))),
            (own("swaps", who.member), flat::i(mine.saturating_add(1))),
        ],
    )?;
    project(conn, &fields)
}

/// Stores (or replaces) this partner's answer for `date`, recording first
/// the swap this phone owes (see [`Served::pending_swap`]).
pub(crate) fn answer(
    conn: &Connection,
    who: &Actor<'_>,
    date: Date,
    served: &Served,
    text: &str,
) -> Result<()> {
    let text = text.trim();
    crate::text::check_named("answer", text, MAX_ANSWER_CHARS)?;
    let mut changes = vec![
        ("day".to_owned(), flat::s(day::format(date))),
        (
            own("question", who.member),
            flat::s(served.question.id.as_str()),
        ),
        (own("answer", who.member), flat::s(text)),
        (own("at", who.member), flat::i(who.now)),
    ];
    if served.pending_swap {
        let mine = my_swaps(conn, who.member, date)?;
        changes.push((own("swaps", who.member), flat::i(mine.saturating_add(1))));
    }
    let fields = flat::write(conn, who, &doc_id(date), KIND, &changes)?;
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
    conn.prepare_cached("DELETE FROM answer_swaps WHERE day = ?1")?
        .execute([&day])?;
    let mut insert =
        conn.prepare_cached("INSERT INTO answer_swaps (day, member, swaps) VALUES (?1, ?2, ?3)")?;
    for (member, _) in flat::per_member(fields, "swaps") {
        let n = flat::int(fields, &own("swaps", member)).unwrap_or(0).max(0);
        insert.execute(params![day, member, n])?;
    }
    Ok(())
}

/// This partner's answer and the other's, for `date`, counting only
/// answers given to `question_id` (a swap starts the day over).
pub(crate) fn answers(
    conn: &Connection,
    me: &str,
    date: Date,
    question_id: &str,
) -> Result<(Option<String>, Option<String>)> {
    let mut stmt = conn
        .prepare_cached("SELECT member, text FROM answers WHERE day = ?1 AND question_id = ?2")?;
    let rows = stmt.query_map(params![day::format(date), question_id], |r| {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn partner_text_is_hidden_until_i_answer() {
        let v = reveal(None, Some("the sea"));
        assert_eq!(v.partner, PartnerAnswer::Hidden);
        assert_eq!(v.mine, None);
        // The secret must not be anywhere in what the API returns.
        assert!(!format!("{v:?}").contains("the sea"));
        assert!(!serde_json::to_string(&v).unwrap().contains("the sea"));
    }

    #[test]
    fn both_answered_shows_both() {
        let v = reveal(Some("the mountains"), Some("the sea"));
        assert_eq!(v.mine.as_deref(), Some("the mountains"));
        assert_eq!(
            v.partner,
            PartnerAnswer::Shown {
                text: "the sea".into()
            }
        );
    }

    #[test]
    fn nobody_or_only_me_answered() {
        assert_eq!(reveal(None, None).partner, PartnerAnswer::NotYet);
        let v = reveal(Some("mine"), None);
        assert_eq!(v.partner, PartnerAnswer::NotYet);
        assert_eq!(v.mine.as_deref(), Some("mine"));
    }

    #[test]
    fn a_blank_answer_unlocks_nothing() {
        assert_eq!(
            reveal(Some("  \n"), Some("secret")).partner,
            PartnerAnswer::Hidden
        );
        assert_eq!(reveal(Some(""), Some("secret")).mine, None);
        assert_eq!(
            reveal(Some("mine"), Some(" ")).partner,
            PartnerAnswer::NotYet
        );
    }
}
