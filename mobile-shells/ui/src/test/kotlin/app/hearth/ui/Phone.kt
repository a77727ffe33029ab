package app.hearth.ui

import androidx.compose.runtime.Composable
import androidx.compose.runtime.CompositionLocalProvider
import androidx.compose.runtime.collectAsState
import androidx.compose.runtime.getValue
import androidx.compose.runtime.mutableStateOf
import androidx.compose.runtime.setValue
import app.hearth.core.Action
import app.hearth.core.AppPhase
import app.hearth.core.AppView
import app.hearth.core.ExportFile
import app.hearth.state.AppModel
import app.hearth.state.Platform
import app.hearth.core.Screens
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.withTimeout
import java.nio.file.Files
import java.nio.file.Path

/**
 * One app instance as a person's device: its own data folder, the real core
 * (libhearth_ffi through JNA, key files in that folder) behind the same
 * [AppModel] the apps use, and a fake [Platform] a test can steer and
 * inspect: the owner prompt answers as [deviceUnlocks] says, exports land
 * in [exports], partner notifications are counted in [partnerNews].
 */
class Phone(val name: String, private val relay: String? = null) : AutoCloseable {
    val dir: Path = Files.createTempDirectory("hearth-ui-$name")
    private val data = dir.resolve("data")

    @Volatile var deviceUnlocks = true
    @Volatile var canAuthenticate = true
    @Volatile var lockPrompts = 0
    @Volatile var partnerNews = 0
    @Volatile var choosingExport = false
    val exports: MutableList<String> = java.util.Collections.synchronizedList(mutableListOf())

    /** Answers the core's requests as the platform would, back through the model. */
    private val platform = object : Platform {
        override fun deviceCanAuthenticate() = canAuthenticate

        override fun requestUnlock() {
            lockPrompts++
            model.dispatch(if (deviceUnlocks) Action.UnlockSucceeded else Action.UnlockFailed)
        }

        override fun requestNotificationPermission() = model.dispatch(Action.NotificationPermission(true))

        override fun notifyPartnerNews() {
            partnerNews++
        }

        override fun saveExport(file: ExportFile) {
            exports += file.text
        }

        override fun chooseExportToRestore() {
            choosingExport = true
        }

        override fun scheduleBackgroundSync(enabled: Boolean) = Unit

        override fun erased() = Unit
    }

    /** Snapshot state, so the app on screen follows a [restart]. */
    var model: AppModel by mutableStateOf(AppModel.start(data.toString(), platform, defaultRelay = relay))
        private set

    /** The app is closed and opened again on the same profile, as after a restart. */
    fun restart() {
        model.close()
        model = AppModel.start(data.toString(), platform, defaultRelay = relay)
        awaitView("the reopened app to render") { it.phase != AppPhase.Starting }
    }

    /** Waits (in real time: the core works on its own threads) until the view satisfies [condition]. */
    fun awaitView(what: String, timeoutMs: Long = 30_000, condition: (AppView) -> Boolean) {
        val deadline = System.currentTimeMillis() + timeoutMs
        while (System.currentTimeMillis() < deadline) {
            val current = model.view.value
            if (current != null && condition(current)) return
            Thread.sleep(20)
        }
        error("$name: timed out waiting for $what")
    }

    /** Syncs now (the core's action) and waits until the sync has finished. */
    fun syncNow() {
        val before = screens.settings.sync.lastSyncedAtMs
        send(Action.SyncNow)
        awaitView("a sync to finish") { view ->
            val settings = view.screens?.settings ?: return@awaitView false
            !settings.syncing && (settings.sync.lastSyncedAtMs != before || settings.sync.lastError != null)
        }
        check(screens.settings.sync.lastError == null) { "$name: sync failed: ${screens.settings.sync.lastError}" }
    }

    val view: AppView get() = model.view.value ?: error("$name has not rendered yet")

    val screens: Screens get() = view.screens ?: error("$name shows no screens (phase ${view.phase}, locked ${view.lock.locked})")

    fun send(action: Action) = model.dispatch(action)

    /** Waits until the core handled everything sent so far (and the work it started). */
    fun settle() = runBlocking { withTimeout(30_000) { model.settle() } }

    override fun close() {
        model.close()
        dir.toFile().deleteRecursively()
    }
}

/**
 * The app as the person sees it on [phone]. [pin] may fix words the core
 * picks at random for each couple (the screenshots pin the question of the
 * day, which is drawn per couple, so pictures compare across runs).
 */
@Composable
fun PhoneApp(phone: Phone, dark: Boolean = false, timeFormat: ((Long) -> String)? = null, pin: ((AppView) -> AppView)? = null) {
    if (timeFormat == null && pin == null) {
        HearthRoot(phone.model, dark = dark)
        return
    }
    val view by phone.model.view.collectAsState()
    CompositionLocalProvider(LocalTimeFormat provides (timeFormat ?: LocalTimeFormat.current)) {
        HearthTheme(dark = dark) { HearthApp(view?.let { pin?.invoke(it) ?: it }, phone.model::dispatch) }
    }
}
