package app.hearth.ui

import androidx.compose.runtime.Composable
import androidx.compose.runtime.staticCompositionLocalOf

/**
 * The system's back action, the one platform effect a screen itself needs
 * (the core asks for the others through `app.hearth.state.Platform`):
 * Android's back gesture, Escape on the desktop, nothing in tests.
 */
interface BackNavigation {
    /** While in composition and [enabled], [onBack] handles the back action. */
    @Composable
    fun Handler(enabled: Boolean, onBack: () -> Unit)
}

/** No back action (tests, a platform without one). */
object NoBack : BackNavigation {
    @Composable
    override fun Handler(enabled: Boolean, onBack: () -> Unit) = Unit
}

val LocalBack = staticCompositionLocalOf<BackNavigation> { NoBack }

/** The back action goes to [onBack] while this is on screen and [enabled]. */
@Composable
fun BackHandler(enabled: Boolean = true, onBack: () -> Unit) = LocalBack.current.Handler(enabled, onBack)
