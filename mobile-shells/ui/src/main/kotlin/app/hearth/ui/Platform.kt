package app.hearth.ui

import androidx.compose.runtime.Composable
import androidx.compose.runtime.staticCompositionLocalOf

/**
 * What the screens ask of the platform they run on: the few effects that
 * only Android (activity results, permissions, BiometricPrompt, the back
 * gesture) or the desktop (file dialogs, the OS credential) can perform.
 * Each app implements these and provides them with [LocalPlatform]; the
 * screens never touch `Context`, an `Activity` or AWT.
 */
class Platform(
    val lock: DeviceLock,
    val files: ExportSaver,
    val notifications: NotificationPermission,
    val back: BackNavigation,
)

/** The device's own lock (biometrics, screen lock, the desktop session's password). */
interface DeviceLock {
    /** Whether the device has a lock the app lock can ask for. */
    fun available(): Boolean

    /** Asks the person to prove it is them; calls [unlocked] only when they did. */
    fun prompt(unlocked: () -> Unit)
}

/** Saving an export where the person chooses; no copy stays in the app's files. */
interface ExportSaver {
    /**
     * Offers to save [text] (of [mimeType]) under [suggestedName]; calls
     * [done] afterwards, saved or cancelled, so the text is dropped.
     */
    fun save(suggestedName: String, mimeType: String, text: String, done: () -> Unit)
}

/** The permission to show notifications, asked when the person turns them on. */
interface NotificationPermission {
    /** Asks (where the platform asks) and reports whether notifications may be shown. */
    fun request(answer: (Boolean) -> Unit)
}

/** The system's back action (Android's back gesture; the desktop has none but Escape). */
interface BackNavigation {
    /** While in composition, [onBack] handles the back action. */
    @Composable
    fun Handler(onBack: () -> Unit)
}

val LocalPlatform = staticCompositionLocalOf<Platform> {
    error("No Platform provided: wrap the app in CompositionLocalProvider(LocalPlatform provides ...)")
}

/** The back action goes to [onBack] while this is on screen. */
@Composable
fun BackHandler(onBack: () -> Unit) = LocalPlatform.current.back.Handler(onBack)
