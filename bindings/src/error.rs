//! The public error: the few kinds of failure a shell reacts to
//! differently, each with a reason to show or log. The core's rich error is
//! mapped onto it here, and only here.

use hearth_core::Error as CoreError;
use hearth_core::error::ErrorKind;

/// A failure reported to the shell. Each variant is something the shell
/// handles in its own way; `reason` says what went wrong and what to do,
/// and never contains what a person wrote.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, uniffi::Error)]
pub enum HearthError {
    /// What the person typed or picked is not acceptable: show the reason
    /// next to the field.
    #[error("{reason}")]
    InvalidInput {
        /// What is wrong and how to fix it.
        reason: String,
    },
    /// The entry, comment, exercise, program, goal or other item is not
    /// (or no longer) on this phone: refresh the list.
    #[error("{reason}")]
    NotFound {
        /// What was missing.
        reason: String,
    },
    /// A rule refuses this (only the author may, the entry is private, it
    /// is the partner's turn, sexual content needs both partners' opt-in,
    /// the shared space was closed): hide or disable the action.
    #[error("{reason}")]
    NotAllowed {
        /// Which rule refused it.
        reason: String,
    },
    /// Syncing failed: the relay is unreachable or refused, no relay is set,
    /// the phone is not paired yet, or data from the partner's phone could
    /// not be applied. Nothing is lost: changes stay queued and the next
    /// sync tries again. Show the reason in the sync status.
    #[error("{reason}")]
    Sync {
        /// What was wrong with the data.
        reason: String,
    },
    /// Pairing did not complete (a mistyped or expired code, the other
    /// phone gave up): show the reason and offer to start again with a new
    /// code. Nothing was shared.
    #[error("{reason}")]
    Pairing {
        /// What happened and what to do.
        reason: String,
    },
    /// The platform's secure storage refused: ask the person to unlock the
    /// phone, then retry.
    #[error("{reason}")]
    KeyStore {
        /// What the key store reported.
        reason: String,
    },
    /// The data was written by a newer Hearth: ask the person to update.
    #[error("{reason}")]
    UpdateRequired {
        /// Which versions are involved.
        reason: String,
    },
    /// The data folder or database failed: check free space, then restart.
    #[error("{reason}")]
    Storage {
        /// What failed.
        reason: String,
    },
    /// A fault inside Hearth: report it.
    #[error("{reason}")]
    Internal {
        /// What failed.
        reason: String,
    },
}

impl From<CoreError> for HearthError {
    fn from(error: CoreError) -> Self {
        // The core's messages already say what to do and hold no content;
        // which family a failure belongs to is the core's call.
        let reason = error.to_string();
        match error.kind() {
            ErrorKind::InvalidInput => Self::InvalidInput { reason },
            ErrorKind::NotFound => Self::NotFound { reason },
            ErrorKind::NotAllowed => Self::NotAllowed { reason },
            ErrorKind::Sync => Self::Sync { reason },
            ErrorKind::Pairing => Self::Pairing { reason },
            ErrorKind::KeyStore => Self::KeyStore { reason },
            ErrorKind::UpdateRequired => Self::UpdateRequired { reason },
            ErrorKind::Storage => Self::Storage { reason },
            ErrorKind::Internal => Self::Internal { reason },
        }
    }
}

