//! Answers in, typed results out. Every function checks its answers fully
//! (known items, values in range, no duplicates, nothing missing) before it
//! scores, so a result is never built from half an answer set.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use crate::content::assessment::{
    AttachmentAssessment, AttachmentAxis, BarrierSignsAssessment, CommunicationAssessment,
    CommunicationAxis, IntimacyAssessment, LoveLanguageAssessment, ProfessionalHelpAssessment,
    Scale,
};
use crate::content::taxonomy::{Barrier, Dimension, LoveLanguage};

/// A barrier counts as flagged when its signs average at least this much
/// on the scale's 0..1 range (3.5 on a 1-5 scale).
const FLAG_AT: f64 = 0.625;

/// Answers that cannot be scored.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ScoreError {
    /// A value outside the item's scale.
    #[error("the answer to {item} is {value}, but the scale runs from {min} to {max}")]
    OutOfRange {
        /// The item.
        item: String,
        /// The value given.
        value: u32,
        /// The scale's lowest value.
        min: u32,
        /// The scale's highest value.
        max: u32,
    },
    /// The same item answered twice.
    #[error("{item} is answered twice; send one answer per item")]
    Duplicate {
        /// The item.
        item: String,
    },
    /// An answer to an item this assessment does not have.
    #[error(
        "{item} is not an item of this assessment; check which assessment the answers belong to"
    )]
    UnknownItem {
        /// The item.
        item: String,
    },
    /// Items left unanswered.
    #[error("{missing} item(s) are not answered yet; answer all of them to see a result")]
    Incomplete {
        /// How many.
        missing: u32,
    },
    /// Two results of different assessments.
    #[error("these results come from different assessments; compare two results of the same one")]
    Mismatch,
}

/// One dimension rated for importance and satisfaction.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct DimensionRating {
    /// The dimension.
    pub dimension: Dimension,
    /// How important it is to you.
    pub importance: u32,
    /// How satisfied you are with it now.
    pub satisfaction: u32,
}

/// One dimension in a result.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct DimensionScore {
    /// The dimension.
    pub dimension: Dimension,
    /// How important it is.
    pub importance: u32,
    /// How satisfied.
    pub satisfaction: u32,
    /// Importance minus satisfaction: above zero, you want more of it.
    pub gap: i32,
}

/// Intimacy by dimension, for one person.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct IntimacyResult {
    /// The rated dimensions, in the app's dimension order.
    pub dimensions: Vec<DimensionScore>,
}

impl IntimacyResult {
    /// A dimension's score, if it was rated.
    pub fn get(&self, dimension: Dimension) -> Option<&DimensionScore> {
        self.dimensions.iter().find(|d| d.dimension == dimension)
    }

    /// The dimensions with a positive gap, largest gap first (ties: the
    /// more important first).
    pub fn widest_gaps(&self) -> Vec<DimensionScore> {
        let mut v: Vec<_> = self
            .dimensions
            .iter()
            .copied()
            .filter(|d| d.gap > 0)
            .collect();
        v.sort_by(|a, b| b.gap.cmp(&a.gap).then(b.importance.cmp(&a.importance)));
        v
    }
}

/// Which option of a forced choice was picked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(rename_all = "snake_case")]
pub enum Choice {
    /// The option shown first.
    First,
    /// The option shown second.
    Second,
}

/// The answer to one forced-choice item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct ChoiceAnswer {
    /// The item.
    pub item_id: String,
    /// The pick.
    pub choice: Choice,
}

/// A value on a rating scale for one item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct ItemAnswer {
    /// The item.
    pub item_id: String,
    /// The value, within the assessment's scale.
    pub value: u32,
}

/// Whether a yes-or-no signal is present.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct SignalAnswer {
    /// The item.
    pub item_id: String,
    /// Yes, this is true for us.
    pub present: bool,
}

/// One love language's score.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct LanguageScore {
    /// The language.
    pub language: LoveLanguage,
    /// How many times it was picked.
    pub score: u32,
    /// How many times it was offered.
    pub out_of: u32,
}

