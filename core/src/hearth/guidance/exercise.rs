//! The facade's exercises and turn-based drills.

use super::visible_exercise;
use crate::content::embedded;
use crate::content::exercise::{Exercise, ExerciseKind};
use crate::content::taxonomy::{Barrier, Dimension};
use crate::error::Result;
use crate::guidance::drill::{self, DrillSession, TurnMove};
use crate::guidance::{day, local};
use crate::hearth::Hearth;
/// Which exercises to list. Every field narrows the list.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct ExerciseFilter {
    /// Only exercises serving this dimension.
    pub dimension: Option<Dimension>,
    /// Only exercises addressing this barrier.
    pub barrier: Option<Barrier>,
    /// Only exercises of this kind.
    pub kind: Option<ExerciseKind>,
}

impl Hearth {
    /// Exercises matching `filter` that this couple may see.
    pub fn exercises(&self, filter: &ExerciseFilter) -> Result<Vec<Exercise>> {
        let consent = self.sexual_content_consent()?;
        Ok(embedded::catalog()?
            .visible(consent)
            .filter(|e| filter.dimension.is_none_or(|d| e.serves(d)))
            .filter(|e| filter.barrier.is_none_or(|b| e.addresses(b)))
            .filter(|e| filter.kind.is_none_or(|k| e.kind == k))
            .cloned()
            .collect())
    }

    /// One exercise.
    pub fn exercise(&self, id: &str) -> Result<Exercise> {
        Ok(visible_exercise(id, self.sexual_content_consent()?)?.clone())
    }

    /// Records that this partner did (`done`) or skipped an exercise on
    /// `day`. The log stays on this phone; it shapes recommendations.
    pub fn log_exercise(&self, id: &str, day: &str, done: bool) -> Result<()> {
        self.exercise(id)?;
        let date = day::parse(day)?;
        self.store
            .write(|tx| local::log_exercise(tx, id, date, done))
    }

    /// Starts a turn-based drill, this partner in the first seat.
    pub fn start_drill(&self, exercise_id: &str) -> Result<DrillSession> {
        self.exercise(exercise_id)?;
        let who = self.actor();
        let id = self.store.write(|tx| drill::start(tx, &who, exercise_id))?;
        self.changed(drill::KIND, id.clone());
        self.drill(&id)
    }

    /// A drill as this partner sees it.
    pub fn drill(&self, id: &str) -> Result<DrillSession> {
        self.store
            .read(|conn| drill::session(conn, &self.member, id))
    }

    /// Makes a move in a drill, if it is this partner's to make.
    pub fn drill_move(&self, id: &str, action: TurnMove) -> Result<DrillSession> {
        let who = self.actor();
        self.store.write(|tx| drill::act(tx, &who, id, action))?;
        self.changed(drill::KIND, id);
        self.drill(id)
    }

    /// Drills that are not over, newest first.
    pub fn open_drills(&self) -> Result<Vec<DrillSession>> {
        self.store
            .read(|conn| drill::open_drills(conn, &self.member))
    }
}
