package app.hearth.ui

import androidx.compose.runtime.Composable
import androidx.compose.runtime.CompositionLocalProvider
import androidx.compose.runtime.getValue
import androidx.compose.runtime.mutableStateOf
import androidx.compose.runtime.setValue
import app.hearth.core.Action
import app.hearth.core.AppView
import app.hearth.core.Screens
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.withTimeout
import java.nio.file.Files
import java.nio.file.Path

/**
 * One app instance as a person's device: its own data folder, the real core
 * (libhearth_ffi through JNA, key files in that folder) behind the same
 * [HearthHost] the apps use, and fake platform effects a test can steer
 * and inspect: the device lock answers as [deviceUnlocks] says, exports
 * land in [exports], partner notifications are counted in [partnerNews].
 */
class Phone(val name: String, private val relay: String? = null) : AutoCloseable {
    val dir: Path = Files.createTempDirectory("hearth-ui-$name")
    private val data = dir.resolve("data")

    @Volatile var deviceUnlocks = true
    @Volatile var canAuthenticate = true
    @Volatile var lockPrompts = 0
    @Volatile var partnerNews = 0
    val exports: MutableList<String> = java.util.Collections.synchronizedList(mutableListOf())

    val platform = Platform(
        lock = object : DeviceLock {
            override fun available() = canAuthenticate

            override fun prompt(result: (Boolean) -> Unit) {
                lockPrompts++
                result(deviceUnlocks)
            }
        },
        files = object : ExportSaver {
            override fun save(suggestedName: String, mimeType: String, text: String, done: () -> Unit) {
                exports += text
                done()
            }
        },
        notifications = object : Notifications {
            override fun request(answer: (Boolean) -> Unit) = answer(true)

            override fun showPartnerNews() {
                partnerNews++
            }
        },
        back = object : BackNavigation {
            @Composable
            override fun Handler(enabled: Boolean, onBack: () -> Unit) = Unit
        },
    )

    /** Snapshot state, so the app on screen follows a [restart]. */
    var host: HearthHost by mutableStateOf(HearthHost(platform).also { it.start(data.toString(), null, relay) })
        private set

    /** The app is closed and opened again on the same profile, as after a restart. */
    fun restart() {
        host.close()
        host = HearthHost(platform).also { it.start(data.toString(), null, relay) }
        awaitView("the reopened app to render") { it.phase != app.hearth.core.AppPhase.Starting }
    }

    /** Waits (in real time: the core works on its own threads) until the view satisfies [condition]. */
    fun awaitView(what: String, timeoutMs: Long = 30_000, condition: (AppView) -> Boolean) {
        val deadline = System.currentTimeMillis() + timeoutMs
        while (System.currentTimeMillis() < deadline) {
            val current = host.view.value
            if (current != null && condition(current)) return
            Thread.sleep(20)
        }
        error("$name: timed out waiting for $what")
    }

    val view: AppView get() = host.view.value ?: error("$name has not rendered yet")

    val screens: Screens get() = view.screens ?: error("$name shows no screens (phase ${view.phase}, locked ${view.lock.locked})")

    fun send(action: Action) = host.dispatch(action)

    /** Waits until the core handled everything sent so far (and the work it started). */
    fun settle() = runBlocking { withTimeout(30_000) { host.settle() } }

    override fun close() {
        host.close()
        dir.toFile().deleteRecursively()
    }
}

/** The app as the person sees it on [phone], with its platform effects. */
@Composable
fun PhoneApp(phone: Phone, dark: Boolean = false, timeFormat: ((Long) -> String)? = null) {
    HearthTheme(dark = dark) {
        val locals = listOfNotNull(LocalPlatform provides phone.platform, timeFormat?.let { LocalTimeFormat provides it })
        CompositionLocalProvider(*locals.toTypedArray()) { HearthApp(phone.host) }
    }
}
