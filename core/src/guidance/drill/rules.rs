//! A drill's turn-taking rules: a pure state machine over the moves, and
//! [`replay`], which rebuilds the state from the stored moves on either
//! phone.

use serde::{Deserialize, Serialize};

use crate::content::exercise::MAX_DRILL_ROUNDS;

/// Which partner. `First` started the drill and speaks first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(rename_all = "snake_case")]
pub enum Seat {
    /// The partner who started the drill.
    First,
    /// The other partner.
    Second,
}

impl Seat {
    /// The other partner.
    pub fn other(self) -> Seat {
        match self {
            Seat::First => Seat::Second,
            Seat::Second => Seat::First,
        }
    }
}

/// A partner's role in the current turn.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Says what is on their mind.
    Speaker,
    /// Listens and sums up.
    Listener,
}

/// Where the drill stands, as a phone shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(rename_all = "snake_case")]
pub enum DrillPhase {
    /// The speaker is talking.
    Speaking,
    /// The listener is summing up.
    Reflecting,
    /// The speaker says whether the summary was right.
    Confirming,
    /// A time-out is running.
    Paused,
    /// All rounds are done.
    Finished,
    /// A partner ended the drill early.
    Stopped,
}

/// Something a partner does in a drill.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(rename_all = "snake_case")]
pub enum TurnMove {
    /// Speaker: I have said what I wanted to say.
    DoneSpeaking,
    /// Listener: I have summed up what I heard.
    DoneReflecting,
    /// Speaker: yes, that is it. The roles switch.
    Heard,
    /// Speaker: not quite; I will add what was missed.
    NotQuite,
    /// Either: I need a time-out.
    Pause,
    /// Either, during a time-out: I am calm and ready to go on.
    Ready,
    /// Either: let us stop here for today.
    Stop,
}

/// A move as stored in the shared document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct LoggedMove {
    /// Who made it.
    pub by: Seat,
    /// What they did.
    pub action: TurnMove,
}

/// A move that does not fit the drill right now.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum TurnError {
    /// The move belongs to the other partner in this phase.
    #[error("this move is your partner's to make right now; wait for them")]
    NotYourMove,
    /// The move does not belong to the current phase.
    #[error("this move does not fit the drill's current phase ({phase:?}); refresh and try again")]
    OutOfPhase {
        /// The phase the drill is in.
        phase: DrillPhase,
    },
    /// The drill is over.
    #[error("the drill has ended; start it again to practise more")]
    Ended,
    /// A drill was started with a round count out of range.
    #[error("a drill has between 1 and {max} rounds, not {rounds}")]
    Rounds {
        /// What was asked for.
        rounds: u32,
        /// The most allowed.
        max: u32,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
enum Stage {
    Speaking,
    Reflecting,
    Confirming,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
enum Status {
    Active(Stage),
    Paused {
        resume: Stage,
        first_ready: bool,
        second_ready: bool,
    },
    Finished,
    Stopped,
}

/// The state of one drill between two partners.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct DrillState {
    rounds: u32,
    /// Zero-based; `First` speaks on even turns.
    turn: u32,
    status: Status,
}

/// What one partner's phone shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct DrillView {
    /// The current turn, from 1.
    pub turn: u32,
    /// Turns in the whole drill (two per round).
    pub total_turns: u32,
    /// This partner's role in the current turn.
    pub role: Role,
    /// Where the drill stands.
    pub phase: DrillPhase,
    /// The moves this partner can make now (empty while waiting).
    pub moves: Vec<TurnMove>,
}

impl DrillState {
    /// A new drill of `rounds` rounds, with `Seat::First` speaking.
    ///
    /// ```
    /// use hearth_core::guidance::drill::{DrillPhase, DrillState, Role, Seat, TurnMove};
    ///
    /// let mut s = DrillState::new(1).unwrap();
    /// s.apply(Seat::First, TurnMove::DoneSpeaking).unwrap();
    /// s.apply(Seat::Second, TurnMove::DoneReflecting).unwrap();
    /// s.apply(Seat::First, TurnMove::Heard).unwrap();
    /// // Roles switch: the second partner speaks now.
    /// assert_eq!(s.role_of(Seat::Second), Role::Speaker);
    /// assert_eq!(s.phase(), DrillPhase::Speaking);
    /// ```
    pub fn new(rounds: u32) -> Result<Self, TurnError> {
        if rounds == 0 || rounds > MAX_DRILL_ROUNDS {
            return Err(TurnError::Rounds {
                rounds,
                max: MAX_DRILL_ROUNDS,
            });
        }
        Ok(DrillState {
            rounds,
            turn: 0,
            status: Status::Active(Stage::Speaking),
        })
    }

    /// Who speaks in the current turn.
    pub fn speaker(&self) -> Seat {
        if self.turn.is_multiple_of(2) {
            Seat::First
        } else {
            Seat::Second
        }
    }

