//! The words the guidance layer sorts everything by: the dimensions of
//! intimacy, the barriers that get in the way, and the techniques the
//! exercises teach.

use serde::{Deserialize, Serialize};

/// One kind of closeness a couple can share. Intimacy is more than sex; the
/// app tracks each of these on its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(rename_all = "snake_case")]
pub enum Dimension {
    /// Sharing feelings and your inner world.
    Emotional,
    /// Affection and touch.
    Physical,
    /// Sexual closeness: a part of physical intimacy, shown only after both
    /// partners opted in.
    Sexual,
    /// Sharing ideas, thoughts and curiosity.
    Intellectual,
    /// Doing things together: shared activities, novelty, play.
    Experiential,
    /// Shared values and meaning.
    Spiritual,
    /// Staying connected while you disagree, and repairing afterwards.
    Conflict,
    /// Shared goals and backing each other's plans.
    Dream,
    /// Knowing yourself and caring for yourself. Written `self` in the data
    /// files (`Self` is taken in Rust).
    #[serde(rename = "self")]
    Selfhood,
}

impl Dimension {
    /// Every dimension, in the order the app lists them.
    pub const ALL: [Dimension; 9] = [
        Dimension::Emotional,
        Dimension::Physical,
        Dimension::Sexual,
        Dimension::Intellectual,
        Dimension::Experiential,
        Dimension::Spiritual,
        Dimension::Conflict,
        Dimension::Dream,
        Dimension::Selfhood,
    ];

    /// The name used in the data files and the stats output.
    pub fn key(self) -> &'static str {
        match self {
            Dimension::Emotional => "emotional",
            Dimension::Physical => "physical",
            Dimension::Sexual => "sexual",
            Dimension::Intellectual => "intellectual",
            Dimension::Experiential => "experiential",
            Dimension::Spiritual => "spiritual",
            Dimension::Conflict => "conflict",
            Dimension::Dream => "dream",
            Dimension::Selfhood => "self",
        }
    }

    /// A short title for lists and charts.
    pub fn label(self) -> &'static str {
        match self {
            Dimension::Emotional => "Emotional closeness",
            Dimension::Physical => "Affection and touch",
            Dimension::Sexual => "Sexual closeness",
            Dimension::Intellectual => "Sharing ideas",
            Dimension::Experiential => "Shared experiences",
            Dimension::Spiritual => "Values and meaning",
            Dimension::Conflict => "Handling conflict",
            Dimension::Dream => "Shared dreams",
            Dimension::Selfhood => "Knowing yourself",
        }
    }

    /// The dimension as it reads inside a sentence ("you both rated shared
    /// dreams important and low").
    pub fn phrase(self) -> &'static str {
        match self {
            Dimension::Emotional => "emotional closeness",
            Dimension::Physical => "affection and touch",
            Dimension::Sexual => "your sexual connection",
            Dimension::Intellectual => "sharing ideas",
            Dimension::Experiential => "shared experiences",
            Dimension::Spiritual => "shared values and meaning",
            Dimension::Conflict => "handling conflict",
            Dimension::Dream => "shared dreams",
            Dimension::Selfhood => "knowing and caring for yourself",
        }
    }
}

/// Something that commonly gets in the way of closeness.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(rename_all = "snake_case")]
pub enum Barrier {
    /// Work, hobbies or other people take the time the relationship needs.
    Neglect,
    /// Infidelity, lies or weak boundaries, including around children or money.
    BrokenTrust,
    /// Not listening, defensiveness, blame, criticism, contempt, stonewalling,
    /// fights that never get repaired.
    PoorCommunication,
    /// Pressure from outside: money, children, work.
    OutsideStress,
    /// Different wishes for closeness, affection or sex.
    MismatchedNeeds,
    /// Fear of rejection, abandonment, exposure, vulnerability, losing
    /// yourself, or failure.
    Fears,
    /// Beliefs like "if I get close they will leave", unrealistic
    /// expectations, self-sabotage.
    UnhelpfulBeliefs,
    /// Old hurt: trauma, insecure attachment.
    PastHurt,
    /// One partner carries most of the chores, childcare or money work.
    UnfairLoad,
    /// The end of the honeymoon phase, read as the end of intimacy.
    HoneymoonEnd,
    /// Anxiety, depression or trauma making closeness harder.
    MentalHealth,
}

