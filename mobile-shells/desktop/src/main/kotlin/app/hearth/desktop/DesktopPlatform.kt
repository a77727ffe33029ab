package app.hearth.desktop

import androidx.compose.runtime.Composable
import androidx.compose.runtime.DisposableEffect
import androidx.compose.runtime.getValue
import androidx.compose.runtime.mutableStateListOf
import androidx.compose.runtime.rememberUpdatedState
import app.hearth.core.Action
import app.hearth.core.ExportFile
import app.hearth.state.Platform
import app.hearth.ui.BackNavigation
import app.hearth.ui.Strings
import java.awt.FileDialog
import java.awt.Frame
import java.awt.GraphicsEnvironment
import java.awt.SystemTray
import java.awt.TrayIcon
import java.awt.image.BufferedImage
import java.nio.file.Files
import java.nio.file.Path
import java.nio.file.StandardOpenOption
import javax.swing.SwingUtilities

/**
 * What the core asks of the desktop. Answers go back as actions through
 * [dispatch] (set once the model is started).
 *
 * The desktop has no owner prompt Hearth can call portably (no biometric
 * or session-password API on the JVM), so the app lock is not offered here
 * rather than offered and unenforceable: the core hides its switch.
 * Exports go through the system's save dialog, owner-only (0600), and
 * nowhere else. The one content-free notification goes through
 * `notify-send` (most Linux desktops) or the system tray.
 */
class DesktopPlatform(
    private val window: () -> Frame?,
    private val onErased: () -> Unit,
) : Platform {
    @Volatile
    var dispatch: (Action) -> Unit = {}

    override fun deviceCanAuthenticate() = false

    override fun requestUnlock() = dispatch(Action.UnlockFailed)

    override fun requestNotificationPermission() =
        dispatch(Action.NotificationPermission(!GraphicsEnvironment.isHeadless() && (notifySend != null || tray != null)))

    override fun notifyPartnerNews() {
        val command = notifySend
        if (command != null) {
            runCatching { ProcessBuilder(command, "--app-name=Hearth", Strings.appName, Strings.notificationPartnerNews).start() }
        } else {
            tray?.displayMessage(Strings.appName, Strings.notificationPartnerNews, TrayIcon.MessageType.NONE)
        }
    }

    override fun saveExport(file: ExportFile) = SwingUtilities.invokeLater {
        val dialog = FileDialog(window(), Strings.settingsExport, FileDialog.SAVE).apply { this.file = file.fileName }
        dialog.isVisible = true
        val name = dialog.file ?: return@invokeLater
        val target = Path.of(dialog.directory, name)
        Files.deleteIfExists(target)
        Files.createFile(target)
        DesktopFiles.ownerOnly(target, directory = false)
        Files.writeString(target, file.text, StandardOpenOption.TRUNCATE_EXISTING)
    }

    override fun chooseExportToRestore() = SwingUtilities.invokeLater {
        val dialog = FileDialog(window(), Strings.welcomeRestore, FileDialog.LOAD).apply { setFilenameFilter { _, name -> name.endsWith(".json") } }
        dialog.isVisible = true
        val name = dialog.file ?: return@invokeLater
        val bytes = runCatching { Files.readAllBytes(Path.of(dialog.directory, name)) }.getOrNull() ?: return@invokeLater
        dispatch(Action.RestoreFromExport(bytes))
    }

    /** Nothing to schedule: the desktop syncs while its window is open. */
    override fun scheduleBackgroundSync(enabled: Boolean) = Unit

    override fun erased() = onErased()

    private val tray: TrayIcon? by lazy {
        runCatching {
            if (!SystemTray.isSupported()) return@runCatching null
            val image = BufferedImage(16, 16, BufferedImage.TYPE_INT_ARGB).apply {
                createGraphics().apply { color = java.awt.Color(0xB3, 0x47, 0x2D); fillOval(1, 1, 14, 14); dispose() }
            }
            TrayIcon(image, Strings.appName).also { SystemTray.getSystemTray().add(it) }
        }.getOrNull()
    }

    private val notifySend: String? by lazy {
        System.getenv("PATH").orEmpty().split(java.io.File.pathSeparator)
            .map { Path.of(it, "notify-send") }
            .firstOrNull { Files.isExecutable(it) }?.toString()
    }
}

/** Escape is the desktop's back: it goes to the innermost screen that handles back. */
class EscapeBack : BackNavigation {
    private val handlers = mutableStateListOf<() -> Unit>()

    @Composable
    override fun Handler(enabled: Boolean, onBack: () -> Unit) {
        val current by rememberUpdatedState(onBack)
        DisposableEffect(enabled) {
            val handler = { current() }
            if (enabled) handlers.add(handler)
            onDispose { handlers.remove(handler) }
        }
    }

    /** Handles Escape; false when nothing on screen takes it. */
    fun back(): Boolean {
        val handler = handlers.lastOrNull() ?: return false
        handler()
        return true
    }
}
