package app.hearth.android.platform

import android.content.Context
import app.hearth.Hearth
import app.hearth.android.gateway.HearthGateway
import app.hearth.state.CoreGateway
import app.hearth.state.CoreOpener
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.withContext
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
 * One open Hearth per process, shared by the ViewModel and the background
 * sync worker: two handles on the same database in one process would only
 * contend for it. Each user acquires a gateway and closes it when done; the
 * last close closes the core.
 */
object SharedHearth {
    private var hearth: Hearth? = null
    private var users = 0

    /** Opens (or shares) Hearth; [displayName] names this partner the first time. */
    @Synchronized
    fun acquire(files: HearthFiles, displayName: String?): CoreGateway {
        val open = hearth ?: Hearth.open(files.data.path, displayName, AndroidKeyStore(files.keys)).also { hearth = it }
        if (displayName != null && users > 0) open.setDisplayName(displayName)
        users++
        return HearthGateway(open, release = ::release)
    }

    @Synchronized
    private fun release() {
        users = (users - 1).coerceAtLeast(0)
        if (users == 0) {
            hearth?.close()
            hearth = null
        }
    }

    /** Whether a handle is open, so erasing knows it must wait. */
    @get:Synchronized
    val isOpen: Boolean get() = hearth != null
}

/** Opens Hearth from the app's files and erases them. */
class AndroidCoreOpener(context: Context) : CoreOpener {
    private val context = context.applicationContext
    private val files = HearthFiles(context)

    override fun isSetUp(): Boolean = files.data.isDirectory

    override suspend fun open(displayName: String?): CoreGateway = withContext(Dispatchers.IO) {
        SharedHearth.acquire(files, displayName)
    }

    /** Stops background sync, then deletes the data folder, the sealed keys and the wrapping key. */
    override suspend fun erase() = withContext(Dispatchers.IO) {
        SyncWorker.cancel(context)
        check(!SharedHearth.isOpen) { "Hearth is still open (background sync may be running); try again in a moment" }
        files.data.deleteRecursively()
        AndroidKeyStore(files.keys).eraseAll()
    }
}