/// The love-language result: five scores.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct LoveLanguageResult {
    /// All five, in the usual order.
    pub scores: Vec<LanguageScore>,
    /// The highest-scoring language, or several when tied.
    pub primary: Vec<LoveLanguage>,
}

/// Which side of the scale's middle a score falls on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(rename_all = "snake_case")]
pub enum Leaning {
    /// At or below the middle.
    Lower,
    /// Above the middle.
    Higher,
}

/// Attachment tendencies: a reflection, not a diagnosis.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct AttachmentResult {
    /// Mean on the scale, reversed items turned around.
    pub anxiety: f64,
    /// Mean on the scale, reversed items turned around.
    pub avoidance: f64,
    /// Where the anxiety score leans.
    pub anxiety_leaning: Leaning,
    /// Where the avoidance score leans.
    pub avoidance_leaning: Leaning,
    /// What this combination may mean, in plain words.
    pub reflection: String,
    /// The reminder that this is a reflection, not a diagnosis.
    pub note: String,
}

/// One barrier's signs.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct BarrierScore {
    /// The barrier.
    pub barrier: Barrier,
    /// Mean agreement with its signs, on the scale.
    pub score: f64,
    /// Whether the signs are strong enough to work on.
    pub flagged: bool,
}

/// The barrier-signs result.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct BarrierSignsResult {
    /// Every barrier, in the app's barrier order.
    pub barriers: Vec<BarrierScore>,
}

impl BarrierSignsResult {
    /// The flagged barriers, strongest first.
    pub fn flagged(&self) -> Vec<Barrier> {
        let mut v: Vec<_> = self.barriers.iter().filter(|b| b.flagged).collect();
        v.sort_by(|a, b| b.score.total_cmp(&a.score));
        v.into_iter().map(|b| b.barrier).collect()
    }
}

/// The professional-help result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct ProfessionalHelpResult {
    /// The ids of the signals that are present.
    pub signals: Vec<String>,
    /// Whether to suggest talking to a professional.
    pub suggest: bool,
    /// What to say about it.
    pub message: String,
    /// What therapy involves and costs; empty when not suggesting.
    pub about_therapy: String,
}

/// One communication habit in a result.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct CommunicationScore {
    /// The habit.
    pub axis: CommunicationAxis,
    /// Its title.
    pub label: String,
    /// Mean on the scale, reversed items turned around.
    pub score: f64,
    /// Which side of the middle it falls on.
    pub leaning: Leaning,
    /// What that leaning means, in plain words.
    pub text: String,
}

/// The communication-styles result: four habits, never a verdict.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct CommunicationResult {
    /// Every habit, in the usual order.
    pub axes: Vec<CommunicationScore>,
    /// The reminder that styles are habits, not right or wrong.
    pub note: String,
}

/// Any assessment's result, as one partner may share it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(rename_all = "snake_case")]
pub enum AssessmentResult {
    /// Intimacy by dimension.
    Intimacy {
        /// The result.
        result: IntimacyResult,
    },
    /// Love languages.
    LoveLanguages {
        /// The result.
        result: LoveLanguageResult,
    },
    /// Attachment tendencies.
    Attachment {
        /// The result.
        result: AttachmentResult,
    },
    /// Barrier signs.
    BarrierSigns {
        /// The result.
        result: BarrierSignsResult,
    },
    /// Professional-help signals.
    ProfessionalHelp {
        /// The result.
        result: ProfessionalHelpResult,
    },
    /// Communication styles.
    Communication {
        /// The result.
        result: CommunicationResult,
    },
}

/// Checks a set of answers against the item ids it may use. Returns the
/// answers by item id; `optional` items may be left out.
fn by_item<'a, A>(
    known: &[&str],
    optional: &[&str],
    answers: &'a [A],
    id_of: impl Fn(&A) -> &str,
) -> Result<HashMap<String, &'a A>, ScoreError> {
    let mut map = HashMap::new();
    for a in answers {
        let id = id_of(a);
        if !known.contains(&id) {
            return Err(ScoreError::UnknownItem {
                item: id.to_owned(),
            });
        }
        if map.insert(id.to_owned(), a).is_some() {
            return Err(ScoreError::Duplicate {
                item: id.to_owned(),
            });
        }
    }
    let missing = known
        .iter()
        .filter(|k| !optional.contains(k) && !map.contains_key(**k))
        .count();
    if missing > 0 {
        return Err(ScoreError::Incomplete {
            missing: u32::try_from(missing).unwrap_or(u32::MAX),
        });
    }
    Ok(map)
}

