//! What the shells render: one [`AppView`] for the whole app, rebuilt by
//! the core after every change and handed to the shell's view listener.
//! Every record here is plain data; the shell decides nothing from it but
//! layout. Content appears only while the app is unlocked.

use crate::DocumentKind;
use crate::content::assessment::Assessments;
use crate::content::checkin::CheckInGuide;
use crate::content::date_jar::DateSuggestion;
use crate::content::exercise::Exercise;
use crate::content::program::{Program, ProgramDay};
use crate::content::safety::{HelpResource, SafetyCheck};
use crate::content::taxonomy::Dimension;
use crate::error::{Error, ErrorKind};
use crate::guidance::appreciation::Appreciation;
use crate::guidance::assessment::{AssessmentKind, Comparison};
use crate::guidance::assessment::{AssessmentResult, Explanation};
use crate::guidance::consent::SexualContentConsent;
use crate::guidance::date_jar::DateIdea;
use crate::guidance::drill::DrillSession;
use crate::guidance::enrolment::Enrolment;
use crate::guidance::game::GameRound;
use crate::guidance::goal::Goal;
use crate::guidance::safety::{SafetyAnswer, SafetyOutcome};
use crate::journal::emotion::Emotion;
use crate::journal::entry::{Entry, EntryLink};
use crate::journal::query::{EntryFilter, SearchHit};
use crate::sync::SyncStatus;
use crate::{CheckInDue, Profile};

/// A failure to show on the screen where it happened. `reason` is the
/// core's sentence: it says what to do and never holds what a person wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Problem {
    /// Which family of failure, so the screen can react (hide, refresh).
    pub kind: ErrorKind,
    /// What went wrong and what to do.
    pub reason: String,
}

impl From<&Error> for Problem {
    fn from(error: &Error) -> Self {
        Self {
            kind: error.kind(),
            reason: error.to_string(),
        }
    }
}

/// The app's five places.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum Tab {
    /// The question of the day, program steps, a suggestion.
    #[default]
    Today,
    /// The couple's journal.
    Journal,
    /// The exercise library, runs and drills.
    Exercises,
    /// Goals, the date jar, check-ins, notes, programs, assessments.
    Us,
    /// Sync, pairing, privacy, safety.
    Settings,
}

/// Where the app stands.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum AppPhase {
    /// Opening the profile.
    Starting,
    /// Hearth is not set up here: ask for this person's name.
    Welcome {
        /// Why the last attempt failed (a refused name, say).
        problem: Option<Problem>,
    },
    /// The profile could not be opened: show why and offer to retry.
    Failed {
        /// What went wrong.
        problem: Problem,
    },
    /// Open: the screens are in [`AppView::screens`].
    Ready,
}

/// The app lock, as the lock screen shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct LockView {
    /// The person turned the lock on.
    pub enabled: bool,
    /// The content is hidden until the person unlocks.
    pub locked: bool,
    /// The device no longer has a screen lock, so its prompt cannot
    /// succeed: the lock screen offers to turn Hearth's lock off instead.
    pub device_lock_gone: bool,
}

/// Erasing everything on this device.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum ErasingView {
    /// Nothing under way.
    Idle,
    /// Leaving the space and deleting the files.
    Running,
    /// The relay could not be told (offline, say): the partner's copy at
    /// the relay was not erased. The person may erase this device anyway.
    LeaveFailed {
        /// Why leaving failed.
        problem: Problem,
    },
}

/// Everything the shell renders.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct AppView {
    /// Where the app stands.
    pub phase: AppPhase,
    /// The app lock.
    pub lock: LockView,
    /// The place shown.
    pub tab: Tab,
    /// Every screen's state: only while open and unlocked.
    pub screens: Option<Screens>,
    /// Erasing everything.
    pub erasing: ErasingView,
    /// Setting this device up as another device of a person who already
    /// uses Hearth ([`crate::app::Action::LinkThisDevice`]): waiting for
    /// their other device. A failure shows on the welcome screen.
    pub joining: bool,
}

/// Every screen of an open, unlocked app.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Screens {
    /// Who this is, the partner once paired, and this device.
    pub profile: Profile,
    /// Paired with a partner (and the space still open): what needs a
    /// partner is offered only then.
    pub paired: bool,
    /// The partner left or the space was closed: shared data is read-only.
    pub closed: bool,
    /// The Today screen.
    pub today: TodayView,
    /// The Journal screen.
    pub journal: JournalView,
    /// The Exercises screen.
    pub exercises: ExercisesView,
    /// The Us screen (with the assessments).
    pub us: UsView,
    /// The Settings screen.
    pub settings: SettingsView,
    /// The safety check and help.
    pub safety: SafetyView,
    /// The pairing flow, while it is on screen.
    pub pairing: Option<PairingView>,
}

