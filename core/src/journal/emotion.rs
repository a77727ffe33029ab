//! The emotions a journal entry can carry: a fixed vocabulary, so entries
//! can be filtered by feeling and the emotions chart has words to offer.

use super::vocabulary::vocabulary;
use crate::error::Error;

vocabulary! {
    /// A feeling named on a journal entry.
    Emotion, unknown = Error::UnknownEmotion {
        Joyful = "joyful",
        Grateful = "grateful",
        Loved = "loved",
        Calm = "calm",
        Hopeful = "hopeful",
        Proud = "proud",
        Playful = "playful",
        Curious = "curious",
        Tender = "tender",
        Content = "content",
        Excited = "excited",
        Relieved = "relieved",
        Connected = "connected",
        Sad = "sad",
        Lonely = "lonely",
        Anxious = "anxious",
        Frustrated = "frustrated",
        Hurt = "hurt",
        Angry = "angry",
        Overwhelmed = "overwhelmed",
        Tired = "tired",
        Disappointed = "disappointed",
        Jealous = "jealous",
        Ashamed = "ashamed",
        Confused = "confused",
        Distant = "distant",
    }
}

impl Emotion {
    /// Whether the feeling is a pleasant one (the first group of the chart).
    pub fn is_pleasant(self) -> bool {
        self <= Emotion::Connected
    }

    /// The emotion's bit in the `entries.emotions` projection column.
    pub(crate) fn bit(self) -> i64 {
        let index = Self::ALL.iter().position(|e| *e == self).unwrap_or(0);
        1 << index
    }

    /// The set of emotions as a bit set.
    pub(crate) fn to_bits(emotions: &[Emotion]) -> i64 {
        emotions.iter().fold(0, |bits, e| bits | e.bit())
    }

    /// The emotions in a bit set, in vocabulary order.
    pub(crate) fn from_bits(bits: i64) -> Vec<Emotion> {
        Self::ALL
            .iter()
            .copied()
            .filter(|e| bits & e.bit() != 0)
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_unknown_names_are_typed_errors() {
        for e in Emotion::ALL {
            assert_eq!(Emotion::parse(e.name()).unwrap(), *e);
        }
        assert_eq!(Emotion::parse("  Grateful ").unwrap(), Emotion::Grateful);
        let err = Emotion::parse("hangry").unwrap_err();
        assert!(
            matches!(err, Error::UnknownEmotion(ref n) if n == "hangry"),
            "{err:?}"
        );
    }

    #[test]
    fn bit_sets_keep_every_emotion_apart() {
        assert!(Emotion::ALL.len() < 63);
        let picked = vec![Emotion::Joyful, Emotion::Hurt, Emotion::Distant];
        assert_eq!(Emotion::from_bits(Emotion::to_bits(&picked)), picked);
        assert_eq!(Emotion::from_bits(0), vec![]);
    }

    #[test]
    fn pleasant_and_hard_feelings_split_where_the_chart_does() {
        assert!(Emotion::Connected.is_pleasant());
        assert!(!Emotion::Sad.is_pleasant());
    }
}