    /// A partner's role in the current turn.
    pub fn role_of(&self, seat: Seat) -> Role {
        if seat == self.speaker() {
            Role::Speaker
        } else {
            Role::Listener
        }
    }

    /// Where the drill stands.
    pub fn phase(&self) -> DrillPhase {
        match self.status {
            Status::Active(Stage::Speaking) => DrillPhase::Speaking,
            Status::Active(Stage::Reflecting) => DrillPhase::Reflecting,
            Status::Active(Stage::Confirming) => DrillPhase::Confirming,
            Status::Paused { .. } => DrillPhase::Paused,
            Status::Finished => DrillPhase::Finished,
            Status::Stopped => DrillPhase::Stopped,
        }
    }

    /// Whether the drill is over, finished or stopped.
    pub fn is_over(&self) -> bool {
        matches!(self.status, Status::Finished | Status::Stopped)
    }

    /// Applies one move. On error the state is unchanged.
    pub fn apply(&mut self, by: Seat, action: TurnMove) -> Result<(), TurnError> {
        let next = self.after(by, action)?;
        *self = next;
        Ok(())
    }

    fn after(&self, by: Seat, action: TurnMove) -> Result<DrillState, TurnError> {
        let speaker = self.speaker();
        let mut next = *self;
        next.status = match (self.status, action) {
            (Status::Finished | Status::Stopped, _) => return Err(TurnError::Ended),
            (_, TurnMove::Stop) => Status::Stopped,
            (Status::Active(stage), TurnMove::Pause) => Status::Paused {
                resume: stage,
                first_ready: false,
                second_ready: false,
            },
            // A second time-out call while one runs changes nothing; both
            // phones may have asked at once.
            (Status::Paused { .. }, TurnMove::Pause) => self.status,
            (
                Status::Paused {
                    resume,
                    first_ready,
                    second_ready,
                },
                TurnMove::Ready,
            ) => {
                let first_ready = first_ready || by == Seat::First;
                let second_ready = second_ready || by == Seat::Second;
                if first_ready && second_ready {
                    Status::Active(resume)
                } else {
                    Status::Paused {
                        resume,
                        first_ready,
                        second_ready,
                    }
                }
            }
            (Status::Active(stage), action) => {
                let (needed, mover) = match (stage, action) {
                    (Stage::Speaking, TurnMove::DoneSpeaking) => (true, speaker),
                    (Stage::Reflecting, TurnMove::DoneReflecting) => (true, speaker.other()),
                    (Stage::Confirming, TurnMove::Heard | TurnMove::NotQuite) => (true, speaker),
                    _ => (false, speaker),
                };
                if !needed {
                    return Err(TurnError::OutOfPhase {
                        phase: self.phase(),
                    });
                }
                if by != mover {
                    return Err(TurnError::NotYourMove);
                }
                match action {
                    TurnMove::DoneSpeaking => Status::Active(Stage::Reflecting),
                    TurnMove::DoneReflecting => Status::Active(Stage::Confirming),
                    TurnMove::NotQuite => Status::Active(Stage::Speaking),
                    _ => {
                        next.turn += 1;
                        if next.turn >= self.rounds * 2 {
                            next.turn = self.turn;
                            Status::Finished
                        } else {
                            Status::Active(Stage::Speaking)
                        }
                    }
                }
            }
            (Status::Paused { .. }, _) => {
                return Err(TurnError::OutOfPhase {
                    phase: DrillPhase::Paused,
                });
            }
        };
        Ok(next)
    }

    /// The moves a partner can make now.
    pub fn moves_for(&self, seat: Seat) -> Vec<TurnMove> {
        const ALL: [TurnMove; 7] = [
            TurnMove::DoneSpeaking,
            TurnMove::DoneReflecting,
            TurnMove::Heard,
            TurnMove::NotQuite,
            TurnMove::Pause,
            TurnMove::Ready,
            TurnMove::Stop,
        ];
        // A repeated time-out call is accepted but means nothing, so it is
        // not offered; neither is "ready" once this partner said it.
        ALL.into_iter()
            .filter(|m| match self.after(seat, *m) {
                Ok(next) => next != *self,
                Err(_) => false,
            })
            .collect()
    }

    /// What a partner's phone shows.
    pub fn view(&self, seat: Seat) -> DrillView {
        DrillView {
            turn: self.turn + 1,
            total_turns: self.rounds * 2,
            role: self.role_of(seat),
            phase: self.phase(),
            moves: self.moves_for(seat),
        }
    }
}

/// The state rebuilt from a stored move log, and how many moves did not
/// fit. Moves that do not fit come from the two phones acting at the same
/// moment (both stop, or one pauses as the other finishes a step); the
/// merged log is in the same order on both phones, so both skip the same
/// moves and agree on the state.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Replayed {
    /// The state after every move that fit.
    pub state: DrillState,
    /// How many logged moves were skipped.
    pub skipped: u32,
}