fn in_scale(scale: &Scale, item: &str, value: u32) -> Result<u32, ScoreError> {
    if (scale.min..=scale.max).contains(&value) {
        Ok(value)
    } else {
        Err(ScoreError::OutOfRange {
            item: item.to_owned(),
            value,
            min: scale.min,
            max: scale.max,
        })
    }
}

impl IntimacyAssessment {
    /// Scores ratings. Every dimension must be rated except the sexual one,
    /// which is optional (it is only shown after both opted in).
    pub fn score(&self, ratings: &[DimensionRating]) -> Result<IntimacyResult, ScoreError> {
        let known: Vec<&str> = self.items.iter().map(|i| i.dimension.key()).collect();
        let map = by_item(&known, &[Dimension::Sexual.key()], ratings, |r| {
            r.dimension.key()
        })?;
        let mut dimensions = Vec::new();
        for d in Dimension::ALL {
            let Some(r) = map.get(d.key()) else { continue };
            let importance = in_scale(
                &self.scale,
                &format!("{} importance", d.key()),
                r.importance,
            )?;
            let satisfaction = in_scale(
                &self.scale,
                &format!("{} satisfaction", d.key()),
                r.satisfaction,
            )?;
            dimensions.push(DimensionScore {
                dimension: d,
                importance,
                satisfaction,
                // Both values are small scale points; the difference fits.
                gap: i32::try_from(i64::from(importance) - i64::from(satisfaction)).unwrap_or(0),
            });
        }
        Ok(IntimacyResult { dimensions })
    }
}

impl LoveLanguageAssessment {
    /// Scores forced choices: each pick counts one for its language.
    pub fn score(&self, answers: &[ChoiceAnswer]) -> Result<LoveLanguageResult, ScoreError> {
        let known: Vec<&str> = self.items.iter().map(|i| i.id.as_str()).collect();
        let map = by_item(&known, &[], answers, |a| a.item_id.as_str())?;
        let mut scores: Vec<LanguageScore> = LoveLanguage::ALL
            .into_iter()
            .map(|language| LanguageScore {
                language,
                score: 0,
                out_of: 0,
            })
            .collect();
        for item in &self.items {
            for (option, picked) in [(&item.first, Choice::First), (&item.second, Choice::Second)] {
                if let Some(s) = scores.iter_mut().find(|s| s.language == option.language) {
                    s.out_of += 1;
                    if map.get(&item.id).is_some_and(|a| a.choice == picked) {
                        s.score += 1;
                    }
                }
            }
        }
        let top = scores.iter().map(|s| s.score).max().unwrap_or(0);
        let primary = scores
            .iter()
            .filter(|s| s.score == top)
            .map(|s| s.language)
            .collect();
        Ok(LoveLanguageResult { scores, primary })
    }
}

impl AttachmentAssessment {
    /// Scores agreement ratings into anxiety and avoidance means.
    pub fn score(&self, answers: &[ItemAnswer]) -> Result<AttachmentResult, ScoreError> {
        let known: Vec<&str> = self.items.iter().map(|i| i.id.as_str()).collect();
        let map = by_item(&known, &[], answers, |a| a.item_id.as_str())?;
        let mut sums = [(0.0_f64, 0_u32); 2];
        for item in &self.items {
            let Some(a) = map.get(&item.id) else { continue };
            let v = in_scale(&self.scale, &item.id, a.value)?;
            let v = if item.reversed {
                self.scale.min + self.scale.max - v
            } else {
                v
            };
            let slot = match item.axis {
                AttachmentAxis::Anxiety => 0,
                AttachmentAxis::Avoidance => 1,
            };
            sums[slot].0 += f64::from(v);
            sums[slot].1 += 1;
        }
        let mean = |(sum, n): (f64, u32)| if n == 0 { 0.0 } else { sum / f64::from(n) };
        let anxiety = mean(sums[0]);
        let avoidance = mean(sums[1]);
        let lean = |v: f64| {
            if v > self.scale.midpoint() {
                Leaning::Higher
            } else {
                Leaning::Lower
            }
        };
        let (anxiety_leaning, avoidance_leaning) = (lean(anxiety), lean(avoidance));
        let reflection = self
            .reflections
            .iter()
            .find(|r| r.anxiety == anxiety_leaning && r.avoidance == avoidance_leaning)
            .map(|r| r.text.clone())
            .unwrap_or_default();
        Ok(AttachmentResult {
            anxiety,
            avoidance,
            anxiety_leaning,
            avoidance_leaning,
            reflection,
            note: self.note.clone(),
        })
    }
}

