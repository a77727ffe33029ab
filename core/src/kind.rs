//! What a shared document holds: one exported enum, carried by change
//! events and used for merge dispatch. Documents store their kind as a
//! short string (the root `kind` key, and the `documents.kind` column), so
//! two app versions agree on the words; this module is the one place that
//! maps them.

/// The kind of a shared document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum DocumentKind {
    /// A journal entry, with its reactions and comments.
    Entry,
    /// A day's question with both partners' answers.
    Answer,
    /// A turn-based drill across both phones.
    Drill,
    /// The couple's enrolment in a program.
    Enrolment,
    /// The record of monthly check-ins held.
    CheckIns,
    /// A goal from the couple's brainstorm.
    Goal,
    /// An idea in the date jar.
    DateIdea,
    /// An appreciation note.
    Appreciation,
    /// A shared assessment result.
    Assessment,
    /// One partner's member document (name, choices).
    Member,
    /// A round of the know-each-other game.
    Game,
}

impl DocumentKind {
    /// Every kind, in a fixed order.
    pub const ALL: [Self; 11] = [
        Self::Entry,
        Self::Answer,
        Self::Drill,
        Self::Enrolment,
        Self::CheckIns,
        Self::Goal,
        Self::DateIdea,
        Self::Appreciation,
        Self::Assessment,
        Self::Member,
        Self::Game,
    ];

    /// The word stored in documents and in the database.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Entry => "entry",
            Self::Answer => "answer",
            Self::Drill => "drill",
            Self::Enrolment => "enrolment",
            Self::CheckIns => "checkins",
            Self::Goal => "goal",
            Self::DateIdea => "date_idea",
            Self::Appreciation => "appreciation",
            Self::Assessment => "assessment",
            Self::Member => "member",
            Self::Game => "game",
        }
    }

    /// The kind a stored word names; `None` for a kind this version does
    /// not know (written by a newer app) or a document still waiting for
    /// its first complete change.
    pub fn parse(word: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == word)
    }
}

impl std::fmt::Display for DocumentKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_round_trips_through_its_word() {
        for kind in DocumentKind::ALL {
            assert_eq!(DocumentKind::parse(kind.as_str()), Some(kind));
        }
        assert_eq!(DocumentKind::parse("pending"), None);
        assert_eq!(DocumentKind::parse("poll"), None);
    }
}
