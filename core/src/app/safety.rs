//! The safety check and help. Everything here stays on this device: the
//! answers go only to the core's device-local store, and nothing of it is
//! logged, notified, synced or exported.

use crate::content::safety::SafetyCheck;
use crate::error::Result;
use crate::guidance::safety::{SafetyAnswer, SafetyOutcome};

use super::Cx;
use super::view::{Problem, SafetyView};

#[derive(Debug, Default)]
pub(crate) struct Safety {
    check: Option<SafetyCheck>,
    answers: Vec<SafetyAnswer>,
    outcome: Option<SafetyOutcome>,
    taking: bool,
    paused: bool,
    pub(crate) problem: Option<Problem>,
}

impl Safety {
    pub(crate) fn load(&mut self, cx: &Cx<'_>) -> Result<()> {
        self.check = Some(cx.hearth.safety_check()?);
        self.outcome = cx.hearth.safety_outcome()?;
        self.paused = cx.hearth.closeness_suggestions_paused()?;
        Ok(())
    }

    pub(crate) fn view(&self, cx: &Cx<'_>) -> Result<SafetyView> {
        let check = match &self.check {
            Some(check) => check.clone(),
            None => cx.hearth.safety_check()?,
        };
        Ok(SafetyView {
            // Never taken: the questions show at once.
            taking: self.taking || self.outcome.is_none(),
            check,
            answers: self.answers.clone(),
            outcome: self.outcome.clone(),
            closeness_paused: self.paused,
            problem: self.problem.clone(),
        })
    }

    pub(crate) fn answer(&mut self, item_id: String, yes: bool) {
        self.answers.retain(|a| a.item_id != item_id);
        self.answers.push(SafetyAnswer { item_id, yes });
    }

    pub(crate) fn take(&mut self) {
        self.answers.clear();
        self.taking = true;
    }

    pub(crate) fn submit(&mut self, cx: &Cx<'_>) -> Result<()> {
        self.outcome = Some(cx.hearth.record_safety_check(&self.answers)?);
        self.paused = cx.hearth.closeness_suggestions_paused()?;
        self.answers.clear();
        self.taking = false;
        Ok(())
    }

    /// Closeness suggestions come back, by the person's own choice.
    pub(crate) fn resume_closeness(&mut self, cx: &Cx<'_>) -> Result<()> {
        cx.hearth.resume_closeness_suggestions()?;
        self.paused = false;
        Ok(())
    }

    pub(crate) fn clear(&mut self, cx: &Cx<'_>) -> Result<()> {
        cx.hearth.clear_safety_check()?;
        self.outcome = None;
        self.answers.clear();
        self.taking = false;
        Ok(())
    }
}
