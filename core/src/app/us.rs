//! The Us screen: goals from a brainstorm both add to, the date jar and its
//! starter ideas, the monthly check-in guide, appreciation notes, programs,
//! and the assessments (taking one, sharing it, comparing).

use crate::content::assessment::Assessments;
use crate::content::taxonomy::Dimension;
use crate::error::Result;
use crate::guidance::assessment::{AssessmentAnswers, AssessmentKind};
use crate::guidance::assessment::{ChoiceAnswer, DimensionRating, ItemAnswer, SignalAnswer};
use crate::guidance::date_jar::DateIdea;
use crate::guidance::goal::GoalStatus;

use super::Cx;
use super::action::AssessmentItemAnswer;
use super::view::{
    AssessmentDraftView, AssessmentSummary, AssessmentsView, CheckInSession, Problem, UsView,
};

/// Every assessment, in the order the screen lists them.
const KINDS: [AssessmentKind; 6] = [
    AssessmentKind::Intimacy,
    AssessmentKind::LoveLanguages,
    AssessmentKind::Attachment,
    AssessmentKind::BarrierSigns,
    AssessmentKind::ProfessionalHelp,
    AssessmentKind::Communication,
];

#[derive(Debug, Default)]
struct Draft {
    kind: Option<AssessmentKind>,
    answers: Vec<AssessmentItemAnswer>,
    submitting: bool,
}

#[derive(Debug, Default)]
pub(crate) struct Us {
    loaded: Option<UsView>,
    drawn: Option<DateIdea>,
    jar_empty: bool,
    check_in: Option<(u32, bool)>,
    draft: Draft,
    just_taken: Option<crate::guidance::assessment::AssessmentResult>,
    pub(crate) problem: Option<Problem>,
}

/// How many questions an assessment asks.
fn total(forms: &Assessments, kind: AssessmentKind) -> usize {
    match kind {
        // Importance and satisfaction for each dimension asked about.
        AssessmentKind::Intimacy => forms.intimacy.items.len() * 2,
        AssessmentKind::LoveLanguages => forms.love_languages.items.len(),
        AssessmentKind::Attachment => forms.attachment.items.len(),
        AssessmentKind::BarrierSigns => forms.barrier_signs.items.len(),
        AssessmentKind::ProfessionalHelp => forms.professional_help.items.len(),
        AssessmentKind::Communication => forms.communication.items.len(),
    }
}

/// The answers as the core scores them. A dimension counts once both its
/// values are given; what is missing is the scorer's call.
fn answers(kind: AssessmentKind, given: &[AssessmentItemAnswer]) -> AssessmentAnswers {
    match kind {
        AssessmentKind::Intimacy => AssessmentAnswers::Intimacy {
            ratings: Dimension::ALL
                .into_iter()
                .filter_map(|dimension| {
                    let importance = given.iter().find_map(|a| match a {
                        AssessmentItemAnswer::Importance {
                            dimension: d,
                            value,
                        } if *d == dimension => Some(*value),
                        _ => None,
                    })?;
                    let satisfaction = given.iter().find_map(|a| match a {
                        AssessmentItemAnswer::Satisfaction {
                            dimension: d,
                            value,
                        } if *d == dimension => Some(*value),
                        _ => None,
                    })?;
                    Some(DimensionRating {
                        dimension,
                        importance,
                        satisfaction,
                    })
                })
                .collect(),
        },
        AssessmentKind::LoveLanguages => AssessmentAnswers::LoveLanguages {
            answers: given
                .iter()
                .filter_map(|a| match a {
                    AssessmentItemAnswer::Choice { item_id, choice } => Some(ChoiceAnswer {
                        item_id: item_id.clone(),
                        choice: *choice,
                    }),
                    _ => None,
                })
                .collect(),
        },
        AssessmentKind::Attachment
        | AssessmentKind::BarrierSigns
        | AssessmentKind::Communication => {
            let items = given
                .iter()
                .filter_map(|a| match a {
                    AssessmentItemAnswer::Value { item_id, value } => Some(ItemAnswer {
                        item_id: item_id.clone(),
                        value: *value,
                    }),
                    _ => None,
                })
                .collect();
            match kind {
                AssessmentKind::Attachment => AssessmentAnswers::Attachment { answers: items },
                AssessmentKind::Communication => {
                    AssessmentAnswers::Communication { answers: items }
                }
                _ => AssessmentAnswers::BarrierSigns { answers: items },
            }
        }
        AssessmentKind::ProfessionalHelp => AssessmentAnswers::ProfessionalHelp {
            answers: given
                .iter()
                .filter_map(|a| match a {
                    AssessmentItemAnswer::Signal { item_id, present } => Some(SignalAnswer {
                        item_id: item_id.clone(),
                        present: *present,
                    }),
                    _ => None,
                })
                .collect(),
        },
    }
}

