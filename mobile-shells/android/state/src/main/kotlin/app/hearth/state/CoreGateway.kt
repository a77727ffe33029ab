package app.hearth.state

import app.hearth.core.Appreciation
import app.hearth.core.AssessmentAnswers
import app.hearth.core.AssessmentKind
import app.hearth.core.AssessmentResult
import app.hearth.core.AttachmentAssessment
import app.hearth.core.BarrierSignsAssessment
import app.hearth.core.CheckInDue
import app.hearth.core.CheckInGuide
import app.hearth.core.Comparison
import app.hearth.core.DailyQuestion
import app.hearth.core.DateIdea
import app.hearth.core.DrillSession
import app.hearth.core.Enrolment
import app.hearth.core.Entry
import app.hearth.core.EntryFilter
import app.hearth.core.EntryPage
import app.hearth.core.EntryUpdate
import app.hearth.core.Event
import app.hearth.core.Exercise
import app.hearth.core.ExerciseFilter
import app.hearth.core.Goal
import app.hearth.core.GoalStatus
import app.hearth.core.IntimacyAssessment
import app.hearth.core.LoveLanguageAssessment
import app.hearth.core.NewEntry
import app.hearth.core.PairingInvite
import app.hearth.core.PairingResult
import app.hearth.core.ProfessionalHelpAssessment
import app.hearth.core.Profile
import app.hearth.core.Program
import app.hearth.core.Reaction
import app.hearth.core.SafetyAnswer
import app.hearth.core.SafetyCheck
import app.hearth.core.SafetyOutcome
import app.hearth.core.SearchHit
import app.hearth.core.SexualContentConsent
import app.hearth.core.SyncReport
import app.hearth.core.SyncStatus
import app.hearth.core.Today
import app.hearth.core.TurnMove
import app.hearth.core.Visibility

/**
 * The core as the state holders see it: one method per call of the generated
 * `Hearth` they use, with the core's own records and enums. The app
 * implements it in one file (`HearthGateway`, on the generated bindings);
 * the tests implement it with a fake. Every decision stays in the core: a
 * method here forwards, it never decides.
 *
 * Every call is `suspend` so the implementation can move blocking FFI calls
 * off the main thread, and so a call the bindings make `suspend` later needs
 * no change here. Failures arrive as the generated `HearthException`.
 */
interface CoreGateway : AutoCloseable {
    // --- profile ---------------------------------------------------------------

    suspend fun profile(): Profile

    suspend fun setDisplayName(name: String)

    // --- journal ---------------------------------------------------------------

    suspend fun writeEntry(entry: NewEntry): Entry

    suspend fun editEntry(id: String, update: EntryUpdate): Entry

    suspend fun deleteEntry(id: String)

    suspend fun setEntryVisibility(id: String, visibility: Visibility): Entry

    suspend fun entry(id: String): Entry

    suspend fun listEntries(filter: EntryFilter, limit: UInt, cursor: String?): EntryPage

    suspend fun searchEntries(text: String, filter: EntryFilter, limit: UInt): List<SearchHit>

    suspend fun react(entryId: String, reaction: Reaction?): Entry

    suspend fun addComment(entryId: String, body: String): Entry

    suspend fun deleteComment(entryId: String, commentId: String): Entry

    suspend fun exportJson(): String

    suspend fun exportMarkdown(): String

    /** Calls [onEvent] for each change (on the core's thread) until the result is closed. */
    fun subscribe(onEvent: (Event) -> Unit): AutoCloseable

    // --- guidance --------------------------------------------------------------

    suspend fun setSexualContentOptIn(optIn: Boolean)

    suspend fun sexualContentConsent(): SexualContentConsent

    suspend fun today(day: String): Today

    suspend fun dailyQuestion(day: String): DailyQuestion

    suspend fun answerDailyQuestion(day: String, text: String): DailyQuestion

    suspend fun exercises(filter: ExerciseFilter): List<Exercise>