impl Barrier {
    /// Every barrier, in the order the app lists them.
    pub const ALL: [Barrier; 11] = [
        Barrier::Neglect,
        Barrier::BrokenTrust,
        Barrier::PoorCommunication,
        Barrier::OutsideStress,
        Barrier::MismatchedNeeds,
        Barrier::Fears,
        Barrier::UnhelpfulBeliefs,
        Barrier::PastHurt,
        Barrier::UnfairLoad,
        Barrier::HoneymoonEnd,
        Barrier::MentalHealth,
    ];

    /// The name used in the data files and the stats output.
    pub fn key(self) -> &'static str {
        match self {
            Barrier::Neglect => "neglect",
            Barrier::BrokenTrust => "broken_trust",
            Barrier::PoorCommunication => "poor_communication",
            Barrier::OutsideStress => "outside_stress",
            Barrier::MismatchedNeeds => "mismatched_needs",
            Barrier::Fears => "fears",
            Barrier::UnhelpfulBeliefs => "unhelpful_beliefs",
            Barrier::PastHurt => "past_hurt",
            Barrier::UnfairLoad => "unfair_load",
            Barrier::HoneymoonEnd => "honeymoon_end",
            Barrier::MentalHealth => "mental_health",
        }
    }

    /// A short title for lists.
    pub fn label(self) -> &'static str {
        match self {
            Barrier::Neglect => "Too little time for each other",
            Barrier::BrokenTrust => "Trust that was hurt",
            Barrier::PoorCommunication => "Talking past each other",
            Barrier::OutsideStress => "Stress from outside",
            Barrier::MismatchedNeeds => "Different needs",
            Barrier::Fears => "Fears about closeness",
            Barrier::UnhelpfulBeliefs => "Beliefs that get in the way",
            Barrier::PastHurt => "Old hurt",
            Barrier::UnfairLoad => "An uneven load",
            Barrier::HoneymoonEnd => "After the honeymoon",
            Barrier::MentalHealth => "Mental health",
        }
    }

    /// The barrier as it reads inside a sentence ("it works on ..., which
    /// you flagged").
    pub fn phrase(self) -> &'static str {
        match self {
            Barrier::Neglect => "finding time for each other",
            Barrier::BrokenTrust => "rebuilding trust",
            Barrier::PoorCommunication => "talking so you both feel heard",
            Barrier::OutsideStress => "stress from outside",
            Barrier::MismatchedNeeds => "wanting different things",
            Barrier::Fears => "fears about getting close",
            Barrier::UnhelpfulBeliefs => "beliefs that hold you back",
            Barrier::PastHurt => "old hurt",
            Barrier::UnfairLoad => "sharing the load fairly",
            Barrier::HoneymoonEnd => "life after the honeymoon phase",
            Barrier::MentalHealth => "looking after your mental health",
        }
    }
}

/// A technique an exercise teaches. Every one of them is taught by at least
/// one exercise in the catalog.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(rename_all = "snake_case")]
pub enum Technique {
    /// Attend fully, ask clarifying questions, sum up before answering.
    ActiveListening,
    /// "I feel ... when ..." instead of "you always ...".
    IStatements,
    /// Repeat back what you heard until your partner agrees it is right.
    Mirroring,
    /// Each partner shares something meaningful in turn.
    GuidedReflection,
    /// Acknowledge the hurt, take responsibility, make amends.
    Repair,
    /// Stop a fight that is escalating, calm down, come back when both are ready.
    TimeOut,
    /// A middle ground that meets both partners' needs.
    Compromise,
    /// Situation, automatic thought, feeling, evidence, a more balanced thought.
    ThoughtRecord,
    /// Curiosity instead of judgement about a difference.
    Curiosity,
    /// Build connection now instead of re-arguing old problems.
    LookingForward,
    /// One minute of eye contact while holding hands.
    EyeContact,
    /// Affection and touch that lower stress.
    Touch,
    /// A jar of date ideas drawn at random.
    DateJar,
    /// Finding the word for a feeling.
    EmotionsChart,
    /// Saying thank you and naming what you value.
    Appreciation,
    /// Breathing and quiet attention, alone or together.
    Mindfulness,
    /// Small repeated moments: greetings, check-ins, bedtime.
    Rituals,
    /// Learning and speaking each other's love language.
    LoveLanguages,
    /// Habits that calm an anxious or avoidant pattern.
    AttachmentHabits,
    /// An honest inventory of who carries which chores.
    FairShare,
    /// Putting closeness, including sex, on the calendar when life is busy.
    SchedulingIntimacy,
    /// Sharing hopes and dreams.
    SharingDreams,
    /// Doing something neither of you has done.
    NewThings,
    /// Making art together.
    ArtTogether,
}

