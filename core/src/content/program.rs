//! Programs: day-by-day challenges (core/content/programs.toml) and which
//! of them a couple is offered. How far each partner has come is in
//! [`crate::guidance::enrolment`].

use serde::{Deserialize, Serialize};

use super::check::{self, Problems};
use super::error::ContentError;
use super::exercise::Catalog;
use super::taxonomy::Dimension;
use crate::guidance::consent::SexualContentConsent;

/// The 30-day intimacy challenge.
pub const INTIMACY_CHALLENGE: &str = "intimacy-30";
/// The 30-day sensual challenge, offered only when both partners opted in.
pub const SENSUAL_CHALLENGE: &str = "sensual-30";

/// A stretch of days with one focus.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[serde(deny_unknown_fields)]
pub struct Phase {
    /// Title.
    pub title: String,
    /// What these days are about.
    pub summary: String,
    /// First day of the phase (from 1).
    pub first_day: u32,
    /// Last day of the phase.
    pub last_day: u32,
}

/// One day's small task.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[serde(deny_unknown_fields)]
pub struct ProgramDay {
    /// Day number, from 1.
    pub day: u32,
    /// Short title.
    pub title: String,
    /// What to do today.
    pub task: String,
    /// About how long it takes.
    pub minutes: u32,
    /// The closeness it serves.
    pub dimension: Dimension,
    /// An exercise from the catalog that goes deeper, if any.
    #[serde(default)]
    pub exercise: Option<String>,
}

/// A program.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[serde(deny_unknown_fields)]
pub struct Program {
    /// Stable id.
    pub id: String,
    /// Title.
    pub title: String,
    /// What it is and who it is for.
    pub summary: String,
    /// Sexual content: offered only while both partners opted in.
    #[serde(default)]
    pub sensitive: bool,
    /// The phases, in order.
    pub phases: Vec<Phase>,
    /// The days, in order.
    pub days: Vec<ProgramDay>,
}

impl Program {
    /// Whether the program may be offered under the couple's consent. If a
    /// partner opts out during a sensitive program, it is hidden again.
    pub fn visible_with(&self, consent: SexualContentConsent) -> bool {
        !self.sensitive || consent.allows_sexual_content()
    }

    /// A day's task.
    pub fn day(&self, day: u32) -> Option<&ProgramDay> {
        self.days.iter().find(|d| d.day == day)
    }

    /// The phase a day belongs to, from 1.
    pub fn phase_of(&self, day: u32) -> Option<u32> {
        self.phases
            .iter()
            .position(|p| (p.first_day..=p.last_day).contains(&day))
            .and_then(|i| u32::try_from(i + 1).ok())
    }

    /// Days in the program.
    pub(crate) fn total(&self) -> u32 {
        u32::try_from(self.days.len()).unwrap_or(u32::MAX)
    }

