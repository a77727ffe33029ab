//! The public error: the few kinds of failure a shell reacts to
//! differently, each with a reason to show or log. The core's rich error is
//! mapped onto it here, and only here.

use hearth_core::Error as CoreError;

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
    /// The entry or comment is not (or no longer) on this phone: refresh
    /// the list.
    #[error("{reason}")]
    NotFound {
        /// What was missing.
        reason: String,
    },
    /// Only the author, or only a shared entry, allows this: hide the
    /// action.
    #[error("{reason}")]
    NotAllowed {
        /// Which rule refused it.
        reason: String,
    },
    /// Data from the partner's phone could not be applied; nothing changed.
    /// The next sync tries again.
    #[error("{reason}")]
    Sync {
        /// What was wrong with the data.
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
        // The core's messages already say what to do and hold no content.
        let reason = error.to_string();
        match error {
            CoreError::EmptyBody
            | CoreError::BodyTooLong { .. }
            | CoreError::TitleTooLong { .. }
            | CoreError::EmptyComment
            | CoreError::CommentTooLong { .. }
            | CoreError::UnknownEmotion(_)
            | CoreError::UnknownReaction(_)
            | CoreError::UnknownLinkKind(_)
            | CoreError::InvalidName { .. }
            | CoreError::EmptySearch
            | CoreError::InvalidCursor => Self::InvalidInput { reason },
            CoreError::EntryNotFound(_)
            | CoreError::EntryDeleted(_)
            | CoreError::CommentNotFound(_) => Self::NotFound { reason },
            CoreError::NotYourEntry | CoreError::NotShared | CoreError::NotYourComment => {
                Self::NotAllowed { reason }
            }
            CoreError::CorruptDocument { .. } | CoreError::InvalidDocument { .. } => {
                Self::Sync { reason }
            }
            CoreError::Keys(_) => Self::KeyStore { reason },
            CoreError::NewerSchema { .. } => Self::UpdateRequired { reason },
            CoreError::DataDir { .. } | CoreError::DamagedDatabase(_) | CoreError::Database(_) => {
                Self::Storage { reason }
            }
            // Automerge failing on our own document, a failed export, and
            // variants the core adds later.
            _ => Self::Internal { reason },
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

    fn kind(error: CoreError) -> &'static str {
        match HearthError::from(error) {
            HearthError::InvalidInput { .. } => "invalid_input",
            HearthError::NotFound { .. } => "not_found",
            HearthError::NotAllowed { .. } => "not_allowed",
            HearthError::Sync { .. } => "sync",
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
    fn the_reason_is_the_core_message() {
        let error = HearthError::from(CoreError::EmptyBody);
        assert_eq!(error.to_string(), CoreError::EmptyBody.to_string());
    }
}
