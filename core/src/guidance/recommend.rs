//! Recommendations: which exercises to suggest next, ranked from what the
//! couple told the app, each with a one-line reason in their own terms.
//!
//! The rules, in order of precedence:
//! - Sexual exercises appear only while both partners opted in.
//! - When this person's safety check raised a concern, the first item
//!   points to help and only personal exercises follow: the app never
//!   nudges anyone to work on closeness with a partner they may fear.
//! - When what the couple told the app suggests a trained person would
//!   help, one pointer to a professional comes next (see
//!   [`super::professional`]); it never hides anything else.
//! - Otherwise exercises rise with the gaps in the intimacy assessment
//!   (more when both partners feel the gap) and with the barriers flagged,
//!   and sink when done recently or skipped before. Reasons say who
//!   flagged what: "you", "you both" or the partner's name.

use serde::{Deserialize, Serialize};
use time::Date;

use super::consent::SexualContentConsent;
use super::professional::{self, FlaggedBy, HelpSignals, LOW_AVERAGE_SATISFACTION};
use crate::content::exercise::{Catalog, Exercise};
use crate::content::taxonomy::{Barrier, Dimension};
use crate::guidance::assessment::IntimacyResult;

/// The score given to the pointer to help resources, above any exercise.
pub const HELP_FIRST_SCORE: f64 = 1_000.0;
/// The score of the suggestion to talk to a professional: after the help
/// resources, above any exercise.
pub const PROFESSIONAL_HELP_SCORE: f64 = 100.0;

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
    /// Barriers flagged (from the barrier signs, or picked by hand), each
    /// with who flagged it.
    pub barriers: Vec<(Barrier, FlaggedBy)>,
    /// The partner's name, for reasons ("Sam rated..."); `None` reads as
    /// "your partner".
    pub partner_name: Option<String>,
    /// The lowest month rating (1-5) of each check-in that has one, newest
    /// first.
    pub check_in_months: Vec<u32>,
    /// Whose "Would a professional help?" answers suggest it, if anyone's.
    pub help_signals: Option<FlaggedBy>,
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
    /// Consider talking to a professional; the reason says why.
    ProfessionalHelp {
        /// What kind of help fits, in plain words.
        kind_of_help: String,
    },
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

