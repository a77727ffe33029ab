package app.hearth.state

import app.hearth.AppCore
import app.hearth.KeyStore
import app.hearth.core.Action
import app.hearth.core.AppView
import app.hearth.core.BackgroundSyncOutcome
import app.hearth.core.ExportFile
import app.hearth.core.Shell
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.asStateFlow
import kotlinx.coroutines.runBlocking
import java.util.TimeZone
import java.util.concurrent.atomic.AtomicBoolean

/**
 * What only the platform can do. The core asks for these through [AppModel];
 * the answers go back as actions ([Action.UnlockSucceeded],
 * [Action.NotificationPermission], ...). Calls come from the core's threads:
 * hop to the UI thread where needed and return quickly.
 */
interface Platform {
    /** Whether the device can confirm its owner (it has a screen lock). */
    fun deviceCanAuthenticate(): Boolean

    /** Shows the owner prompt (biometrics or the device credential). */
    fun requestUnlock()

    /** Asks for permission to post notifications. */
    fun requestNotificationPermission()

    /** Posts the one content-free notification. */
    fun notifyPartnerNews()

    /** Lets the person save [file] where they choose. */
    fun saveExport(file: ExportFile)

    /** Lets the person pick a JSON export; its bytes go back as `Action.RestoreFromExport`. */
    fun chooseExportToRestore()

    /** Turns periodic background sync on or off. */
    fun scheduleBackgroundSync(enabled: Boolean)

    /** Everything was erased: drop what the platform keeps of its own. */
    fun erased()
}

/**
 * The shell's one handle on the core: the [AppView] as a [StateFlow] for
 * Compose, and [dispatch] for what the person does. Every decision is the
 * core's (`hearth_core::app`); this only carries views in and actions out
 * and hands effects to the [Platform].
 */
class AppModel private constructor(private val shell: ShellBridge, private val core: AppCore) : AutoCloseable {
    private val closed = AtomicBoolean(false)

    /** The whole app as the core last rendered it; null until the first view. */
    val view: StateFlow<AppView?> = shell.view.asStateFlow()

    /** Hands the core an action; returns at once. */
    fun dispatch(action: Action) {
        if (!closed.get()) core.dispatch(action)
    }

    /** One background sync (WorkManager, background refresh); the core posts the notification if due. */
    suspend fun backgroundSync(): BackgroundSyncOutcome = core.backgroundSync()

    /** Waits until the actions sent so far are handled (tests). */
    suspend fun settle() = core.settle()

    /** Stops live sync and closes the profile. Calling it again does nothing. */
    override fun close() {
        if (!closed.compareAndSet(false, true)) return
        runBlocking { core.stop() }
        core.close()
    }

    companion object {
        /** Starts Hearth on the profile in [dataDir]; [defaultRelay] is set on first open. */
        fun start(dataDir: String, platform: Platform, keyStore: KeyStore? = null, defaultRelay: String? = null): AppModel {
            val shell = ShellBridge(platform)
            return AppModel(shell, AppCore.start(dataDir, shell, keyStore, defaultRelay))
        }
    }
}

/**
 * The core's [Shell]: views into the flow, effects to the platform. A
 * platform failure is dropped here, never thrown back into the core.
 */
private class ShellBridge(private val platform: Platform) : Shell {
    val view = MutableStateFlow<AppView?>(null)

    override fun render(view: AppView) {
        this.view.value = view
    }

    override fun deviceCanAuthenticate(): Boolean = guarded(false) { platform.deviceCanAuthenticate() }

    override fun utcOffsetSeconds(): Int = TimeZone.getDefault().getOffset(System.currentTimeMillis()) / 1000

    override fun requestUnlock() = guarded(Unit) { platform.requestUnlock() }

    override fun requestNotificationPermission() = guarded(Unit) { platform.requestNotificationPermission() }

    override fun notifyPartnerNews() = guarded(Unit) { platform.notifyPartnerNews() }

    override fun saveExport(file: ExportFile) = guarded(Unit) { platform.saveExport(file) }

    override fun chooseExportToRestore() = guarded(Unit) { platform.chooseExportToRestore() }

    override fun scheduleBackgroundSync(enabled: Boolean) = guarded(Unit) { platform.scheduleBackgroundSync(enabled) }

    override fun erased() = guarded(Unit) { platform.erased() }

    private inline fun <T> guarded(fallback: T, effect: () -> T): T = try {
        effect()
    } catch (e: Exception) {
        fallback
    }
}
