package app.hearth.android.platform

import android.content.Context
import androidx.biometric.BiometricManager
import androidx.biometric.BiometricManager.Authenticators.BIOMETRIC_WEAK
import androidx.biometric.BiometricManager.Authenticators.DEVICE_CREDENTIAL
import app.hearth.core.ExportFile
import app.hearth.state.Platform

/**
 * What the core asks of Android. Prompts and pickers need the activity on
 * screen: [host] is the started activity, or null while none is (a request
 * then waits for the next start, when the core asks again).
 */
class AndroidPlatform(private val context: Context, private val keys: AndroidKeyStore) : Platform {
    /** The activity that can show prompts and pickers. */
    interface Host {
        fun promptUnlock()
        fun askNotificationPermission()
        fun saveExport(file: ExportFile)
        fun openExport()
    }

    @Volatile
    var host: Host? = null

    override fun deviceCanAuthenticate(): Boolean =
        BiometricManager.from(context).canAuthenticate(BIOMETRIC_WEAK or DEVICE_CREDENTIAL) == BiometricManager.BIOMETRIC_SUCCESS

    override fun requestUnlock() {
        host?.promptUnlock()
    }

    override fun requestNotificationPermission() {
        host?.askNotificationPermission()
    }

    override fun notifyPartnerNews() = PartnerNews.show(context)

    override fun saveExport(file: ExportFile) {
        host?.saveExport(file)
    }

    override fun chooseExportToRestore() {
        host?.openExport()
    }

    override fun scheduleBackgroundSync(enabled: Boolean) {
        if (enabled) SyncWorker.schedule(context) else SyncWorker.cancel(context)
    }

    /** The core deleted the profile; the sealed keys' wrapping key goes too. */
    override fun erased() = keys.eraseAll()
}
