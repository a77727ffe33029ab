//! Shared goals: the status a goal moves through and the brainstorm rule.
//! Goals themselves are the lead's shared documents.

use serde::{Deserialize, Serialize};

/// Where a goal stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(rename_all = "snake_case")]
pub enum GoalStatus {
    /// Offered in a brainstorm, not picked yet.
    Idea,
    /// Picked together; you are working on it.
    Chosen,
    /// Reached.
    Done,
    /// Put aside for now; it can be picked again later.
    SetAside,
}

/// A status change that does not make sense.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("a goal cannot go from {from:?} to {to:?}; pick it again first or leave it as it is")]
pub struct GoalStatusError {
    /// The current status.
    pub from: GoalStatus,
    /// The status asked for.
    pub to: GoalStatus,
}

impl GoalStatus {
    /// Checks a change of status. Ideas are picked (or set aside), chosen
    /// goals are done or set aside, and anything may be picked again. A done
    /// goal may also be reopened as chosen when you want to keep it going.
    pub fn change_to(self, to: GoalStatus) -> Result<GoalStatus, GoalStatusError> {
        use GoalStatus::*;
        let allowed = matches!(
            (self, to),
            (Idea, Chosen)
                | (Idea, SetAside)
                | (Chosen, Done)
                | (Chosen, SetAside)
                | (SetAside, Chosen)
                | (Done, Chosen)
        );
        if allowed {
            Ok(to)
        } else {
            Err(GoalStatusError { from: self, to })
        }
    }
}

/// Whether a brainstorm is ready to pick from: both partners must have
/// offered at least one idea, so the goals belong to both of you.
pub fn ready_to_pick(my_ideas: u32, partner_ideas: u32) -> bool {
    my_ideas > 0 && partner_ideas > 0
}

#[cfg(test)]
mod tests {
    use super::GoalStatus::*;
    use super::*;

    #[test]
    fn goals_move_along_sensible_paths() {
        assert_eq!(Idea.change_to(Chosen), Ok(Chosen));
        assert_eq!(Chosen.change_to(Done), Ok(Done));
        assert_eq!(SetAside.change_to(Chosen), Ok(Chosen));
        assert_eq!(
            Idea.change_to(Done),
            Err(GoalStatusError {
                from: Idea,
                to: Done
            })
        );
        assert!(Done.change_to(Idea).is_err());
        assert!(Chosen.change_to(Chosen).is_err());
    }

    #[test]
    fn both_partners_must_offer_ideas() {
        assert!(ready_to_pick(2, 1));
        assert!(!ready_to_pick(5, 0));
        assert!(!ready_to_pick(0, 3));
    }
}
