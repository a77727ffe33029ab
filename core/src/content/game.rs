//! The know-each-other game's deck (core/content/game.toml) and the order
//! a couple meets its prompts in. The rounds and their reveal rule are in
//! [`crate::guidance::game`].

use serde::{Deserialize, Serialize};

use super::check::{self, Problems};
use super::error::ContentError;
use super::question::Depth;
use super::seed::{SplitMix64, permutation};

/// The deck holds at least this many prompts.
pub const MIN_PROMPTS: usize = 150;

/// One prompt: a question to the partner answering, about themselves.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[serde(deny_unknown_fields)]
pub struct GamePrompt {
    /// Stable id (`g001`, `g002`, ...).
    pub id: String,
    /// Light, medium or deep.
    pub depth: Depth,
    /// The question, ending in "?".
    pub text: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct GameFile {
    prompt: Vec<GamePrompt>,
}

/// Every prompt, in id order.
#[derive(Debug, Clone)]
pub struct GameDeck {
    prompts: Vec<GamePrompt>,
}

impl GameDeck {
    /// Parses and checks game.toml.
    pub fn parse(file: &'static str, text: &str) -> Result<Self, ContentError> {
        let parsed: GameFile = check::parse(file, text)?;
        let mut prompts = parsed.prompt;
        prompts.sort_by(|a, b| a.id.cmp(&b.id));
        let mut p = Problems::new(file);
        if prompts.len() < MIN_PROMPTS {
            p.push(format!(
                "the deck holds {} prompts; it needs at least {MIN_PROMPTS}",
                prompts.len()
            ));
        }
        p.unique("prompt", prompts.iter().map(|q| q.id.as_str()));
        let mut texts: Vec<String> = prompts.iter().map(|q| q.text.to_lowercase()).collect();
        texts.sort();
        for w in texts.windows(2) {
            if w[0] == w[1] {
                p.push(format!("the prompt {:?} appears twice", w[0]));
            }
        }
        for q in &prompts {
            p.text(&q.id, "text", &q.text);
            if !q.text.ends_with('?') {
                p.push(format!("{}: text must end with '?'", q.id));
            }
        }
        p.finish()?;
        Ok(GameDeck { prompts })
    }

    /// Every prompt.
    pub fn prompts(&self) -> &[GamePrompt] {
        &self.prompts
    }

    /// A prompt by id.
    pub fn get(&self, id: &str) -> Option<&GamePrompt> {
        self.prompts.iter().find(|p| p.id == id)
    }

    /// The next prompt for a couple: their own shuffled order of the deck
    /// (seeded by the space id), skipping prompts already played. When
    /// every prompt has been played, the order starts over.
    pub fn next_prompt(&self, couple_seed: &str, played: &[String]) -> Option<&GamePrompt> {
        let order = permutation(self.prompts.len(), &mut SplitMix64::from_text(couple_seed));
        let in_order = || order.iter().filter_map(|i| self.prompts.get(*i));
        in_order()
            .find(|p| !played.contains(&p.id))
            .or_else(|| in_order().next())
    }

    /// How many prompts there are.
    pub fn len(&self) -> usize {
        self.prompts.len()
    }

    /// Whether the deck is empty (never true for a validated deck).
    pub fn is_empty(&self) -> bool {
        self.prompts.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::embedded;

    #[test]
    fn the_deck_is_big_and_mixed() {
        let deck = embedded::game().unwrap();
        assert!(deck.len() >= MIN_PROMPTS);
        for depth in [Depth::Light, Depth::Medium, Depth::Deep] {
            assert!(deck.prompts().iter().any(|p| p.depth == depth), "{depth:?}");
        }
    }

    #[test]
    fn prompts_come_in_the_couples_order_without_repeats() {
        let deck = embedded::game().unwrap();
        let mut played = Vec::new();
        for _ in 0..deck.len() {
            let p = deck.next_prompt("space", &played).unwrap();
            assert!(!played.contains(&p.id));
            played.push(p.id.clone());
        }
        // All played: it starts over rather than running dry.
        assert!(deck.next_prompt("space", &played).is_some());
        assert_ne!(
            deck.next_prompt("a", &[]).map(|p| &p.id),
            deck.next_prompt("b", &[]).map(|p| &p.id)
        );
    }
}
