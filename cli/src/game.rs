//! `hearth game`: the know-each-other game. One of you answers a question
//! about yourself, the other guesses; both words show once both are in.

use std::io::Write;

use clap::Subcommand;
use hearth_core::Hearth;
use hearth_core::guidance::game::GameRound;

use crate::error::Result;
use crate::render;

/// `hearth game ...`.
#[derive(Debug, Subcommand)]
pub enum GameCommand {
    /// Start a round on the next question. You answer about yourself, or
    /// with --guess your partner answers and you guess.
    Start {
        /// Your partner answers; you guess.
        #[arg(long)]
        guess: bool,
    },
    /// Write your answer or your guess in a round.
    Play {
        /// The round's id.
        id: String,
        /// Your answer, or your guess.
        #[arg(required = true)]
        words: Vec<String>,
    },
}

/// `hearth game` and `hearth game ...`.
pub fn game(hearth: &Hearth, command: Option<GameCommand>, out: &mut impl Write) -> Result<()> {
    let partner = render::partner_name(hearth)?;
    match command {
        Some(GameCommand::Start { guess }) => {
            let round = hearth.start_game_round(!guess)?;
            writeln!(out, "A new round. id: {}", round.id)?;
            show(&round, &partner, out)
        }
        Some(GameCommand::Play { id, words }) => {
            let round = hearth.play_game_round(&id, &words.join(" "))?;
            show(&round, &partner, out)
        }
        None => {
            let rounds = hearth.game_rounds()?;
            if rounds.is_empty() {
                writeln!(out, "No rounds yet. Start one with: hearth game start")?;
            }
            for (n, round) in rounds.iter().enumerate() {
                if n > 0 {
                    writeln!(out)?;
                }
                show(round, &partner, out)?;
                writeln!(out, "id: {}", round.id)?;
            }
            Ok(())
        }
    }
}

/// One round as this partner may see it.
fn show(round: &GameRound, partner: &str, out: &mut impl Write) -> Result<()> {
    let view = &round.view;
    let about = if view.i_answer { "you" } else { partner };
    writeln!(out, "Question for {about}: {}", round.prompt.text)?;
    let (answerer, guesser) = if view.i_answer {
        ("You".to_owned(), render::capitalised(partner))
    } else {
        (render::capitalised(partner), "You".to_owned())
    };
    if view.revealed {
        writeln!(
            out,
            "{answerer} answered: {}",
            view.answer.as_deref().unwrap_or("")
        )?;
        writeln!(
            out,
            "{guesser} guessed: {}",
            view.guess.as_deref().unwrap_or("")
        )?;
        return Ok(());
    }
    let mine = if view.i_answer {
        &view.answer
    } else {
        &view.guess
    };
    let (my_part, their_part) = if view.i_answer {
        ("answer", "guess")
    } else {
        ("guess", "answer")
    };
    match mine {
        Some(text) => writeln!(out, "Your {my_part}: {text}")?,
        None => writeln!(
            out,
            "Write your {my_part}: hearth game play {} \"...\"",
            round.id
        )?,
    }
    if view.partner_is_in {
        writeln!(
            out,
            "{} has written their {their_part}: it shows once yours is in.",
            render::capitalised(partner)
        )?;
    } else {
        writeln!(
            out,
            "{} has not written their {their_part} yet.",
            render::capitalised(partner)
        )?;
    }
    Ok(())
}