impl Us {
    pub(crate) fn load(&mut self, cx: &Cx<'_>) -> Result<()> {
        let hearth = cx.hearth;
        let forms = hearth.assessments()?;
        let summaries = KINDS
            .into_iter()
            .map(|kind| {
                let mine = hearth.my_assessment(kind)?;
                Ok(AssessmentSummary {
                    kind,
                    explanation: mine
                        .as_ref()
                        .map(|r| hearth.explain_assessment(r))
                        .transpose()?,
                    mine,
                    shared: hearth.is_assessment_shared(kind)?,
                    partner: hearth.partner_assessment(kind)?,
                    comparison: hearth.compare_assessments(kind)?,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        self.loaded = Some(UsView {
            goals: hearth.goals()?,
            ready_to_pick: hearth.ready_to_pick_goals()?,
            date_ideas: hearth.date_ideas()?,
            starter_ideas: hearth.date_jar_starters()?,
            drawn: None,
            jar_empty: false,
            check_in: Some(hearth.next_check_in(&cx.day)?),
            check_in_session: None,
            appreciations: hearth.appreciations()?,
            game: hearth.game_rounds()?,
            programs: hearth.programs()?,
            enrolments: hearth.enrolments(&cx.day)?,
            assessments: AssessmentsView {
                forms,
                summaries,
                draft: None,
                just_taken: None,
            },
            problem: None,
        });
        Ok(())
    }

    pub(crate) fn view(&self, cx: &Cx<'_>) -> Result<UsView> {
        let mut view = match &self.loaded {
            Some(view) => view.clone(),
            None => {
                // Not loaded yet (the first load failed): an empty screen
                // with the problem.
                let forms = cx.hearth.assessments()?;
                UsView {
                    goals: Vec::new(),
                    ready_to_pick: false,
                    date_ideas: Vec::new(),
                    starter_ideas: Vec::new(),
                    drawn: None,
                    jar_empty: false,
                    check_in: None,
                    check_in_session: None,
                    appreciations: Vec::new(),
                    game: Vec::new(),
                    programs: Vec::new(),
                    enrolments: Vec::new(),
                    assessments: AssessmentsView {
                        forms,
                        summaries: Vec::new(),
                        draft: None,
                        just_taken: None,
                    },
                    problem: None,
                }
            }
        };
        view.drawn = self.drawn.clone();
        view.jar_empty = self.jar_empty;
        if let Some((section, _)) = self.check_in {
            let guide = cx.hearth.check_in_guide()?;
            let closing = section as usize >= guide.sections.len();
            view.check_in_session = Some(CheckInSession {
                guide,
                section,
                closing,
            });
        }
        view.assessments.draft = self.draft.kind.map(|kind| AssessmentDraftView {
            kind,
            answered: u32::try_from(self.draft.answers.len()).unwrap_or(u32::MAX),
            total: u32::try_from(total(&view.assessments.forms, kind)).unwrap_or(u32::MAX),
            answers: self.draft.answers.clone(),
            submitting: self.draft.submitting,
        });
        view.assessments.just_taken = self.just_taken.clone();
        view.problem = self.problem.clone();
        Ok(view)
    }

    pub(crate) fn add_goal(&mut self, cx: &Cx<'_>, text: &str) -> Result<()> {
        cx.hearth.add_goal(text)?;
        Ok(())
    }

    pub(crate) fn set_goal_status(
        &mut self,
        cx: &Cx<'_>,
        id: &str,
        status: GoalStatus,
    ) -> Result<()> {
        cx.hearth.set_goal_status(id, status)?;
        Ok(())
    }

    pub(crate) fn add_date_idea(&mut self, cx: &Cx<'_>, text: &str) -> Result<()> {
        cx.hearth.add_date_idea(text)?;
        Ok(())
    }

    pub(crate) fn add_starter(&mut self, cx: &Cx<'_>, id: &str) -> Result<()> {
        let starter = cx
            .hearth
            .date_jar_starters()?
            .into_iter()
            .find(|s| s.id == id)
            .ok_or_else(|| crate::Error::NotFound {
                what: "date idea",
                id: id.to_owned(),
            })?;
        cx.hearth.add_date_idea(&starter.text)?;
        Ok(())
    }

    pub(crate) fn draw(&mut self, cx: &Cx<'_>) -> Result<()> {
        self.drawn = cx.hearth.draw_date_idea()?;
        self.jar_empty = self.drawn.is_none();
        Ok(())
    }

    pub(crate) fn dismiss_drawn(&mut self) {
        self.drawn = None;
        self.jar_empty = false;
    }

    pub(crate) fn mark_date_done(&mut self, cx: &Cx<'_>, id: &str) -> Result<()> {
        cx.hearth.mark_date_done(id, &cx.day)?;
        if self.drawn.as_ref().is_some_and(|d| d.id == id) {
            self.drawn = None;
        }
        Ok(())
    }

    pub(crate) fn begin_check_in(&mut self) {
        self.check_in = Some((0, true));
    }

    pub(crate) fn next_section(&mut self, cx: &Cx<'_>) -> Result<()> {
        let sections = u32::try_from(cx.hearth.check_in_guide()?.sections.len()).unwrap_or(0);
        if let Some((section, _)) = &mut self.check_in {
            *section = (*section + 1).min(sections);
        }
        Ok(())
    }

    pub(crate) fn previous_section(&mut self) {
        if let Some((section, _)) = &mut self.check_in {
            *section = section.saturating_sub(1);
        }
    }

    /// Records the check-in as held today, with how this person found the
    /// month (1 to 5) when they said.
    pub(crate) fn finish_check_in(&mut self, cx: &Cx<'_>, month: Option<u32>) -> Result<()> {
        match month {
            Some(month) => cx.hearth.record_check_in_rated(&cx.day, month)?,
            None => cx.hearth.record_check_in(&cx.day)?,
        };
        self.check_in = None;
        Ok(())
    }

    pub(crate) fn close_check_in(&mut self) {
        self.check_in = None;
    }

    /// Starts a round of the know-each-other game: this person answers
    /// about themselves (`i_answer`) or guesses the partner's answer.
    pub(crate) fn start_game_round(&mut self, cx: &Cx<'_>, i_answer: bool) -> Result<()> {
        cx.hearth.start_game_round(i_answer)?;
        Ok(())
    }

    pub(crate) fn play_game_round(&mut self, cx: &Cx<'_>, id: &str, text: &str) -> Result<()> {
        cx.hearth.play_game_round(id, text)?;
        Ok(())
    }

    pub(crate) fn appreciate(&mut self, cx: &Cx<'_>, text: &str) -> Result<()> {
        cx.hearth.appreciate(text)?;
        Ok(())
    }

    pub(crate) fn join_program(&mut self, cx: &Cx<'_>, id: &str) -> Result<()> {
        cx.hearth.join_program(id, &cx.day)?;
        Ok(())
    }

    pub(crate) fn leave_program(&mut self, cx: &Cx<'_>, id: &str) -> Result<()> {
        cx.hearth.leave_program(id, &cx.day)
    }

    pub(crate) fn begin_assessment(&mut self, kind: AssessmentKind) {
        self.draft = Draft {
            kind: Some(kind),
            ..Draft::default()
        };
        self.just_taken = None;
    }

    /// Records an answer; a later answer to the same question replaces it.
    pub(crate) fn answer(&mut self, answer: AssessmentItemAnswer) {
        if self.draft.kind.is_none() {
            return;
        }
        let question = answer.question();
        self.draft.answers.retain(|a| a.question() != question);
        self.draft.answers.push(answer);
    }

    pub(crate) fn cancel_assessment(&mut self) {
        self.draft = Draft::default();
    }

    /// Scores the draft; on a refusal (answers missing) it stays open.
    pub(crate) fn submit_assessment(&mut self, cx: &Cx<'_>) -> Result<()> {
        let Some(kind) = self.draft.kind else {
            return Ok(());
        };
        self.draft.submitting = true;
        let result = cx
            .hearth
            .take_assessment(&answers(kind, &self.draft.answers));
        self.draft.submitting = false;
        self.just_taken = Some(result?);
        self.draft = Draft::default();
        Ok(())
    }

    pub(crate) fn dismiss_result(&mut self) {
        self.just_taken = None;
    }

    pub(crate) fn share(&mut self, cx: &Cx<'_>, kind: AssessmentKind) -> Result<()> {
        cx.hearth.share_assessment(kind)
    }

    pub(crate) fn unshare(&mut self, cx: &Cx<'_>, kind: AssessmentKind) -> Result<()> {
        cx.hearth.unshare_assessment(kind)
    }

    /// The back gesture: the assessment, then the check-in guide, then
    /// the drawn idea.
    pub(crate) fn back(&mut self) -> bool {
        if self.draft.kind.is_some() {
            self.draft = Draft::default();
            return true;
        }
        if self.check_in.take().is_some() {
            return true;
        }
        if self.just_taken.take().is_some() {
            return true;
        }
        self.drawn.take().is_some()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_intimacy_dimension_counts_once_both_its_values_are_given() {
        let given = [
            AssessmentItemAnswer::Importance {
                dimension: Dimension::Emotional,
                value: 5,
            },
            AssessmentItemAnswer::Satisfaction {
                dimension: Dimension::Emotional,
                value: 2,
            },
            AssessmentItemAnswer::Importance {
                dimension: Dimension::Physical,
                value: 4,
            },
        ];
        let AssessmentAnswers::Intimacy { ratings } = answers(AssessmentKind::Intimacy, &given)
        else {
            panic!("intimacy answers expected");
        };
        assert_eq!(
            ratings,
            vec![DimensionRating {
                dimension: Dimension::Emotional,
                importance: 5,
                satisfaction: 2
            }]
        );
    }

    #[test]
    fn a_later_answer_to_the_same_question_replaces_the_earlier() {
        let mut us = Us::default();
        us.begin_assessment(AssessmentKind::Attachment);
        for value in [1, 4] {
            us.answer(AssessmentItemAnswer::Value {
                item_id: "av01".into(),
                value,
            });
        }
        assert_eq!(
            us.draft.answers,
            vec![AssessmentItemAnswer::Value {
                item_id: "av01".into(),
                value: 4
            }]
        );
    }
}