impl From<tokio::task::JoinError> for HearthError {
    fn from(error: tokio::task::JoinError) -> Self {
        Self::Internal {
            reason: format!("a background task stopped before finishing ({error})"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use hearth_core::crypto::keystore::KeyStoreError as CoreKeyStoreError;
    use hearth_core::guidance::assessment::ScoreError;
    use hearth_core::guidance::drill::{DrillPhase, TurnError};
    use hearth_core::guidance::enrolment::ProgressError;
    use hearth_core::guidance::goal::{GoalStatus, GoalStatusError};
    use hearth_core::sync::client::RelayError;

    fn kind(error: CoreError) -> &'static str {
        match HearthError::from(error) {
            HearthError::InvalidInput { .. } => "invalid_input",
            HearthError::NotFound { .. } => "not_found",
            HearthError::NotAllowed { .. } => "not_allowed",
            HearthError::Sync { .. } => "sync",
            HearthError::Pairing { .. } => "pairing",
            HearthError::KeyStore { .. } => "key_store",
            HearthError::UpdateRequired { .. } => "update_required",
            HearthError::Storage { .. } => "storage",
            HearthError::Internal { .. } => "internal",
        }
    }

    #[test]
    fn each_family_of_core_errors_lands_on_the_variant_a_shell_acts_on() {
        assert_eq!(kind(CoreError::EmptyBody), "invalid_input");
        assert_eq!(kind(CoreError::InvalidCursor), "invalid_input");
        assert_eq!(kind(CoreError::EntryNotFound("e1".into())), "not_found");
        assert_eq!(kind(CoreError::EntryDeleted("e1".into())), "not_found");
        assert_eq!(kind(CoreError::NotShared), "not_allowed");
        assert_eq!(
            kind(CoreError::CorruptDocument {
                doc_id: "d".into(),
                reason: "truncated".into()
            }),
            "sync"
        );
        let locked = CoreKeyStoreError::Unavailable {
            reason: "device locked".into(),
        };
        assert_eq!(kind(CoreError::Keys(locked.into())), "key_store");
        assert_eq!(
            kind(CoreError::NewerSchema {
                found: 9,
                supported: 1
            }),
            "update_required"
        );
        assert_eq!(
            kind(CoreError::DamagedDatabase("not a database".into())),
            "storage"
        );
        assert_eq!(kind(CoreError::Export("disk full".into())), "internal");
    }

    #[test]
    fn guidance_errors_are_input_missing_items_or_rules() {
        assert_eq!(
            kind(CoreError::InvalidDate("monday".into())),
            "invalid_input"
        );
        assert_eq!(
            kind(CoreError::EmptyText { what: "answer" }),
            "invalid_input"
        );
        assert_eq!(
            kind(CoreError::TextTooLong {
                what: "goal",
                len: 501,
                max: 500
            }),
            "invalid_input"
        );
        assert_eq!(
            kind(CoreError::Score(ScoreError::Incomplete { missing: 3 })),
            "invalid_input"
        );
        assert_eq!(
            kind(CoreError::Progress(ProgressError::UnknownDay {
                day: 40,
                total: 30
            })),
            "invalid_input"
        );
        assert_eq!(
            kind(CoreError::Turn(TurnError::Rounds { rounds: 0, max: 5 })),
            "invalid_input"
        );
        assert_eq!(
            kind(CoreError::NotFound {
                what: "program",
                id: "p9".into()
            }),
            "not_found"
        );
        assert_eq!(kind(CoreError::Deleted { what: "goal" }), "not_found");
        assert_eq!(kind(CoreError::NotOptedIn), "not_allowed");
        assert_eq!(kind(CoreError::Turn(TurnError::NotYourMove)), "not_allowed");
        assert_eq!(
            kind(CoreError::Turn(TurnError::OutOfPhase {
                phase: DrillPhase::Finished
            })),
            "not_allowed"
        );
        assert_eq!(
            kind(CoreError::GoalStatus(GoalStatusError {
                from: GoalStatus::Idea,
                to: GoalStatus::Done
            })),
            "not_allowed"
        );
    }

    #[test]
    fn sync_and_pairing_errors_have_their_own_variants() {
        assert_eq!(kind(CoreError::NoRelay), "sync");
        assert_eq!(kind(CoreError::NotPaired), "sync");
        assert_eq!(
            kind(CoreError::Sync("the live stream broke".into())),
            "sync"
        );
        assert_eq!(
            kind(CoreError::Relay(RelayError::Unreachable(
                "connection refused".into()
            ))),
            "sync"
        );
        assert_eq!(
            kind(CoreError::InvalidRelayUrl("relay.example".into())),
            "invalid_input"
        );
        assert_eq!(kind(CoreError::SpaceClosed), "not_allowed");
        for pairing in [
            CoreError::WrongCode,
            CoreError::PairingExpired,
            CoreError::PairingClosed,
            CoreError::InvalidCode("it has no number".into()),
            CoreError::Pairing("the mailbox closed".into()),
            CoreError::NoPairingInProgress,
            CoreError::AlreadyPaired,
        ] {
            assert_eq!(kind(pairing), "pairing");
        }
    }

    #[test]
    fn the_reason_is_the_core_message() {
        let error = HearthError::from(CoreError::EmptyBody);
        assert_eq!(error.to_string(), CoreError::EmptyBody.to_string());
        let error = HearthError::from(CoreError::PairingExpired);
        assert_eq!(error.to_string(), CoreError::PairingExpired.to_string());
    }
}
