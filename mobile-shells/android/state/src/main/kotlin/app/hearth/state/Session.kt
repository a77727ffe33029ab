package app.hearth.state

import app.hearth.core.Event
import kotlinx.coroutines.CancellationException
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Job
import kotlinx.coroutines.launch

/**
 * Hearth opened on this phone: the core handle and every screen's state
 * holder. Change events from the core (made here or pulled from the
 * partner's phone) are routed to the screens that show what changed.
 * Closing it stops live sync, ends the subscription and closes the core.
 */
class Session(
    private val core: CoreGateway,
    private val scope: CoroutineScope,
    localDay: LocalDay,
    preferences: ShellPreferences,
    lock: AppLock,
) : AutoCloseable {
    val today = TodayModel(core, scope, localDay)
    val journal = JournalModel(core, scope)
    val exercises = ExercisesModel(core, scope, localDay)
    val assessments = AssessmentsModel(core, scope)
    val us = UsModel(core, scope, localDay)
    val settings = SettingsModel(core, scope, preferences, lock)
    val safety = SafetyModel(core, scope)
    val pairing = PairingModel(core, scope, onPaired = ::paired)

    // Events arrive on the core's thread; each is handled on the scope's.
    private val subscription = core.subscribe { event -> scope.launch { route(event) } }
    private var live: AutoCloseable? = null
    private var liveStarting: Job? = null
    private var foreground = false

    /**
     * Loads every screen; sets [defaultRelayUrl] if no relay was chosen yet,
     * so pairing works out of the box.
     */
    fun start(defaultRelayUrl: String?): Job = scope.launch {
        if (defaultRelayUrl != null) {
            runCatchingCore {
                if (core.syncStatus().relayUrl == null) core.setRelay(defaultRelayUrl)
            }
        }
        refreshAll()
    }

    /** Reloads every screen (the day may have changed, say). */
    fun refreshAll() {
        today.refresh()
        journal.refresh()
        exercises.refresh()
        assessments.refresh()
        us.refresh()
        settings.refresh()
        safety.refresh()
    }

    /** The app is in front: keep in sync live while paired. */
    fun onForeground() {
        foreground = true
        startLive()
    }

    /** The app went to the background: stop live sync (background sync takes over). */
    fun onBackground() {
        foreground = false
        stopLive()
    }

    private fun startLive() {
        if (live != null || liveStarting?.isActive == true) return
        liveStarting = scope.launch {
            runCatchingCore {
                val status = core.syncStatus()
                if (status.paired && !status.closed && foreground) live = core.startLiveSync()
            }
        }
    }

    private fun stopLive() {
        liveStarting?.cancel()
        live?.close()
        live = null
    }

    private fun paired() {
        refreshAll()
        if (foreground) startLive()
    }

    /** Sends a change to the screens that show it. */
    fun route(event: Event) {
        when (event) {
            is Event.EntryChanged, is Event.EntryRemoved -> journal.onEvent(event)
            is Event.DocumentChanged -> when (event.kind) {
                DocumentKind.ANSWER -> today.refresh()
                DocumentKind.DRILL -> exercises.onEvent(event)
                DocumentKind.ENROLMENT, DocumentKind.CHECK_INS -> {
                    today.refresh()
                    us.refresh()
                }
                DocumentKind.GOAL, DocumentKind.DATE_IDEA, DocumentKind.APPRECIATION -> us.refresh()
                DocumentKind.ASSESSMENT -> assessments.refresh()
                // A partner's name or consent: what may be shown changes everywhere.
                DocumentKind.MEMBER -> refreshAll()
                else -> Unit
            }
            Event.SyncStatusChanged -> {
                settings.refresh()
                if (foreground) startLive()
            }
        }
    }

    override fun close() {
        stopLive()
        subscription.close()
        core.close()
    }

    /** The gateway, for the one action that outlives the session (erasing everything). */
    internal val gateway: CoreGateway get() = core

    private suspend fun runCatchingCore(work: suspend () -> Unit) {
        try {
            work()
        } catch (e: CancellationException) {
            throw e
        } catch (e: Exception) {
            // Shown where it matters: Settings reads the sync status, which the core keeps.
            settings.refresh()
        }
    }
}