impl Technique {
    /// Every technique.
    pub const ALL: [Technique; 24] = [
        Technique::ActiveListening,
        Technique::IStatements,
        Technique::Mirroring,
        Technique::GuidedReflection,
        Technique::Repair,
        Technique::TimeOut,
        Technique::Compromise,
        Technique::ThoughtRecord,
        Technique::Curiosity,
        Technique::LookingForward,
        Technique::EyeContact,
        Technique::Touch,
        Technique::DateJar,
        Technique::EmotionsChart,
        Technique::Appreciation,
        Technique::Mindfulness,
        Technique::Rituals,
        Technique::LoveLanguages,
        Technique::AttachmentHabits,
        Technique::FairShare,
        Technique::SchedulingIntimacy,
        Technique::SharingDreams,
        Technique::NewThings,
        Technique::ArtTogether,
    ];
}

/// One of the five love languages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(rename_all = "snake_case")]
pub enum LoveLanguage {
    /// Hugs, a hand held, closeness of bodies.
    PhysicalTouch,
    /// Kind and admiring words.
    WordsOfAffirmation,
    /// Thoughtful gifts, large or tiny.
    Gifts,
    /// Doing things that make life easier for the other.
    ActsOfService,
    /// Undivided time together.
    QualityTime,
}

impl LoveLanguage {
    /// All five, in the order results list them.
    pub const ALL: [LoveLanguage; 5] = [
        LoveLanguage::PhysicalTouch,
        LoveLanguage::WordsOfAffirmation,
        LoveLanguage::Gifts,
        LoveLanguage::ActsOfService,
        LoveLanguage::QualityTime,
    ];

    /// The name used in the data files.
    pub fn key(self) -> &'static str {
        match self {
            LoveLanguage::PhysicalTouch => "physical_touch",
            LoveLanguage::WordsOfAffirmation => "words_of_affirmation",
            LoveLanguage::Gifts => "gifts",
            LoveLanguage::ActsOfService => "acts_of_service",
            LoveLanguage::QualityTime => "quality_time",
        }
    }

    /// A short title.
    pub fn label(self) -> &'static str {
        match self {
            LoveLanguage::PhysicalTouch => "Physical touch",
            LoveLanguage::WordsOfAffirmation => "Words of affirmation",
            LoveLanguage::Gifts => "Gifts",
            LoveLanguage::ActsOfService => "Acts of service",
            LoveLanguage::QualityTime => "Quality time",
        }
    }
}

/// The fixed feeling words the journal offers (the lead's journal module
/// holds the enum; the emotions chart exercise lists the same words).
pub const EMOTION_WORDS: [&str; 26] = [
    "joyful",
    "grateful",
    "loved",
    "calm",
    "hopeful",
    "proud",
    "playful",
    "curious",
    "tender",
    "content",
    "excited",
    "relieved",
    "connected",
    "sad",
    "lonely",
    "anxious",
    "frustrated",
    "hurt",
    "angry",
    "overwhelmed",
    "tired",
    "disappointed",
    "jealous",
    "ashamed",
    "confused",
    "distant",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_match_the_serde_names() {
        for d in Dimension::ALL {
            let json = serde_json::to_string(&d).unwrap();
            assert_eq!(json, format!("\"{}\"", d.key()));
        }
        for b in Barrier::ALL {
            let json = serde_json::to_string(&b).unwrap();
            assert_eq!(json, format!("\"{}\"", b.key()));
        }
        for l in LoveLanguage::ALL {
            let json = serde_json::to_string(&l).unwrap();
            assert_eq!(json, format!("\"{}\"", l.key()));
        }
    }

    #[test]
    fn self_is_spelled_self_in_data() {
        let d: Dimension = serde_json::from_str("\"self\"").unwrap();
        assert_eq!(d, Dimension::Selfhood);
        assert!(serde_json::from_str::<Dimension>("\"selfhood\"").is_err());
    }

    #[test]
    fn all_lists_have_no_duplicates() {
        let mut t = Technique::ALL.to_vec();
        t.sort();
        t.dedup();
        assert_eq!(t.len(), Technique::ALL.len());
        let mut e = EMOTION_WORDS.to_vec();
        e.sort_unstable();
        e.dedup();
        assert_eq!(e.len(), EMOTION_WORDS.len());
    }
}
