//! The reactions a partner can leave on an entry: one per partner per entry.

use super::vocabulary::vocabulary;
use crate::error::Error;

vocabulary! {
    /// A small sign that a partner read an entry and felt something about it.
    Reaction, unknown = Error::UnknownReaction {
        Heart = "heart",
        Hug = "hug",
        Laugh = "laugh",
        Thanks = "thanks",
        Proud = "proud",
        HereForYou = "here_for_you",
    }
}
