//! The path to a professional: when what a couple told the app suggests a
//! trained person would help, the recommendations carry one calm pointer
//! to that help, with the reason in plain words and the kind of help that
//! fits. It never blocks anything: the exercises stay where they are.
//!
//! What brings it up, strongest first: this person's safety concern; old
//! hurt, hurt trust or mental health flagged in the barrier signs; check-ins
//! about hard months, two in a row; most kinds of closeness rated low; and
//! a yes in "Would a professional help?".

use serde::{Deserialize, Serialize};

use crate::content::taxonomy::Barrier;

/// Satisfaction at or below this, on average over the rated dimensions,
/// reads as "most kinds of closeness rated low" (on the 1-5 scale).
pub const LOW_AVERAGE_SATISFACTION: f64 = 2.0;
/// A month rated at or below this at a check-in (on 1-5) was a hard one.
pub const HARD_MONTH: u32 = 2;
/// This many hard months in a row, at the latest check-ins, bring up help.
pub const HARD_MONTHS_IN_A_ROW: u32 = 2;

/// Who told the app something.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(rename_all = "snake_case")]
pub enum FlaggedBy {
    /// This person.
    Me,
    /// The other partner (in a result they shared).
    Partner,
    /// Both of them.
    Both,
}

impl FlaggedBy {
    /// Adds another partner's flag to this one.
    pub fn and(self, other: FlaggedBy) -> FlaggedBy {
        if self == other { self } else { FlaggedBy::Both }
    }

    /// Who, as the subject of a sentence: "You", "Sam", "You both".
    pub fn subject(self, partner_name: &str) -> String {
        match self {
            FlaggedBy::Me => "You".to_owned(),
            FlaggedBy::Partner => partner_name.to_owned(),
            FlaggedBy::Both => "You both".to_owned(),
        }
    }

    /// Who, as the object of a sentence: "you", "Sam", "you both".
    pub fn object(self, partner_name: &str) -> String {
        match self {
            FlaggedBy::Me => "you".to_owned(),
            FlaggedBy::Partner => partner_name.to_owned(),
            FlaggedBy::Both => "you both".to_owned(),
        }
    }
}

/// What brought up the suggestion.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HelpTrigger {
    /// This person's safety check raised a concern.
    SafetyConcern,
    /// Old hurt or trauma, flagged in the barrier signs.
    PastHurt(FlaggedBy),
    /// Hurt trust, flagged in the barrier signs.
    BrokenTrust(FlaggedBy),
    /// Anxiety, low mood or trauma, flagged in the barrier signs.
    MentalHealth(FlaggedBy),
    /// The latest check-ins were about hard months, this many in a row.
    HardMonths(u32),
    /// Most kinds of closeness rated low in the intimacy assessment.
    LowSatisfaction(FlaggedBy),
    /// A yes in "Would a professional help?".
    Signals(FlaggedBy),
}

/// What the couple told the app that bears on professional help.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct HelpSignals {
    /// This person's safety check raised a concern (or the pause it set is
    /// still on).
    pub safety_concern: bool,
    /// Barriers flagged, and by whom.
    pub barriers: Vec<(Barrier, FlaggedBy)>,
    /// The lowest month rating of each check-in that has one, newest first.
    pub check_in_months: Vec<u32>,
    /// Who rated most kinds of closeness low, if anyone.
    pub low_satisfaction: Option<FlaggedBy>,
    /// Whose "Would a professional help?" answers suggest it, if anyone's.
    pub help_signals: Option<FlaggedBy>,
}

/// The suggestion to talk to a professional.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HelpSuggestion {
    /// What brought it up.
    pub trigger: HelpTrigger,
    /// Why, in plain words, saying who flagged what.
    pub reason: String,
    /// What kind of help fits.
    pub kind_of_help: String,
}

