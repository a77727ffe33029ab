//! The core's error type: every failure a caller can meet, each saying what
//! went wrong and what to do. Messages never contain what a person wrote.

use std::path::PathBuf;

/// Result with the core's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Everything that can go wrong in the Hearth core.
///
/// Shells act on its [`kind`](Error::kind), the few families of failure
/// they handle differently; the mapping lives here, once.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    // --- input a person typed ---
    /// The entry has no words.
    #[error("the entry is empty: write at least a few words before saving")]
    EmptyBody,
    /// The entry is over the length limit.
    #[error("the entry is {len} characters long and the limit is {max}: split it into two entries")]
    BodyTooLong { len: usize, max: usize },
    /// The title is over the length limit.
    #[error("the title is {len} characters long and the limit is {max}: shorten it")]
    TitleTooLong { len: usize, max: usize },
    /// The comment has no words.
    #[error("the comment is empty: write something before sending it")]
    EmptyComment,
    /// The comment is over the length limit.
    #[error("the comment is {len} characters long and the limit is {max}: shorten it")]
    CommentTooLong { len: usize, max: usize },
    /// An emotion name outside Hearth's vocabulary.
    #[error("\"{0}\" is not one of Hearth's emotions: pick one from the emotion list")]
    UnknownEmotion(String),
    /// A reaction name outside Hearth's set.
    #[error("\"{0}\" is not one of Hearth's reactions: pick one from the reaction list")]
    UnknownReaction(String),
    /// A link kind outside Hearth's set.
    #[error("\"{0}\" is not something an entry can be linked to")]
    UnknownLinkKind(String),
    /// The display name is empty or too long.
    #[error("a name needs 1 to {max} characters")]
    InvalidName { max: usize },
    /// A search with no word in it.
    #[error("type at least one word to search for")]
    EmptySearch,
    /// A paging cursor that this app did not hand out.
    #[error("the page cursor is not valid: start again from the first page")]
    InvalidCursor,

    /// A day that is not `YYYY-MM-DD`.
    #[error("\"{0}\" is not a date: use the form 2026-11-26")]
    InvalidDate(String),
    /// A text field left empty.
    #[error("the {what} is empty: write a few words first")]
    EmptyText { what: &'static str },
    /// A text field over its limit.
    #[error("the {what} is {len} characters long and the limit is {max}: shorten it")]
    TextTooLong {
        what: &'static str,
        len: usize,
        max: usize,
    },

    // --- the guidance layer's rules ---
    /// No such exercise, program, goal, idea or drill.
    #[error("there is no {what} with id {id}")]
    NotFound { what: &'static str, id: String },
    /// The item was deleted, here or on the partner's phone.
    #[error("this {what} was deleted, so it can no longer be changed")]
    Deleted { what: &'static str },
    /// A game round both partners are in: its answer and guess are set.
    #[error("you are both in, so this round is set; start a new round to play again")]
    RoundRevealed,
    /// Sensitive content both partners have not opted in to.
    #[error("this is only offered when you have both chosen to see sexual content (in Settings)")]
    NotOptedIn,
    /// The embedded content failed its checks (a build defect).
    #[error(transparent)]
    Content(#[from] crate::content::ContentError),
    /// Assessment answers that do not fit the assessment.
    #[error(transparent)]
    Score(#[from] crate::guidance::assessment::ScoreError),
    /// A drill move that does not fit the drill right now.
    #[error(transparent)]
    Turn(#[from] crate::guidance::drill::TurnError),
    /// A goal status change that is not allowed.
    #[error(transparent)]
    GoalStatus(#[from] crate::guidance::goal::GoalStatusError),
    /// Progress marks that do not fit the program.
    #[error(transparent)]
    Progress(#[from] crate::guidance::enrolment::ProgressError),

    // --- the journal's rules ---
    /// No entry with that id on this phone.
    #[error("there is no journal entry with id {0} on this device")]
    EntryNotFound(String),
    /// The entry was deleted, here or on the partner's phone.
    #[error("this entry was deleted, so it can no longer be changed")]
    EntryDeleted(String),
    /// Only the author may do this to the entry.
    #[error("only the person who wrote this entry can do that")]
    NotYourEntry,
    /// Reactions and comments need a shared entry.
    #[error(
        "private entries stay on your device, so they take no reactions or comments: share the entry first"
    )]
    NotShared,
    /// No comment with that id on the entry.
    #[error("there is no comment with id {0} on this entry")]
    CommentNotFound(String),
    /// Only the comment's author may delete it.
    #[error("only the person who wrote this comment can delete it")]
    NotYourComment,

    // --- data from elsewhere ---
    /// Bytes for a document that could not be read. Nothing was applied.
    #[error("the data received for document {doc_id} is damaged and was not applied ({reason})")]
    CorruptDocument { doc_id: String, reason: String },
    /// A document whose contents do not match its kind. Nothing was applied.
    #[error("document {doc_id} does not hold a valid {kind} and was not applied ({reason})")]
    InvalidDocument {
        doc_id: String,
        kind: crate::DocumentKind,
        reason: String,
    },

    // --- sync and pairing ---
    /// No relay address is set yet.
    #[error("no relay is set: choose the relay to sync through in Settings")]
    NoRelay,
    /// A relay address that is not an http(s) URL.
    #[error("\"{0}\" is not a relay address: use a web address such as https://relay.example.org")]
    InvalidRelayUrl(String),
    /// Sync needs a partner first.
    #[error("this device is not paired with a partner yet: pair first, then sync")]
    NotPaired,
    /// The shared space was closed; shared data is read-only.
    #[error(
        "your shared space was closed, so the shared journal is now read-only: you can still read and export it"
    )]
    SpaceClosed,
    /// The relay could not be reached or refused the request.
    #[error("{0}; your changes are kept on this device and will be sent later")]
    Relay(#[from] crate::sync::client::RelayError),
    /// A sync step failed on this phone.
    #[error("sync could not finish ({0})")]
    Sync(#[source] Failure),
    /// The pairing code did not match on both phones.
    #[error(
        "the code did not match on both devices, so nothing was shared: start again with a new code"
    )]
    WrongCode,
    /// The pairing code expired.
    #[error("this code has expired: make a new one on the device that showed it")]
    PairingExpired,
    /// The other phone stopped pairing.
    #[error(
        "pairing was stopped on the other device (a mistyped code does this too): start again with a new code"
    )]
    PairingClosed,
    /// A pairing code that cannot be used.
    #[error("this code cannot be used: {0}")]
    InvalidCode(String),
    /// Pairing failed for another reason.
    #[error("pairing failed ({0}): start again with a new code")]
    Pairing(#[source] Failure),
    /// No pairing is waiting to be finished.
    #[error("no pairing is in progress: start one first")]
    NoPairingInProgress,

    // --- the data directory and database ---
    /// The database was written by a newer app version.
    #[error(
        "this data was written by a newer version of Hearth (format {found}; this version reads up to {supported}): update Hearth to open it"
    )]
    NewerSchema { found: i64, supported: i64 },
    /// The data directory could not be created or opened.
    #[error("could not use the data folder {path}: {source}")]
    DataDir {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// This device's keys could not be read or saved.
    #[error(
        "this device's keys could not be used ({0}); check the app may use secure storage, then try again"
    )]
    Keys(#[from] crate::crypto::KeyError),
    /// The file is not a Hearth database, or it is damaged.
    #[error(
        "the Hearth database could not be read ({0}); restore it from an export or start a new one"
    )]
    DamagedDatabase(String),
    /// The profile's files are damaged or incomplete; nothing was written.
    #[error(
        "{0}; nothing was changed. Put the file (or the key) back from a backup and open Hearth again, or start over (the old files are kept in a set-aside folder) and import an export"
    )]
    DamagedProfile(crate::store::files::Damage),
    /// SQLite failed.
    #[error(
        "Hearth's database failed ({0}); if this keeps happening, check free space and restart the app"
    )]
    Database(#[from] rusqlite::Error),
    /// Automerge failed on a document this phone wrote itself.
    #[error("a shared document could not be updated ({0}); nothing was saved")]
    Document(#[from] automerge::AutomergeError),
    /// Export could not be serialized.
    #[error("the export could not be written ({0})")]
    Export(String),
    /// An export could not be imported; nothing was changed.
    #[error("{0}; nothing was imported or changed")]
    Import(#[from] crate::hearth::ImportError),
    /// Background work could not start.
    #[error("Hearth could not start its background work ({0}); restart the app")]
    Background(String),

    // --- the app's rules ---
    /// Something that needs a partner, asked for before pairing.
    #[error("this needs your partner: pair your devices first (in Settings)")]
    NeedsPartner,
    /// The app lock was asked for on a device that cannot confirm its owner.
    #[error("this device has no screen lock: set one in the device's settings, then turn this on")]
    NoDeviceLock,
    /// The lock was asked to turn off without the owner prompt while the
    /// device can still show it.
    #[error("this device can still confirm it is you: unlock with its prompt")]
    DeviceStillLocks,

    /// This phone is already paired: a couple is two people, so it can
    /// neither let a third phone into the space nor join another one.
    #[error(
        "this device is already paired with your partner, and a space holds two people: nothing was shared. To pair with someone else, leave the shared space first"
    )]
    AlreadyPaired,
    /// The relay refused this phone: another device of this person removed
    /// it from the shared space. Sync stops for good.
    #[error(
        "this device was removed from your shared space (from another of your devices, or by your partner letting you in on a new one), so it no longer syncs: what is on it stays here to read and export, and nothing written from now on reaches it"
    )]
    DeviceRemoved,
    /// A new device can be linked only into a fresh data folder: this one
    /// already holds a profile, which linking would replace.
    #[error(
        "this device already has a Hearth profile; linking sets up a new one, so it needs a device (or data folder) where Hearth was never set up"
    )]
    ProfileExists,
    /// A device name that is too long or holds control characters.
    #[error("a device name has at most {max} characters, and no control characters")]
    InvalidDeviceLabel { max: usize },
    /// Removing this phone itself was asked for.
    #[error(
        "this is the device you are using: remove it from another of your devices, or leave the shared space"
    )]
    CannotRemoveThisDevice,
    /// No device of the space has this id.
    #[error("no device in your shared space has the id {0}: check it in the list of devices")]
    UnknownDevice(String),
    /// The device belongs to the partner.
    #[error(
        "that device is your partner's: only they can remove it, from another of their devices"
    )]
    NotYourDevice,
    /// A relay address with a user name or password in it.
    #[error(
        "a relay address cannot hold a user name or password: use the address alone, such as https://relay.example.org"
    )]
    RelayUrlWithCredentials,
    /// An answer for a day that has not come yet.
    #[error("{0} has not come yet: you can answer today's question or an earlier day's")]
    FutureDay(String),
}

