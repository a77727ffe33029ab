//! Turn-based skill drills done together, one partner per phone: the
//! turn-taking rules, the shared document a drill lives in, and its
//! projection row.
//!
//! A turn: the speaker speaks, the listener sums up what they heard, the
//! speaker says whether that was it. "Not quite" sends the speaker back to
//! add what was missed (mirroring: repeat until the speaker agrees); "heard"
//! switches the roles. Either partner may call a time-out at any point, and
//! the drill resumes only once both say they are ready, because coming back
//! before both are calm is what a time-out is there to prevent.
//!
//! A drill is one shared document: who holds the first seat, and a list of
//! moves both phones append to. Concurrent appends merge in the same order
//! on both phones, and [`replay`] skips the same moves on both.
//!
//! Document layout (root map):
//!
//! | key | value |
//! |---|---|
//! | `kind` | `"drill"` |
//! | `exercise_id` | the exercise practised |
//! | `rounds` | rounds in the drill |
//! | `first_seat` | member id of the partner who started it |
//! | `started_at` | Unix milliseconds |
//! | `moves` | list of `"<seat>:<move>"`, e.g. `"first:done_speaking"` |
//!
//! `rules.rs` holds the state machine (pure); `document.rs` the shared
//! document, the projection row and the drill as this partner sees it.

mod document;
mod rules;

pub use document::DrillSession;
pub(crate) use document::{KIND, act, open_drills, project, session, start, unproject};
pub use rules::{
    DrillPhase, DrillState, DrillView, LoggedMove, Replayed, Role, Seat, TurnError, TurnMove,
    replay,
};