impl BarrierSignsAssessment {
    /// Scores agreement with each barrier's signs.
    pub fn score(&self, answers: &[ItemAnswer]) -> Result<BarrierSignsResult, ScoreError> {
        let known: Vec<&str> = self.items.iter().map(|i| i.id.as_str()).collect();
        let map = by_item(&known, &[], answers, |a| a.item_id.as_str())?;
        let span = f64::from(self.scale.max - self.scale.min);
        let mut barriers = Vec::new();
        for b in Barrier::ALL {
            let mut sum = 0.0;
            let mut n = 0_u32;
            for item in self.items.iter().filter(|i| i.barrier == b) {
                let Some(a) = map.get(&item.id) else { continue };
                sum += f64::from(in_scale(&self.scale, &item.id, a.value)?);
                n += 1;
            }
            if n == 0 {
                continue;
            }
            let score = sum / f64::from(n);
            let flagged = span > 0.0 && (score - f64::from(self.scale.min)) / span >= FLAG_AT;
            barriers.push(BarrierScore {
                barrier: b,
                score,
                flagged,
            });
        }
        Ok(BarrierSignsResult { barriers })
    }
}

impl ProfessionalHelpAssessment {
    /// Counts the signals present; one is enough to suggest a professional,
    /// because each of them is something a counsellor helps with.
    pub fn score(&self, answers: &[SignalAnswer]) -> Result<ProfessionalHelpResult, ScoreError> {
        let known: Vec<&str> = self.items.iter().map(|i| i.id.as_str()).collect();
        let map = by_item(&known, &[], answers, |a| a.item_id.as_str())?;
        let signals: Vec<String> = self
            .items
            .iter()
            .filter(|i| map.get(&i.id).is_some_and(|a| a.present))
            .map(|i| i.id.clone())
            .collect();
        let suggest = !signals.is_empty();
        Ok(ProfessionalHelpResult {
            signals,
            suggest,
            message: if suggest {
                self.suggest.clone()
            } else {
                self.no_signals.clone()
            },
            about_therapy: if suggest {
                self.about_therapy.clone()
            } else {
                String::new()
            },
        })
    }
}

impl CommunicationAssessment {
    /// Scores agreement ratings into a mean per habit, like the attachment
    /// axes.
    pub fn score(&self, answers: &[ItemAnswer]) -> Result<CommunicationResult, ScoreError> {
        let known: Vec<&str> = self.items.iter().map(|i| i.id.as_str()).collect();
        let map = by_item(&known, &[], answers, |a| a.item_id.as_str())?;
        let mut axes = Vec::new();
        for axis in CommunicationAxis::ALL {
            let mut sum = 0.0;
            let mut n = 0_u32;
            for item in self.items.iter().filter(|i| i.axis == axis) {
                let Some(a) = map.get(&item.id) else { continue };
                let v = in_scale(&self.scale, &item.id, a.value)?;
                let v = if item.reversed {
                    self.scale.min + self.scale.max - v
                } else {
                    v
                };
                sum += f64::from(v);
                n += 1;
            }
            if n == 0 {
                continue;
            }
            let score = sum / f64::from(n);
            let leaning = if score > self.scale.midpoint() {
                Leaning::Higher
            } else {
                Leaning::Lower
            };
            let words = self.axes.iter().find(|t| t.axis == axis);
            axes.push(CommunicationScore {
                axis,
                label: words.map(|t| t.label.clone()).unwrap_or_default(),
                score,
                leaning,
                text: words
                    .map(|t| match leaning {
                        Leaning::Higher => t.higher.clone(),
                        Leaning::Lower => t.lower.clone(),
                    })
                    .unwrap_or_default(),
            });
        }
        Ok(CommunicationResult {
            axes,
            note: self.note.clone(),
        })
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::content::assessment::Assessments;
    use crate::content::embedded;

    fn real() -> &'static Assessments {
        embedded::assessments().unwrap()
    }