/// Why a sync or pairing step failed: the words shown (which never hold
/// content), and the error that caused it, kept as its source.
///
/// ```
/// use hearth_core::error::{Error, Failure};
/// let cause = std::io::Error::other("no randomness");
/// let error = Error::Sync(Failure::context("a blob id could not be made", cause));
/// assert_eq!(error.to_string(), "sync could not finish (a blob id could not be made: no randomness)");
/// assert!(std::error::Error::source(&error).and_then(|f| f.source()).is_some());
/// ```
#[derive(Debug)]
pub struct Failure {
    reason: Option<String>,
    source: Option<Source>,
}

impl Failure {
    /// A failure with no other error behind it.
    pub fn new(reason: impl Into<String>) -> Self {
        Self {
            reason: Some(reason.into()),
            source: None,
        }
    }

    /// A failure that is `source`, in its own words.
    pub fn caused_by(source: impl Into<Source>) -> Self {
        Self {
            reason: None,
            source: Some(source.into()),
        }
    }

    /// A failure saying `reason`, then `source`'s words after a colon.
    pub fn context(reason: impl Into<String>, source: impl Into<Source>) -> Self {
        Self {
            reason: Some(reason.into()),
            source: Some(source.into()),
        }
    }
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match (&self.reason, &self.source) {
            (Some(reason), Some(source)) => write!(f, "{reason}: {source}"),
            (Some(reason), None) => f.write_str(reason),
            (None, Some(source)) => write!(f, "{source}"),
            (None, None) => f.write_str("no reason was given"),
        }
    }
}

