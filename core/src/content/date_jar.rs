//! The date jar: starter ideas (core/content/date_ideas.toml) and the draw.
//! The jar itself, with the couple's own ideas and what is done, is the
//! lead's shared document.

use serde::{Deserialize, Serialize};

use super::check::{self, Problems};
use super::error::ContentError;
use super::seed::RandomSource;
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

/// Draws one idea at random from those still open in the jar, each equally
/// likely. `is_open` says which ideas are still in the jar (not done, not
/// removed); `random` is injected so tests are repeatable and the app can
/// use a real source. `None` when nothing is open.
///
/// ```
/// use hearth_core::content::date_jar::draw;
/// use hearth_core::content::seed::SplitMix64;
///
/// let jar = [("picnic", false), ("museum", true), ("stargazing", false)];
/// let (idea, done) = draw(&jar, |(_, done)| !done, &mut SplitMix64::new(7)).unwrap();
/// assert!(!done, "done ideas stay out of the draw: {idea}");
/// ```
pub fn draw<'a, T>(
    jar: &'a [T],
    is_open: impl Fn(&T) -> bool,
    random: &mut impl RandomSource,
) -> Option<&'a T> {
    let open: Vec<&T> = jar.iter().filter(|i| is_open(i)).collect();
    let n = u64::try_from(open.len()).ok()?;
    if n == 0 {
        return None;
    }
    let pick = usize::try_from(random.below(n)).ok()?;
    open.get(pick).copied()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::seed::SplitMix64;

    struct Slip {
        name: &'static str,
        done: bool,
    }

    fn jar() -> Vec<Slip> {
        vec![
            Slip {
                name: "picnic",
                done: false,
            },
            Slip {
                name: "museum",
                done: true,
            },
            Slip {
                name: "stargazing",
                done: false,
            },
            Slip {
                name: "cook",
                done: false,
            },
        ]
    }

    #[test]
    fn draws_only_open_ideas_and_reaches_all_of_them() {
        let jar = jar();
        let mut rng = SplitMix64::new(42);
        let mut seen = std::collections::HashSet::new();
        for _ in 0..200 {
            let slip = draw(&jar, |s| !s.done, &mut rng).unwrap();
            assert!(!slip.done);
            seen.insert(slip.name);
        }
        assert_eq!(seen.len(), 3);
    }

    #[test]
    fn the_same_source_draws_the_same_idea() {
        let jar = jar();
        let a = draw(&jar, |s| !s.done, &mut SplitMix64::new(9))
            .unwrap()
            .name;
        let b = draw(&jar, |s| !s.done, &mut SplitMix64::new(9))
            .unwrap()
            .name;
        assert_eq!(a, b);
    }

    #[test]
    fn an_empty_jar_draws_nothing() {
        let jar = jar();
        assert!(draw(&jar, |_| false, &mut SplitMix64::new(1)).is_none());
        assert!(draw::<Slip>(&[], |_| true, &mut SplitMix64::new(1)).is_none());
    }

    #[test]
    fn draws_are_fair() {
        // Four open slips, 4000 draws: each should land near 1000.
        let slips: Vec<u32> = (0..4).collect();
        let mut counts = [0_u32; 4];
        let mut rng = SplitMix64::new(2024);
        for _ in 0..4000 {
            counts[*draw(&slips, |_| true, &mut rng).unwrap() as usize] += 1;
        }
        assert!(counts.iter().all(|c| (850..1150).contains(c)), "{counts:?}");
    }
}
