//! Assessment results: private to this phone by default; a partner may
//! share one (a shared document carrying the result), and when both shared
//! the same assessment the app shows where they differ most.

mod compare;
mod explain;
pub(crate) mod score;

pub use compare::Difference;
pub use explain::Explanation;
pub use score::{
    AssessmentResult, AttachmentResult, BarrierScore, BarrierSignsResult, Choice, ChoiceAnswer,
    CommunicationResult, CommunicationScore, DimensionRating, DimensionScore, IntimacyResult,
    ItemAnswer, LanguageScore, Leaning, LoveLanguageResult, ProfessionalHelpResult, ScoreError,
    SignalAnswer,
};

use rusqlite::{Connection, OptionalExtension, params};
use serde::{Deserialize, Serialize};

use super::flat::{self, Fields};
use crate::content::embedded;
use crate::error::{Error, Result};
use crate::journal::{Actor, new_id};
use crate::store::documents;

/// The `kind` of shared assessment documents.
pub(crate) const KIND: crate::DocumentKind = crate::DocumentKind::Assessment;

/// Which assessment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum AssessmentKind {
    /// Intimacy by dimension: importance and satisfaction.
    Intimacy,
    /// The five love languages.
    LoveLanguages,
    /// Attachment tendencies.
    Attachment,
    /// Signs of emotional barriers.
    BarrierSigns,
    /// Signals that a professional would help.
    ProfessionalHelp,
    /// Communication styles.
    Communication,
}

impl AssessmentKind {
    pub(crate) fn name(self) -> &'static str {
        match self {
            AssessmentKind::Intimacy => "intimacy",
            AssessmentKind::LoveLanguages => "love_languages",
            AssessmentKind::Attachment => "attachment",
            AssessmentKind::BarrierSigns => "barrier_signs",
            AssessmentKind::ProfessionalHelp => "professional_help",
            AssessmentKind::Communication => "communication",
        }
    }

    /// The kind of a result.
    pub fn of(result: &AssessmentResult) -> Self {
        match result {
            AssessmentResult::Intimacy { .. } => AssessmentKind::Intimacy,
            AssessmentResult::LoveLanguages { .. } => AssessmentKind::LoveLanguages,
            AssessmentResult::Attachment { .. } => AssessmentKind::Attachment,
            AssessmentResult::BarrierSigns { .. } => AssessmentKind::BarrierSigns,
            AssessmentResult::ProfessionalHelp { .. } => AssessmentKind::ProfessionalHelp,
            AssessmentResult::Communication { .. } => AssessmentKind::Communication,
        }
    }
}

/// A person's answers to one assessment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum AssessmentAnswers {
    /// Importance and satisfaction per dimension.
    Intimacy { ratings: Vec<DimensionRating> },
    /// One choice per pair.
    LoveLanguages { answers: Vec<ChoiceAnswer> },
    /// One value per statement.
    Attachment { answers: Vec<ItemAnswer> },
    /// One value per sign.
    BarrierSigns { answers: Vec<ItemAnswer> },
    /// Which signals are present.
    ProfessionalHelp { answers: Vec<SignalAnswer> },
    /// One value per communication statement.
    Communication { answers: Vec<ItemAnswer> },
}

/// Both partners' shared results of one assessment, and where they differ
/// most (widest first).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Comparison {
    /// This partner's result.
    pub mine: AssessmentResult,
    /// The other partner's result.
    pub partner: AssessmentResult,
    /// Topics, the widest difference first.
    pub differences: Vec<Difference>,
}

/// Scores `answers` and keeps the result on this phone only.
pub(crate) fn take(
    conn: &Connection,
    now: i64,
    answers: &AssessmentAnswers,
) -> Result<AssessmentResult> {
    let all = embedded::assessments()?;
    let result = match answers {
        AssessmentAnswers::Intimacy { ratings } => AssessmentResult::Intimacy {
            result: all.intimacy.score(ratings)?,
        },
        AssessmentAnswers::LoveLanguages { answers } => AssessmentResult::LoveLanguages {
            result: all.love_languages.score(answers)?,
        },
        AssessmentAnswers::Attachment { answers } => AssessmentResult::Attachment {
            result: all.attachment.score(answers)?,
        },
        AssessmentAnswers::BarrierSigns { answers } => AssessmentResult::BarrierSigns {
            result: all.barrier_signs.score(answers)?,
        },
        AssessmentAnswers::ProfessionalHelp { answers } => AssessmentResult::ProfessionalHelp {
            result: all.professional_help.score(answers)?,
        },
        AssessmentAnswers::Communication { answers } => AssessmentResult::Communication {
            result: all.communication.score(answers)?,
        },
    };
    conn.prepare_cached(
        "INSERT OR REPLACE INTO assessment_results (kind, result, taken_at) VALUES (?1, ?2, ?3)",
    )?
    .execute(params![
        AssessmentKind::of(&result).name(),
        to_json(&result)?,
        now
    ])?;
    Ok(result)
}

