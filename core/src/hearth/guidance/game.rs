//! The facade's know-each-other game.

use crate::content::embedded;
use crate::error::{Error, Result};
use crate::guidance::game::{self, GameRound};
use crate::guidance::member;
use crate::hearth::Hearth;

impl Hearth {
    /// Starts a round of the know-each-other game on the next prompt:
    /// `i_answer` says whether this partner answers about themselves (the
    /// other guesses) or guesses.
    pub fn start_game_round(&self, i_answer: bool) -> Result<GameRound> {
        let deck = embedded::game()?;
        let who = self.actor();
        let id = self.store.write(|tx| {
            let seed = self.space_id(tx)?;
            let answerer = if i_answer {
                self.member.clone()
            } else {
                member::partner_id(tx, &self.member)?.ok_or(Error::NotFound {
                    what: "partner",
                    id: String::new(),
                })?
            };
            game::start(tx, &who, deck, &seed, &answerer)
        })?;
        self.changed(game::KIND, id.clone());
        self.game_round(&id)
    }

    /// Writes this partner's answer (if they answer) or guess in a round.
    /// Both see both once both are in; after that the round is set.
    pub fn play_game_round(&self, id: &str, text: &str) -> Result<GameRound> {
        let who = self.actor();
        self.store.write(|tx| game::enter(tx, &who, id, text))?;
        self.changed(game::KIND, id);
        self.game_round(id)
    }

    /// One round as this partner may see it.
    pub fn game_round(&self, id: &str) -> Result<GameRound> {
        let deck = embedded::game()?;
        self.store
            .read(|conn| game::round(conn, deck, &self.member, id))
    }

    /// Every round, newest first.
    pub fn game_rounds(&self) -> Result<Vec<GameRound>> {
        let deck = embedded::game()?;
        self.store
            .read(|conn| game::rounds(conn, deck, &self.member))
    }
}