// --- Today -------------------------------------------------------------------

/// The partner's answer to the question of the day, as far as it may be seen.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum PartnerAnswerView {
    /// No partner yet: pair to share answers.
    Unpaired,
    /// The partner has not answered yet.
    NotYet,
    /// The partner answered; their words show once this person answers.
    AnswerToSee,
    /// Both answered: the partner's words.
    Shown {
        /// The partner's name.
        name: String,
        /// What they wrote.
        text: String,
    },
}

/// The question of the day.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct QuestionView {
    /// The day, `YYYY-MM-DD`.
    pub day: String,
    /// The question.
    pub text: String,
    /// What it is about.
    pub dimension: Dimension,
    /// This person's answer, once given.
    pub mine: Option<String>,
    /// The partner's, as far as it may be seen.
    pub partner: PartnerAnswerView,
    /// The answer being written (kept if the app is closed).
    pub draft: String,
    /// Saving the answer.
    pub saving: bool,
}

/// A program the couple is in, with this person's next day.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct ProgramStep {
    /// The enrolment and its progress.
    pub enrolment: Enrolment,
    /// This person's next day; `None` once every day is done.
    pub next: Option<ProgramDay>,
}

/// The one suggestion Today shows.
// Plain data for the FFI, built a few times a minute at most: no boxing.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum Suggestion {
    /// An exercise picked for this couple.
    TryExercise {
        /// The exercise.
        exercise: Exercise,
        /// Why, from the couple's own data.
        reason: String,
    },
    /// Talking to a professional might help: never alarmist, never
    /// blocking the rest of the app.
    SeeProfessional {
        /// Why, in plain words.
        reason: String,
        /// What kind of help fits.
        kind_of_help: String,
        /// Where to find help.
        resources: Vec<HelpResource>,
    },
    /// After a safety concern: help, and nothing that pushes closeness.
    SeeHelp {
        /// Why.
        reason: String,
        /// Where to find help.
        resources: Vec<HelpResource>,
    },
}

/// The Today screen.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct TodayView {
    /// The day shown, `YYYY-MM-DD`.
    pub day: String,
    /// The question of the day; `None` until loaded.
    pub question: Option<QuestionView>,
    /// Programs the couple is in.
    pub steps: Vec<ProgramStep>,
    /// One suggestion.
    pub suggestion: Option<Suggestion>,
    /// The monthly check-in is due.
    pub check_in_due: bool,
    /// The last failure here.
    pub problem: Option<Problem>,
}

// --- Journal -----------------------------------------------------------------

/// One entry shown in full, with what this person may do to it.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct OpenEntry {
    /// The entry, its reactions and comments.
    pub entry: Entry,
    /// Edit or delete it (the author, while the space is open or it is private).
    pub can_edit: bool,
    /// React and comment (a shared entry in an open space).
    pub can_respond: bool,
    /// Move it between private and shared (the author, paired, space open).
    pub can_change_visibility: bool,
    /// What it is about, in words (a question or an exercise title).
    pub about: Option<String>,
}

/// The entry editor.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct ComposerView {
    /// The title being written.
    pub title: String,
    /// The text being written.
    pub body: String,
    /// The emotions picked.
    pub emotions: Vec<Emotion>,
    /// Kept on this device only, never synced.
    pub private: bool,
    /// The entry being edited; `None` for a new one.
    pub editing: Option<String>,
    /// What a new entry is about.
    pub link: Option<EntryLink>,
    /// A prompt to write to.
    pub prompt: Option<String>,
    /// Whether the private switch may change (a new entry, paired; an
    /// unpaired person's entries are private until they pair anyway).
    pub can_choose_private: bool,
    /// Saving.
    pub saving: bool,
}

/// A search and what it found.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct SearchView {
    /// The words searched for.
    pub text: String,
    /// Matching entries, newest first.
    pub hits: Vec<SearchHit>,
}

/// The Journal screen.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct JournalView {
    /// Entries shown, newest first.
    pub entries: Vec<Entry>,
    /// More entries follow.
    pub has_more: bool,
    /// The filter in force.
    pub filter: EntryFilter,
    /// The search shown, if any.
    pub search: Option<SearchView>,
    /// The entry shown in full.
    pub open: Option<OpenEntry>,
    /// The editor, while open.
    pub composer: Option<ComposerView>,
    /// New shared entries can be written (the space is not closed).
    pub can_write: bool,
    /// The last failure here.
    pub problem: Option<Problem>,
}

// --- Exercises ---------------------------------------------------------------

