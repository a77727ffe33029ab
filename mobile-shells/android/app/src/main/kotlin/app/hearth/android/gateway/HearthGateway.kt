package app.hearth.android.gateway

import app.hearth.EventListener
import app.hearth.Hearth
import app.hearth.core.AssessmentAnswers
import app.hearth.core.AssessmentKind
import app.hearth.core.EntryFilter
import app.hearth.core.EntryUpdate
import app.hearth.core.Event
import app.hearth.core.ExerciseFilter
import app.hearth.core.GoalStatus
import app.hearth.core.NewEntry
import app.hearth.core.Reaction
import app.hearth.core.SafetyAnswer
import app.hearth.core.TurnMove
import app.hearth.core.Visibility
import app.hearth.state.AssessmentForms
import app.hearth.state.CoreGateway
import kotlinx.coroutines.CoroutineDispatcher
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.withContext

/**
 * The one place the Android shell touches the generated `Hearth`: each
 * [CoreGateway] method is one call, run on [io] because the core's
 * synchronous calls block on SQLite (and a `suspend` one is just awaited
 * there). No android.* here, so `run-state-tests -Padapter` compiles this
 * file against the generated bindings on the JVM.
 *
 * [release] runs on close instead of closing [hearth] directly: the process
 * shares one handle between the ViewModel and background sync.
 */
