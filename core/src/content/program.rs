//! Programs: day-by-day challenges (core/content/programs.toml), which of
//! them a couple is offered, and how far each partner has come.
//!
//! Progress never punishes a gap. There are no streaks and no "you are
//! behind": the next task is simply the first day not done yet, whenever
//! the couple comes back to it.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};
use time::Date;

use super::check::{self, Problems};
use super::consent::SexualContentConsent;
use super::error::ContentError;
use super::exercise::Catalog;
use super::taxonomy::Dimension;

/// The 30-day intimacy challenge.
pub const INTIMACY_CHALLENGE: &str = "intimacy-30";
/// The 30-day sensual challenge, offered only when both partners opted in.
pub const SENSUAL_CHALLENGE: &str = "sensual-30";
/// After this many days without a completed task, the app welcomes the
/// person back instead of showing anything like a broken streak.
pub const WELCOME_BACK_AFTER_DAYS: i64 = 3;

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

/// A day one partner completed. Duplicates are harmless (the same day
/// marked from two sessions counts once).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DayMark {
    /// The program day.
    pub day: u32,
    /// When it was marked done.
    pub on: Date,
}

/// Progress marks that do not fit the program.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum ProgressError {
    /// A mark for a day the program does not have.
    #[error(
        "day {day} is not part of this program, which has {total} days; the enrolment belongs to another program"
    )]
    UnknownDay {
        /// The day marked.
        day: u32,
        /// Days in the program.
        total: u32,
    },
}

/// How far a couple has come in a program.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Progress {
    /// Days in the program.
    pub total_days: u32,
    /// Days this partner has done.
    pub done_by_me: u32,
    /// Days the other partner has done.
    pub done_by_partner: u32,
    /// Days both have done.
    pub done_by_both: u32,
    /// This partner's next task: the first day not done yet.
    pub next_day: Option<u32>,
    /// The other partner's first day not done yet.
    pub partner_next_day: Option<u32>,
    /// The phase (from 1) this partner is in.
    pub phase: u32,
    /// Both partners have done every day.
    pub finished: bool,
    /// This partner is coming back after a few days away: greet them,
    /// never scold.
    pub welcome_back: bool,
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

    fn total(&self) -> u32 {
        u32::try_from(self.days.len()).unwrap_or(u32::MAX)
    }

    fn done(&self, marks: &[DayMark]) -> Result<BTreeSet<u32>, ProgressError> {
        let total = self.total();
        marks
            .iter()
            .map(|m| {
                if (1..=total).contains(&m.day) {
                    Ok(m.day)
                } else {
                    Err(ProgressError::UnknownDay { day: m.day, total })
                }
            })
            .collect()
    }

    /// Both partners' progress, from each one's completed days.
    pub fn progress(
        &self,
        mine: &[DayMark],
        partner: &[DayMark],
        today: Date,
    ) -> Result<Progress, ProgressError> {
        let total = self.total();
        let my_days = self.done(mine)?;
        let their_days = self.done(partner)?;
        let first_open = |done: &BTreeSet<u32>| (1..=total).find(|d| !done.contains(d));
        let count = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
        let next_day = first_open(&my_days);
        let last_active = mine.iter().map(|m| m.on).max();
        let welcome_back = next_day.is_some()
            && last_active
                .is_some_and(|last| (today - last).whole_days() >= WELCOME_BACK_AFTER_DAYS);
        Ok(Progress {
            total_days: total,
            done_by_me: count(my_days.len()),
            done_by_partner: count(their_days.len()),
            done_by_both: count(my_days.intersection(&their_days).count()),
            next_day,
            partner_next_day: first_open(&their_days),
            phase: self.phase_of(next_day.unwrap_or(total)).unwrap_or(1),
            finished: next_day.is_none() && first_open(&their_days).is_none(),
            welcome_back,
        })
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
    use time::{Duration, Month};

    use super::*;
    use crate::content::embedded;

    fn program() -> &'static Program {
        embedded::programs()
            .unwrap()
            .get(INTIMACY_CHALLENGE)
            .unwrap()
    }

    fn start() -> Date {
        Date::from_calendar_date(2025, Month::May, 1).unwrap()
    }

    fn marks(days: &[(u32, i64)]) -> Vec<DayMark> {
        days.iter()
            .map(|&(day, offset)| DayMark {
                day,
                on: start() + Duration::days(offset),
            })
            .collect()
    }

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

    #[test]
    fn a_gap_never_costs_progress() {
        // Days 1-3 done, then two weeks away.
        let mine = marks(&[(1, 0), (2, 1), (3, 2)]);
        let today = start() + Duration::days(16);
        let p = program().progress(&mine, &[], today).unwrap();
        assert_eq!(
            p.next_day,
            Some(4),
            "the couple resumes where they left off"
        );
        assert_eq!(p.done_by_me, 3);
        assert!(p.welcome_back);
        assert_eq!(p.phase, 1);
        // Coming back the next day: no greeting needed.
        let p = program()
            .progress(&mine, &[], start() + Duration::days(3))
            .unwrap();
        assert!(!p.welcome_back);
    }

    #[test]
    fn progress_counts_each_partner_and_both() {
        let mine = marks(&[(1, 0), (2, 1), (2, 1), (4, 3)]);
        let theirs = marks(&[(1, 0), (4, 5)]);
        let p = program()
            .progress(&mine, &theirs, start() + Duration::days(5))
            .unwrap();
        assert_eq!((p.done_by_me, p.done_by_partner, p.done_by_both), (3, 2, 2));
        assert_eq!(p.next_day, Some(3), "a skipped day stays open");
        assert_eq!(p.partner_next_day, Some(2));
        assert!(!p.finished);
    }

    #[test]
    fn phases_follow_the_days_and_the_end_is_shared() {
        let all: Vec<(u32, i64)> = (1..=30).map(|d| (d, i64::from(d))).collect();
        let mine = marks(&all);
        let p = program().progress(&mine[..15], &[], start()).unwrap();
        assert_eq!((p.next_day, p.phase), (Some(16), 2));
        let p = program().progress(&mine, &mine[..29], start()).unwrap();
        assert_eq!(p.next_day, None);
        assert_eq!(p.phase, 3);
        assert!(!p.finished, "finished means both partners");
        let p = program()
            .progress(&mine, &mine, start() + Duration::days(90))
            .unwrap();
        assert!(p.finished);
        assert!(!p.welcome_back);
    }

    #[test]
    fn marks_outside_the_program_are_an_error() {
        let bad = marks(&[(31, 0)]);
        assert_eq!(
            program().progress(&bad, &[], start()),
            Err(ProgressError::UnknownDay { day: 31, total: 30 })
        );
        assert!(program().progress(&[], &marks(&[(0, 0)]), start()).is_err());
    }
}