/// How many of the latest check-ins in a row were about hard months.
///
/// ```
/// use hearth_core::guidance::professional::hard_months_in_a_row;
///
/// assert_eq!(hard_months_in_a_row(&[1, 2, 4, 1]), 2);
/// assert_eq!(hard_months_in_a_row(&[3, 1]), 0);
/// ```
pub fn hard_months_in_a_row(newest_first: &[u32]) -> u32 {
    let n = newest_first
        .iter()
        .take_while(|r| **r <= HARD_MONTH)
        .count();
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// The strongest reason to suggest a professional, if there is one. After
/// a safety concern only that reason is used, and nothing about the
/// partner is echoed back.
pub fn suggest(signals: &HelpSignals, partner_name: &str) -> Option<HelpSuggestion> {
    let trigger = trigger(signals)?;
    let (reason, kind_of_help) = words(trigger, partner_name);
    Some(HelpSuggestion {
        trigger,
        reason: format!("{reason} {NOT_A_MUST}"),
        kind_of_help: kind_of_help.to_owned(),
    })
}

/// Said with every suggestion: it is an offer, and nothing else closes.
const NOT_A_MUST: &str = "It is an option, not a must; everything else in Hearth stays open.";

fn trigger(s: &HelpSignals) -> Option<HelpTrigger> {
    if s.safety_concern {
        return Some(HelpTrigger::SafetyConcern);
    }
    let flagged = |b: Barrier| {
        s.barriers
            .iter()
            .filter(|(x, _)| *x == b)
            .map(|(_, by)| *by)
            .reduce(FlaggedBy::and)
    };
    if let Some(by) = flagged(Barrier::PastHurt) {
        return Some(HelpTrigger::PastHurt(by));
    }
    if let Some(by) = flagged(Barrier::BrokenTrust) {
        return Some(HelpTrigger::BrokenTrust(by));
    }
    if let Some(by) = flagged(Barrier::MentalHealth) {
        return Some(HelpTrigger::MentalHealth(by));
    }
    let hard = hard_months_in_a_row(&s.check_in_months);
    if hard >= HARD_MONTHS_IN_A_ROW {
        return Some(HelpTrigger::HardMonths(hard));
    }
    if let Some(by) = s.low_satisfaction {
        return Some(HelpTrigger::LowSatisfaction(by));
    }
    s.help_signals.map(HelpTrigger::Signals)
}

fn words(trigger: HelpTrigger, partner: &str) -> (String, &'static str) {
    match trigger {
        HelpTrigger::SafetyConcern => (
            "What you shared in the safety check is a lot to carry alone. Someone trained to help can listen and think it through with you, whenever you are ready.".to_owned(),
            "Help for you on your own, such as a domestic abuse helpline or a counsellor of your own, rather than sessions as a couple.",
        ),
        HelpTrigger::PastHurt(by) => (
            format!(
                "{} said that old hurt still shapes how things feel between you. A therapist can help with hurt like that, at a pace that feels safe.",
                by.subject(partner)
            ),
            "A therapist who works with past hurt and trauma, on your own or together.",
        ),
        HelpTrigger::BrokenTrust(by) => (
            format!(
                "{} said that trust between you has been hurt. Rebuilding it is slow work, and many couples do it with a guide.",
                by.subject(partner)
            ),
            "A couples therapist, who can help you both talk about what happened and rebuild trust step by step.",
        ),
        HelpTrigger::MentalHealth(by) => (
            format!(
                "{} said that anxiety, low mood or trauma make closeness harder right now. That is common, and it deserves support of its own.",
                by.subject(partner)
            ),
            "A doctor or a therapist for whoever is struggling; sessions as a couple can come alongside.",
        ),
        HelpTrigger::HardMonths(n) => (
            format!(
                "Your last {} check-ins were about hard months. When hard times keep coming, someone outside the two of you can help you find a way through.",
                count_word(n)
            ),
            "A couples counsellor or therapist, in person or online.",
        ),
        HelpTrigger::LowSatisfaction(by) => (
            format!(
                "{} rated most kinds of closeness low right now. A couples therapist can help you work out together what you would like back.",
                by.subject(partner)
            ),
            "A couples therapist or counsellor, in person or online.",
        ),
        HelpTrigger::Signals(by) => (
            format!(
                "{} answered \"Would a professional help?\" in a way that says it could.",
                by.subject(partner)
            ),
            "A couples therapist or counsellor, in person or online.",
        ),
    }
}

fn count_word(n: u32) -> String {
    match n {
        2 => "two".to_owned(),
        3 => "three".to_owned(),
        4 => "four".to_owned(),
        5 => "five".to_owned(),
        n => n.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn suggestion(s: &HelpSignals) -> Option<HelpSuggestion> {
        suggest(s, "Sam")
    }

    #[test]
    fn nothing_flagged_suggests_nothing() {
        assert_eq!(suggestion(&HelpSignals::default()), None);
        let fine = HelpSignals {
            barriers: vec![(Barrier::Neglect, FlaggedBy::Both)],
            check_in_months: vec![2, 4, 1],
            ..HelpSignals::default()
        };
        assert_eq!(suggestion(&fine), None);
    }

    #[test]
    fn each_barrier_trigger_says_who_flagged_it() {
        for (barrier, kind) in [
            (Barrier::PastHurt, "trauma"),
            (Barrier::BrokenTrust, "rebuild trust"),
            (Barrier::MentalHealth, "doctor"),
        ] {
            let by_partner = HelpSignals {
                barriers: vec![(barrier, FlaggedBy::Partner)],
                ..HelpSignals::default()
            };
            let s = suggestion(&by_partner).unwrap();
            assert!(s.reason.starts_with("Sam said"), "{}", s.reason);
            assert!(s.kind_of_help.contains(kind), "{}", s.kind_of_help);
            let by_both = HelpSignals {
                barriers: vec![(barrier, FlaggedBy::Me), (barrier, FlaggedBy::Partner)],
                ..HelpSignals::default()
            };
            let s = suggestion(&by_both).unwrap();
            assert!(s.reason.starts_with("You both said"), "{}", s.reason);
        }
    }

    #[test]
    fn hard_months_in_a_row_bring_it_up() {
        let s = suggestion(&HelpSignals {
            check_in_months: vec![1, 2, 5],
            ..HelpSignals::default()
        })
        .unwrap();
        assert_eq!(s.trigger, HelpTrigger::HardMonths(2));
        assert!(s.reason.contains("last two check-ins"), "{}", s.reason);
        // One hard month is just a hard month.
        assert_eq!(
            suggestion(&HelpSignals {
                check_in_months: vec![1, 4],
                ..HelpSignals::default()
            }),
            None
        );
    }

    #[test]
    fn low_ratings_and_help_signals_bring_it_up() {
        let s = suggestion(&HelpSignals {
            low_satisfaction: Some(FlaggedBy::Me),
            ..HelpSignals::default()
        })
        .unwrap();
        assert!(s.reason.starts_with("You rated most kinds"), "{}", s.reason);
        let s = suggestion(&HelpSignals {
            help_signals: Some(FlaggedBy::Partner),
            ..HelpSignals::default()
        })
        .unwrap();
        assert_eq!(s.trigger, HelpTrigger::Signals(FlaggedBy::Partner));
    }

    #[test]
    fn a_safety_concern_points_to_help_for_this_person_alone() {
        let s = suggestion(&HelpSignals {
            safety_concern: true,
            barriers: vec![(Barrier::BrokenTrust, FlaggedBy::Partner)],
            low_satisfaction: Some(FlaggedBy::Both),
            ..HelpSignals::default()
        })
        .unwrap();
        assert_eq!(s.trigger, HelpTrigger::SafetyConcern);
        assert!(!s.reason.contains("Sam") && !s.reason.contains("partner"));
        assert!(s.kind_of_help.contains("rather than sessions as a couple"));
    }

    #[test]
    fn the_words_are_calm_and_never_block() {
        let all = [
            HelpTrigger::SafetyConcern,
            HelpTrigger::PastHurt(FlaggedBy::Me),
            HelpTrigger::BrokenTrust(FlaggedBy::Me),
            HelpTrigger::MentalHealth(FlaggedBy::Me),
            HelpTrigger::HardMonths(3),
            HelpTrigger::LowSatisfaction(FlaggedBy::Me),
            HelpTrigger::Signals(FlaggedBy::Me),
        ];
        for t in all {
            let (reason, kind) = words(t, "Sam");
            for text in [reason.as_str(), kind] {
                for loud in ["urgent", "must ", "immediately", "crisis", "!"] {
                    assert!(!text.contains(loud), "{t:?}: {text}");
                }
            }
        }
        let s = suggestion(&HelpSignals {
            help_signals: Some(FlaggedBy::Me),
            ..HelpSignals::default()
        })
        .unwrap();
        assert!(s.reason.ends_with(NOT_A_MUST));
    }
}
