//! The date jar's starter ideas (core/content/date_ideas.toml). The jar
//! itself, with the couple's own ideas, what is done and the draw, is in
//! [`crate::guidance::date_jar`].

use serde::{Deserialize, Serialize};

use super::check::{self, Problems};
use super::error::ContentError;
use super::taxonomy::Dimension;

/// At least this many starter ideas.
pub const MIN_DATE_IDEAS: usize = 40;

/// Where a date happens.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(rename_all = "snake_case")]
pub enum Setting {
    /// At home.
    Home,
    /// Out and about.
    Out,
}

/// Roughly what a date costs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(rename_all = "snake_case")]
pub enum Cost {
    /// Nothing.
    Free,
    /// A little.
    Low,
    /// Something to plan for.
    Some,
}

/// A starter idea for the jar.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[serde(deny_unknown_fields)]
pub struct DateSuggestion {
    /// Stable id.
    pub id: String,
    /// The idea, in a sentence.
    pub text: String,
    /// Home or out.
    pub setting: Setting,
    /// Roughly what it costs.
    pub cost: Cost,
    /// The closeness it serves.
    pub dimensions: Vec<Dimension>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct DateSuggestionFile {
    idea: Vec<DateSuggestion>,
}

/// Parses and checks date_ideas.toml.
pub fn parse_ideas(file: &'static str, text: &str) -> Result<Vec<DateSuggestion>, ContentError> {
    let parsed: DateSuggestionFile = check::parse(file, text)?;
    let mut p = Problems::new(file);
    p.unique("date idea", parsed.idea.iter().map(|i| i.id.as_str()));
    if parsed.idea.len() < MIN_DATE_IDEAS {
        p.push(format!(
            "{} date ideas; the jar starts with at least {MIN_DATE_IDEAS}",
            parsed.idea.len()
        ));
    }
    for i in &parsed.idea {
        p.id("date idea", &i.id);
        p.text(&i.id, "text", &i.text);
        if i.dimensions.is_empty() {
            p.push(format!("{}: dimensions has no entries", i.id));
        }
        p.no_repeats(&i.id, "dimensions", &i.dimensions);
        if i.dimensions.contains(&Dimension::Sexual) {
            p.push(format!(
                "{}: starter ideas are for everyone, so none is sexual",
                i.id
            ));
        }
    }
    p.finish()?;
    Ok(parsed.idea)
}
