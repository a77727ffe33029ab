//! What a person (or the platform) does: every [`Action`] goes to
//! [`App::dispatch`](super::App::dispatch), which returns at once; the core
//! does the work and the next [`AppView`](super::AppView) shows the result.

use crate::content::taxonomy::Dimension;
use crate::guidance::assessment::AssessmentKind;
use crate::guidance::assessment::Choice;
use crate::guidance::drill::TurnMove;
use crate::guidance::goal::GoalStatus;
use crate::journal::emotion::Emotion;
use crate::journal::query::EntryFilter;
use crate::journal::reaction::Reaction;

use super::view::{ExportFormat, Tab};

/// One answer while taking an assessment.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum AssessmentItemAnswer {
    /// How much a dimension matters (intimacy assessment).
    Importance {
        /// The dimension.
        dimension: Dimension,
        /// 1 to 5.
        value: u32,
    },
    /// How satisfied with a dimension (intimacy assessment).
    Satisfaction {
        /// The dimension.
        dimension: Dimension,
        /// 1 to 5.
        value: u32,
    },
    /// One of a pair (love languages).
    Choice {
        /// The item.
        item_id: String,
        /// Which one.
        choice: Choice,
    },
    /// A value on the item's scale (attachment, barrier signs).
    Value {
        /// The item.
        item_id: String,
        /// The value.
        value: u32,
    },
    /// Whether a signal is present (professional help).
    Signal {
        /// The item.
        item_id: String,
        /// Present or not.
        present: bool,
    },
}

impl AssessmentItemAnswer {
    /// What this answer is an answer to: a later answer to the same
    /// question replaces an earlier one.
    pub(crate) fn question(&self) -> (u8, String) {
        match self {
            Self::Importance { dimension, .. } => (0, format!("{dimension:?}")),
            Self::Satisfaction { dimension, .. } => (1, format!("{dimension:?}")),
            Self::Choice { item_id, .. }
            | Self::Value { item_id, .. }
            | Self::Signal { item_id, .. } => (2, item_id.clone()),
        }
    }
}

