//! The safety check's words and help resources (core/content/safety.toml);
//! scoring the answers is in [`crate::guidance::safety`].
//!
//! Intimacy work is not the answer to abuse. Everything here is
//! device-local: the answers and the outcome are never written to a shared
//! document, never synced and never visible to the partner. When the check
//! raises a concern, recommendations stop suggesting closeness exercises
//! and point to help instead (see the recommend module).

use serde::{Deserialize, Serialize};

use super::check::{self, Problems};
use super::error::ContentError;

/// One yes-or-no question of the safety check.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[serde(deny_unknown_fields)]
pub struct SafetyItem {
    /// Stable id.
    pub id: String,
    /// The question.
    pub text: String,
    /// A yes means the person may be in danger now: show emergency help first.
    #[serde(default)]
    pub urgent: bool,
}

/// A place to get help. Generic on purpose: no phone numbers that could be
/// wrong for where the person lives.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[serde(deny_unknown_fields)]
pub struct HelpResource {
    /// Stable id.
    pub id: String,
    /// Title.
    pub title: String,
    /// What it is and how to reach it.
    pub text: String,
    /// For immediate danger.
    #[serde(default)]
    pub urgent: bool,
}

/// The safety check.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[serde(deny_unknown_fields)]
pub struct SafetyCheck {
    /// Title.
    pub title: String,
    /// What the check is for.
    pub intro: String,
    /// That answers stay on this phone only.
    pub privacy_note: String,
    /// Shown when no concern was raised.
    pub no_concern: String,
    /// Shown when a concern was raised.
    pub concern: String,
    /// Shown first when the person may be in danger now, followed by
    /// `concern`.
    pub urgent: String,
    /// Asked after the check is cleared: whether to turn closeness
    /// suggestions back on (they stay off until the person says yes).
    pub resume_prompt: String,
    /// The questions.
    pub items: Vec<SafetyItem>,
    /// Where to get help.
    pub resources: Vec<HelpResource>,
}

impl SafetyCheck {
    /// Parses and checks safety.toml.
    pub fn parse(file: &'static str, text: &str) -> Result<Self, ContentError> {
        let s: SafetyCheck = check::parse(file, text)?;
        let mut p = Problems::new(file);
        for (field, value) in [
            ("title", &s.title),
            ("intro", &s.intro),
            ("privacy_note", &s.privacy_note),
            ("no_concern", &s.no_concern),
            ("concern", &s.concern),
            ("urgent", &s.urgent),
            ("resume_prompt", &s.resume_prompt),
        ] {
            p.text("safety", field, value);
        }
        p.unique(
            "safety",
            s.items
                .iter()
                .map(|i| i.id.as_str())
                .chain(s.resources.iter().map(|r| r.id.as_str())),
        );
        if !s.items.iter().any(|i| i.urgent) {
            p.push("safety: at least one item must ask about danger now");
        }
        if !s.resources.iter().any(|r| r.urgent) {
            p.push("safety: at least one resource must be for danger now");
        }
        for i in &s.items {
            p.id("safety item", &i.id);
            p.text(&i.id, "text", &i.text);
        }
        for r in &s.resources {
            p.id("help resource", &r.id);
            p.text(&r.id, "title", &r.title);
            p.text(&r.id, "text", &r.text);
            // Numbers differ by country and change; a wrong one in a crisis
            // is worse than none.
            if r.text.chars().filter(char::is_ascii_digit).count() >= 3 {
                p.push(format!("{}: resources must not carry phone numbers", r.id));
            }
        }
        p.finish()?;
        Ok(s)
    }
}
