package app.hearth.state

import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.asStateFlow

/**
 * When the app asks for the phone's biometrics or passcode: at launch, and
 * when it comes back after [graceMs] or more in the background, if the
 * person turned the lock on. The prompt itself is the platform's
 * (BiometricPrompt); this decides when it shows.
 */
class AppLock(
    private val preferences: ShellPreferences,
    private val clock: () -> Long,
    private val graceMs: Long = DEFAULT_GRACE_MS,
) {
    private val mutable = MutableStateFlow(preferences.appLockEnabled)
    private var backgroundedAt: Long? = null

    /** Whether the content is hidden behind the lock screen. */
    val locked: StateFlow<Boolean> = mutable.asStateFlow()

    val enabled: Boolean get() = preferences.appLockEnabled

    fun setEnabled(enabled: Boolean) {
        preferences.appLockEnabled = enabled
        if (!enabled) mutable.value = false
    }

    /** The app went to the background. */
    fun onBackground() {
        backgroundedAt = clock()
    }

    /** The app came back; locks if it was away long enough. */
    fun onForeground() {
        val since = backgroundedAt ?: return
        backgroundedAt = null
        if (enabled && clock() - since >= graceMs) mutable.value = true
    }

    /** The platform prompt succeeded. */
    fun unlocked() {
        mutable.value = false
    }

    companion object {
        /** A quick switch to another app (to copy a pairing code, say) does not lock. */
        const val DEFAULT_GRACE_MS = 30_000L
    }
}
