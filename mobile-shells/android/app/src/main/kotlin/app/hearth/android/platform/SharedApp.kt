package app.hearth.android.platform

import android.content.Context
import app.hearth.android.BuildConfig
import app.hearth.state.AppModel
import java.io.File

/**
 * Hearth's files on this phone, all in no-backup storage: they never go to
 * a cloud backup or a device transfer.
 */
class HearthFiles(context: Context) {
    private val root = File(context.applicationContext.noBackupFilesDir, "hearth")

    /** The core's data folder (SQLite database and documents). */
    val data = File(root, "data")

    /** The sealed key store entries. */
    val keys = File(root, "keys")
}

/**
 * One app core per process, shared by the screens and the background sync
 * worker: two handles on one profile would only contend for it. It lives
 * as long as the process.
 */
object SharedApp {
    private var model: AppModel? = null

    /** The platform side, so the activity can attach itself for prompts. */
    lateinit var platform: AndroidPlatform
        private set

    @Synchronized
    fun get(context: Context): AppModel = model ?: run {
        val app = context.applicationContext
        val files = HearthFiles(app)
        platform = AndroidPlatform(app, AndroidKeyStore(files.keys))
        AppModel.start(
            dataDir = files.data.path,
            platform = platform,
            keyStore = AndroidKeyStore(files.keys),
            defaultRelay = BuildConfig.DEFAULT_RELAY_URL.ifEmpty { null },
        ).also { model = it }
    }
}