class HearthGateway(
    private val hearth: Hearth,
    private val release: () -> Unit,
    private val io: CoroutineDispatcher = Dispatchers.IO,
) : CoreGateway {
    // `it.` names the generated method explicitly: a call that does not
    // match the bindings fails to compile instead of resolving to this
    // class's method of the same name.
    private suspend fun <T> core(call: suspend (Hearth) -> T): T = withContext(io) { call(hearth) }

    override suspend fun profile() = core { it.profile() }

    override suspend fun setDisplayName(name: String) = core { it.setDisplayName(name) }

    override suspend fun writeEntry(entry: NewEntry) = core { it.writeEntry(entry) }

    override suspend fun editEntry(id: String, update: EntryUpdate) = core { it.editEntry(id, update) }

    override suspend fun deleteEntry(id: String) = core { it.deleteEntry(id) }

    override suspend fun setEntryVisibility(id: String, visibility: Visibility) = core { it.setEntryVisibility(id, visibility) }

    override suspend fun entry(id: String) = core { it.entry(id) }

    override suspend fun listEntries(filter: EntryFilter, limit: UInt, cursor: String?) = core { it.listEntries(filter, limit, cursor) }

    override suspend fun searchEntries(text: String, filter: EntryFilter, limit: UInt) = core { it.searchEntries(text, filter, limit) }

    override suspend fun react(entryId: String, reaction: Reaction?) = core { it.react(entryId, reaction) }

    override suspend fun addComment(entryId: String, body: String) = core { it.addComment(entryId, body) }

    override suspend fun deleteComment(entryId: String, commentId: String) = core { it.deleteComment(entryId, commentId) }

    override suspend fun exportJson() = core { it.exportJson() }

    override suspend fun exportMarkdown() = core { it.exportMarkdown() }

    override fun subscribe(onEvent: (Event) -> Unit): AutoCloseable {
        val deliver = onEvent
        val subscription = hearth.subscribe(
            object : EventListener {
                override fun onEvent(event: Event) = deliver(event)
            },
        )
        return AutoCloseable {
            subscription.cancel()
            subscription.close()
        }
    }

    override suspend fun setSexualContentOptIn(optIn: Boolean) = core { it.setSexualContentOptIn(optIn) }

    override suspend fun sexualContentConsent() = core { it.sexualContentConsent() }

    override suspend fun today(day: String) = core { it.today(day) }

    override suspend fun dailyQuestion(day: String) = core { it.dailyQuestion(day) }

    override suspend fun answerDailyQuestion(day: String, text: String) = core { it.answerDailyQuestion(day, text) }

    override suspend fun exercises(filter: ExerciseFilter) = core { it.exercises(filter) }

    override suspend fun exercise(id: String) = core { it.exercise(id) }

    override suspend fun logExercise(id: String, day: String, done: Boolean) = core { it.logExercise(id, day, done) }

    override suspend fun startDrill(exerciseId: String) = core { it.startDrill(exerciseId) }

    override suspend fun drill(id: String) = core { it.drill(id) }

    override suspend fun drillMove(id: String, action: TurnMove) = core { it.drillMove(id, action) }

    override suspend fun openDrills() = core { it.openDrills() }

    override suspend fun assessmentForms() = core {
        val forms = it.assessments()
        AssessmentForms(forms.intimacy, forms.loveLanguages, forms.attachment, forms.barrierSigns, forms.professionalHelp)
    }

    override suspend fun takeAssessment(answers: AssessmentAnswers) = core { it.takeAssessment(answers) }

    override suspend fun myAssessment(kind: AssessmentKind) = core { it.myAssessment(kind) }

    override suspend fun partnerAssessment(kind: AssessmentKind) = core { it.partnerAssessment(kind) }

    override suspend fun shareAssessment(kind: AssessmentKind) = core { it.shareAssessment(kind) }

    override suspend fun unshareAssessment(kind: AssessmentKind) = core { it.unshareAssessment(kind) }

    override suspend fun compareAssessments(kind: AssessmentKind) = core { it.compareAssessments(kind) }

    override suspend fun programs() = core { it.programs() }

    override suspend fun joinProgram(id: String, day: String) = core { it.joinProgram(id, day) }

    override suspend fun leaveProgram(id: String, day: String) = core { it.leaveProgram(id, day) }

    override suspend fun completeProgramDay(id: String, number: UInt, day: String) = core { it.completeProgramDay(id, number, day) }

    override suspend fun enrolments(day: String) = core { it.enrolments(day) }

    override suspend fun checkInGuide() = core { it.checkInGuide() }

    override suspend fun recordCheckIn(day: String) = core { it.recordCheckIn(day) }

    override suspend fun nextCheckIn(day: String) = core { it.nextCheckIn(day) }

    override suspend fun addGoal(text: String) = core { it.addGoal(text) }

    override suspend fun goals() = core { it.goals() }

    override suspend fun readyToPickGoals() = core { it.readyToPickGoals() }

    override suspend fun setGoalStatus(id: String, status: GoalStatus) = core { it.setGoalStatus(id, status) }

    override suspend fun addDateIdea(text: String) = core { it.addDateIdea(text) }

    override suspend fun dateIdeas() = core { it.dateIdeas() }

    override suspend fun drawDateIdea() = core { it.drawDateIdea() }

    override suspend fun markDateDone(id: String, day: String) = core { it.markDateDone(id, day) }

    override suspend fun appreciate(text: String) = core { it.appreciate(text) }

    override suspend fun appreciations() = core { it.appreciations() }

    override suspend fun safetyCheck() = core { it.safetyCheck() }

    override suspend fun recordSafetyCheck(answers: List<SafetyAnswer>) = core { it.recordSafetyCheck(answers) }

    override suspend fun safetyOutcome() = core { it.safetyOutcome() }

    override suspend fun clearSafetyCheck() = core { it.clearSafetyCheck() }

    override suspend fun setRelay(url: String) = core { it.setRelay(url) }

    override suspend fun startPairing() = core { it.startPairing() }

    override suspend fun finishPairing() = core { it.finishPairing() }

    override suspend fun joinPartner(code: String) = core { it.joinPartner(code) }

    override suspend fun syncNow() = core { it.syncNow() }

    override suspend fun syncStatus() = core { it.syncStatus() }

    override suspend fun dismissSyncNotice() = core { it.dismissSyncNotice() }

    override suspend fun leaveSpace() = core { it.leaveSpace() }

    override suspend fun startLiveSync(): AutoCloseable {
        val live = core { it.startLiveSync() }
        return AutoCloseable {
            live.stop()
            live.close()
        }
    }

    override fun close() = release()
}