/// Rebuilds a drill from its move log.
pub fn replay(rounds: u32, moves: &[LoggedMove]) -> Result<Replayed, TurnError> {
    let mut state = DrillState::new(rounds)?;
    let mut skipped = 0;
    for m in moves {
        if state.apply(m.by, m.action).is_err() {
            skipped += 1;
        }
    }
    Ok(Replayed { state, skipped })
}

#[cfg(test)]
mod tests {
    use super::*;
    use Seat::{First, Second};
    use TurnMove::*;

    fn turn(s: &mut DrillState, speaker: Seat) {
        s.apply(speaker, DoneSpeaking).unwrap();
        s.apply(speaker.other(), DoneReflecting).unwrap();
        s.apply(speaker, Heard).unwrap();
    }

    #[test]
    fn roles_switch_each_turn_and_the_drill_finishes() {
        let mut s = DrillState::new(2).unwrap();
        assert_eq!(s.role_of(First), Role::Speaker);
        turn(&mut s, First);
        assert_eq!(s.role_of(First), Role::Listener);
        assert_eq!(s.speaker(), Second);
        turn(&mut s, Second);
        turn(&mut s, First);
        assert_eq!(s.view(Second).turn, 4);
        turn(&mut s, Second);
        assert_eq!(s.phase(), DrillPhase::Finished);
        assert_eq!(s.apply(First, DoneSpeaking), Err(TurnError::Ended));
        assert!(s.moves_for(First).is_empty());
    }

    #[test]
    fn only_the_right_partner_moves() {
        let mut s = DrillState::new(1).unwrap();
        assert_eq!(s.apply(Second, DoneSpeaking), Err(TurnError::NotYourMove));
        assert_eq!(
            s.apply(First, DoneReflecting),
            Err(TurnError::OutOfPhase {
                phase: DrillPhase::Speaking
            })
        );
        s.apply(First, DoneSpeaking).unwrap();
        let before = s;
        assert_eq!(s.apply(First, DoneReflecting), Err(TurnError::NotYourMove));
        assert_eq!(s, before, "a rejected move leaves the state alone");
        assert_eq!(s.view(Second).moves, vec![DoneReflecting, Pause, Stop]);
        assert_eq!(s.view(First).moves, vec![Pause, Stop]);
    }

    #[test]
    fn not_quite_loops_until_heard() {
        let mut s = DrillState::new(1).unwrap();
        s.apply(First, DoneSpeaking).unwrap();
        s.apply(Second, DoneReflecting).unwrap();
        s.apply(First, NotQuite).unwrap();
        assert_eq!(s.phase(), DrillPhase::Speaking);
        assert_eq!(s.speaker(), First, "still the same turn");
        turn(&mut s, First);
        assert_eq!(s.speaker(), Second);
    }

    #[test]
    fn a_time_out_needs_both_to_be_ready() {
        let mut s = DrillState::new(1).unwrap();
        s.apply(First, DoneSpeaking).unwrap();
        s.apply(Second, Pause).unwrap();
        assert_eq!(s.phase(), DrillPhase::Paused);
        assert!(matches!(
            s.apply(Second, DoneReflecting),
            Err(TurnError::OutOfPhase { .. })
        ));
        s.apply(First, Pause).unwrap();
        s.apply(Second, Ready).unwrap();
        assert_eq!(s.phase(), DrillPhase::Paused, "one partner is not enough");
        assert_eq!(s.moves_for(Second), vec![Stop]);
        s.apply(First, Ready).unwrap();
        assert_eq!(s.phase(), DrillPhase::Reflecting, "back where it paused");
    }

    #[test]
    fn either_partner_can_stop() {
        let mut s = DrillState::new(1).unwrap();
        s.apply(Second, Stop).unwrap();
        assert_eq!(s.phase(), DrillPhase::Stopped);
        assert!(s.is_over());
    }

    #[test]
    fn replay_agrees_and_counts_raced_moves() {
        let log = [
            LoggedMove {
                by: First,
                action: DoneSpeaking,
            },
            LoggedMove {
                by: Second,
                action: DoneReflecting,
            },
            LoggedMove {
                by: First,
                action: Stop,
            },
            // The partner's phone stopped at the same moment.
            LoggedMove {
                by: Second,
                action: Stop,
            },
        ];
        let r = replay(1, &log).unwrap();
        assert_eq!(r.state.phase(), DrillPhase::Stopped);
        assert_eq!(r.skipped, 1);
        assert_eq!(
            replay(0, &log),
            Err(TurnError::Rounds {
                rounds: 0,
                max: MAX_DRILL_ROUNDS
            })
        );
    }

    #[test]
    fn state_survives_a_round_trip_through_json() {
        let mut s = DrillState::new(2).unwrap();
        s.apply(First, DoneSpeaking).unwrap();
        s.apply(First, Pause).unwrap();
        let back: DrillState = serde_json::from_str(&serde_json::to_string(&s).unwrap()).unwrap();
        assert_eq!(back, s);
    }
}
