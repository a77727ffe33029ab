//! The facade's safety check and the pause on closeness suggestions it
//! sets; all of it stays on this phone.

use crate::content::embedded;
use crate::content::safety::SafetyCheck;
use crate::error::Result;
use crate::guidance::local;
use crate::guidance::safety::{SafetyAnswer, SafetyOutcome};
use crate::hearth::Hearth;

impl Hearth {
    /// The safety check's questions and help resources. Answers stay on this
    /// phone.
    pub fn safety_check(&self) -> Result<SafetyCheck> {
        Ok(embedded::safety()?.clone())
    }

    /// Records this partner's safety check, on this phone only.
    pub fn record_safety_check(&self, answers: &[SafetyAnswer]) -> Result<SafetyOutcome> {
        let now = self.now_ms();
        self.store
            .write(|tx| local::record_safety(tx, now, answers))
    }

    /// The last safety check's outcome, if one was taken.
    pub fn safety_outcome(&self) -> Result<Option<SafetyOutcome>> {
        self.store.read(local::safety_outcome)
    }

    /// Erases the safety check from this phone.
    pub fn clear_safety_check(&self) -> Result<()> {
        self.store.write(local::clear_safety)?;
        self.store.checkpoint()
    }

    /// Whether closeness suggestions are paused on this phone. A safety
    /// concern pauses them; clearing the safety check does not resume them.
    pub fn closeness_suggestions_paused(&self) -> Result<bool> {
        self.store.read(local::closeness_paused)
    }

    /// Turns closeness suggestions back on, by this person's explicit
    /// choice (the shell asks after the safety check is cleared). While the
    /// check itself still shows a concern, suggestions stay off.
    pub fn resume_closeness_suggestions(&self) -> Result<()> {
        self.store.write(local::resume_closeness)
    }
}