/// An exercise with the reason it is suggested.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct RecommendedExercise {
    /// The exercise.
    pub exercise: Exercise,
    /// Why, from the couple's own data.
    pub reason: String,
}

/// An exercise being done step by step on this device.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct ExerciseRun {
    /// The exercise.
    pub exercise: Exercise,
    /// The step shown, from 0.
    pub step: u32,
    /// Every step done: offer the journal prompt and logging.
    pub finished: bool,
    /// The step shown is the last.
    pub is_last_step: bool,
    /// It can be done as a turn-based drill on both phones (paired only).
    pub can_take_turns: bool,
}

/// A turn-based drill with the exercise it practises.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct DrillOnScreen {
    /// Whose turn, which moves are allowed.
    pub session: DrillSession,
    /// The exercise, for its cues.
    pub exercise: Exercise,
}

/// The Exercises screen.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct ExercisesView {
    /// The dimension browsed; `None` for all.
    pub dimension: Option<Dimension>,
    /// Dimensions with exercises this couple may see.
    pub dimensions: Vec<Dimension>,
    /// The exercises listed.
    pub exercises: Vec<Exercise>,
    /// Suggested for this couple, with reasons (none after a safety concern).
    pub recommended: Vec<RecommendedExercise>,
    /// The exercise being done.
    pub run: Option<ExerciseRun>,
    /// The drill shown.
    pub drill: Option<DrillOnScreen>,
    /// Drills not over, e.g. one the partner started.
    pub open_drills: Vec<DrillOnScreen>,
    /// The last failure here.
    pub problem: Option<Problem>,
}

// --- Us ----------------------------------------------------------------------

/// A check-in being held.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct CheckInSession {
    /// The guide.
    pub guide: CheckInGuide,
    /// The section shown, from 0.
    pub section: u32,
    /// Past the last section: the closing words.
    pub closing: bool,
}

/// One assessment: this person's latest result, the partner's shared one,
/// and how they compare.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct AssessmentSummary {
    /// Which assessment.
    pub kind: AssessmentKind,
    /// This person's latest result (private until shared).
    pub mine: Option<AssessmentResult>,
    /// Whether this person's result is shared.
    pub shared: bool,
    /// The partner's shared result.
    pub partner: Option<AssessmentResult>,
    /// Once both shared: where they differ most.
    pub comparison: Option<Comparison>,
    /// This person's result, explained in words.
    pub explanation: Option<Explanation>,
}

/// An assessment being taken.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct AssessmentDraftView {
    /// Which assessment.
    pub kind: AssessmentKind,
    /// The answers given so far.
    pub answers: Vec<super::action::AssessmentItemAnswer>,
    /// Questions answered, of how many.
    pub answered: u32,
    /// How many questions it has.
    pub total: u32,
    /// Scoring it.
    pub submitting: bool,
}

/// The assessments.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct AssessmentsView {
    /// The questions, as this couple may see them.
    pub forms: Assessments,
    /// One per kind.
    pub summaries: Vec<AssessmentSummary>,
    /// The assessment being taken.
    pub draft: Option<AssessmentDraftView>,
    /// The result just taken, until dismissed.
    pub just_taken: Option<AssessmentResult>,
}

/// The Us screen.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct UsView {
    /// Goals, oldest first.
    pub goals: Vec<Goal>,
    /// Both partners offered ideas: the couple can pick.
    pub ready_to_pick: bool,
    /// The date jar.
    pub date_ideas: Vec<DateIdea>,
    /// Ideas to start the jar with.
    pub starter_ideas: Vec<DateSuggestion>,
    /// The idea drawn, until dismissed.
    pub drawn: Option<DateIdea>,
    /// The jar had nothing left to draw.
    pub jar_empty: bool,
    /// When the next check-in is due.
    pub check_in: Option<CheckInDue>,
    /// The check-in being held.
    pub check_in_session: Option<CheckInSession>,
    /// Appreciation notes, newest first.
    pub appreciations: Vec<Appreciation>,
    /// Rounds of the know-each-other game, newest first.
    pub game: Vec<GameRound>,
    /// Programs on offer.
    pub programs: Vec<Program>,
    /// Programs either partner is in.
    pub enrolments: Vec<Enrolment>,
    /// Assessments.
    pub assessments: AssessmentsView,
    /// The last failure here.
    pub problem: Option<Problem>,
}

// --- Settings, safety, pairing ------------------------------------------------

/// The two forms of the journal export.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum ExportFormat {
    /// Everything, machine-readable.
    Json,
    /// The journal, to read.
    Markdown,
}

