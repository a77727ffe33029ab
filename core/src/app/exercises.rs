//! The Exercises screen: the library by dimension, suggestions with their
//! reasons, an exercise done step by step (logged on this device), and
//! turn-based drills across both devices, offered only once paired.

use crate::ExerciseFilter;
use crate::content::exercise::{Exercise, ExerciseKind, Mode};
use crate::content::taxonomy::Dimension;
use crate::error::Result;
use crate::guidance::recommend::RecommendationTarget;

use super::Cx;
use super::view::{DrillOnScreen, ExerciseRun, ExercisesView, Problem, RecommendedExercise};

/// Suggestions listed above the library.
const SUGGESTIONS: u32 = 3;

#[derive(Debug, Default)]
pub(crate) struct Exercises {
    dimension: Option<Dimension>,
    dimensions: Vec<Dimension>,
    exercises: Vec<Exercise>,
    recommended: Vec<RecommendedExercise>,
    run: Option<(Exercise, u32, bool)>,
    drill: Option<DrillOnScreen>,
    open_drills: Vec<DrillOnScreen>,
    pub(crate) problem: Option<Problem>,
}

/// Whether an exercise is done as turns on both devices.
fn turn_based(exercise: &Exercise) -> bool {
    exercise.kind == ExerciseKind::SkillDrill
        && exercise.mode == Mode::Together
        && exercise.drill.is_some()
}

impl Exercises {
    pub(crate) fn load(&mut self, cx: &Cx<'_>) -> Result<()> {
        let hearth = cx.hearth;
        let all = hearth.exercises(&ExerciseFilter::default())?;
        self.dimensions = Dimension::ALL
            .into_iter()
            .filter(|d| all.iter().any(|e| e.serves(*d)))
            .collect();
        self.dimension = self.dimension.filter(|d| self.dimensions.contains(d));
        self.exercises = match self.dimension {
            Some(d) => all.iter().filter(|e| e.serves(d)).cloned().collect(),
            None => all.clone(),
        };
        self.recommended = hearth
            .recommendations(&cx.day, SUGGESTIONS)?
            .into_iter()
            .filter_map(|r| match r.target {
                RecommendationTarget::Exercise { exercise_id } => all
                    .iter()
                    .find(|e| e.id == exercise_id)
                    .map(|e| RecommendedExercise {
                        exercise: e.clone(),
                        reason: r.reason,
                    }),
                RecommendationTarget::HelpResources
                | RecommendationTarget::ProfessionalHelp { .. } => None,
            })
            .collect();
        self.open_drills = if cx.paired {
            hearth
                .open_drills()?
                .into_iter()
                .filter_map(|session| {
                    let exercise = all.iter().find(|e| e.id == session.exercise_id)?.clone();
                    Some(DrillOnScreen { session, exercise })
                })
                .collect()
        } else {
            Vec::new()
        };
        if let Some(shown) = &self.drill {
            let session = hearth.drill(&shown.session.id)?;
            self.drill = Some(DrillOnScreen {
                session,
                exercise: shown.exercise.clone(),
            });
        }
        Ok(())
    }

    pub(crate) fn view(&self, cx: &Cx<'_>) -> ExercisesView {
        ExercisesView {
            dimension: self.dimension,
            dimensions: self.dimensions.clone(),
            exercises: self.exercises.clone(),
            recommended: self.recommended.clone(),
            run: self
                .run
                .as_ref()
                .map(|(exercise, step, finished)| ExerciseRun {
                    is_last_step: (*step as usize) + 1 >= exercise.steps.len(),
                    can_take_turns: cx.paired && !cx.closed && turn_based(exercise),
                    exercise: exercise.clone(),
                    step: *step,
                    finished: *finished,
                }),
            drill: self.drill.clone(),
            open_drills: self.open_drills.clone(),
            problem: self.problem.clone(),
        }
    }

    pub(crate) fn browse(&mut self, cx: &Cx<'_>, dimension: Option<Dimension>) -> Result<()> {
        self.dimension = dimension;
        self.load(cx)
    }

    pub(crate) fn start(&mut self, cx: &Cx<'_>, id: &str) -> Result<()> {
        self.run = Some((cx.hearth.exercise(id)?, 0, false));
        Ok(())
    }

    pub(crate) fn next_step(&mut self) {
        if let Some((exercise, step, finished)) = &mut self.run {
            if (*step as usize) + 1 >= exercise.steps.len() {
                *finished = true;
            } else {
                *step += 1;
            }
        }
    }

    pub(crate) fn previous_step(&mut self) {
        if let Some((_, step, finished)) = &mut self.run {
            if *finished {
                *finished = false;
            } else {
                *step = step.saturating_sub(1);
            }
        }
    }

    /// Ends the run, recording on this device that it was done or skipped.
    pub(crate) fn finish(&mut self, cx: &Cx<'_>, done: bool) -> Result<()> {
        if let Some((exercise, _, _)) = &self.run {
            cx.hearth.log_exercise(&exercise.id, &cx.day, done)?;
        }
        self.run = None;
        self.load(cx)
    }

    pub(crate) fn close_run(&mut self) {
        self.run = None;
    }

    /// Starts a drill on both devices: only once paired, in an open space.
    pub(crate) fn start_drill(&mut self, cx: &Cx<'_>, exercise_id: &str) -> Result<()> {
        if !cx.paired {
            return Err(crate::Error::NeedsPartner);
        }
        let session = cx.hearth.start_drill(exercise_id)?;
        let exercise = cx.hearth.exercise(exercise_id)?;
        self.run = None;
        self.drill = Some(DrillOnScreen { session, exercise });
        Ok(())
    }

    pub(crate) fn open_drill(&mut self, cx: &Cx<'_>, id: &str) -> Result<()> {
        let session = cx.hearth.drill(id)?;
        let exercise = cx.hearth.exercise(&session.exercise_id)?;
        self.drill = Some(DrillOnScreen { session, exercise });
        Ok(())
    }

    pub(crate) fn drill_move(
        &mut self,
        cx: &Cx<'_>,
        action: crate::guidance::drill::TurnMove,
    ) -> Result<()> {
        let Some(shown) = &mut self.drill else {
            return Ok(());
        };
        shown.session = cx.hearth.drill_move(&shown.session.id, action)?;
        Ok(())
    }

    pub(crate) fn close_drill(&mut self) {
        self.drill = None;
    }

    /// The back gesture: the drill, then the run.
    pub(crate) fn back(&mut self) -> bool {
        self.drill.take().is_some() || self.run.take().is_some()
    }
}
