//! Every result in words: what the scores say, in plain sentences drawn
//! from assessments.toml, so no result is shown as bare numbers.

use serde::{Deserialize, Serialize};

use super::score::AssessmentResult;
use crate::content::assessment::Assessments;

/// A result explained.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Explanation {
    /// The main point, in a sentence or two.
    pub summary: String,
    /// One sentence per part of the result worth naming, most telling first.
    pub details: Vec<String>,
    /// How to read the result (a snapshot, a conversation starter, not a
    /// diagnosis); empty when there is nothing to add.
    pub note: String,
}

impl Assessments {
    /// Explains a result in words, addressed to the person it belongs to.
    ///
    /// ```
    /// use hearth_core::guidance::assessment::{AssessmentResult, ChoiceAnswer, Choice};
    /// use hearth_core::content::embedded;
    ///
    /// let all = embedded::assessments().unwrap();
    /// let answers: Vec<ChoiceAnswer> = all
    ///     .love_languages
    ///     .items
    ///     .iter()
    ///     .map(|i| ChoiceAnswer { item_id: i.id.clone(), choice: Choice::First })
    ///     .collect();
    /// let result = AssessmentResult::LoveLanguages {
    ///     result: all.love_languages.score(&answers).unwrap(),
    /// };
    /// let words = all.explain(&result);
    /// assert!(words.summary.starts_with("Your strongest love language"));
    /// assert!(words.note.contains("not science"));
    /// ```
    pub fn explain(&self, result: &AssessmentResult) -> Explanation {
        match result {
            AssessmentResult::Intimacy { result } => {
                let a = &self.intimacy;
                let gaps = result.widest_gaps();
                let mut details: Vec<String> = gaps
                    .iter()
                    .map(|d| format!("{}: {}.", d.dimension.label(), a.gap_text))
                    .collect();
                details.extend(
                    result
                        .dimensions
                        .iter()
                        .filter(|d| d.gap <= 0)
                        .map(|d| format!("{}: {}.", d.dimension.label(), a.content_text)),
                );
                let summary = match gaps.first() {
                    Some(d) => format!("The most room to grow is in {}.", d.dimension.phrase()),
                    None => a.no_gaps.clone(),
                };
                Explanation {
                    summary,
                    details,
                    note: a.note.clone(),
                }
            }
            AssessmentResult::LoveLanguages { result } => {
                let a = &self.love_languages;
                let labels: Vec<&str> = result.primary.iter().map(|l| l.label()).collect();
                let summary = match labels.as_slice() {
                    [one] => format!("Your strongest love language is {}.", one.to_lowercase()),
                    [rest @ .., last] => format!(
                        "Your strongest love languages are {} and {}.",
                        rest.iter()
                            .map(|l| l.to_lowercase())
                            .collect::<Vec<_>>()
                            .join(", "),
                        last.to_lowercase()
                    ),
                    [] => "You did not lean towards any one love language.".to_owned(),
                };
                let details = result
                    .primary
                    .iter()
                    .filter_map(|l| a.meanings.iter().find(|m| m.language == *l))
                    .map(|m| m.text.clone())
                    .collect();
                Explanation {
                    summary,
                    details,
                    note: a.note.clone(),
                }
            }
            AssessmentResult::Attachment { result } => Explanation {
                summary: result.reflection.clone(),
                details: Vec::new(),
                note: result.note.clone(),
            },
            AssessmentResult::BarrierSigns { result } => {
                let a = &self.barrier_signs;
                let flagged = result.flagged();
                let details = flagged
                    .iter()
                    .filter_map(|b| a.meanings.iter().find(|m| m.barrier == *b))
                    .map(|m| format!("{}: {}", m.barrier.label(), m.text))
                    .collect();
                Explanation {
                    summary: if flagged.is_empty() {
                        a.none_flagged.clone()
                    } else {
                        a.flagged_intro.clone()
                    },
                    details,
                    note: String::new(),
                }
            }
            AssessmentResult::ProfessionalHelp { result } => Explanation {
                summary: result.message.clone(),
                details: Some(result.about_therapy.clone())
                    .filter(|t| !t.is_empty())
                    .into_iter()
                    .collect(),
                note: String::new(),
            },
            AssessmentResult::Communication { result } => Explanation {
                summary: self.communication.result_intro.clone(),
                details: result
                    .axes
                    .iter()
                    .map(|x| format!("{}: {}", x.label, x.text))
                    .collect(),
                note: result.note.clone(),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::assessment::CommunicationAxis;
    use crate::content::embedded;
    use crate::content::taxonomy::{Barrier, Dimension};
    use crate::guidance::assessment::score::tests::full_ratings;
    use crate::guidance::assessment::{ItemAnswer, Leaning};

    #[test]
    fn intimacy_names_the_gaps_first_and_calls_itself_a_snapshot() {
        let all = embedded::assessments().unwrap();
        let result = AssessmentResult::Intimacy {
            result: all
                .intimacy
                .score(&full_ratings(&[(Dimension::Dream, 5, 1)]))
                .unwrap(),
        };
        let e = all.explain(&result);
        assert_eq!(e.summary, "The most room to grow is in shared dreams.");
        assert!(e.details[0].starts_with("Shared dreams: it matters"));
        assert_eq!(e.details.len(), 8, "every rated dimension is named");
        assert!(e.note.contains("snapshot"));
        let calm = AssessmentResult::Intimacy {
            result: all.intimacy.score(&full_ratings(&[])).unwrap(),
        };
        assert_eq!(all.explain(&calm).summary, all.intimacy.no_gaps);
    }

    #[test]
    fn barrier_signs_explain_what_is_flagged() {
        let all = embedded::assessments().unwrap();
        let answers: Vec<ItemAnswer> = all
            .barrier_signs
            .items
            .iter()
            .map(|i| ItemAnswer {
                item_id: i.id.clone(),
                value: if i.barrier == Barrier::UnfairLoad {
                    5
                } else {
                    1
                },
            })
            .collect();
        let result = AssessmentResult::BarrierSigns {
            result: all.barrier_signs.score(&answers).unwrap(),
        };
        let e = all.explain(&result);
        assert_eq!(e.summary, all.barrier_signs.flagged_intro);
        assert_eq!(e.details.len(), 1);
        assert!(
            e.details[0].starts_with("An uneven load:"),
            "{}",
            e.details[0]
        );
    }

    #[test]
    fn communication_styles_score_compare_and_explain_like_the_others() {
        let all = embedded::assessments().unwrap();
        let answers = |talk_now: u32| -> Vec<ItemAnswer> {
            all.communication
                .items
                .iter()
                .map(|i| ItemAnswer {
                    item_id: i.id.clone(),
                    value: match (i.axis, i.reversed) {
                        (CommunicationAxis::Timing, false) => talk_now,
                        (CommunicationAxis::Timing, true) => 6 - talk_now,
                        _ => 3,
                    },
                })
                .collect()
        };
        let mine = all.communication.score(&answers(5)).unwrap();
        let theirs = all.communication.score(&answers(1)).unwrap();
        assert_eq!(mine.axes.len(), 4);
        assert_eq!(mine.axes[0].axis, CommunicationAxis::Timing);
        assert_eq!(mine.axes[0].leaning, Leaning::Higher);
        assert_eq!(theirs.axes[0].leaning, Leaning::Lower);
        let (mine, theirs) = (
            AssessmentResult::Communication { result: mine },
            AssessmentResult::Communication { result: theirs },
        );
        let diff = all.compare(&mine, &theirs).unwrap();
        assert_eq!(diff[0].topic, "timing");
        assert!((diff[0].gap - 4.0).abs() < 1e-9);
        let e = all.explain(&mine);
        assert_eq!(e.details.len(), 4);
        assert!(e.details[0].starts_with("When to talk: You often want to talk"));
        assert!(e.note.contains("not right or wrong"));
        // Missing answers are refused, as for every assessment.
        let mut short = answers(3);
        short.pop();
        assert!(all.communication.score(&short).is_err());
    }

    #[test]
    fn professional_help_results_have_words() {
        let all = embedded::assessments().unwrap();
        let answers: Vec<_> = all
            .professional_help
            .items
            .iter()
            .map(|i| crate::guidance::assessment::SignalAnswer {
                item_id: i.id.clone(),
                present: true,
            })
            .collect();
        let help = AssessmentResult::ProfessionalHelp {
            result: all.professional_help.score(&answers).unwrap(),
        };
        let e = all.explain(&help);
        assert_eq!(e.summary, all.professional_help.suggest);
        assert_eq!(e.details, vec![all.professional_help.about_therapy.clone()]);
    }
}