/// The Settings screen.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct SettingsView {
    /// Where sync stands.
    pub sync: SyncStatus,
    /// Syncing now.
    pub syncing: bool,
    /// Both partners' choices about sexual content.
    pub consent: SexualContentConsent,
    /// The app lock is on.
    pub app_lock: bool,
    /// The device can confirm its owner (it has a screen lock), so the app
    /// lock may be turned on.
    pub can_lock: bool,
    /// Content-free notifications of the partner's news are on.
    pub partner_news: bool,
    /// The person asked for notifications and the device refused them.
    pub notifications_blocked: bool,
    /// Building the export.
    pub exporting: bool,
    /// Leaving the shared space.
    pub leaving: bool,
    /// The devices of both partners; linking and removing.
    pub devices: DevicesView,
    /// The last failure here.
    pub problem: Option<Problem>,
}

/// Linking another device of this person (a new phone, a laptop).
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum LinkingStep {
    /// Nothing under way.
    Idle,
    /// Asking the relay for a code.
    GettingCode,
    /// Showing the code until the new device types it there.
    ShowCode {
        /// The code.
        code: String,
        /// When it stops working (Unix ms).
        expires_at_ms: i64,
        /// The relay the new device must use too.
        relay_url: String,
    },
    /// Both devices show this number: compare them.
    Compare {
        /// The new device's id.
        device_id: String,
        /// The name it was given, if any.
        device_label: Option<String>,
        /// The number both devices show.
        safety_number: String,
    },
    /// The numbers matched: the device is in the space.
    Linked,
    /// The numbers differed: the device was removed again at once.
    Removed,
}

/// The devices part of Settings.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct DevicesView {
    /// Every device of both partners, this one first.
    pub devices: Vec<crate::hearth::DeviceInfo>,
    /// Linking another device of this person.
    pub linking: LinkingStep,
    /// A device is being removed.
    pub removing: bool,
    /// The linking flow lets the partner back in on a new device (after
    /// they lost every device of theirs), not a device of this person.
    pub for_partner: bool,
}

/// The safety screen. Everything in it stays on this device.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct SafetyView {
    /// The questions and help resources.
    pub check: SafetyCheck,
    /// Answers given so far.
    pub answers: Vec<SafetyAnswer>,
    /// The last check's outcome, unless erased.
    pub outcome: Option<SafetyOutcome>,
    /// Taking the check (again).
    pub taking: bool,
    /// Closeness suggestions stay paused after a concern, even once the
    /// check is cleared, until the person resumes them.
    pub closeness_paused: bool,
    /// The last failure here.
    pub problem: Option<Problem>,
}

/// Where pairing stands.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum PairingStep {
    /// Show a code, or enter the partner's.
    Choose,
    /// Asking the relay for a code.
    GettingCode,
    /// Showing the code until the partner types it.
    ShowCode {
        /// The code.
        code: String,
        /// When it stops working (Unix ms).
        expires_at_ms: i64,
    },
    /// Joining with the partner's code.
    Joining,
    /// Both devices show this number: compare them.
    Compare {
        /// The partner's name.
        partner_name: String,
        /// The safety number.
        safety_number: String,
    },
    /// The numbers matched: paired.
    Paired,
    /// The numbers differed: this device left again; nothing was shared.
    Mismatch,
}

/// The pairing flow.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct PairingView {
    /// The step.
    pub step: PairingStep,
    /// No relay is set yet: ask for its address first.
    pub needs_relay: bool,
    /// Waiting on the network.
    pub busy: bool,
    /// The last failure here.
    pub problem: Option<Problem>,
}

/// Which screens show documents of a kind: what a change of that kind
/// must reload.
pub(crate) fn screens_showing(kind: DocumentKind) -> &'static [Screen] {
    match kind {
        DocumentKind::Entry => &[Screen::Journal],
        DocumentKind::Answer => &[Screen::Today],
        DocumentKind::Drill => &[Screen::Exercises],
        DocumentKind::Enrolment | DocumentKind::CheckIns => &[Screen::Today, Screen::Us],
        DocumentKind::Goal
        | DocumentKind::DateIdea
        | DocumentKind::Appreciation
        | DocumentKind::Game => &[Screen::Us],
        DocumentKind::Assessment => &[Screen::Us, Screen::Exercises, Screen::Today],
        // A partner's name or consent: what may be shown changes everywhere.
        DocumentKind::Member => &Screen::ALL,
    }
}

/// A screen whose data the core loads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Screen {
    Today,
    Journal,
    Exercises,
    Us,
    Settings,
    Safety,
}

impl Screen {
    pub(crate) const ALL: [Self; 6] = [
        Self::Today,
        Self::Journal,
        Self::Exercises,
        Self::Us,
        Self::Settings,
        Self::Safety,
    ];
}
