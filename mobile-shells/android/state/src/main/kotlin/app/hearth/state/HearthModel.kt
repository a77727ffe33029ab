package app.hearth.state

import app.hearth.HearthException
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Job
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.asStateFlow
import kotlinx.coroutines.launch

/** Where the app stands. */
sealed interface AppPhase {
    /** Opening the core. */
    data object Starting : AppPhase

    /** Hearth is not set up on this phone: ask for this partner's name. */
    data object Welcome : AppPhase

    /** Open: the screens are in [session]. */
    data class Ready(val session: Session) : AppPhase

    /** Opening failed (the key store is locked, say): show why and offer to retry. */
    data class Failed(val problem: Problem) : AppPhase
}

/** Erasing everything on this phone. */
sealed interface Erasing {
    data object No : Erasing

    data object Running : Erasing

    /**
     * Leaving the shared space at the relay failed (offline, say), so the
     * partner's copy on the relay was not erased. The person may erase this
     * phone anyway.
     */
    data class LeaveFailed(val problem: Problem) : Erasing
}

/**
 * The one state holder the app's ViewModel (Android) keeps: it opens the
 * core through [opener], owns the [Session] while it is open, and decides
 * nothing the core decides. The platform tells it when the app goes to the
 * background and back (for app lock and live sync).
 */
class HearthModel(
    private val opener: CoreOpener,
    private val scope: CoroutineScope,
    private val localDay: LocalDay,
    private val preferences: ShellPreferences,
    private val defaultRelayUrl: String?,
    clock: () -> Long,
) : AutoCloseable {
    private val mutablePhase = MutableStateFlow<AppPhase>(AppPhase.Starting)
    private val mutableErasing = MutableStateFlow<Erasing>(Erasing.No)
    private val mutableWelcomeProblem = MutableStateFlow<Problem?>(null)
    private var foreground = false

    val phase: StateFlow<AppPhase> = mutablePhase.asStateFlow()
    val erasing: StateFlow<Erasing> = mutableErasing.asStateFlow()

    /** Why setting up failed, shown on the welcome screen. */
    val welcomeProblem: StateFlow<Problem?> = mutableWelcomeProblem.asStateFlow()

    val lock = AppLock(preferences, clock)

    private val session: Session? get() = (phase.value as? AppPhase.Ready)?.session

    /** Opens Hearth if it is set up on this phone; otherwise asks for a name. */
    fun start(): Job = scope.launch {
        if (session != null) return@launch
        if (!opener.isSetUp()) {
            mutablePhase.value = AppPhase.Welcome
            return@launch
        }
        open(displayName = null, onboarding = false)
    }

    /** Tries opening again after [AppPhase.Failed]. */
    fun retry(): Job = start()

    /** Sets Hearth up with this partner's name, then offers pairing. */
    fun begin(displayName: String): Job = scope.launch { open(displayName, onboarding = true) }

    private suspend fun open(displayName: String?, onboarding: Boolean) {
        mutablePhase.value = AppPhase.Starting
        val core = try {
            opener.open(displayName)
        } catch (e: Exception) {
            val problem = e.toProblem()
            // A refused name goes back to the name screen with its reason.
            mutablePhase.value = if (onboarding && e is HearthException.InvalidInput) AppPhase.Welcome else AppPhase.Failed(problem)
            if (onboarding) mutableWelcomeProblem.value = problem
            return
        }
        mutableWelcomeProblem.value = null
        val session = Session(core, scope, localDay, preferences, lock)
        mutablePhase.value = AppPhase.Ready(session)
        session.start(defaultRelayUrl)
        if (onboarding) session.pairing.offer()
        if (foreground) session.onForeground()
    }

    /** The app is in front. */
    fun onForeground() {
        foreground = true
        lock.onForeground()
        session?.onForeground()
        session?.refreshAll()
    }

    /** The app went to the background. */
    fun onBackground() {
        foreground = false
        lock.onBackground()
        session?.onBackground()
    }

    /**
     * Erases everything on this phone: leaves the shared space first (the
     * relay erases its copy) unless [leaveFirst] is false, then closes the
     * core and deletes the data folder and this app's keys. Ends on the
     * welcome screen.
     */
    fun eraseEverything(leaveFirst: Boolean = true): Job = scope.launch {
        mutableErasing.value = Erasing.Running
        val open = session
        if (open != null && leaveFirst) {
            try {
                val status = open.gateway.syncStatus()
                if (status.paired && !status.closed) open.gateway.leaveSpace()
            } catch (e: Exception) {
                mutableErasing.value = Erasing.LeaveFailed(e.toProblem())
                return@launch
            }
        }
        open?.close()
        mutablePhase.value = AppPhase.Starting
        try {
            opener.erase()
        } catch (e: Exception) {
            mutableErasing.value = Erasing.No
            mutablePhase.value = AppPhase.Failed(e.toProblem())
            return@launch
        }
        preferences.clear()
        lock.setEnabled(false)
        mutableErasing.value = Erasing.No
        mutablePhase.value = AppPhase.Welcome
    }

    /** Dismisses a failed erase. */
    fun cancelErase() {
        mutableErasing.value = Erasing.No
    }

    override fun close() {
        session?.close()
    }
}
