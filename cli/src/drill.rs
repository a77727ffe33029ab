//! `hearth drill`: a turn-based listening drill with your partner, one
//! move at a time. Each of you runs the moves on your own side; a sync
//! carries them across.

use std::io::Write;

use clap::{Subcommand, ValueEnum};
use hearth_core::Hearth;
use hearth_core::guidance::drill::{DrillPhase, DrillSession, Role, TurnMove};

use crate::error::Result;

/// `hearth drill ...`.
#[derive(Debug, Subcommand)]
pub enum DrillCommand {
    /// Start a drill of an exercise that has one (e.g. listen-and-sum-up);
    /// you speak first.
    Start {
        /// The exercise's id.
        exercise: String,
    },
    /// Show where a drill stands and the moves you can make.
    Show {
        /// The drill's id.
        id: String,
    },
    /// Make your move in a drill.
    Move {
        /// The drill's id.
        id: String,
        /// What you did.
        #[arg(value_enum)]
        action: Move,
    },
}

/// A move, as typed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Move {
    /// Speaker: I have said what I wanted to say.
    DoneSpeaking,
    /// Listener: I have summed up what I heard.
    DoneReflecting,
    /// Speaker: yes, that is it (the roles switch).
    Heard,
    /// Speaker: not quite; I will add what was missed.
    NotQuite,
    /// Either of you: I need a time-out.
    Pause,
    /// Either of you, during a time-out: I am calm and ready to go on.
    Ready,
    /// Either of you: let us stop here for today.
    Stop,
}

impl Move {
    fn turn(self) -> TurnMove {
        match self {
            Move::DoneSpeaking => TurnMove::DoneSpeaking,
            Move::DoneReflecting => TurnMove::DoneReflecting,
            Move::Heard => TurnMove::Heard,
            Move::NotQuite => TurnMove::NotQuite,
            Move::Pause => TurnMove::Pause,
            Move::Ready => TurnMove::Ready,
            Move::Stop => TurnMove::Stop,
        }
    }

    fn of(turn: TurnMove) -> Self {
        match turn {
            TurnMove::DoneSpeaking => Move::DoneSpeaking,
            TurnMove::DoneReflecting => Move::DoneReflecting,
            TurnMove::Heard => Move::Heard,
            TurnMove::NotQuite => Move::NotQuite,
            TurnMove::Pause => Move::Pause,
            TurnMove::Ready => Move::Ready,
            TurnMove::Stop => Move::Stop,
        }
    }

    fn meaning(self) -> &'static str {
        match self {
            Move::DoneSpeaking => "you have said what you wanted to say",
            Move::DoneReflecting => "you have summed up what you heard",
            Move::Heard => "yes, that is it (you swap roles)",
            Move::NotQuite => "not quite: you add what was missed",
            Move::Pause => "a time-out",
            Move::Ready => "you are calm and ready to go on",
            Move::Stop => "stop here for today",
        }
    }

    fn name(self) -> String {
        self.to_possible_value()
            .map_or_else(String::new, |v| v.get_name().to_owned())
    }
}

/// `hearth drill` and `hearth drill ...`.
pub fn drill(hearth: &Hearth, command: Option<DrillCommand>, out: &mut impl Write) -> Result<()> {
    match command {
        Some(DrillCommand::Start { exercise }) => {
            let session = hearth.start_drill(&exercise)?;
            writeln!(out, "Drill started. id: {}", session.id)?;
            show(hearth, &session, out)
        }
        Some(DrillCommand::Show { id }) => show(hearth, &hearth.drill(&id)?, out),
        Some(DrillCommand::Move { id, action }) => {
            let session = hearth.drill_move(&id, action.turn())?;
            show(hearth, &session, out)
        }
        None => {
            let open = hearth.open_drills()?;
            if open.is_empty() {
                writeln!(
                    out,
                    "No drill under way. Start one with: hearth drill start listen-and-sum-up"
                )?;
            }
            for session in &open {
                writeln!(
                    out,
                    "{} (turn {} of {}) id: {}",
                    title(hearth, session),
                    session.view.turn,
                    session.view.total_turns,
                    session.id
                )?;
            }
            Ok(())
        }
    }
}

fn title(hearth: &Hearth, session: &DrillSession) -> String {
    hearth
        .exercise(&session.exercise_id)
        .map_or_else(|_| session.exercise_id.clone(), |e| e.title)
}

/// Where a drill stands for this partner, and the moves open to them.
fn show(hearth: &Hearth, session: &DrillSession, out: &mut impl Write) -> Result<()> {
    let view = &session.view;
    writeln!(
        out,
        "{}, turn {} of {}",
        title(hearth, session),
        view.turn,
        view.total_turns
    )?;
    let stands = match (view.phase, view.role) {
        (DrillPhase::Speaking, Role::Speaker) => "your turn to speak: say what is on your mind",
        (DrillPhase::Speaking, Role::Listener) => "your partner speaks; you listen",
        (DrillPhase::Reflecting, Role::Listener) => "sum up what you heard, in your own words",
        (DrillPhase::Reflecting, Role::Speaker) => "your partner sums up what they heard",
        (DrillPhase::Confirming, Role::Speaker) => "say whether that was it",
        (DrillPhase::Confirming, Role::Listener) => "your partner says whether you got it",
        (DrillPhase::Paused, _) => "a time-out: go on when you are both calm",
        (DrillPhase::Finished, _) => "done: every round is over",
        (DrillPhase::Stopped, _) => "stopped for today",
    };
    writeln!(out, "Now: {stands}.")?;
    if session.skipped_moves > 0 {
        writeln!(
            out,
            "{} move(s) made on both sides at once did not fit and were left out.",
            session.skipped_moves
        )?;
    }
    if session.finished {
        return Ok(());
    }
    // Pausing and stopping are open to both at any time; any other move
    // open here means it is this partner's turn.
    let my_turn = view
        .moves
        .iter()
        .any(|m| !matches!(m, TurnMove::Pause | TurnMove::Stop));
    if !my_turn {
        writeln!(
            out,
            "Waiting for your partner's move (sync to see it: hearth sync)."
        )?;
    }
    if !view.moves.is_empty() {
        writeln!(out, "Your moves:")?;
        for turn in &view.moves {
            let step = Move::of(*turn);
            writeln!(out, "  {:<16} {}", step.name(), step.meaning())?;
        }
        writeln!(out, "Make one with: hearth drill move {} MOVE", session.id)?;
    }
    Ok(())
}
