//! Recommendations: which exercises to suggest next, ranked from what the
//! couple told the app, each with a one-line reason in their own terms.
//!
//! The rules, in order of precedence:
//! - Sexual exercises appear only while both partners opted in.
//! - When this person's safety check raised a concern, the first item
//!   points to help and only personal exercises follow: the app never
//!   nudges anyone to work on closeness with a partner they may fear.
//! - Otherwise exercises rise with the gaps in the intimacy assessment
//!   (more when both partners feel the gap) and with the barriers flagged,
//!   and sink when done recently or skipped before.

use serde::{Deserialize, Serialize};
use time::Date;

use super::assessment::IntimacyResult;
use super::consent::SexualContentConsent;
use super::exercise::{Catalog, Exercise};
use super::taxonomy::{Barrier, Dimension};

/// The score given to the pointer to help resources, above any exercise.
pub const HELP_FIRST_SCORE: f64 = 1_000.0;

/// Importance at or above this and satisfaction at or below
/// [`LOW_SATISFACTION`] reads as "important and low" (on the 1-5 scale).
const HIGH_IMPORTANCE: u32 = 4;
const LOW_SATISFACTION: u32 = 2;

/// An exercise someone completed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Completion {
    /// The exercise.
    pub exercise_id: String,
    /// When.
    pub on: Date,
}

/// What the recommendations are built from. The lead fills it from the
/// couple's documents and this phone's device-local state.
#[derive(Debug, Clone, PartialEq)]
pub struct RecommendationInput {
    /// Today, for judging how recent things are.
    pub today: Date,
    /// This person's intimacy assessment, if taken.
    pub mine: Option<IntimacyResult>,
    /// The partner's, if they shared it.
    pub partner: Option<IntimacyResult>,
    /// Barriers flagged by either partner (from the barrier signs, or
    /// picked by hand).
    pub barriers: Vec<Barrier>,
    /// Exercises completed, with dates (the last few months are enough).
    pub recent: Vec<Completion>,
    /// Exercises skipped; an id may appear once per skip.
    pub skipped: Vec<String>,
    /// Both partners' choice about sexual content.
    pub consent: SexualContentConsent,
    /// This person's device-local safety check raised a concern.
    pub safety_concern: bool,
}

/// What a recommendation points to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(rename_all = "snake_case")]
pub enum RecommendationTarget {
    /// An exercise from the catalog.
    Exercise {
        /// Its id.
        exercise_id: String,
    },
    /// The safety help resources.
    HelpResources,
}

/// One suggestion.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Recommendation {
    /// What it points to.
    pub target: RecommendationTarget,
    /// Higher comes first; only the order is meaningful.
    pub score: f64,
    /// Why, in one line drawn from the couple's own data.
    pub reason: String,
}

/// Who feels a gap in a dimension.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Felt {
    Both { strong: bool },
    Me { strong: bool },
    Partner { strong: bool },
}

#[derive(Debug)]
struct Need {
    dimension: Dimension,
    weight: f64,
    felt: Felt,
}

fn need_in(result: Option<&IntimacyResult>, d: Dimension) -> Option<(f64, bool)> {
    let s = result?.get(d)?;
    if s.gap <= 0 {
        return None;
    }
    // A gap in something that matters a lot counts for more than the same
    // gap in something that matters little.
    let weight = f64::from(s.gap) * f64::from(s.importance) / 5.0;
    let strong = s.importance >= HIGH_IMPORTANCE && s.satisfaction <= LOW_SATISFACTION;
    Some((weight, strong))
}

