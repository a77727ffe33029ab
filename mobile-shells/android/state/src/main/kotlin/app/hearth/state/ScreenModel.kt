package app.hearth.state

import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Job
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.asStateFlow
import kotlinx.coroutines.flow.update
import kotlinx.coroutines.launch

/**
 * What every screen's state holder shares: one immutable state in a
 * [StateFlow], actions launched in the owner's scope, and failures landing
 * in the state as a [Problem] instead of escaping. Subclasses say how a
 * problem is stored ([withProblem]) and how the screen loads ([load]).
 *
 * Actions run on the scope's dispatcher (the main thread on Android); the
 * gateway moves the core's blocking work off it.
 */
abstract class ScreenModel<S>(initial: S, protected val scope: CoroutineScope) {
    private val mutable = MutableStateFlow(initial)

    /** What the screen shows. */
    val state: StateFlow<S> = mutable.asStateFlow()

    /** The current state. */
    protected val current: S get() = mutable.value

    private var loading: Job? = null
    private var loadAgain = false

    /** Stores (or with null clears) [problem] in a state. */
    protected abstract fun S.withProblem(problem: Problem?): S

    /** Reads everything the screen shows from the core. */
    protected abstract suspend fun load()

    /** Changes the state. */
    protected fun set(change: (S) -> S) = mutable.update(change)

    /**
     * Reloads the screen. Calls made while a load runs fold into one more
     * load after it, so a burst of changes from a sync costs two loads, not
     * fifty.
     */
    fun refresh(): Job {
        loading?.takeIf { it.isActive }?.let {
            loadAgain = true
            return it
        }
        val job = scope.launch {
            do {
                loadAgain = false
                attempt { load() }
            } while (loadAgain)
        }
        loading = job
        return job
    }

    /** Hides the problem shown. */
    fun dismissProblem() = set { it.withProblem(null) }

    /**
     * Runs [work] in the scope. The problem shown so far is cleared first
     * (the person is trying something new); a failure becomes the new one.
     */
    protected fun action(work: suspend () -> Unit): Job = scope.launch {
        set { it.withProblem(null) }
        attempt(work)
    }

    /**
     * Runs [work]; returns whether it finished. A failure becomes the
     * screen's problem; cancellation passes through.
     */
    protected suspend fun attempt(work: suspend () -> Unit): Boolean = try {
        work()
        true
    } catch (e: Exception) {
        val problem = e.toProblem()
        set { it.withProblem(problem) }
        false
    }
}
