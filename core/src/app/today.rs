//! The Today screen: the question of the day and its reveal, program steps
//! joined with their day's task, one suggestion, whether a check-in is due.

use crate::error::Result;
use crate::guidance::daily::PartnerAnswer;
use crate::guidance::recommend::RecommendationTarget;

use super::Cx;
use super::local::{self, AnswerDraft};
use super::view::{PartnerAnswerView, Problem, ProgramStep, QuestionView, Suggestion, TodayView};

#[derive(Debug, Default)]
pub(crate) struct Today {
    loaded: Option<TodayView>,
    draft: AnswerDraft,
    saving: bool,
    pub(crate) problem: Option<Problem>,
}

impl Today {
    pub(crate) fn load(&mut self, cx: &Cx<'_>) -> Result<()> {
        let hearth = cx.hearth;
        let today = hearth.today(&cx.day)?;
        if self.draft.day != cx.day {
            self.draft = local::answer(hearth)?
                .filter(|d| d.day == cx.day)
                .unwrap_or_else(|| AnswerDraft {
                    day: cx.day.clone(),
                    text: String::new(),
                });
        }
        let question = today.question;
        let partner = match (cx.paired, question.answers.partner) {
            (false, _) => PartnerAnswerView::Unpaired,
            (true, PartnerAnswer::NotYet) => PartnerAnswerView::NotYet,
            (true, PartnerAnswer::Hidden) => PartnerAnswerView::AnswerToSee,
            (true, PartnerAnswer::Shown { text }) => PartnerAnswerView::Shown {
                name: cx.partner_name(),
                text,
            },
        };
        let programs = if today.programs.is_empty() {
            Vec::new()
        } else {
            hearth.programs()?
        };
        let steps = today
            .programs
            .into_iter()
            .map(|enrolment| {
                let next = enrolment.progress.next_day.and_then(|n| {
                    programs
                        .iter()
                        .find(|p| p.id == enrolment.program_id)
                        .and_then(|p| p.day(n))
                        .cloned()
                });
                ProgramStep { enrolment, next }
            })
            .collect();
        let suggestion = match today.suggestion {
            Some(s) => Some(match s.target {
                RecommendationTarget::Exercise { exercise_id } => Suggestion::TryExercise {
                    exercise: hearth.exercise(&exercise_id)?,
                    reason: s.reason,
                },
                RecommendationTarget::HelpResources => Suggestion::SeeHelp {
                    reason: s.reason,
                    resources: hearth.safety_check()?.resources,
                },
                RecommendationTarget::ProfessionalHelp { kind_of_help } => {
                    Suggestion::SeeProfessional {
                        reason: s.reason,
                        kind_of_help,
                        resources: hearth.safety_check()?.resources,
                    }
                }
            }),
            None => None,
        };
        self.loaded = Some(TodayView {
            day: question.day.clone(),
            question: Some(QuestionView {
                day: question.day,
                text: question.question.text,
                dimension: question.question.dimension,
                mine: question.answers.mine,
                partner,
                draft: String::new(),
                saving: false,
            }),
            steps,
            suggestion,
            check_in_due: today.check_in_due,
            problem: None,
        });
        Ok(())
    }

    pub(crate) fn view(&self, cx: &Cx<'_>) -> TodayView {
        let mut view = self.loaded.clone().unwrap_or_else(|| TodayView {
            day: cx.day.clone(),
            question: None,
            steps: Vec::new(),
            suggestion: None,
            check_in_due: false,
            problem: None,
        });
        if let Some(question) = &mut view.question {
            question.draft = self.draft.text.clone();
            question.saving = self.saving;
        }
        view.problem = self.problem.clone();
        view
    }

    /// Keeps the answer being written, on this device, until it is sent.
    pub(crate) fn edit_answer(&mut self, cx: &Cx<'_>, text: String) -> Result<()> {
        self.draft = AnswerDraft {
            day: cx.day.clone(),
            text,
        };
        local::save_answer(cx.hearth, Some(&self.draft))
    }

    pub(crate) fn submit_answer(&mut self, cx: &Cx<'_>) -> Result<()> {
        self.saving = true;
        let result = cx.hearth.answer_daily_question(&cx.day, &self.draft.text);
        self.saving = false;
        result?;
        self.draft.text.clear();
        local::save_answer(cx.hearth, None)?;
        self.load(cx)
    }

    /// Swaps the question of the day for another, on both devices.
    pub(crate) fn swap_question(&mut self, cx: &Cx<'_>) -> Result<()> {
        cx.hearth.swap_daily_question(&cx.day)?;
        Ok(())
    }

    pub(crate) fn complete_program_day(
        &mut self,
        cx: &Cx<'_>,
        program_id: &str,
        day: u32,
    ) -> Result<()> {
        cx.hearth.complete_program_day(program_id, day, &cx.day)?;
        Ok(())
    }
}
