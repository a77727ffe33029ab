package app.hearth.ui

import androidx.compose.runtime.Composable
import androidx.compose.runtime.collectAsState
import androidx.compose.runtime.getValue
import app.hearth.AppShell
import app.hearth.HearthApp as CoreApp
import app.hearth.KeyStore
import app.hearth.core.Action
import app.hearth.core.AppView
import app.hearth.core.ExportFile
import app.hearth.core.ExportFormat
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.asStateFlow
import java.util.TimeZone

/**
 * The shell as the core sees it, and the one owner of the core's app: the
 * core renders the whole app into [view] and asks for platform effects,
 * which go to [platform]; the platform's answers go back as actions. The
 * screens read [view] and [dispatch] what the person does. Both apps
 * (Android, the desktop) and the tests use this one class; a shell holds no
 * state of its own beyond what a text field is typing.
 *
 * The core calls in from its own threads: [view] is a StateFlow (safe from
 * any thread), and each [Platform] implementation hops to its UI thread
 * where it must.
 */
class HearthHost(private val platform: Platform) : AppShell, AutoCloseable {
    private val views = MutableStateFlow<AppView?>(null)

    @Volatile
    private var app: CoreApp? = null

    /** The view the core rendered last; `null` until its first render. */
    val view: StateFlow<AppView?> = views.asStateFlow()

    /**
     * Starts the core on the profile in [dataDir] (the welcome screen if
     * there is none). [keyStore] is the platform's secure storage; without
     * one the keys are files in [dataDir]. [defaultRelay] is set on first open.
     */
    fun start(dataDir: String, keyStore: KeyStore?, defaultRelay: String?) {
        check(app == null) { "already started" }
        app = CoreApp.start(dataDir, keyStore, defaultRelay, this)
    }

    /** Hands the core what the person did; the next [view] shows what came of it. */
    fun dispatch(action: Action) {
        app?.dispatch(action)
    }

    /** Waits until every action so far is handled and the work it started has reported back. */
    suspend fun settle() {
        app?.settle()
    }

    /** Stops live sync and closes the profile; the host does nothing after. */
    override fun close() {
        val open = app ?: return
        app = null
        kotlinx.coroutines.runBlocking { open.shutdown() }
        open.destroy()
    }

    // --- the core's calls (the generated AppShell interface) --------------------

    override fun render(view: AppView) {
        views.value = view
    }

    override fun deviceCanAuthenticate(): Boolean = platform.lock.available()

    override fun utcOffsetSeconds(): Int = TimeZone.getDefault().getOffset(System.currentTimeMillis()) / 1000

    override fun requestUnlock() = platform.lock.prompt { ok -> dispatch(if (ok) Action.UnlockSucceeded else Action.UnlockFailed) }

    override fun requestNotificationPermission() = platform.notifications.request { granted -> dispatch(Action.NotificationPermission(granted)) }

    override fun notifyPartnerNews() = platform.notifications.showPartnerNews()

    override fun saveExport(file: ExportFile) {
        val type = when (file.format) {
            ExportFormat.MARKDOWN -> "text/markdown"
            ExportFormat.JSON -> "application/json"
        }
        platform.files.save(file.fileName, type, file.text) {}
    }

    override fun scheduleBackgroundSync(enabled: Boolean) = platform.background.schedule(enabled)

    override fun erased() = platform.erased()
}

/** The app as the core renders it through [host]. */
@Composable
fun HearthApp(host: HearthHost) {
    val view by host.view.collectAsState()
    HearthApp(view, host::dispatch)
}
