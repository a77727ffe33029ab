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
import android.Manifest
import android.os.Build
import androidx.activity.compose.BackHandler
import androidx.activity.result.contract.ActivityResultContracts
import androidx.compose.runtime.Composable
import androidx.compose.runtime.CompositionLocalProvider
import androidx.lifecycle.lifecycleScope
import app.hearth.ui.BackNavigation
import app.hearth.ui.DeviceLock
import app.hearth.ui.ExportSaver
import app.hearth.ui.HearthApp
import app.hearth.ui.HearthTheme
import app.hearth.ui.LocalPlatform
import app.hearth.ui.NotificationPermission
import app.hearth.ui.Platform
import app.hearth.ui.Strings
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.launch
import kotlinx.coroutines.withContext

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
        val platform = Platform(lock = biometricLock, files = documentSaver, notifications = notificationPermission, back = systemBack)
        setContent {
            HearthTheme {
                CompositionLocalProvider(LocalPlatform provides platform) {
                    HearthApp(viewModel.model)
                }
            }
        }
    }

    override fun onDestroy() {
        ProcessLifecycleOwner.get().lifecycle.removeObserver(appVisibility)
        super.onDestroy()
    }

    // The screens' platform effects (app.hearth.ui.Platform), the Android way.
    // Activity result launchers are registered here, before the activity starts.

    private val biometricLock = object : DeviceLock {
        override fun available(): Boolean = canLock()

        override fun prompt(unlocked: () -> Unit) = promptUnlock(unlocked)
    }

    private var pendingExport: Pair<String, () -> Unit>? = null

    private val saveDocument = registerForActivityResult(ActivityResultContracts.CreateDocument("*/*")) { uri ->
        val (text, done) = pendingExport ?: return@registerForActivityResult
        pendingExport = null
        lifecycleScope.launch {
            if (uri != null) {
                withContext(Dispatchers.IO) { contentResolver.openOutputStream(uri)?.use { it.write(text.toByteArray()) } }
            }
            done()
        }
    }

    // The export goes where the person saves it (Storage Access Framework); no copy stays in the app's files.
    private val documentSaver = object : ExportSaver {
        override fun save(suggestedName: String, mimeType: String, text: String, done: () -> Unit) {
            pendingExport = text to done
            saveDocument.launch(suggestedName)
        }
    }

    private var pendingPermission: ((Boolean) -> Unit)? = null

    private val askPermission = registerForActivityResult(ActivityResultContracts.RequestPermission()) { granted ->
        pendingPermission?.invoke(granted)
        pendingPermission = null
    }

    private val notificationPermission = object : NotificationPermission {
        override fun request(answer: (Boolean) -> Unit) {
            if (Build.VERSION.SDK_INT >= Build.VERSION_CODES.TIRAMISU) {
                pendingPermission = answer
                askPermission.launch(Manifest.permission.POST_NOTIFICATIONS)
            } else {
                answer(true)
            }
        }
    }

    private val systemBack = object : BackNavigation {
        @Composable
        override fun Handler(onBack: () -> Unit) = BackHandler(onBack = onBack)
    }

    /** Whether the phone has a fingerprint, face or screen lock the app lock can ask for. */
    private fun canLock(): Boolean =
        BiometricManager.from(this).canAuthenticate(BIOMETRIC_WEAK or DEVICE_CREDENTIAL) == BiometricManager.BIOMETRIC_SUCCESS

    /** Asks for the phone's biometrics or screen lock; [unlocked] runs when it succeeds. */
    private fun promptUnlock(unlocked: () -> Unit) {
        val prompt = BiometricPrompt(
            this,
            ContextCompat.getMainExecutor(this),
            object : BiometricPrompt.AuthenticationCallback() {
                override fun onAuthenticationSucceeded(result: BiometricPrompt.AuthenticationResult) {
                    unlocked()
                }
            },
        )
        val info = BiometricPrompt.PromptInfo.Builder()
            .setTitle(Strings.lockPromptTitle)
            .setSubtitle(Strings.lockPromptSubtitle)
            .setAllowedAuthenticators(BIOMETRIC_WEAK or DEVICE_CREDENTIAL)
            .build()
        prompt.authenticate(info)
    }
}
