//! The facade's programs: which are offered, joining, leaving and progress.

use super::offered_program;
use crate::content::embedded;
use crate::content::program::Program;
use crate::error::Result;
use crate::guidance::day;
use crate::guidance::enrolment::{self, Enrolment};
use crate::hearth::Hearth;

impl Hearth {
    /// The programs this couple may join (the sensual challenge only once
    /// both opted in).
    pub fn programs(&self) -> Result<Vec<Program>> {
        let consent = self.sexual_content_consent()?;
        Ok(embedded::programs()?
            .offered(consent)
            .into_iter()
            .cloned()
            .collect())
    }

    fn offered_program(&self, id: &str) -> Result<&'static Program> {
        offered_program(id, self.sexual_content_consent()?)
    }

    /// Joins a program from `day`.
    pub fn join_program(&self, id: &str, day: &str) -> Result<Enrolment> {
        let program = self.offered_program(id)?;
        let date = day::parse(day)?;
        let who = self.actor();
        self.store.write(|tx| enrolment::join(tx, &who, id, date))?;
        self.changed(enrolment::KIND, enrolment::doc_id(id));
        self.store
            .read(|conn| enrolment::enrolment(conn, &self.member, program, date))
    }

    /// Leaves a program; the days done stay recorded.
    pub fn leave_program(&self, id: &str, day: &str) -> Result<()> {
        let date = day::parse(day)?;
        let who = self.actor();
        self.store
            .write(|tx| enrolment::leave(tx, &who, id, date))?;
        self.changed(enrolment::KIND, enrolment::doc_id(id));
        Ok(())
    }

    /// Marks day `number` of a program done by this partner on `day`.
    pub fn complete_program_day(&self, id: &str, number: u32, day: &str) -> Result<Enrolment> {
        let program = self.offered_program(id)?;
        if program.day(number).is_none() {
            return Err(crate::guidance::enrolment::ProgressError::UnknownDay {
                day: number,
                total: program.days.len() as u32,
            }
            .into());
        }
        let date = day::parse(day)?;
        let who = self.actor();
        self.store
            .write(|tx| enrolment::mark_day(tx, &who, id, number, date))?;
        self.changed(enrolment::KIND, enrolment::doc_id(id));
        self.store
            .read(|conn| enrolment::enrolment(conn, &self.member, program, date))
    }

    /// The programs either partner is in, with progress on `day`. A program
    /// one partner no longer consents to is hidden.
    pub fn enrolments(&self, day: &str) -> Result<Vec<Enrolment>> {
        let date = day::parse(day)?;
        let consent = self.sexual_content_consent()?;
        let programs = embedded::programs()?;
        self.store.read(|conn| {
            enrolment::active_program_ids(conn)?
                .iter()
                .filter_map(|id| programs.get(id))
                .filter(|p| p.visible_with(consent))
                .map(|p| enrolment::enrolment(conn, &self.member, p, date))
                .collect()
        })
    }
}
