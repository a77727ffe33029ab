//! How typed values are read: days, emotions, reactions, kinds of
//! closeness, barriers and kinds of exercise. A value that does not fit
//! says what would.

use clap::ValueEnum;
use hearth_core::content::exercise::ExerciseKind;
use hearth_core::content::taxonomy::{Barrier, Dimension};
use hearth_core::journal::emotion::Emotion;
use hearth_core::journal::reaction::Reaction;
use time::{Date, Month};

pub fn emotion(text: &str) -> Result<Emotion, String> {
    Emotion::parse(text).map_err(|_| {
        let names: Vec<&str> = Emotion::ALL.iter().map(|e| e.name()).collect();
        format!(
            "not one of Hearth's emotions; pick from {}",
            names.join(", ")
        )
    })
}

pub fn reaction(text: &str) -> Result<Reaction, String> {
    Reaction::parse(text).map_err(|_| {
        let names: Vec<&str> = Reaction::ALL.iter().map(|r| r.name()).collect();
        format!(
            "not one of Hearth's reactions; pick from {}",
            names.join(", ")
        )
    })
}

pub fn barrier(text: &str) -> Result<Barrier, String> {
    let wanted = text.trim().to_ascii_lowercase().replace('-', "_");
    Barrier::ALL
        .into_iter()
        .find(|b| b.key() == wanted)
        .ok_or_else(|| {
            let keys: Vec<String> = Barrier::ALL
                .iter()
                .map(|b| b.key().replace('_', "-"))
                .collect();
            format!(
                "not something Hearth's exercises help with; pick from {}",
                keys.join(", ")
            )
        })
}

/// A kind of exercise, as typed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Kind {
    /// A talk with a shape.
    Conversation,
    /// Something to do.
    Activity,
    /// Thinking or writing, usually alone first.
    Reflection,
    /// Practising a skill, taking turns.
    SkillDrill,
    /// Something small you repeat until it is yours.
    Ritual,
}

impl Kind {
    /// The core's kind.
    pub fn core(self) -> ExerciseKind {
        match self {
            Kind::Conversation => ExerciseKind::Conversation,
            Kind::Activity => ExerciseKind::Activity,
            Kind::Reflection => ExerciseKind::Reflection,
            Kind::SkillDrill => ExerciseKind::SkillDrill,
            Kind::Ritual => ExerciseKind::Ritual,
        }
    }
}

pub fn dimension(text: &str) -> Result<Dimension, String> {
    let wanted = text.trim().to_ascii_lowercase();
    Dimension::ALL
        .into_iter()
        .find(|d| d.key() == wanted)
        .ok_or_else(|| {
            let keys: Vec<&str> = Dimension::ALL.iter().map(|d| d.key()).collect();
            format!(
                "not a kind of closeness Hearth knows; pick from {}",
                keys.join(", ")
            )
        })
}

/// Parses a YYYY-MM-DD day.
pub fn day(text: &str) -> Result<Date, String> {
    let wrong = || format!("\"{text}\" is not a day; write it as YYYY-MM-DD, e.g. 2025-03-01");
    let mut parts = text.trim().splitn(3, '-');
    let mut next = || parts.next().ok_or_else(wrong);
    let year: i32 = next()?.parse().map_err(|_| wrong())?;
    let month: u8 = next()?.parse().map_err(|_| wrong())?;
    let day: u8 = next()?.parse().map_err(|_| wrong())?;
    let month = Month::try_from(month).map_err(|_| wrong())?;
    Date::from_calendar_date(year, month, day).map_err(|_| wrong())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_parse_and_bad_ones_say_the_format() {
        assert_eq!(
            day("2025-03-01"),
            Ok(Date::from_calendar_date(2025, Month::March, 1).unwrap())
        );
        for bad in ["2025-02-30", "2025-3", "yesterday", "2025-13-01", ""] {
            assert!(day(bad).unwrap_err().contains("YYYY-MM-DD"), "{bad}");
        }
    }

    #[test]
    fn unknown_names_list_the_choices() {
        assert_eq!(emotion("Grateful"), Ok(Emotion::Grateful));
        assert!(emotion("meh").unwrap_err().contains("joyful"));
        assert!(reaction("wave").unwrap_err().contains("here_for_you"));
        assert_eq!(dimension("self"), Ok(Dimension::Selfhood));
        assert!(dimension("money").unwrap_err().contains("spiritual"));
    }
}