    pub(crate) fn ratings(values: &[(Dimension, u32, u32)]) -> Vec<DimensionRating> {
        values
            .iter()
            .map(|&(dimension, importance, satisfaction)| DimensionRating {
                dimension,
                importance,
                satisfaction,
            })
            .collect()
    }

    /// Every non-sexual dimension at importance 3, satisfaction 3, with
    /// some overridden.
    pub(crate) fn full_ratings(overrides: &[(Dimension, u32, u32)]) -> Vec<DimensionRating> {
        let v: Vec<_> = Dimension::ALL
            .into_iter()
            .filter(|d| *d != Dimension::Sexual)
            .map(|d| {
                overrides
                    .iter()
                    .find(|o| o.0 == d)
                    .copied()
                    .unwrap_or((d, 3, 3))
            })
            .collect();
        ratings(&v)
    }

    #[test]
    fn intimacy_gaps_are_importance_minus_satisfaction() {
        let r = real()
            .intimacy
            .score(&full_ratings(&[
                (Dimension::Dream, 5, 1),
                (Dimension::Physical, 2, 5),
            ]))
            .unwrap();
        assert_eq!(r.get(Dimension::Dream).unwrap().gap, 4);
        assert_eq!(r.get(Dimension::Physical).unwrap().gap, -3);
        assert_eq!(r.get(Dimension::Emotional).unwrap().gap, 0);
        assert!(r.get(Dimension::Sexual).is_none(), "sexual may be skipped");
        let widest = r.widest_gaps();
        assert_eq!(widest.len(), 1);
        assert_eq!(widest[0].dimension, Dimension::Dream);
    }

    #[test]
    fn intimacy_rejects_bad_answer_sets() {
        let a = &real().intimacy;
        let mut partial = full_ratings(&[]);
        partial.pop();
        assert_eq!(
            a.score(&partial),
            Err(ScoreError::Incomplete { missing: 1 })
        );
        let mut twice = full_ratings(&[]);
        twice.push(twice[0]);
        assert!(matches!(a.score(&twice), Err(ScoreError::Duplicate { .. })));
        let high = full_ratings(&[(Dimension::Spiritual, 6, 1)]);
        assert!(matches!(
            a.score(&high),
            Err(ScoreError::OutOfRange {
                value: 6,
                min: 1,
                max: 5,
                ..
            })
        ));
    }

    #[test]
    fn love_languages_count_each_pick() {
        let a = &real().love_languages;
        // Always pick whichever option is quality time, else the first.
        let answers: Vec<ChoiceAnswer> = a
            .items
            .iter()
            .map(|i| ChoiceAnswer {
                item_id: i.id.clone(),
                choice: if i.second.language == LoveLanguage::QualityTime {
                    Choice::Second
                } else {
                    Choice::First
                },
            })
            .collect();
        let r = a.score(&answers).unwrap();
        let qt = r
            .scores
            .iter()
            .find(|s| s.language == LoveLanguage::QualityTime)
            .unwrap();
        assert_eq!(qt.score, qt.out_of, "picked every time it was offered");
        assert_eq!(r.primary, vec![LoveLanguage::QualityTime]);
        let total: u32 = r.scores.iter().map(|s| s.score).sum();
        assert_eq!(total as usize, a.items.len(), "one point per item");
    }

