//! The guidance layer: what the couple does with the catalogue's words,
//! one module per concept holding its types, its rules, its shared
//! document and its projection rows (as [`crate::journal::entry`] does for
//! a journal entry).
//!
//! - [`daily`]: the daily question's answers and the reveal rule.
//! - [`drill`]: turn-based skill drills.
//! - [`enrolment`]: programs joined and each partner's progress.
//! - [`checkin`]: the check-ins held and when the next is due.
//! - [`goal`], [`date_jar`], [`appreciation`]: the couple's small shared
//!   lists, on the document form in `items.rs`.
//! - [`assessment`]: own results on this phone, shared results, comparing.
//! - [`game`]: the know-each-other game's rounds and their reveal rule.
//! - [`consent`]: the opt-in rule for sexual content; [`recommend`]: which
//!   exercises to suggest next, and why; [`professional`]: when to point
//!   to a trained person; [`safety`]: the safety check's outcome.
//! - `member.rs`: each partner's settings document; `local.rs`: what never
//!   leaves this phone (the exercise log, the safety check); `flat.rs`: the
//!   flat document form most of these share; [`day`]: calendar days.
//!
//! The words are in [`crate::content`]; the facade methods in
//! `hearth/guidance/`.
//!
//! Tests: `cargo test -p hearth-core --test guidance`.

pub mod appreciation;
pub mod assessment;
pub mod checkin;
pub mod consent;
pub mod daily;
pub mod date_jar;
pub mod day;
pub mod drill;
pub mod enrolment;
pub(crate) mod flat;
pub mod game;
pub mod goal;
pub mod items;
pub(crate) mod local;
pub(crate) mod member;
pub mod professional;
pub mod recommend;
pub mod safety;

use automerge::AutoCommit;
use rusqlite::Connection;
use time::{Date, Duration};

use crate::content::embedded;
use crate::content::taxonomy::Barrier;
use crate::error::Result;
use crate::guidance::assessment::AssessmentResult;
use crate::guidance::professional::FlaggedBy;
use crate::guidance::recommend::{Recommendation, RecommendationInput, recommend};
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
        DocumentKind::Game => game::project(conn, id, &fields())?,
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
        DocumentKind::Game => game::unproject(conn, id),
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
    let mut barriers: Vec<(Barrier, FlaggedBy)> =
        flagged(assessment::mine(conn, AssessmentKind::BarrierSigns)?)
            .into_iter()
            .map(|b| (b, FlaggedBy::Me))
            .collect();
    for b in flagged(assessment::partners(
        conn,
        me,
        AssessmentKind::BarrierSigns,
    )?) {
        match barriers.iter_mut().find(|(x, _)| *x == b) {
            Some((_, by)) => *by = by.and(FlaggedBy::Partner),
            None => barriers.push((b, FlaggedBy::Partner)),
        }
    }
    let suggests = |r: Option<AssessmentResult>| match r {
        Some(AssessmentResult::ProfessionalHelp { result }) => result.suggest,
        _ => false,
    };
    let help_signals = match (
        suggests(assessment::mine(conn, AssessmentKind::ProfessionalHelp)?),
        suggests(assessment::partners(
            conn,
            me,
            AssessmentKind::ProfessionalHelp,
        )?),
    ) {
        (true, true) => Some(FlaggedBy::Both),
        (true, false) => Some(FlaggedBy::Me),
        (false, true) => Some(FlaggedBy::Partner),
        (false, false) => None,
    };
    let input = RecommendationInput {
        today,
        mine: intimacy(assessment::mine(conn, AssessmentKind::Intimacy)?),
        partner: intimacy(assessment::partners(conn, me, AssessmentKind::Intimacy)?),
        barriers,
        partner_name: member::partner_name(conn, me)?,
        check_in_months: checkin::months_newest_first(conn)?,
        help_signals,
        recent: local::done_since(conn, today - Duration::days(30))?,
        skipped: local::skipped_since(conn, today - Duration::days(60))?,
        consent: member::consent(conn, me)?,
        safety_concern: safety_concern(conn)?,
    };
    Ok(recommend(&input, embedded::catalog()?))
}

/// Whether this partner's safety check raised a concern, or closeness
/// suggestions are still paused after one (a cleared check keeps the pause
/// until the person turns suggestions back on).
pub(crate) fn safety_concern(conn: &Connection) -> Result<bool> {
    Ok(local::safety_outcome(conn)?.is_some_and(|o| o.concern) || local::closeness_paused(conn)?)
}
