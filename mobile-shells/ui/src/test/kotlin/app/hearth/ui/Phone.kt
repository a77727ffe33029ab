package app.hearth.ui

import androidx.compose.runtime.Composable
import androidx.compose.runtime.CompositionLocalProvider
import app.hearth.Hearth
import app.hearth.android.gateway.HearthGateway
import app.hearth.state.AppPhase
import app.hearth.state.CoreGateway
import app.hearth.state.CoreOpener
import app.hearth.state.HearthModel
import app.hearth.state.LocalDay
import app.hearth.state.Session
import app.hearth.state.ShellPreferences
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.SupervisorJob
import kotlinx.coroutines.asCoroutineDispatcher
import kotlinx.coroutines.cancel
import java.nio.file.Files
import java.nio.file.Path
import java.util.concurrent.Executors

/**
 * One app instance as a person's phone: its own data folder, the real core
 * (libhearth_ffi through JNA) with key files in that folder, the shared
 * [HearthModel] on a single-threaded scope (as Android's main thread), and
 * fake platform effects the test can inspect: the device lock answers as
 * [deviceUnlocks] says, exports land in [exports], notifications are allowed.
 */
class Phone(val name: String, private val day: String = FIXED_DAY) : AutoCloseable {
    val dir: Path = Files.createTempDirectory("hearth-ui-$name")
    private val executor = Executors.newSingleThreadExecutor { Thread(it, "hearth-$name") }
    val scope = CoroutineScope(SupervisorJob() + executor.asCoroutineDispatcher())
    private val preferences = MemoryPreferences()
    /** Added to the wall clock, so a test can let the app lock's grace period pass. */
    @Volatile var clockOffsetMs = 0L
    var deviceUnlocks = true
    var lockPrompts = 0
    val exports = mutableListOf<String>()

    val model = HearthModel(
        opener = DirectoryOpener(dir.resolve("data")),
        scope = scope,
        localDay = LocalDay { day },
        preferences = preferences,
        defaultRelayUrl = null,
        clock = { System.currentTimeMillis() + clockOffsetMs },
    )

    val platform = Platform(
        lock = object : DeviceLock {
            override fun available() = true

            override fun prompt(unlocked: () -> Unit) {
                lockPrompts++
                if (deviceUnlocks) unlocked()
            }
        },
        files = object : ExportSaver {
            override fun save(suggestedName: String, mimeType: String, text: String, done: () -> Unit) {
                exports += text
                done()
            }
        },
        notifications = object : NotificationPermission {
            override fun request(answer: (Boolean) -> Unit) = answer(true)
        },
        back = object : BackNavigation {
            @Composable
            override fun Handler(onBack: () -> Unit) = Unit
        },
    )

    init {
        model.start()
    }

    /** The open session, once the phone is past the welcome screen. */
    val session: Session get() = (model.phase.value as? AppPhase.Ready)?.session ?: error("$name is not open")

    val ready: Boolean get() = model.phase.value is AppPhase.Ready

    override fun close() {
        model.close()
        scope.cancel()
        executor.shutdown()
        dir.toFile().deleteRecursively()
    }

    companion object {
        /** The day the tests live on, so the daily question is the same every run. */
        const val FIXED_DAY = "2026-03-14"
    }
}

/** The app as the person sees it, with this phone's platform effects. */
@Composable
fun PhoneApp(phone: Phone, dark: Boolean = false, timeFormat: ((Long) -> String)? = null) {
    HearthTheme(dark = dark) {
        val locals = listOfNotNull(LocalPlatform provides phone.platform, timeFormat?.let { LocalTimeFormat provides it })
        CompositionLocalProvider(*locals.toTypedArray()) { HearthApp(phone.model) }
    }
}

/** Opens the real core in a folder, with its key files beside the data (the CLI's and tests' store). */
class DirectoryOpener(private val data: Path) : CoreOpener {
    override fun isSetUp(): Boolean = Files.isDirectory(data)

    override suspend fun open(displayName: String?): CoreGateway {
        val hearth = Hearth.open(data.toString(), displayName, null)
        return HearthGateway(hearth, release = hearth::close)
    }

    override suspend fun erase() {
        data.toFile().deleteRecursively()
    }
}

class MemoryPreferences : ShellPreferences {
    override var appLockEnabled = false
    override var partnerNewsNotifications = false

    override fun clear() {
        appLockEnabled = false
        partnerNewsNotifications = false
    }
}