    #[test]
    fn love_language_ties_are_all_primary() {
        let option = |text: &str, language| crate::content::assessment::ChoiceOption {
            text: text.into(),
            language,
        };
        let a = LoveLanguageAssessment {
            id: "ll".into(),
            title: "t".into(),
            intro: "i".into(),
            note: "n".into(),
            meanings: vec![],
            items: vec![
                crate::content::assessment::ChoiceItem {
                    id: "a".into(),
                    first: option("hug", LoveLanguage::PhysicalTouch),
                    second: option("note", LoveLanguage::WordsOfAffirmation),
                },
                crate::content::assessment::ChoiceItem {
                    id: "b".into(),
                    first: option("present", LoveLanguage::Gifts),
                    second: option("walk", LoveLanguage::QualityTime),
                },
            ],
        };
        let pick = |id: &str, choice| ChoiceAnswer {
            item_id: id.into(),
            choice,
        };
        let r = a
            .score(&[pick("a", Choice::First), pick("b", Choice::Second)])
            .unwrap();
        assert_eq!(
            r.primary,
            vec![LoveLanguage::PhysicalTouch, LoveLanguage::QualityTime]
        );
        assert_eq!(
            a.score(&[pick("a", Choice::First)]),
            Err(ScoreError::Incomplete { missing: 1 })
        );
    }

    fn attachment_answers(anxious: u32, avoidant: u32) -> Vec<ItemAnswer> {
        // Answer as someone whose true levels are `anxious` and `avoidant`:
        // reversed items get the mirrored value.
        let a = &real().attachment;
        a.items
            .iter()
            .map(|i| {
                let level = match i.axis {
                    AttachmentAxis::Anxiety => anxious,
                    AttachmentAxis::Avoidance => avoidant,
                };
                let value = if i.reversed {
                    a.scale.min + a.scale.max - level
                } else {
                    level
                };
                ItemAnswer {
                    item_id: i.id.clone(),
                    value,
                }
            })
            .collect()
    }

    #[test]
    fn attachment_scores_turn_reversed_items_around() {
        let a = &real().attachment;
        let r = a.score(&attachment_answers(5, 1)).unwrap();
        assert_eq!(r.anxiety, 5.0);
        assert_eq!(r.avoidance, 1.0);
        assert_eq!(r.anxiety_leaning, Leaning::Higher);
        assert_eq!(r.avoidance_leaning, Leaning::Lower);
        let expected = a
            .reflections
            .iter()
            .find(|x| x.anxiety == Leaning::Higher && x.avoidance == Leaning::Lower)
            .unwrap();
        assert_eq!(r.reflection, expected.text);
        assert_eq!(r.note, a.note);

        let r = a.score(&attachment_answers(2, 4)).unwrap();
        assert_eq!((r.anxiety, r.avoidance), (2.0, 4.0));
        assert_eq!(r.avoidance_leaning, Leaning::Higher);
    }

    #[test]
    fn attachment_rejects_unknown_items() {
        let mut answers = attachment_answers(3, 3);
        answers[0].item_id = "nope".into();
        assert_eq!(
            real().attachment.score(&answers),
            Err(ScoreError::UnknownItem {
                item: "nope".into()
            })
        );
    }

    #[test]
    fn barrier_signs_flag_strong_agreement_only() {
        let a = &real().barrier_signs;
        let answers: Vec<ItemAnswer> = a
            .items
            .iter()
            .map(|i| ItemAnswer {
                item_id: i.id.clone(),
                value: match i.barrier {
                    Barrier::UnfairLoad => a.scale.max,
                    Barrier::Neglect => 4,
                    _ => 2,
                },
            })
            .collect();
        let r = a.score(&answers).unwrap();
        assert_eq!(r.barriers.len(), Barrier::ALL.len());
        assert_eq!(r.flagged(), vec![Barrier::UnfairLoad, Barrier::Neglect]);
    }

    #[test]
    fn one_help_signal_is_enough_to_suggest() {
        let a = &real().professional_help;
        let mut answers: Vec<SignalAnswer> = a
            .items
            .iter()
            .map(|i| SignalAnswer {
                item_id: i.id.clone(),
                present: false,
            })
            .collect();
        let none = a.score(&answers).unwrap();
        assert!(!none.suggest);
        assert_eq!(none.message, a.no_signals);
        assert!(none.about_therapy.is_empty());
        answers[2].present = true;
        let some = a.score(&answers).unwrap();
        assert!(some.suggest);
        assert_eq!(some.signals, vec![a.items[2].id.clone()]);
        assert_eq!(some.about_therapy, a.about_therapy);
    }
}
