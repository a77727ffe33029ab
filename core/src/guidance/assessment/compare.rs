//! Where two partners' shared results differ most. Only called once both
//! partners chose to share the same assessment.

use serde::{Deserialize, Serialize};

use super::score::{AssessmentResult, ScoreError};
use crate::content::assessment::Assessments;

/// One topic on which two results differ.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Difference {
    /// A stable key, such as `dream.importance` or `quality_time`.
    pub topic: String,
    /// What to call it on screen.
    pub label: String,
    /// This partner's value.
    pub mine: f64,
    /// The other partner's value.
    pub partner: f64,
    /// How far apart they are (never negative).
    pub gap: f64,
}

/// A result as (topic, label, value) triples, so every assessment compares
/// the same way.
fn topics(a: &Assessments, result: &AssessmentResult) -> Vec<(String, String, f64)> {
    match result {
        AssessmentResult::Intimacy { result } => result
            .dimensions
            .iter()
            .flat_map(|d| {
                let key = d.dimension.key();
                let label = d.dimension.label();
                [
                    (
                        format!("{key}.importance"),
                        format!("{label}: how important"),
                        f64::from(d.importance),
                    ),
                    (
                        format!("{key}.satisfaction"),
                        format!("{label}: how satisfied"),
                        f64::from(d.satisfaction),
                    ),
                ]
            })
            .collect(),
        AssessmentResult::LoveLanguages { result } => result
            .scores
            .iter()
            .map(|s| {
                (
                    s.language.key().to_owned(),
                    s.language.label().to_owned(),
                    f64::from(s.score),
                )
            })
            .collect(),
        AssessmentResult::Attachment { result } => vec![
            (
                "anxiety".to_owned(),
                "Worry about closeness".to_owned(),
                result.anxiety,
            ),
            (
                "avoidance".to_owned(),
                "Unease with depending on each other".to_owned(),
                result.avoidance,
            ),
        ],
        AssessmentResult::BarrierSigns { result } => result
            .barriers
            .iter()
            .map(|b| {
                (
                    b.barrier.key().to_owned(),
                    b.barrier.label().to_owned(),
                    b.score,
                )
            })
            .collect(),
        AssessmentResult::ProfessionalHelp { result } => a
            .professional_help
            .items
            .iter()
            .map(|i| {
                let present = result.signals.contains(&i.id);
                (
                    i.id.clone(),
                    i.text.clone(),
                    if present { 1.0 } else { 0.0 },
                )
            })
            .collect(),
        AssessmentResult::Communication { result } => result
            .axes
            .iter()
            .map(|x| (x.axis.key().to_owned(), x.label.clone(), x.score))
            .collect(),
    }
}

impl Assessments {
    /// Compares two results of the same assessment: every topic both
    /// results hold, the widest difference first (ties keep the
    /// assessment's own order). Topics where you agree come last with a gap
    /// of zero, so the app can also say where you are alike.
    pub fn compare(
        &self,
        mine: &AssessmentResult,
        partner: &AssessmentResult,
    ) -> Result<Vec<Difference>, ScoreError> {
        if std::mem::discriminant(mine) != std::mem::discriminant(partner) {
            return Err(ScoreError::Mismatch);
        }
        let theirs = topics(self, partner);
        let mut out: Vec<Difference> = topics(self, mine)
            .into_iter()
            .filter_map(|(topic, label, m)| {
                let (_, _, p) = theirs.iter().find(|(t, _, _)| *t == topic)?;
                Some(Difference {
                    topic,
                    label,
                    mine: m,
                    partner: *p,
                    gap: (m - p).abs(),
                })
            })
            .collect();
        // A stable sort keeps the assessment's order among equal gaps.
        out.sort_by(|a, b| b.gap.total_cmp(&a.gap));
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::embedded;
    use crate::content::taxonomy::Dimension;
    use crate::guidance::assessment::score::tests::full_ratings;

    #[test]
    fn widest_difference_comes_first() {
        let a = embedded::assessments().unwrap();
        let mine = a
            .intimacy
            .score(&full_ratings(&[
                (Dimension::Dream, 5, 2),
                (Dimension::Physical, 4, 4),
            ]))
            .unwrap();
        let theirs = a
            .intimacy
            .score(&full_ratings(&[
                (Dimension::Dream, 2, 2),
                (Dimension::Physical, 3, 4),
            ]))
            .unwrap();
        let diffs = a
            .compare(
                &AssessmentResult::Intimacy { result: mine },
                &AssessmentResult::Intimacy { result: theirs },
            )
            .unwrap();
        assert_eq!(diffs[0].topic, "dream.importance");
        assert_eq!(
            (diffs[0].mine, diffs[0].partner, diffs[0].gap),
            (5.0, 2.0, 3.0)
        );
        assert_eq!(diffs[1].topic, "physical.importance");
        assert_eq!(diffs[1].gap, 1.0);
        assert!(diffs[2..].iter().all(|d| d.gap == 0.0));
        // Eight rated dimensions, two topics each.
        assert_eq!(diffs.len(), 16);
    }

    #[test]
    fn different_assessments_do_not_compare() {
        let a = embedded::assessments().unwrap();
        let intimacy = AssessmentResult::Intimacy {
            result: a.intimacy.score(&full_ratings(&[])).unwrap(),
        };
        let help = AssessmentResult::ProfessionalHelp {
            result: super::super::ProfessionalHelpResult {
                signals: vec![],
                suggest: false,
                message: String::new(),
                about_therapy: String::new(),
            },
        };
        assert_eq!(a.compare(&intimacy, &help), Err(ScoreError::Mismatch));
    }
}