    suspend fun exercise(id: String): Exercise

    suspend fun logExercise(id: String, day: String, done: Boolean)

    suspend fun startDrill(exerciseId: String): DrillSession

    suspend fun drill(id: String): DrillSession

    suspend fun drillMove(id: String, action: TurnMove): DrillSession

    suspend fun openDrills(): List<DrillSession>

    /** The questionnaires of the five assessments. */
    suspend fun assessmentForms(): AssessmentForms

    suspend fun takeAssessment(answers: AssessmentAnswers): AssessmentResult

    suspend fun myAssessment(kind: AssessmentKind): AssessmentResult?

    suspend fun partnerAssessment(kind: AssessmentKind): AssessmentResult?

    suspend fun shareAssessment(kind: AssessmentKind)

    suspend fun unshareAssessment(kind: AssessmentKind)

    suspend fun compareAssessments(kind: AssessmentKind): Comparison?

    suspend fun programs(): List<Program>

    suspend fun joinProgram(id: String, day: String): Enrolment

    suspend fun leaveProgram(id: String, day: String)

    suspend fun completeProgramDay(id: String, number: UInt, day: String): Enrolment

    suspend fun enrolments(day: String): List<Enrolment>

    suspend fun checkInGuide(): CheckInGuide

    suspend fun recordCheckIn(day: String): CheckInDue

    suspend fun nextCheckIn(day: String): CheckInDue

    suspend fun addGoal(text: String): Goal

    suspend fun goals(): List<Goal>

    suspend fun readyToPickGoals(): Boolean

    suspend fun setGoalStatus(id: String, status: GoalStatus): Goal

    suspend fun addDateIdea(text: String): DateIdea

    suspend fun dateIdeas(): List<DateIdea>

    suspend fun drawDateIdea(): DateIdea?

    suspend fun markDateDone(id: String, day: String)

    suspend fun appreciate(text: String): Appreciation

    suspend fun appreciations(): List<Appreciation>

    suspend fun safetyCheck(): SafetyCheck

    suspend fun recordSafetyCheck(answers: List<SafetyAnswer>): SafetyOutcome

    suspend fun safetyOutcome(): SafetyOutcome?

    suspend fun clearSafetyCheck()

    // --- sync ------------------------------------------------------------------

    suspend fun setRelay(url: String)

    suspend fun startPairing(): PairingInvite

    suspend fun finishPairing(): PairingResult

    suspend fun joinPartner(code: String): PairingResult

    suspend fun syncNow(): SyncReport

    suspend fun syncStatus(): SyncStatus

    suspend fun dismissSyncNotice()

    suspend fun leaveSpace()

    /** Keeps this phone in sync while the app is in front, until the result is closed. */
    suspend fun startLiveSync(): AutoCloseable
}

/**
 * The five questionnaires, as the core's content records. The core keeps
 * them together; this groups them the same way for the Us screen.
 */
data class AssessmentForms(
    val intimacy: IntimacyAssessment,
    val loveLanguages: LoveLanguageAssessment,
    val attachment: AttachmentAssessment,
    val barrierSigns: BarrierSignsAssessment,
    val professionalHelp: ProfessionalHelpAssessment,
)

/**
 * Opens the core on this phone. The app implements it with the data folder
 * and the Android Keystore; the tests with a fake.
 */
interface CoreOpener {
    /** Whether Hearth was set up on this phone (its data folder exists). */
    fun isSetUp(): Boolean

    /**
     * Opens Hearth, creating the data folder and this device's keys on
     * first use; [displayName] names this partner the first time.
     */
    suspend fun open(displayName: String?): CoreGateway

    /**
     * Erases the data folder and every key this app keeps in the platform
     * key store. Called with the gateway closed.
     */
    suspend fun erase()
}

/** Today's date in the person's own calendar, `YYYY-MM-DD`. */
fun interface LocalDay {
    fun today(): String
}