fn strongest_need(input: &RecommendationInput, e: &Exercise) -> Option<Need> {
    e.dimensions
        .iter()
        .filter_map(|&d| {
            let mine = need_in(input.mine.as_ref(), d);
            let theirs = need_in(input.partner.as_ref(), d);
            let (weight, felt) = match (mine, theirs) {
                // Felt by both counts a little more than the sum: it is
                // where working together pays most.
                (Some((a, sa)), Some((b, sb))) => ((a + b) * 1.25, Felt::Both { strong: sa && sb }),
                (Some((a, s)), None) => (a, Felt::Me { strong: s }),
                (None, Some((b, s))) => (b, Felt::Partner { strong: s }),
                (None, None) => return None,
            };
            Some(Need {
                dimension: d,
                weight,
                felt,
            })
        })
        .max_by(|a, b| a.weight.total_cmp(&b.weight))
}

fn need_reason(n: &Need) -> String {
    let phrase = n.dimension.phrase();
    match n.felt {
        Felt::Both { strong: true } => format!("You both rated {phrase} important and low."),
        Felt::Both { strong: false } => {
            format!("You both rated {phrase} as more important than it feels right now.")
        }
        Felt::Me { strong: true } => format!("You rated {phrase} important and low."),
        Felt::Me { strong: false } => {
            format!("You rated {phrase} as more important than it feels right now.")
        }
        Felt::Partner { strong: true } => format!("Your partner rated {phrase} important and low."),
        Felt::Partner { strong: false } => {
            format!("Your partner rated {phrase} as more important than it feels right now.")
        }
    }
}

/// Days since the exercise was last completed, if it was.
fn days_since_done(input: &RecommendationInput, id: &str) -> Option<i64> {
    input
        .recent
        .iter()
        .filter(|c| c.exercise_id == id)
        .map(|c| (input.today - c.on).whole_days())
        .min()
}

fn score_exercise(input: &RecommendationInput, catalog: &Catalog, e: &Exercise) -> Recommendation {
    let need = strongest_need(input, e);
    let barriers: Vec<Barrier> = input
        .barriers
        .iter()
        .copied()
        .filter(|b| e.addresses(*b))
        .collect();
    let skips = input.skipped.iter().filter(|s| **s == e.id).count();
    let since = days_since_done(input, &e.id);
    // Lean away from piling up one dimension: recent work in the same main
    // dimension lowers this one a little.
    let main = e.dimensions.first().copied();
    let same_main_lately = input
        .recent
        .iter()
        .filter(|c| (input.today - c.on).whole_days() <= 14)
        .filter_map(|c| catalog.get(&c.exercise_id))
        .filter(|x| x.id != e.id && x.dimensions.first().copied() == main)
        .count();

    let mut score = 1.0;
    score += need.as_ref().map_or(0.0, |n| n.weight);
    score += 1.5 * barriers.len().min(2) as f64;
    score -= match since {
        Some(d) if d <= 7 => 4.0,
        Some(d) if d <= 30 => 2.0,
        _ => 0.0,
    };
    score -= 1.5 * skips.min(3) as f64;
    score -= 0.3 * same_main_lately.min(5) as f64;

    let reason = match (&need, barriers.first(), since, skips) {
        (_, _, Some(d), _) if d <= 7 => {
            "You did this in the past week; it is here for when you want it again.".to_owned()
        }
        (_, _, _, s) if s > 0 => {
            "You skipped this before; it stays here in case the time is right later.".to_owned()
        }
        (Some(n), Some(b), _, _) if n.weight < 1.5 => {
            format!("It works on {}, which you flagged.", b.phrase())
        }
        (Some(n), _, _, _) => need_reason(n),
        (None, Some(b), _, _) => format!("It works on {}, which you flagged.", b.phrase()),
        (None, None, _, _) => match main {
            Some(d) => format!("A good next step for {}.", d.phrase()),
            None => "A good next step for the two of you.".to_owned(),
        },
    };
    Recommendation {
        target: RecommendationTarget::Exercise {
            exercise_id: e.id.clone(),
        },
        score,
        reason,
    }
}