/// This partner's latest result of `kind`, from this phone.
pub(crate) fn mine(conn: &Connection, kind: AssessmentKind) -> Result<Option<AssessmentResult>> {
    let json: Option<String> = conn
        .prepare_cached("SELECT result FROM assessment_results WHERE kind = ?1")?
        .query_row([kind.name()], |r| r.get(0))
        .optional()?;
    json.map(|j| from_json(&j)).transpose()
}

/// Whether this partner has a result of `kind` shared with the other.
pub(crate) fn is_shared(conn: &Connection, me: &str, kind: AssessmentKind) -> Result<bool> {
    Ok(conn
        .prepare_cached("SELECT 1 FROM shared_assessments WHERE kind = ?1 AND member = ?2 LIMIT 1")?
        .query_row(params![kind.name(), me], |_| Ok(()))
        .optional()?
        .is_some())
}

/// The other partner's latest shared result of `kind`.
pub(crate) fn partners(
    conn: &Connection,
    me: &str,
    kind: AssessmentKind,
) -> Result<Option<AssessmentResult>> {
    let json: Option<String> = conn
        .prepare_cached(
            "SELECT result FROM shared_assessments WHERE kind = ?1 AND member != ?2
             ORDER BY shared_at DESC LIMIT 1",
        )?
        .query_row(params![kind.name(), me], |r| r.get(0))
        .optional()?;
    json.map(|j| from_json(&j)).transpose()
}

/// Shares this partner's result of `kind`, replacing an earlier share.
pub(crate) fn share(conn: &Connection, who: &Actor<'_>, kind: AssessmentKind) -> Result<()> {
    let result = mine(conn, kind)?.ok_or_else(|| Error::NotFound {
        what: "assessment result",
        id: kind.name().to_owned(),
    })?;
    unshare(conn, who, kind)?;
    let id = format!("{KIND}:{}", new_id());
    let fields = flat::write(
        conn,
        who,
        &id,
        KIND,
        &[
            ("assessment".to_owned(), flat::s(kind.name())),
            ("member".to_owned(), flat::s(who.member)),
            ("result".to_owned(), flat::s(to_json(&result)?)),
            ("shared_at".to_owned(), flat::i(who.now)),
        ],
    )?;
    project(conn, &id, &fields)
}

/// Withdraws this partner's shared results of `kind`: their documents are
/// deleted here, at the relay and on the partner's phone.
pub(crate) fn unshare(conn: &Connection, who: &Actor<'_>, kind: AssessmentKind) -> Result<()> {
    let mut stmt = conn
        .prepare_cached("SELECT doc_id FROM shared_assessments WHERE kind = ?1 AND member = ?2")?;
    let ids: Vec<String> = stmt
        .query_map(params![kind.name(), who.member], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    for id in ids {
        unproject(conn, &id)?;
        documents::forget(conn, &id, KIND.as_str(), who.now)?;
        documents::queue_forget(conn, &id, who.now)?;
    }
    Ok(())
}

/// Both shared results of `kind` compared, if both partners shared one.
pub(crate) fn compare(
    conn: &Connection,
    me: &str,
    kind: AssessmentKind,
) -> Result<Option<Comparison>> {
    let mine: Option<String> = conn
        .prepare_cached(
            "SELECT result FROM shared_assessments WHERE kind = ?1 AND member = ?2
             ORDER BY shared_at DESC LIMIT 1",
        )?
        .query_row(params![kind.name(), me], |r| r.get(0))
        .optional()?;
    let (Some(mine), Some(partner)) = (mine, partners(conn, me, kind)?) else {
        return Ok(None);
    };
    let mine = from_json(&mine)?;
    let differences = embedded::assessments()?.compare(&mine, &partner)?;
    Ok(Some(Comparison {
        mine,
        partner,
        differences,
    }))
}

/// Rebuilds a shared result's row from its document.
pub(crate) fn project(conn: &Connection, id: &str, fields: &Fields) -> Result<()> {
    let (Some(kind), Some(member), Some(result)) = (
        flat::text(fields, "assessment"),
        flat::text(fields, "member"),
        flat::text(fields, "result"),
    ) else {
        return Ok(());
    };
    conn.prepare_cached(
        "INSERT OR REPLACE INTO shared_assessments (doc_id, kind, member, result, shared_at)
         VALUES (?1, ?2, ?3, ?4, ?5)",
    )?
    .execute(params![
        id,
        kind,
        member,
        result,
        flat::int(fields, "shared_at").unwrap_or(0)
    ])?;
    Ok(())
}

/// Removes a shared result's row.
pub(crate) fn unproject(conn: &Connection, id: &str) -> Result<()> {
    conn.prepare_cached("DELETE FROM shared_assessments WHERE doc_id = ?1")?
        .execute([id])?;
    Ok(())
}

fn to_json(result: &AssessmentResult) -> Result<String> {
    serde_json::to_string(result).map_err(|e| Error::DamagedDatabase(e.to_string()))
}

fn from_json(json: &str) -> Result<AssessmentResult> {
    serde_json::from_str(json).map_err(|e| {
        Error::DamagedDatabase(format!("a stored assessment result is unreadable: {e}"))
    })
}
