//! The guidance layer's storage: the shared documents behind the daily
//! question, programs, check-ins, goals, the date jar, appreciation notes,
//! shared assessment results and drills, their projections, and what stays
//! on this phone (own assessment results, the exercise log, the safety
//! check). The words and the pure logic are in [`crate::content`]; the
//! facade methods are in `hearth/guidance.rs`.
//!
//! Tests: `cargo test -p hearth-core --test guidance`.

pub mod assessment;
pub(crate) mod checkin;
pub mod daily;
pub mod day;
pub mod drill;
pub mod enrolment;
pub(crate) mod flat;
pub mod items;
pub(crate) mod local;
pub(crate) mod member;

use automerge::AutoCommit;
use rusqlite::Connection;
use time::{Date, Duration};

use crate::content::assessment::AssessmentResult;
use crate::content::embedded;
use crate::content::recommend::{Recommendation, RecommendationInput, recommend};
use crate::error::Result;
use crate::kind::DocumentKind;
use assessment::AssessmentKind;

/// Rebuilds the projection of a guidance document after a merge. Returns
/// whether `kind` is a guidance kind.
pub(crate) fn refresh(
    conn: &Connection,
    me: &str,
    kind: DocumentKind,
    id: &str,
    doc: &AutoCommit,
) -> Result<bool> {
    let fields = || flat::read(doc);
    match kind {
        DocumentKind::Member => member::project(conn, me, &fields())?,
        DocumentKind::Answer => daily::project(conn, &fields())?,
        DocumentKind::Enrolment => enrolment::project(conn, &fields())?,
        DocumentKind::CheckIns => checkin::project(conn, &fields())?,
        DocumentKind::Goal | DocumentKind::DateIdea | DocumentKind::Appreciation => {
            items::project(conn, kind, id, &fields())?;
        }
        DocumentKind::Assessment => assessment::project(conn, id, &fields())?,
        DocumentKind::Drill => drill::project(conn, id, doc)?,
        DocumentKind::Entry => return Ok(false),
    }
    Ok(true)
}

/// Removes the projection of a guidance document the partner deleted.
pub(crate) fn remove(conn: &Connection, kind: DocumentKind, id: &str) -> Result<()> {
    match kind {
        DocumentKind::Goal | DocumentKind::DateIdea | DocumentKind::Appreciation => {
            items::unproject(conn, kind, id)
        }
        DocumentKind::Assessment => assessment::unproject(conn, id),
        DocumentKind::Drill => drill::unproject(conn, id),
        DocumentKind::Entry
        | DocumentKind::Answer
        | DocumentKind::Enrolment
        | DocumentKind::CheckIns
        | DocumentKind::Member => Ok(()),
    }
}

/// Exercises ranked for this couple on `today`, from what they reported:
/// assessment gaps (this partner's, and the other's if shared), barriers
/// flagged, what this partner did and skipped lately, both partners'
/// choices about sexual content, and this partner's safety check.
pub(crate) fn recommendations(
    conn: &Connection,
    me: &str,
    today: Date,
) -> Result<Vec<Recommendation>> {
    let intimacy = |r: Option<AssessmentResult>| match r {
        Some(AssessmentResult::Intimacy { result }) => Some(result),
        _ => None,
    };
    let flagged = |r: Option<AssessmentResult>| match r {
        Some(AssessmentResult::BarrierSigns { result }) => result.flagged(),
        _ => Vec::new(),
    };
    let mut barriers = flagged(assessment::mine(conn, AssessmentKind::BarrierSigns)?);
    for b in flagged(assessment::partners(
        conn,
        me,
        AssessmentKind::BarrierSigns,
    )?) {
        if !barriers.contains(&b) {
            barriers.push(b);
        }
    }
    let input = RecommendationInput {
        today,
        mine: intimacy(assessment::mine(conn, AssessmentKind::Intimacy)?),
        partner: intimacy(assessment::partners(conn, me, AssessmentKind::Intimacy)?),
        barriers,
        recent: local::done_since(conn, today - Duration::days(30))?,
        skipped: local::skipped_since(conn, today - Duration::days(60))?,
        consent: member::consent(conn, me)?,
        safety_concern: safety_concern(conn)?,
    };
    Ok(recommend(&input, embedded::catalog()?))
}

/// Whether this partner's safety check raised a concern.
pub(crate) fn safety_concern(conn: &Connection) -> Result<bool> {
    Ok(local::safety_outcome(conn)?.is_some_and(|o| o.concern))
}
