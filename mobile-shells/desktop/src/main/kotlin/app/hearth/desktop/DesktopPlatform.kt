package app.hearth.desktop

import androidx.compose.runtime.Composable
import androidx.compose.runtime.DisposableEffect
import androidx.compose.runtime.getValue
import androidx.compose.runtime.mutableStateListOf
import androidx.compose.runtime.rememberUpdatedState
import app.hearth.ui.BackNavigation
import app.hearth.ui.DeviceLock
import app.hearth.ui.ExportSaver
import app.hearth.ui.Notifications
import app.hearth.ui.Strings
import java.awt.FileDialog
import java.awt.Frame
import java.awt.SystemTray
import java.awt.Toolkit
import java.awt.TrayIcon
import java.awt.image.BufferedImage
import java.nio.file.Files
import java.nio.file.Path
import java.nio.file.StandardOpenOption
import javax.swing.SwingUtilities

/**
 * The desktop has no owner prompt Hearth can call portably (no biometric
 * or session-password API on the JVM), so the app lock is not offered here
 * rather than offered and unenforceable. The core hides the switch.
 */
object NoDeviceLock : DeviceLock {
    override fun available() = false

    override fun prompt(result: (Boolean) -> Unit) = result(false)
}

/**
 * Saves an export through the system's save dialog, owner-only (0600), and
 * nowhere else: nothing stays in Hearth's own folder.
 */
class DialogExportSaver(private val window: () -> Frame?) : ExportSaver {
    override fun save(suggestedName: String, mimeType: String, text: String, done: () -> Unit) = SwingUtilities.invokeLater {
        try {
            val dialog = FileDialog(window(), Strings.settingsExport, FileDialog.SAVE).apply { file = suggestedName }
            dialog.isVisible = true
            val name = dialog.file
            if (name != null) {
                val target = Path.of(dialog.directory, name)
                Files.deleteIfExists(target)
                Files.createFile(target)
                DesktopFiles.ownerOnly(target, directory = false)
                Files.writeString(target, text, StandardOpenOption.TRUNCATE_EXISTING)
            }
        } finally {
            done()
        }
    }
}

/**
 * The one content-free notification, in the system tray where there is one
 * or through `notify-send` (most Linux desktops). It says that something
 * is new, never what or from whom beyond "your partner".
 */
class DesktopNotifications : Notifications {
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

    /** Available where the desktop can show one; the desktop asks no permission. */
    override fun request(answer: (Boolean) -> Unit) = answer(!java.awt.GraphicsEnvironment.isHeadless() && (notifySend != null || tray != null))

    override fun showPartnerNews() {
        val command = notifySend
        if (command != null) {
            runCatching { ProcessBuilder(command, "--app-name=Hearth", Strings.appName, Strings.notificationPartnerNews).start() }
        } else {
            tray?.displayMessage(Strings.appName, Strings.notificationPartnerNews, TrayIcon.MessageType.NONE)
                ?: Toolkit.getDefaultToolkit().beep()
        }
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