impl std::error::Error for Failure {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.source
            .as_deref()
            .map(|s| s as &(dyn std::error::Error + 'static))
    }
}

impl From<&str> for Failure {
    fn from(reason: &str) -> Self {
        Self::new(reason)
    }
}

impl From<String> for Failure {
    fn from(reason: String) -> Self {
        Self::new(reason)
    }
}

/// The families of failure a shell handles differently.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum ErrorKind {
    /// What the person typed or picked was refused: show the reason by the field.
    InvalidInput,
    /// The item is not (or no longer) here: refresh.
    NotFound,
    /// A rule refuses it (author only, whose turn, opt-in, a closed space): hide the action.
    NotAllowed,
    /// Syncing failed; nothing was lost and it is tried again.
    Sync,
    /// Pairing did not complete; nothing was shared. Start again.
    Pairing,
    /// The platform's secure storage refused: unlock the phone, then retry.
    KeyStore,
    /// The data was written by a newer Hearth: update.
    UpdateRequired,
    /// The data folder or database failed: check free space, then restart.
    Storage,
    /// A fault inside Hearth. The reason holds no content.
    Internal,
}

/// A boxed error kept as the source of a [`Failure`].
type Source = Box<dyn std::error::Error + Send + Sync + 'static>;

impl Error {
    /// A sync step failed because of `source`, in its words.
    pub fn sync_failed(source: impl Into<Source>) -> Self {
        Self::Sync(Failure::caused_by(source))
    }

