//! The short code partner A shows and partner B types: `7-river-lantern-moss`.
//!
//! The number is the relay mailbox ("nameplate") both phones meet in; the
//! three words carry 24 random bits chosen on A's phone, which the relay
//! never sees. The whole string is the SPAKE2 password, so an attacker gets
//! one guess in 16.7 million per code, and a wrong guess burns the code.

use std::fmt;
use std::str::FromStr;

use super::random::{RandomnessUnavailable, fill_random};
use super::words;

/// Number of words in a code.
pub const CODE_WORDS: usize = 3;

/// A pairing code: a mailbox number and three words from Hearth's list.
///
/// Only valid codes exist: every word is on the list. `Debug` hides the
/// words (they are a password while pairing runs); `Display` shows the code.
#[derive(Clone, PartialEq, Eq)]
pub struct PairingCode {
    nameplate: u32,
    words: [&'static str; CODE_WORDS],
}

/// Typed input is not a pairing code.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PairingCodeError {
    /// Not a number followed by three words.
    #[error(
        "a pairing code is a number and three words, like 7-river-lantern-moss; \
         type it as your partner's phone shows it"
    )]
    Malformed,
    /// A word is not on Hearth's list (its first three letters match none).
    #[error(
        "word {position} of the code is not one Hearth uses; check it on your partner's screen"
    )]
    UnknownWord {
        /// 1, 2 or 3.
        position: usize,
    },
}

impl PairingCode {
    /// A fresh code for the mailbox `nameplate` the relay handed out.
    pub fn generate(nameplate: u32) -> Result<Self, RandomnessUnavailable> {
        // The list has 256 words, so each random byte picks one uniformly.
        let mut picks = [0u8; CODE_WORDS];
        fill_random(&mut picks)?;
        let words = picks.map(words::word);
        Ok(Self { nameplate, words })
    }

    /// Builds a code from its parts, resolving words as [`PairingCode::parse`]
    /// does.
    pub fn from_parts(
        nameplate: u32,
        typed_words: [&str; CODE_WORDS],
    ) -> Result<Self, PairingCodeError> {
        let mut words = [""; CODE_WORDS];
        for (position, (slot, typed)) in words.iter_mut().zip(typed_words).enumerate() {
            *slot = words::lookup(&typed.trim().to_lowercase()).ok_or(
                PairingCodeError::UnknownWord {
                    position: position + 1,
                },
            )?;
        }
        Ok(Self { nameplate, words })
    }

    /// Reads a typed code, forgiving case, surrounding whitespace, spaces or
    /// dashes (also `_`, en and em dashes) between the parts, and any typo
    /// after a word's first three letters.
    pub fn parse(input: &str) -> Result<Self, PairingCodeError> {
        let lowered = input.trim().to_lowercase();
        let parts: Vec<&str> = lowered
            .split(|c: char| c.is_whitespace() || matches!(c, '-' | '_' | '\u{2013}' | '\u{2014}'))
            .filter(|p| !p.is_empty())
            .collect();
        let [number, w1, w2, w3] = parts[..] else {
            return Err(PairingCodeError::Malformed);
        };
        if !number.bytes().all(|b| b.is_ascii_digit()) {
            return Err(PairingCodeError::Malformed);
        }
        let nameplate = number.parse().map_err(|_| PairingCodeError::Malformed)?;
        Self::from_parts(nameplate, [w1, w2, w3])
    }

    /// The relay mailbox number.
    pub fn nameplate(&self) -> u32 {
        self.nameplate
    }

    /// The three words, as they appear on the list.
    pub fn words(&self) -> [&'static str; CODE_WORDS] {
        self.words
    }

    /// The list word a partner is typing, for autocompletion: `None` until
    /// the first three letters match a word.
    pub fn complete_word(typed: &str) -> Option<&'static str> {
        words::lookup(&typed.trim().to_lowercase())
    }
}

impl fmt::Display for PairingCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let [a, b, c] = self.words;
        write!(f, "{}-{a}-{b}-{c}", self.nameplate)
    }
}

impl fmt::Debug for PairingCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PairingCode")
            .field("nameplate", &self.nameplate)
            .field("words", &"<redacted>")
            .finish()
    }
}

impl FromStr for PairingCode {
    type Err = PairingCodeError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn displays_in_the_documented_shape() {
        let code = PairingCode::from_parts(7, ["river", "lantern", "moss"]).unwrap();
        assert_eq!(code.to_string(), "7-river-lantern-moss");
        assert_eq!(code.nameplate(), 7);
        assert_eq!(code.words(), ["river", "lantern", "moss"]);
    }

    #[test]
    fn parse_forgives_case_spacing_dashes_and_tails() {
        let expected = PairingCode::from_parts(7, ["river", "lantern", "moss"]).unwrap();
        for typed in [
            "7-river-lantern-moss",
            "  7 River LANTERN moss \n",
            "7 - river - lantern - moss",
            "7_river_lantern_moss",
            "7\u{2013}river\u{2014}lantern-moss",
            "7-riv-lan-mos",
            "007-rivre-lanturn-mossy",
        ] {
            assert_eq!(PairingCode::parse(typed), Ok(expected.clone()), "{typed:?}");
        }
    }

    #[test]
    fn parse_reports_what_is_wrong() {
        assert_eq!(PairingCode::parse(""), Err(PairingCodeError::Malformed));
        assert_eq!(
            PairingCode::parse("river-lantern-moss"),
            Err(PairingCodeError::Malformed)
        );
        assert_eq!(
            PairingCode::parse("7-river-lantern"),
            Err(PairingCodeError::Malformed)
        );
        assert_eq!(
            PairingCode::parse("7-river-lantern-moss-oak"),
            Err(PairingCodeError::Malformed)
        );
        assert_eq!(
            PairingCode::parse("x7-river-lantern-moss"),
            Err(PairingCodeError::Malformed)
        );
        assert_eq!(
            PairingCode::parse("99999999999-river-lantern-moss"),
            Err(PairingCodeError::Malformed)
        );
        assert_eq!(
            PairingCode::parse("7-river-xylophone-moss"),
            Err(PairingCodeError::UnknownWord { position: 2 })
        );
        assert_eq!(
            PairingCode::parse("7-river-lantern-mo"),
            Err(PairingCodeError::UnknownWord { position: 3 })
        );
    }

    #[test]
    fn generated_codes_round_trip_and_vary() {
        let mut seen = HashSet::new();
        for n in 0..200 {
            let code = PairingCode::generate(n).unwrap();
            assert_eq!(PairingCode::parse(&code.to_string()), Ok(code.clone()));
            seen.insert(code.words());
        }
        // 200 draws from 16.7 million codes: a repeat would mean a broken
        // generator far more likely than chance.
        assert!(seen.len() >= 199);
    }

    #[test]
    fn debug_hides_the_words() {
        let code = PairingCode::from_parts(7, ["river", "lantern", "moss"]).unwrap();
        let debug = format!("{code:?}");
        assert!(!debug.contains("river"));
        assert!(debug.contains('7'));
    }

    #[test]
    fn completes_words_from_three_letters() {
        assert_eq!(PairingCode::complete_word("Lan"), Some("lantern"));
        assert_eq!(PairingCode::complete_word("la"), None);
    }
}
