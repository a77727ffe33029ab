//! The monthly check-in's guided structure (core/content/checkin.toml).
//! When the next one is due, and the check-ins held, are in
//! [`crate::guidance::checkin`].

use serde::{Deserialize, Serialize};

use super::check::{self, Problems};
use super::error::ContentError;

/// The five parts of a check-in, in the order they are talked through.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(rename_all = "snake_case")]
pub enum CheckInTopic {
    /// How each of you has been feeling.
    Feelings,
    /// What is weighing on you.
    Worries,
    /// Thoughts about the two of you.
    Us,
    /// What you appreciated this month.
    Appreciation,
    /// One wish for the month ahead.
    Wish,
}

impl CheckInTopic {
    /// All five, in order.
    pub const ALL: [CheckInTopic; 5] = [
        CheckInTopic::Feelings,
        CheckInTopic::Worries,
        CheckInTopic::Us,
        CheckInTopic::Appreciation,
        CheckInTopic::Wish,
    ];
}

/// One part of the check-in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[serde(deny_unknown_fields)]
pub struct CheckInSection {
    /// Which part.
    pub topic: CheckInTopic,
    /// Title.
    pub title: String,
    /// What the person speaking is invited to say.
    pub prompt: String,
    /// A reminder for the person listening.
    pub listener_hint: String,
}

/// The guided structure of a check-in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[serde(deny_unknown_fields)]
pub struct CheckInGuide {
    /// Title.
    pub title: String,
    /// What the check-in is and how it goes.
    pub intro: String,
    /// About how long it takes.
    pub minutes: u32,
    /// The listening rules, shown before you start.
    pub listening_rules: Vec<String>,
    /// The five parts, in order.
    pub sections: Vec<CheckInSection>,
    /// Shown at the end.
    pub closing: String,
}

impl CheckInGuide {
    /// Parses and checks checkin.toml.
    pub fn parse(file: &'static str, text: &str) -> Result<Self, ContentError> {
        let g: CheckInGuide = check::parse(file, text)?;
        let mut p = Problems::new(file);
        p.text("check-in", "title", &g.title);
        p.text("check-in", "intro", &g.intro);
        p.text("check-in", "closing", &g.closing);
        p.texts("check-in", "listening_rules", &g.listening_rules);
        if g.minutes == 0 {
            p.push("check-in: minutes must be above zero");
        }
        let topics: Vec<CheckInTopic> = g.sections.iter().map(|s| s.topic).collect();
        if topics != CheckInTopic::ALL {
            p.push(format!(
                "check-in: sections must be {:?} in that order, found {topics:?}",
                CheckInTopic::ALL
            ));
        }
        for s in &g.sections {
            let owner = format!("check-in {:?}", s.topic);
            p.text(&owner, "title", &s.title);
            p.text(&owner, "prompt", &s.prompt);
            p.text(&owner, "listener_hint", &s.listener_hint);
        }
        p.finish()?;
        Ok(g)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::embedded;

    #[test]
    fn the_guide_has_the_five_parts() {
        let g = embedded::checkin().unwrap();
        let topics: Vec<_> = g.sections.iter().map(|s| s.topic).collect();
        assert_eq!(topics, CheckInTopic::ALL);
        assert!(g.listening_rules.len() >= 3);
    }
}
