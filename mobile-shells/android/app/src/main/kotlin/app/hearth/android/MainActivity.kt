package app.hearth.android

import android.Manifest
import android.net.Uri
import android.os.Build
import android.os.Bundle
import android.view.WindowManager
import androidx.activity.compose.setContent
import androidx.activity.enableEdgeToEdge
import androidx.activity.result.contract.ActivityResultContracts
import androidx.activity.viewModels
import androidx.biometric.BiometricManager.Authenticators.BIOMETRIC_WEAK
import androidx.biometric.BiometricManager.Authenticators.DEVICE_CREDENTIAL
import androidx.biometric.BiometricPrompt
import androidx.core.content.ContextCompat
import androidx.fragment.app.FragmentActivity
import app.hearth.android.platform.AndroidPlatform
import app.hearth.android.platform.SharedApp
import app.hearth.core.Action
import app.hearth.core.ExportFile
import androidx.activity.compose.BackHandler
import androidx.compose.runtime.Composable
import app.hearth.ui.BackNavigation
import app.hearth.ui.HearthRoot

/**
 * The single activity. A FragmentActivity because BiometricPrompt needs
 * one. It tells the core when the app is in front (lock, live sync), keeps
 * the window out of screenshots and the recent-apps preview, and performs
 * the prompts and pickers the core asks for.
 */
class MainActivity : FragmentActivity(), AndroidPlatform.Host {
    private val viewModel: HearthViewModel by viewModels()
    private var pendingExport: ExportFile? = null

    private val notificationPermission = registerForActivityResult(ActivityResultContracts.RequestPermission()) { granted ->
        viewModel.model.dispatch(Action.NotificationPermission(granted))
    }

    private val exportTarget = registerForActivityResult(ActivityResultContracts.CreateDocument("*/*")) { uri: Uri? ->
        val file = pendingExport
        pendingExport = null
        if (uri != null && file != null) {
            contentResolver.openOutputStream(uri, "wt")?.use { it.write(file.text.toByteArray()) }
        }
    }

    private val exportSource = registerForActivityResult(ActivityResultContracts.OpenDocument()) { uri: Uri? ->
        val bytes = uri?.let { contentResolver.openInputStream(it)?.use { input -> input.readBytes() } }
        if (bytes != null) viewModel.model.dispatch(Action.RestoreFromExport(bytes))
    }

    override fun onCreate(savedInstanceState: Bundle?) {
        super.onCreate(savedInstanceState)
        // A couple's journal does not belong in screenshots or the app switcher.
        window.setFlags(WindowManager.LayoutParams.FLAG_SECURE, WindowManager.LayoutParams.FLAG_SECURE)
        enableEdgeToEdge()
        setContent { HearthRoot(viewModel.model, back = SystemBack) }
    }

    override fun onStart() {
        super.onStart()
        SharedApp.platform.host = this
        viewModel.model.dispatch(Action.Foreground)
    }

    override fun onStop() {
        viewModel.model.dispatch(Action.Background)
        if (SharedApp.platform.host === this) SharedApp.platform.host = null
        super.onStop()
    }

    override fun promptUnlock() = runOnUiThread {
        val prompt = BiometricPrompt(
            this,
            ContextCompat.getMainExecutor(this),
            object : BiometricPrompt.AuthenticationCallback() {
                override fun onAuthenticationSucceeded(result: BiometricPrompt.AuthenticationResult) {
                    viewModel.model.dispatch(Action.UnlockSucceeded)
                }

                override fun onAuthenticationError(errorCode: Int, errString: CharSequence) {
                    viewModel.model.dispatch(Action.UnlockFailed)
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

    override fun askNotificationPermission() = runOnUiThread {
        if (Build.VERSION.SDK_INT >= Build.VERSION_CODES.TIRAMISU) {
            notificationPermission.launch(Manifest.permission.POST_NOTIFICATIONS)
        } else {
            // Before Android 13 notifications need no runtime permission.
            viewModel.model.dispatch(Action.NotificationPermission(true))
        }
    }

    override fun saveExport(file: ExportFile) = runOnUiThread {
        pendingExport = file
        exportTarget.launch(file.fileName)
    }

    override fun openExport() = runOnUiThread {
        exportSource.launch(arrayOf("application/json", "*/*"))
    }
}

/** The back gesture, for the shared screens. */
private object SystemBack : BackNavigation {
    @Composable
    override fun Handler(enabled: Boolean, onBack: () -> Unit) = BackHandler(enabled = enabled, onBack = onBack)
}
