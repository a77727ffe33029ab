package app.hearth.state

import app.hearth.core.SafetyAnswer
import app.hearth.core.SafetyCheck
import app.hearth.core.SafetyOutcome
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Job

/** The safety screen. Everything in it stays on this phone. */
data class SafetyState(
    /** The questions and help resources, as the core words them. */
    val check: SafetyCheck? = null,
    /** Answers given so far, by item id. Never leaves this object except to the core. */
    val answers: Map<String, Boolean> = emptyMap(),
    /** The last check's outcome, if one was taken and not erased. */
    val outcome: SafetyOutcome? = null,
    /** Taking the check again (the previous outcome is kept until the new one replaces it). */
    val retaking: Boolean = false,
    val loading: Boolean = true,
    val problem: Problem? = null,
)

/**
 * The safety check and help resources. The core keeps the answers on this
 * phone only: never in the shared journal, never synced, never visible to
 * the partner. Nothing here is logged, notified or exported.
 */
class SafetyModel(
    private val core: CoreGateway,
    scope: CoroutineScope,
) : ScreenModel<SafetyState>(SafetyState(), scope) {
    override fun SafetyState.withProblem(problem: Problem?) = copy(problem = problem, loading = false)

    override suspend fun load() {
        val check = core.safetyCheck()
        val outcome = core.safetyOutcome()
        set { it.copy(check = check, outcome = outcome, loading = false) }
    }

    fun answer(itemId: String, yes: Boolean) = set { it.copy(answers = it.answers + (itemId to yes)) }

    /** Starts the check again with no answers. */
    fun retake() = set { it.copy(answers = emptyMap(), retaking = true) }

    /** Records the check on this phone and shows what the core advises. */
    fun submit(): Job = action {
        val check = current.check ?: return@action
        val answers = current.answers
        val given = check.items.mapNotNull { item -> answers[item.id]?.let { SafetyAnswer(item.id, it) } }
        val outcome = core.recordSafetyCheck(given)
        set { it.copy(outcome = outcome, answers = emptyMap(), retaking = false) }
    }

    /** Erases the check from this phone. */
    fun erase(): Job = action {
        core.clearSafetyCheck()
        set { it.copy(outcome = null, answers = emptyMap(), retaking = false) }
    }
}
