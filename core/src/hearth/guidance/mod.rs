//! The facade's guidance methods, one file per concept as in
//! [`crate::guidance`]: the daily question, exercises and drills,
//! assessments, programs, check-ins, goals, the date jar, appreciation
//! notes, the safety check and the game. Here: the consent rules every
//! concept meets, recommendations and the Today screen. Days are the
//! partner's local calendar days as `YYYY-MM-DD`.

mod assessment;
mod checkin;
mod daily;
mod exercise;
mod game;
mod lists;
mod program;
mod safety;

pub use exercise::ExerciseFilter;

use serde::{Deserialize, Serialize};

use super::Hearth;
use crate::content::embedded;
use crate::content::exercise::Exercise;
use crate::content::program::Program;
use crate::error::{Error, Result};
use crate::events::Event;
use crate::guidance::consent::SexualContentConsent;
use crate::guidance::daily::DailyQuestion;
use crate::guidance::enrolment::Enrolment;
use crate::guidance::recommend::{Recommendation, RecommendationTarget};
use crate::guidance::{self as store, day, member};
use crate::journal::entry::{EntryLink, LinkKind};

/// The exercise `id`, if this couple may see it (sexual content only once
/// both partners opted in).
fn visible_exercise(id: &str, consent: SexualContentConsent) -> Result<&'static Exercise> {
    let exercise = embedded::catalog()?
        .get(id)
        .ok_or_else(|| Error::NotFound {
            what: "exercise",
            id: id.to_owned(),
        })?;
    if !exercise.visible_with(consent) {
        return Err(Error::NotOptedIn);
    }
    Ok(exercise)
}

/// The program `id`, if it is offered to this couple (the sensual
/// challenge only once both partners opted in).
fn offered_program(id: &str, consent: SexualContentConsent) -> Result<&'static Program> {
    let program = embedded::programs()?
        .get(id)
        .ok_or_else(|| Error::NotFound {
            what: "program",
            id: id.to_owned(),
        })?;
    if !program.visible_with(consent) {
        return Err(Error::NotOptedIn);
    }
    Ok(program)
}

/// What a journal entry may be about, the one rule every shell meets: a
/// daily question of the bank, an exercise or a program this couple may
/// see (by the same consent rule as [`Hearth::exercise`] and
/// [`Hearth::programs`]), or the day of a check-in.
pub(crate) fn check_link(link: &EntryLink, consent: SexualContentConsent) -> Result<()> {
    match link.kind {
        LinkKind::Question => {
            if embedded::question_bank()?.get(&link.id).is_none() {
                return Err(Error::NotFound {
                    what: "daily question",
                    id: link.id.clone(),
                });
            }
        }
        LinkKind::Exercise => {
            visible_exercise(&link.id, consent)?;
        }
        LinkKind::Program => {
            offered_program(&link.id, consent)?;
        }
        LinkKind::CheckIn => {
            day::parse(&link.id)?;
        }
    }
    Ok(())
}

/// Everything the Today screen shows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Today {
    /// The daily question and the answers so far.
    pub question: DailyQuestion,
    /// Programs the couple is in, with each partner's next day.
    pub programs: Vec<Enrolment>,
    /// One suggestion and its reason (help resources first, after a safety
    /// concern).
    pub suggestion: Option<Recommendation>,
    /// Whether a monthly check-in is due.
    pub check_in_due: bool,
}

impl Hearth {
    /// Emits a change of one guidance document.
    fn changed(&self, kind: crate::DocumentKind, id: impl Into<String>) {
        self.emit([Event::DocumentChanged {
            kind,
            id: id.into(),
        }]);
    }

    /// Records this partner's choice about sexual content. It is shown only
    /// when both partners have said yes; either can take it back.
    pub fn set_sexual_content_opt_in(&self, opt_in: bool) -> Result<()> {
        let who = self.actor();
        let profile = self.profile()?;
        let bank = embedded::question_bank()?.len();
        self.store.write(|tx| {
            member::publish(tx, &who, &profile.me.name, Some(opt_in), size_u32(bank))
        })?;
        self.changed(member::KIND, member::doc_id(&self.member));
        Ok(())
    }

    /// Both partners' choices about sexual content.
    pub fn sexual_content_consent(&self) -> Result<SexualContentConsent> {
        self.store.read(|conn| member::consent(conn, &self.member))
    }

    /// Exercises ranked for this couple, each with a reason from their own
    /// data; after a safety concern, help resources come first and nothing
    /// pushes closeness.
    pub fn recommendations(&self, day: &str, limit: u32) -> Result<Vec<Recommendation>> {
        let date = day::parse(day)?;
        let mut all = self
            .store
            .read(|conn| store::recommendations(conn, &self.member, date))?;
        all.truncate(limit as usize);
        Ok(all)
    }

    /// Everything the Today screen shows. After a safety concern it shows
    /// the help resources and no nudges to programs or check-ins.
    pub fn today(&self, day: &str) -> Result<Today> {
        let concern = self.store.read(store::safety_concern)?;
        let suggestion = self.recommendations(day, 1)?.into_iter().next();
        Ok(Today {
            question: self.daily_question(day)?,
            programs: if concern {
                Vec::new()
            } else {
                self.enrolments(day)?
            },
            check_in_due: !concern && self.next_check_in(day)?.is_due,
            suggestion: suggestion
                .filter(|s| !concern || matches!(s.target, RecommendationTarget::HelpResources)),
        })
    }
}

fn size_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}
