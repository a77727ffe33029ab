package app.hearth.ui

import androidx.compose.runtime.Composable
import androidx.compose.runtime.staticCompositionLocalOf

/**
 * The effects only the platform can perform, which the core asks for
 * through [HearthHost] (the owner prompt, notifications, saving a file,
 * background scheduling) or a screen needs (the back gesture). Android
 * implements them with BiometricPrompt, the notification permission, the
 * Storage Access Framework and WorkManager; the desktop with its own
 * dialogs and tray. The screens never touch `Context`, an `Activity` or AWT.
 */
class Platform(
    val lock: DeviceLock,
    val files: ExportSaver,
    val notifications: Notifications,
    val back: BackNavigation,
    val background: BackgroundScheduler = BackgroundScheduler { },
    /** Everything was erased: drop what the platform keeps of its own (a wrapping key, preferences). */
    val erased: () -> Unit = {},
)

/** The device's own lock (biometrics, a screen lock, the desktop session's password). */
interface DeviceLock {
    /** Whether the device can confirm its owner, so the app lock can ask. */
    fun available(): Boolean

    /** Asks the person to prove it is them; [result] says whether they did. */
    fun prompt(result: (Boolean) -> Unit)
}

/** Saving an export where the person chooses; no copy stays in the app's files. */
interface ExportSaver {
    /** Offers to save [text] (of [mimeType]) under [suggestedName]; [done] runs afterwards, saved or not. */
    fun save(suggestedName: String, mimeType: String, text: String, done: () -> Unit)
}

/** Content-free notifications of the partner's news. */
interface Notifications {
    /** Asks (where the platform asks) whether notifications may be shown. */
    fun request(answer: (Boolean) -> Unit)

    /** Shows the one notification: something new from the partner; never what. */
    fun showPartnerNews()
}

/** Periodic sync while the app is closed (WorkManager on Android; nothing on the desktop). */
fun interface BackgroundScheduler {
    fun schedule(enabled: Boolean)
}

/** The system's back action (Android's back gesture; Escape on the desktop). */
interface BackNavigation {
    /** While in composition and [enabled], [onBack] handles the back action. */
    @Composable
    fun Handler(enabled: Boolean, onBack: () -> Unit)
}

val LocalPlatform = staticCompositionLocalOf<Platform> {
    error("No Platform provided: wrap the app in CompositionLocalProvider(LocalPlatform provides ...)")
}

/** The back action goes to [onBack] while this is on screen and [enabled]. */
@Composable
fun BackHandler(enabled: Boolean = true, onBack: () -> Unit) = LocalPlatform.current.back.Handler(enabled, onBack)