fn need_reason(n: &Need, partner: &str) -> String {
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
        Felt::Partner { strong: true } => format!("{partner} rated {phrase} important and low."),
        Felt::Partner { strong: false } => {
            format!("{partner} rated {phrase} as more important than it feels right now.")
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
    let barriers: Vec<(Barrier, FlaggedBy)> = input
        .barriers
        .iter()
        .copied()
        .filter(|(b, _)| e.addresses(*b))
        .collect();
    let partner = partner_subject(input);
    let flagged = |(b, by): &(Barrier, FlaggedBy)| {
        format!(
            "It works on {}, which {} flagged.",
            b.phrase(),
            by.object(&partner)
        )
    };
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
        (Some(n), Some(b), _, _) if n.weight < 1.5 => flagged(b),
        (Some(n), _, _, _) => need_reason(n, &partner),
        (None, Some(b), _, _) => flagged(b),
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

/// The partner as a sentence names them: their name, or "Your partner".
fn partner_subject(input: &RecommendationInput) -> String {
    input
        .partner_name
        .as_deref()
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .map_or_else(|| "Your partner".to_owned(), str::to_owned)
}

/// Whether a result rates most kinds of closeness low.
fn rated_low(result: Option<&IntimacyResult>) -> bool {
    let Some(r) = result else { return false };
    // Two or three ratings are too few to speak of "most kinds".
    if r.dimensions.len() < 4 {
        return false;
    }
    let sum: u32 = r.dimensions.iter().map(|d| d.satisfaction).sum();
    f64::from(sum) / r.dimensions.len() as f64 <= LOW_AVERAGE_SATISFACTION
}

/// The suggestion to talk to a professional, if what the couple told the
/// app calls for one.
fn professional_help(input: &RecommendationInput) -> Option<Recommendation> {
    let low = match (
        rated_low(input.mine.as_ref()),
        rated_low(input.partner.as_ref()),
    ) {
        (true, true) => Some(FlaggedBy::Both),
        (true, false) => Some(FlaggedBy::Me),
        (false, true) => Some(FlaggedBy::Partner),
        (false, false) => None,
    };
    let signals = HelpSignals {
        safety_concern: input.safety_concern,
        barriers: input.barriers.clone(),
        check_in_months: input.check_in_months.clone(),
        low_satisfaction: low,
        help_signals: input.help_signals,
    };
    let s = professional::suggest(&signals, &partner_subject(input))?;
    Some(Recommendation {
        target: RecommendationTarget::ProfessionalHelp {
            kind_of_help: s.kind_of_help,
        },
        score: PROFESSIONAL_HELP_SCORE,
        reason: s.reason,
    })
}

/// Ranks the catalog for a couple, best first. Every eligible exercise is
/// returned; shells show the first few.
///
/// ```
/// use hearth_core::guidance::consent::SexualContentConsent;
/// use hearth_core::content::embedded;
/// use hearth_core::guidance::professional::FlaggedBy;
/// use hearth_core::guidance::recommend::{RecommendationInput, RecommendationTarget, recommend};
/// use hearth_core::content::taxonomy::Barrier;
/// use time::{Date, Month};
///
/// let input = RecommendationInput {
///     today: Date::from_calendar_date(2025, Month::June, 1).unwrap(),
///     mine: None,
///     partner: None,
///     barriers: vec![(Barrier::UnfairLoad, FlaggedBy::Me)],
///     partner_name: Some("Sam".into()),
///     check_in_months: vec![],
///     help_signals: None,
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
    if let Some(help) = professional_help(input) {
        out.insert(0, help);
    }
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
    use crate::content::embedded;
    use crate::guidance::assessment::score::tests::full_ratings;

    fn today() -> Date {
        Date::from_calendar_date(2025, Month::October, 1).unwrap()
    }

    fn base() -> RecommendationInput {
        RecommendationInput {
            today: today(),
            mine: None,
            partner: None,
            barriers: vec![],
            partner_name: Some("Sam".into()),
            check_in_months: vec![],
            help_signals: None,
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
            panic!("expected an exercise, found {r:?}");
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
            "Sam rated affection and touch important and low."
        );
    }

    #[test]
    fn flagged_barriers_rise_with_their_reason() {
        let catalog = embedded::catalog().unwrap();
        let input = RecommendationInput {
            barriers: vec![(Barrier::UnfairLoad, FlaggedBy::Me)],
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
    fn barrier_reasons_say_who_flagged_it() {
        let catalog = embedded::catalog().unwrap();
        for (by, who) in [
            (FlaggedBy::Me, "you"),
            (FlaggedBy::Partner, "Sam"),
            (FlaggedBy::Both, "you both"),
        ] {
            let input = RecommendationInput {
                barriers: vec![(Barrier::UnfairLoad, by)],
                ..base()
            };
            let top = &recommend(&input, catalog)[0];
            assert_eq!(
                top.reason,
                format!("It works on sharing the load fairly, which {who} flagged.")
            );
        }
        let nameless = RecommendationInput {
            partner: Some(rated(&[(Dimension::Physical, 5, 1)])),
            partner_name: None,
            ..base()
        };
        assert!(
            recommend(&nameless, catalog)[0]
                .reason
                .starts_with("Your partner rated")
        );
    }

    fn professional(recs: &[Recommendation]) -> Option<(usize, &Recommendation)> {
        recs.iter()
            .enumerate()
            .find(|(_, r)| matches!(r.target, RecommendationTarget::ProfessionalHelp { .. }))
    }

    #[test]
    fn every_trigger_brings_up_a_professional_without_hiding_exercises() {
        let catalog = embedded::catalog().unwrap();
        let all_low: Vec<(Dimension, u32, u32)> = Dimension::ALL
            .into_iter()
            .filter(|d| *d != Dimension::Sexual)
            .map(|d| (d, 4, 1))
            .collect();
        let cases = [
            (
                RecommendationInput {
                    barriers: vec![(Barrier::PastHurt, FlaggedBy::Partner)],
                    ..base()
                },
                "Sam said that old hurt",
            ),
            (
                RecommendationInput {
                    barriers: vec![(Barrier::BrokenTrust, FlaggedBy::Both)],
                    ..base()
                },
                "You both said that trust",
            ),
            (
                RecommendationInput {
                    barriers: vec![(Barrier::MentalHealth, FlaggedBy::Me)],
                    ..base()
                },
                "You said that anxiety",
            ),
            (
                RecommendationInput {
                    check_in_months: vec![2, 1, 4],
                    ..base()
                },
                "Your last two check-ins",
            ),
            (
                RecommendationInput {
                    mine: Some(rated(&all_low)),
                    ..base()
                },
                "You rated most kinds of closeness low",
            ),
            (
                RecommendationInput {
                    help_signals: Some(FlaggedBy::Me),
                    ..base()
                },
                "You answered",
            ),
        ];
        for (input, start) in cases {
            let recs = recommend(&input, catalog);
            let (at, help) = professional(&recs).expect(start);
            assert_eq!(at, 0, "{start}");
            assert!(help.reason.starts_with(start), "{}", help.reason);
            let RecommendationTarget::ProfessionalHelp { kind_of_help } = &help.target else {
                unreachable!()
            };
            assert!(!kind_of_help.is_empty());
            // Never blocking: every exercise is still offered.
            assert_eq!(recs.len(), catalog.visible(input.consent).count() + 1);
        }
        // Nothing of the kind: no suggestion.
        let calm = RecommendationInput {
            barriers: vec![(Barrier::Neglect, FlaggedBy::Both)],
            check_in_months: vec![1, 5],
            mine: Some(rated(&[(Dimension::Dream, 5, 1)])),
            ..base()
        };
        assert!(professional(&recommend(&calm, catalog)).is_none());
    }

    #[test]
    fn recent_and_skipped_exercises_sink() {
        let catalog = embedded::catalog().unwrap();
        let input = RecommendationInput {
            barriers: vec![(Barrier::UnfairLoad, FlaggedBy::Me)],
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
            barriers: vec![(Barrier::PoorCommunication, FlaggedBy::Both)],
            consent: SexualContentConsent {
                mine: true,
                partner: true,
            },
            safety_concern: true,
            ..base()
        };
        let recs = recommend(&input, catalog);
        assert_eq!(recs[0].target, RecommendationTarget::HelpResources);
        assert!(matches!(
            recs[1].target,
            RecommendationTarget::ProfessionalHelp { .. }
        ));
        assert!(recs.len() > 2, "personal exercises remain");
        for r in &recs[2..] {
            let e = exercise_of(r);
            assert!(e.personal && !e.sensitive, "{} pushes closeness", e.id);
            assert!(!r.reason.contains("partner"), "{}", r.reason);
        }
    }
}
