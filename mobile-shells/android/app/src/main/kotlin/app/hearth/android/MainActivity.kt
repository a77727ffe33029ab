package app.hearth.android

import android.os.Bundle
import android.view.WindowManager
import androidx.activity.compose.setContent
import androidx.activity.enableEdgeToEdge
import androidx.activity.viewModels
import androidx.biometric.BiometricManager
import androidx.biometric.BiometricManager.Authenticators.BIOMETRIC_WEAK
import androidx.biometric.BiometricManager.Authenticators.DEVICE_CREDENTIAL
import androidx.biometric.BiometricPrompt
import androidx.core.content.ContextCompat
import androidx.fragment.app.FragmentActivity
import androidx.lifecycle.DefaultLifecycleObserver
import androidx.lifecycle.LifecycleOwner
import androidx.lifecycle.ProcessLifecycleOwner
import app.hearth.android.ui.HearthApp
import app.hearth.android.ui.HearthTheme

/**
 * The single activity. A FragmentActivity because BiometricPrompt needs
 * one. It tells the model when the app goes to the background and back (app
 * lock, live sync), keeps the window out of screenshots and the recent-apps
 * preview, and runs the platform prompts the screens ask for.
 */
class MainActivity : FragmentActivity() {
    private val viewModel: HearthViewModel by viewModels()

    private val appVisibility = object : DefaultLifecycleObserver {
        override fun onStart(owner: LifecycleOwner) = viewModel.model.onForeground()

        override fun onStop(owner: LifecycleOwner) = viewModel.model.onBackground()
    }

    override fun onCreate(savedInstanceState: Bundle?) {
        super.onCreate(savedInstanceState)
        // A couple's journal does not belong in screenshots or the app switcher.
        window.setFlags(WindowManager.LayoutParams.FLAG_SECURE, WindowManager.LayoutParams.FLAG_SECURE)
        enableEdgeToEdge()
        ProcessLifecycleOwner.get().lifecycle.addObserver(appVisibility)
        setContent {
            HearthTheme {
                HearthApp(
                    model = viewModel.model,
                    canLock = ::canLock,
                    unlock = ::promptUnlock,
                )
            }
        }
    }

    override fun onDestroy() {
        ProcessLifecycleOwner.get().lifecycle.removeObserver(appVisibility)
        super.onDestroy()
    }

    /** Whether the phone has a fingerprint, face or screen lock the app lock can ask for. */
    private fun canLock(): Boolean =
        BiometricManager.from(this).canAuthenticate(BIOMETRIC_WEAK or DEVICE_CREDENTIAL) == BiometricManager.BIOMETRIC_SUCCESS

    /** Asks for the phone's biometrics or screen lock; unlocks the app when it succeeds. */
    private fun promptUnlock() {
        val prompt = BiometricPrompt(
            this,
            ContextCompat.getMainExecutor(this),
            object : BiometricPrompt.AuthenticationCallback() {
                override fun onAuthenticationSucceeded(result: BiometricPrompt.AuthenticationResult) {
                    viewModel.model.lock.unlocked()
                }
            },
        )
        val info = BiometricPrompt.PromptInfo.Builder()
            .setTitle(getString(R.string.lock_prompt_title))
            .setSubtitle(getString(R.string.lock_prompt_subtitle))
            .setAllowedAuthenticators(BIOMETRIC_WEAK or DEVICE_CREDENTIAL)
            .build()
        prompt.authenticate(info)
    }
}
