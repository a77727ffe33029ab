package app.hearth.desktop

import androidx.compose.runtime.LaunchedEffect
import androidx.compose.ui.input.key.Key
import androidx.compose.ui.input.key.KeyEventType
import androidx.compose.ui.input.key.key
import androidx.compose.ui.input.key.type
import androidx.compose.ui.unit.DpSize
import androidx.compose.ui.unit.dp
import androidx.compose.ui.window.Window
import androidx.compose.ui.window.application
import androidx.compose.ui.window.rememberWindowState
import app.hearth.core.Action
import app.hearth.core.AppPhase
import kotlinx.coroutines.delay
import kotlinx.coroutines.flow.first
import app.hearth.state.AppModel
import app.hearth.ui.HearthRoot
import app.hearth.ui.Strings
import java.awt.Frame
import java.nio.file.Files

/**
 * Hearth for the desktop: the same screens as on a phone (a navigation
 * rail and two panes once the window is wide), one profile in the
 * platform's data folder, keys in the OS credential store, live sync while
 * the window is shown, a sync a minute while it is minimised (when the core
 * may post the content-free notification).
 *
 * HEARTH_HOME moves the profile (a second one on the same computer, for
 * trying pairing); HEARTH_RELAY presets the relay of a new profile.
 */
/** How often a minimised window syncs (the live stream runs only while it is shown). */
private const val BACKGROUND_SYNC_MS = 60_000L

fun main() {
    val files = DesktopFiles.locate()
    files.secure()
    val (keyStore, where) = OsKeyStore.open(files)
    System.err.println("Hearth: profile in ${files.root}, keys in $where")

    var frame: Frame? = null
    val back = EscapeBack()
    val platform = DesktopPlatform(
        window = { frame },
        onErased = { if (keyStore is FileKeyStore) files.keys.toFile().deleteRecursively() },
    )
    val model = AppModel.start(files.data.toString(), platform, keyStore, System.getenv("HEARTH_RELAY")?.takeIf { it.isNotBlank() })
    platform.dispatch = model::dispatch

    application {
        val state = rememberWindowState(size = DpSize(1100.dp, 760.dp))
        Window(
            onCloseRequest = {
                model.dispatch(Action.Background)
                model.close()
                // The core wrote its files with the process's umask: take group and other access away again.
                if (Files.isDirectory(files.data)) files.secure()
                exitApplication()
            },
            state = state,
            title = Strings.appName,
            onPreviewKeyEvent = { it.key == Key.Escape && it.type == KeyEventType.KeyDown && back.back() },
        ) {
            frame = window
            // In front (the window shown): live sync. Minimised: the core's background mode, so it
            // may post the content-free notification, with a sync every minute instead of the live stream.
            LaunchedEffect(state.isMinimized) {
                if (!state.isMinimized) {
                    model.dispatch(Action.Foreground)
                } else {
                    model.dispatch(Action.Background)
                    while (true) {
                        delay(BACKGROUND_SYNC_MS)
                        model.backgroundSync()
                    }
                }
            }
            LaunchedEffect(Unit) {
                // Once the profile is open its files exist: owner-only from then on.
                model.view.first { it?.phase == AppPhase.Ready }
                files.secure()
            }
            HearthRoot(model, back)
        }
    }
}