    /// A sync step failed at `step` because of `source`.
    pub fn sync_failed_at(step: &str, source: impl Into<Source>) -> Self {
        Self::Sync(Failure::context(step, source))
    }

    /// Pairing failed because of `source`, in its words.
    pub fn pairing_failed(source: impl Into<Source>) -> Self {
        Self::Pairing(Failure::caused_by(source))
    }

    /// Which family this failure belongs to. Every variant is mapped here,
    /// so a new one cannot silently become "internal".
    pub fn kind(&self) -> ErrorKind {
        use crate::guidance::drill::TurnError;
        match self {
            Self::EmptyBody
            | Self::BodyTooLong { .. }
            | Self::TitleTooLong { .. }
            | Self::EmptyComment
            | Self::CommentTooLong { .. }
            | Self::UnknownEmotion(_)
            | Self::UnknownReaction(_)
            | Self::UnknownLinkKind(_)
            | Self::InvalidName { .. }
            | Self::InvalidDeviceLabel { .. }
            | Self::EmptySearch
            | Self::InvalidCursor
            | Self::InvalidDate(_)
            | Self::EmptyText { .. }
            | Self::TextTooLong { .. }
            | Self::Score(_)
            | Self::Progress(_)
            | Self::Turn(TurnError::Rounds { .. })
            | Self::InvalidRelayUrl(_)
            | Self::RelayUrlWithCredentials
            | Self::FutureDay(_) => ErrorKind::InvalidInput,
            Self::EntryNotFound(_)
            | Self::UnknownDevice(_)
            | Self::EntryDeleted(_)
            | Self::CommentNotFound(_)
            | Self::NotFound { .. }
            | Self::Deleted { .. } => ErrorKind::NotFound,
            Self::NotYourEntry
            | Self::NotShared
            | Self::NotYourComment
            | Self::NotOptedIn
            | Self::SpaceClosed
            | Self::GoalStatus(_)
            | Self::Turn(_)
            | Self::RoundRevealed
            | Self::NeedsPartner
            | Self::NoDeviceLock
            | Self::DeviceStillLocks
            | Self::DeviceRemoved
            | Self::CannotRemoveThisDevice
            | Self::NotYourDevice => ErrorKind::NotAllowed,
            Self::CorruptDocument { .. }
            | Self::InvalidDocument { .. }
            | Self::NoRelay
            | Self::NotPaired
            | Self::Relay(_)
            | Self::Sync(_) => ErrorKind::Sync,
            Self::WrongCode
            | Self::PairingExpired
            | Self::PairingClosed
            | Self::InvalidCode(_)
            | Self::Pairing(_)
            | Self::NoPairingInProgress
            | Self::ProfileExists
            | Self::AlreadyPaired => ErrorKind::Pairing,
            Self::Keys(_) => ErrorKind::KeyStore,
            Self::NewerSchema { .. } => ErrorKind::UpdateRequired,
            Self::Import(e) => match e {
                crate::hearth::ImportError::NewerVersion { .. } => ErrorKind::UpdateRequired,
                crate::hearth::ImportError::ProfileInUse => ErrorKind::NotAllowed,
                _ => ErrorKind::InvalidInput,
            },
            Self::DataDir { .. }
            | Self::DamagedDatabase(_)
            | Self::DamagedProfile(_)
            | Self::Database(_) => ErrorKind::Storage,
            // Automerge failing on this phone's own document, embedded
            // content failing its checks (a build defect), an export that
            // could not be serialized.
            Self::Document(_) | Self::Content(_) | Self::Export(_) | Self::Background(_) => {
                ErrorKind::Internal
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::error::Error as _;

    #[test]
    fn sync_and_pairing_failures_keep_their_source_and_their_words() {
        let cause = || std::io::Error::other("no randomness");
        let error = Error::sync_failed(cause());
        assert_eq!(error.to_string(), "sync could not finish (no randomness)");
        let failure = error.source().expect("the failure");
        let io = failure.source().expect("the cause");
        assert!(io.downcast_ref::<std::io::Error>().is_some());

        let error = Error::sync_failed_at("a member tag could not be made", cause());
        assert_eq!(
            error.to_string(),
            "sync could not finish (a member tag could not be made: no randomness)"
        );

        let error = Error::pairing_failed(cause());
        assert_eq!(
            error.to_string(),
            "pairing failed (no randomness): start again with a new code"
        );
        assert!(error.source().and_then(|f| f.source()).is_some());

        // A failure with words only has no cause behind it.
        let error = Error::Sync("the live stream broke".into());
        assert_eq!(
            error.to_string(),
            "sync could not finish (the live stream broke)"
        );
        assert!(error.source().and_then(|f| f.source()).is_none());
    }
}