    fn check(&self, catalog: &Catalog, p: &mut Problems) {
        let id = self.id.as_str();
        p.id("program", id);
        p.text(id, "title", &self.title);
        p.text(id, "summary", &self.summary);
        for (i, d) in self.days.iter().enumerate() {
            let owner = format!("{id} day {}", d.day);
            if usize::try_from(d.day).ok() != Some(i + 1) {
                p.push(format!(
                    "{id}: day {} is in position {}; days run 1, 2, 3, ... in order",
                    d.day,
                    i + 1
                ));
            }
            p.text(&owner, "title", &d.title);
            p.text(&owner, "task", &d.task);
            if d.minutes == 0 || d.minutes > 120 {
                p.push(format!("{owner}: minutes must be between 1 and 120"));
            }
            if d.dimension == Dimension::Sexual && !self.sensitive {
                p.push(format!(
                    "{owner}: sexual content belongs only in a sensitive program"
                ));
            }
            if let Some(ex) = &d.exercise {
                match catalog.get(ex) {
                    None => p.push(format!("{owner}: exercise {ex:?} is not in the catalog")),
                    Some(e) if e.sensitive && !self.sensitive => p.push(format!(
                        "{owner}: exercise {ex:?} is sensitive, the program is not"
                    )),
                    Some(_) => {}
                }
            }
        }
        let mut expected_first = 1;
        for ph in &self.phases {
            p.text(id, "phase title", &ph.title);
            p.text(id, "phase summary", &ph.summary);
            if ph.first_day != expected_first || ph.last_day < ph.first_day {
                p.push(format!(
                    "{id}: phase {:?} covers days {}-{}; phases must follow each other from day 1 without gaps",
                    ph.title, ph.first_day, ph.last_day
                ));
            }
            expected_first = ph.last_day + 1;
        }
        if expected_first != self.total() + 1 {
            p.push(format!("{id}: the phases do not end on the last day"));
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ProgramFile {
    program: Vec<Program>,
}

/// Every program.
#[derive(Debug, Clone)]
pub struct Programs {
    programs: Vec<Program>,
}

impl Programs {
    /// Parses and checks programs.toml; exercise references are checked
    /// against the catalog.
    pub fn parse(file: &'static str, text: &str, catalog: &Catalog) -> Result<Self, ContentError> {
        let parsed: ProgramFile = check::parse(file, text)?;
        let mut p = Problems::new(file);
        p.unique("program", parsed.program.iter().map(|x| x.id.as_str()));
        for program in &parsed.program {
            program.check(catalog, &mut p);
        }
        for (id, sensitive) in [(INTIMACY_CHALLENGE, false), (SENSUAL_CHALLENGE, true)] {
            match parsed.program.iter().find(|x| x.id == id) {
                None => p.push(format!("the program {id} is missing")),
                Some(x) => {
                    let tens: Vec<(u32, u32)> = x
                        .phases
                        .iter()
                        .map(|ph| (ph.first_day, ph.last_day))
                        .collect();
                    if x.days.len() != 30 || tens != [(1, 10), (11, 20), (21, 30)] {
                        p.push(format!("{id}: must have 30 days in three ten-day phases"));
                    }
                    if x.sensitive != sensitive {
                        p.push(format!("{id}: sensitive must be {sensitive}"));
                    }
                }
            }
        }
        p.finish()?;
        Ok(Programs {
            programs: parsed.program,
        })
    }

    /// Every program, sensitive ones included.
    pub fn all(&self) -> &[Program] {
        &self.programs
    }

    /// The programs a couple is offered under their consent.
    pub fn offered(&self, consent: SexualContentConsent) -> Vec<&Program> {
        self.programs
            .iter()
            .filter(|x| x.visible_with(consent))
            .collect()
    }

    /// A program by id, whether or not it is offered.
    pub fn get(&self, id: &str) -> Option<&Program> {
        self.programs.iter().find(|x| x.id == id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::embedded;

    #[test]
    fn the_sensual_challenge_needs_both_opt_ins() {
        let programs = embedded::programs().unwrap();
        let ids = |c| {
            programs
                .offered(c)
                .iter()
                .map(|x| x.id.clone())
                .collect::<Vec<_>>()
        };
        let both = SexualContentConsent {
            mine: true,
            partner: true,
        };
        assert!(ids(both).contains(&SENSUAL_CHALLENGE.to_owned()));
        for c in [
            SexualContentConsent {
                mine: true,
                partner: false,
            },
            SexualContentConsent {
                mine: false,
                partner: true,
            },
            SexualContentConsent::default(),
        ] {
            let offered = ids(c);
            assert!(!offered.contains(&SENSUAL_CHALLENGE.to_owned()));
            assert!(offered.contains(&INTIMACY_CHALLENGE.to_owned()));
        }
        // Opting out later hides a program that was already running.
        let sensual = programs.get(SENSUAL_CHALLENGE).unwrap();
        assert!(sensual.visible_with(both));
        assert!(!sensual.visible_with(SexualContentConsent {
            mine: false,
            partner: true
        }));
    }
}