/// Ranks the catalog for a couple, best first. Every eligible exercise is
/// returned; shells show the first few.
///
/// ```
/// use hearth_core::content::consent::SexualContentConsent;
/// use hearth_core::content::embedded;
/// use hearth_core::content::recommend::{RecommendationInput, RecommendationTarget, recommend};
/// use hearth_core::content::taxonomy::Barrier;
/// use time::{Date, Month};
///
/// let input = RecommendationInput {
///     today: Date::from_calendar_date(2025, Month::June, 1).unwrap(),
///     mine: None,
///     partner: None,
///     barriers: vec![Barrier::UnfairLoad],
///     recent: vec![],
///     skipped: vec![],
///     consent: SexualContentConsent::default(),
///     safety_concern: false,
/// };
/// let recs = recommend(&input, embedded::catalog().unwrap());
/// assert!(matches!(recs[0].target, RecommendationTarget::Exercise { .. }));
/// assert_eq!(recs[0].reason, "It works on sharing the load fairly, which you flagged.");
/// ```
pub fn recommend(input: &RecommendationInput, catalog: &Catalog) -> Vec<Recommendation> {
    let eligible = catalog
        .exercises()
        .iter()
        .filter(|e| e.visible_with(input.consent))
        .filter(|e| !input.safety_concern || e.personal);
    let mut out: Vec<Recommendation> = eligible
        .map(|e| score_exercise(input, catalog, e))
        .collect();
    if input.safety_concern {
        for r in &mut out {
            // Do not echo relationship gaps back to someone who may not be
            // safe in the relationship.
            r.reason = "Something for you alone, at your own pace.".to_owned();
        }
    }
    // A stable sort keeps catalog order among equal scores.
    out.sort_by(|a, b| b.score.total_cmp(&a.score));
    if input.safety_concern {
        out.insert(
            0,
            Recommendation {
                target: RecommendationTarget::HelpResources,
                score: HELP_FIRST_SCORE,
                reason:
                    "Your safety comes first. Here is where to find help, whenever you are ready."
                        .to_owned(),
            },
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use time::{Duration, Month};

    use super::*;
    use crate::content::assessment::score::tests::full_ratings;
    use crate::content::embedded;

    fn today() -> Date {
        Date::from_calendar_date(2025, Month::October, 1).unwrap()
    }

    fn base() -> RecommendationInput {
        RecommendationInput {
            today: today(),
            mine: None,
            partner: None,
            barriers: vec![],
            recent: vec![],
            skipped: vec![],
            consent: SexualContentConsent::default(),
            safety_concern: false,
        }
    }

    fn rated(overrides: &[(Dimension, u32, u32)]) -> IntimacyResult {
        embedded::assessments()
            .unwrap()
            .intimacy
            .score(&full_ratings(overrides))
            .unwrap()
    }

    fn exercise_of(r: &Recommendation) -> &Exercise {
        let RecommendationTarget::Exercise { exercise_id } = &r.target else {
            panic!("expected an exercise");
        };
        embedded::catalog().unwrap().get(exercise_id).unwrap()
    }

    #[test]
    fn a_shared_gap_leads_with_a_reason_from_the_ratings() {
        let catalog = embedded::catalog().unwrap();
        let input = RecommendationInput {
            mine: Some(rated(&[(Dimension::Dream, 5, 1)])),
            partner: Some(rated(&[(Dimension::Dream, 4, 2)])),
            ..base()
        };
        let recs = recommend(&input, catalog);
        assert_eq!(recs.len(), catalog.visible(input.consent).count());
        let top = &recs[0];
        assert!(exercise_of(top).serves(Dimension::Dream));
        assert_eq!(
            top.reason,
            "You both rated shared dreams important and low."
        );
        assert!(recs.windows(2).all(|w| w[0].score >= w[1].score));
    }

    #[test]
    fn one_sided_gaps_say_whose_they_are() {
        let catalog = embedded::catalog().unwrap();
        let mine = RecommendationInput {
            mine: Some(rated(&[(Dimension::Spiritual, 4, 3)])),
            ..base()
        };
        let top = &recommend(&mine, catalog)[0];
        assert!(exercise_of(top).serves(Dimension::Spiritual));
        assert_eq!(
            top.reason,
            "You rated shared values and meaning as more important than it feels right now."
        );
        let theirs = RecommendationInput {
            partner: Some(rated(&[(Dimension::Physical, 5, 1)])),
            ..base()
        };
        let top = &recommend(&theirs, catalog)[0];
        assert!(exercise_of(top).serves(Dimension::Physical));
        assert_eq!(
            top.reason,
            "Your partner rated affection and touch important and low."
        );
    }

    #[test]
    fn flagged_barriers_rise_with_their_reason() {
        let catalog = embedded::catalog().unwrap();
        let input = RecommendationInput {
            barriers: vec![Barrier::UnfairLoad],
            ..base()
        };
        let recs = recommend(&input, catalog);
        let top = &recs[0];
        assert!(exercise_of(top).addresses(Barrier::UnfairLoad));
        assert_eq!(
            top.reason,
            "It works on sharing the load fairly, which you flagged."
        );
    }

    #[test]
    fn recent_and_skipped_exercises_sink() {
        let catalog = embedded::catalog().unwrap();
        let input = RecommendationInput {
            barriers: vec![Barrier::UnfairLoad],
            ..base()
        };
        let before = recommend(&input, catalog);
        let first = exercise_of(&before[0]).id.clone();
        let second = exercise_of(&before[1]).id.clone();
        let input = RecommendationInput {
            recent: vec![Completion {
                exercise_id: first.clone(),
                on: today() - Duration::days(2),
            }],
            skipped: vec![second.clone()],
            ..input
        };
        let after = recommend(&input, catalog);
        let pos = |id: &str| after.iter().position(|r| exercise_of(r).id == id).unwrap();
        // Both now rank below every other exercise for the flagged barrier.
        for r in &after {
            let e = exercise_of(r);
            if e.addresses(Barrier::UnfairLoad) && e.id != first && e.id != second {
                assert!(
                    pos(&e.id) < pos(&first) && pos(&e.id) < pos(&second),
                    "{}",
                    e.id
                );
            }
        }
        assert!(after[pos(&first)].reason.contains("past week"));
        assert!(after[pos(&second)].reason.contains("skipped"));
    }

    #[test]
    fn sensitive_exercises_need_both_opt_ins() {
        let catalog = embedded::catalog().unwrap();
        let wants = RecommendationInput {
            mine: Some(rated(&[])),
            partner: Some(rated(&[])),
            ..base()
        };
        for consent in [
            SexualContentConsent {
                mine: true,
                partner: false,
            },
            SexualContentConsent {
                mine: false,
                partner: true,
            },
        ] {
            let recs = recommend(
                &RecommendationInput {
                    consent,
                    ..wants.clone()
                },
                catalog,
            );
            assert!(recs.iter().all(|r| !exercise_of(r).sensitive));
        }
        let both = SexualContentConsent {
            mine: true,
            partner: true,
        };
        let recs = recommend(
            &RecommendationInput {
                consent: both,
                ..wants
            },
            catalog,
        );
        assert!(recs.iter().any(|r| exercise_of(r).sensitive));
    }

    #[test]
    fn a_safety_concern_points_to_help_and_stops_closeness_work() {
        let catalog = embedded::catalog().unwrap();
        let input = RecommendationInput {
            mine: Some(rated(&[(Dimension::Emotional, 5, 1)])),
            partner: Some(rated(&[(Dimension::Emotional, 5, 1)])),
            barriers: vec![Barrier::PoorCommunication],
            consent: SexualContentConsent {
                mine: true,
                partner: true,
            },
            safety_concern: true,
            ..base()
        };
        let recs = recommend(&input, catalog);
        assert_eq!(recs[0].target, RecommendationTarget::HelpResources);
        assert!(recs.len() > 1, "personal exercises remain");
        for r in &recs[1..] {
            let e = exercise_of(r);
            assert!(e.personal && !e.sensitive, "{} pushes closeness", e.id);
            assert!(!r.reason.contains("partner"), "{}", r.reason);
        }
    }
}