/// Something the person did, or the platform reports.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum Action {
    // --- the app ---
    /// Sets Hearth up with this person's name (the welcome screen).
    Begin {
        /// The name.
        name: String,
    },
    /// Sets Hearth up here as another device of a person who already uses
    /// it (the welcome screen), with the code their other device shows
    /// and its relay.
    LinkThisDevice {
        /// The code shown on the other device.
        code: String,
        /// The relay it syncs through.
        relay_url: String,
        /// A name for this device ("laptop"), shown to both partners.
        label: Option<String>,
    },
    /// Sets Hearth up here as the new device of a person who lost every
    /// device of theirs (the welcome screen), with the code the partner's
    /// device shows ([`Action::LetPartnerBackIn`]) and its relay. The
    /// person's lost devices are removed.
    RejoinThisDevice {
        /// The code shown on the partner's device.
        code: String,
        /// The relay it syncs through.
        relay_url: String,
        /// A name for this device ("phone"), shown to both partners.
        label: Option<String>,
    },
    /// Asks the platform for a JSON export to restore (the welcome
    /// screen): it answers with [`Action::RestoreFromExport`].
    ChooseExportToRestore,
    /// Restores a JSON export (the file's bytes) into this device's new
    /// profile, which can then pair again (the welcome screen). Refused,
    /// with nothing changed, when a profile is here already or the file is
    /// not a readable export.
    RestoreFromExport {
        /// The export file's bytes.
        bytes: Vec<u8>,
    },
    /// Tries opening again after a failure.
    Retry,
    /// The app came to the front.
    Foreground,
    /// The app went to the background.
    Background,
    /// Shows another place.
    Navigate {
        /// Where.
        tab: Tab,
    },
    /// The back gesture: closes what is open on top (an editor, an entry,
    /// a run), if anything.
    Back,
    /// Hides the problem shown on every screen.
    DismissProblem,

    // --- the lock ---
    /// The person asked to unlock: the core asks the platform's prompt.
    Unlock,
    /// The platform's prompt confirmed the owner.
    UnlockSucceeded,
    /// The platform's prompt failed or was dismissed.
    UnlockFailed,
    /// The device has no screen lock any more, so its prompt cannot work:
    /// turns Hearth's lock off and opens (offered only in that case).
    TurnOffLockWithoutDevice,

    // --- Today ---
    /// The answer being written to the question of the day.
    EditAnswer {
        /// The text so far.
        text: String,
    },
    /// Saves the answer to the question of the day.
    SubmitAnswer,
    /// Swaps the question of the day for another (either partner may).
    SwapQuestion,
    /// Marks this person's day of a program done today.
    CompleteProgramDay {
        /// The program.
        program_id: String,
        /// The day number.
        day: u32,
    },

    // --- Journal ---
    /// Loads the next page.
    LoadMoreEntries,
    /// Shows only the entries the filter lets through.
    FilterEntries {
        /// The filter.
        filter: EntryFilter,
    },
    /// Searches titles and texts.
    Search {
        /// The words.
        text: String,
    },
    /// Closes the search.
    ClearSearch,
    /// Shows one entry in full.
    OpenEntry {
        /// Its id.
        id: String,
    },
    /// Closes the entry shown.
    CloseEntry,
    /// Opens the editor for a new entry.
    Compose,
    /// Opens the editor for a new entry about an exercise, with its prompt.
    /// A solo or personal exercise's entry starts private.
    WriteAboutExercise {
        /// The exercise.
        exercise_id: String,
    },
    /// Opens the editor for a new entry about the question of the day.
    WriteAboutQuestion,
    /// Opens the editor on one of this person's entries.
    EditEntry {
        /// Its id.
        id: String,
    },
    /// What the editor holds now (kept if the app is closed).
    EditDraft {
        /// The title.
        title: String,
        /// The text.
        body: String,
        /// The emotions.
        emotions: Vec<Emotion>,
        /// Private (a new entry only).
        private: bool,
    },
    /// Closes the editor and forgets the draft.
    CancelCompose,
    /// Saves the editor's entry.
    SaveEntry,
    /// Deletes an entry here, at the relay and on the partner's device.
    DeleteEntry {
        /// Its id.
        id: String,
    },
    /// Sets (or with `None` clears) this person's reaction.
    React {
        /// The entry.
        entry_id: String,
        /// The reaction.
        reaction: Option<Reaction>,
    },
    /// Comments on a shared entry.
    Comment {
        /// The entry.
        entry_id: String,
        /// The comment.
        body: String,
    },
    /// Deletes one of this person's comments.
    DeleteComment {
        /// The entry.
        entry_id: String,
        /// The comment.
        comment_id: String,
    },
    /// Makes an entry private, or shares it.
    SetEntryPrivate {
        /// The entry.
        id: String,
        /// Private or shared.
        private: bool,
    },

    // --- Exercises ---
    /// Lists the exercises serving a dimension (`None`: all).
    Browse {
        /// The dimension.
        dimension: Option<Dimension>,
    },
    /// Starts an exercise at its first step.
    StartExercise {
        /// The exercise.
        id: String,
    },
    /// The next step.
    NextStep,
    /// The previous step.
    PreviousStep,
    /// Ends the run, recording that it was done (or skipped) today.
    FinishExercise {
        /// Done, or skipped.
        done: bool,
    },
    /// Leaves the run without recording anything.
    CloseExercise,
    /// Starts a turn-based drill on both devices (paired only).
    StartDrill {
        /// The exercise.
        exercise_id: String,
    },
    /// Shows a drill, e.g. one the partner started.
    OpenDrill {
        /// The drill.
        id: String,
    },
    /// Makes a move in the drill shown.
    DrillMove {
        /// The move.
        action: TurnMove,
    },
    /// Closes the drill shown.
    CloseDrill,

    // --- Us ---
    /// Adds an idea to the goals brainstorm.
    AddGoal {
        /// The idea.
        text: String,
    },
    /// Picks a goal, marks it done or sets it aside.
    SetGoalStatus {
        /// The goal.
        id: String,
        /// Its new status.
        status: GoalStatus,
    },
    /// Puts an idea in the date jar.
    AddDateIdea {
        /// The idea.
        text: String,
    },
    /// Puts a starter idea in the date jar.
    AddStarterIdea {
        /// The starter idea's id.
        id: String,
    },
    /// Draws an idea not done yet.
    DrawDateIdea,
    /// Puts the drawn idea back.
    DismissDrawn,
    /// Marks a date idea done today.
    MarkDateDone {
        /// The idea.
        id: String,
    },
    /// Opens the check-in guide.
    BeginCheckIn,
    /// The next section of the guide.
    NextCheckInSection,
    /// The previous section.
    PreviousCheckInSection,
    /// Records the check-in as held today and closes the guide.
    FinishCheckIn {
        /// How this person found the month, 1 (hard) to 5 (good), if they say.
        month: Option<u32>,
    },
    /// Closes the guide without recording.
    CloseCheckIn,
    /// Starts a round of the know-each-other game.
    StartGameRound {
        /// This person answers about themselves; otherwise they guess.
        i_answer: bool,
    },
    /// Answers or guesses in a round.
    PlayGameRound {
        /// The round.
        id: String,
        /// The answer or the guess.
        text: String,
    },
    /// Writes an appreciation note.
    Appreciate {
        /// The note.
        text: String,
    },
    /// Joins a program from today.
    JoinProgram {
        /// The program.
        id: String,
    },
    /// Leaves a program.
    LeaveProgram {
        /// The program.
        id: String,
    },

    // --- assessments ---
    /// Starts taking an assessment.
    BeginAssessment {
        /// Which.
        kind: AssessmentKind,
    },
    /// Answers one question of the assessment being taken.
    AnswerAssessment {
        /// The answer.
        answer: AssessmentItemAnswer,
    },
    /// Stops taking it; the answers are dropped.
    CancelAssessment,
    /// Scores the assessment; the result stays on this device until shared.
    SubmitAssessment,
    /// Hides the result just taken.
    DismissResult,
    /// Shares this person's latest result with the partner.
    ShareAssessment {
        /// Which.
        kind: AssessmentKind,
    },
    /// Withdraws a shared result.
    UnshareAssessment {
        /// Which.
        kind: AssessmentKind,
    },

    // --- Settings ---
    /// Syncs now.
    SyncNow,
    /// Sets the relay to sync through.
    SetRelay {
        /// Its address.
        url: String,
    },
    /// The person read the sync notice.
    DismissSyncNotice,
    /// Changes this person's name.
    SetDisplayName {
        /// The name.
        name: String,
    },
    /// This person's choice about sexual content.
    SetSexualContentOptIn {
        /// Yes or no.
        opt_in: bool,
    },
    /// Turns the app lock on or off.
    SetAppLock {
        /// On or off.
        enabled: bool,
    },
    /// Turns the content-free partner notifications on or off. Turning
    /// them on asks the platform for permission first.
    SetPartnerNews {
        /// On or off.
        enabled: bool,
    },
    /// The platform's answer to the notification permission request.
    NotificationPermission {
        /// Granted or refused.
        granted: bool,
    },
    /// Builds an export and hands it to the platform to save.
    Export {
        /// Which form.
        format: ExportFormat,
    },
    /// Leaves the shared space: the relay erases it; both devices keep a
    /// read-only copy.
    LeaveSpace,
    /// After the shared space closed: keeps this profile, read-only, in a
    /// folder of its own and starts afresh, ready to pair again.
    StartNewSpace,
    /// Erases everything on this device (leaving the space first unless
    /// `leave_first` is false) and returns to the welcome screen.
    EraseEverything {
        /// Tell the relay first.
        leave_first: bool,
    },
    /// Dismisses a failed erase.
    CancelErase,
    /// Shows a code to type on a new device of this person, and waits.
    LinkDevice,
    /// The partner lost every device of theirs: shows a code to type on
    /// their new device, and waits. Once it is in, their other devices
    /// are removed. The rest of the flow is linking's.
    LetPartnerBackIn,
    /// Stops waiting for the new device, or closes the finished flow.
    CancelLinking,
    /// The same number shows on both devices: the link is done.
    ConfirmLinkMatch,
    /// The numbers differ: removes the new device at once.
    ReportLinkMismatch,
    /// Removes another device of this person (a lost phone).
    RemoveDevice {
        /// The device's id.
        device_id: String,
    },

    // --- safety ---
    /// Answers one safety question.
    AnswerSafety {
        /// The question.
        item_id: String,
        /// Yes or no.
        yes: bool,
    },
    /// Takes the safety check (again).
    TakeSafetyCheck,
    /// Records the safety check on this device only.
    SubmitSafetyCheck,
    /// Erases the safety check from this device.
    ClearSafetyCheck,
    /// Turns closeness suggestions back on after a concern.
    ResumeClosenessSuggestions,

    // --- pairing ---
    /// Puts the pairing flow on screen.
    OfferPairing,
    /// Closes it; pairing can be done later from Settings.
    PairLater,
    /// Gets a code to show and waits for the partner to type it.
    ShowCode,
    /// Stops waiting for the partner.
    CancelPairing,
    /// Joins the partner's space with the code they show.
    EnterCode {
        /// The code.
        code: String,
    },
    /// The same safety number shows on both devices.
    ConfirmMatch,
    /// The numbers differ: leaves the space at once.
    ReportMismatch,
}
