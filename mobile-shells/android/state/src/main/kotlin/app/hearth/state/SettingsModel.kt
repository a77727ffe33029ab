package app.hearth.state

import app.hearth.core.Profile
import app.hearth.core.SexualContentConsent
import app.hearth.core.SyncStatus
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Job

/** The two forms the journal can be exported in. */
enum class ExportFormat { JSON, MARKDOWN }

/** An export ready to hand to the platform's share sheet; dropped once handed over. */
data class ExportedJournal(val format: ExportFormat, val text: String) {
    // The text is the whole journal: keep it out of logs and crash reports.
    override fun toString() = "ExportedJournal(format=$format, ${text.length} characters)"
}

/** The Settings screen. */
data class SettingsState(
    val profile: Profile? = null,
    val sync: SyncStatus? = null,
    val syncing: Boolean = false,
    val consent: SexualContentConsent? = null,
    val appLock: Boolean = false,
    val partnerNews: Boolean = false,
    val exporting: Boolean = false,
    val exported: ExportedJournal? = null,
    val leaving: Boolean = false,
    val loading: Boolean = true,
    val problem: Problem? = null,
)

/**
 * This phone's settings kept by the shell, not the core: whether the app
 * locks, and whether it may say (without content) that something new came.
 */
interface ShellPreferences {
    var appLockEnabled: Boolean
    var partnerNewsNotifications: Boolean

    /** Back to the defaults, when everything is erased. */
    fun clear()
}

/**
 * Settings: sync status and a manual sync, the relay, the export, leaving
 * the shared space, the name, the sexual-content opt-in, app lock and the
 * content-free notifications. Erasing everything is [HearthModel]'s, since it
 * closes the core.
 */
class SettingsModel(
    private val core: CoreGateway,
    scope: CoroutineScope,
    private val preferences: ShellPreferences,
    private val lock: AppLock,
) : ScreenModel<SettingsState>(SettingsState(), scope) {
    override fun SettingsState.withProblem(problem: Problem?) = copy(problem = problem, loading = false)

    override suspend fun load() {
        val profile = core.profile()
        val sync = core.syncStatus()
        val consent = core.sexualContentConsent()
        set {
            it.copy(
                profile = profile,
                sync = sync,
                consent = consent,
                appLock = lock.enabled,
                partnerNews = preferences.partnerNewsNotifications,
                loading = false,
            )
        }
    }

    /** Syncs now. A failure is kept in the sync status by the core, and shown. */
    fun syncNow(): Job = action {
        set { it.copy(syncing = true) }
        try {
            core.syncNow()
        } finally {
            val status = core.syncStatus()
            set { it.copy(syncing = false, sync = status) }
        }
    }

    /** Changes the relay this phone syncs through. */
    fun setRelay(url: String): Job = action {
        core.setRelay(url)
        load()
    }

    /** The person has read the sync notice. */
    fun dismissNotice(): Job = action {
        core.dismissSyncNotice()
        load()
    }

    fun setDisplayName(name: String): Job = action {
        core.setDisplayName(name)
        load()
    }

    /** This partner's choice about sexual content; shown only when both said yes. */
    fun setSexualContentOptIn(optIn: Boolean): Job = action {
        core.setSexualContentOptIn(optIn)
        load()
    }

    /** Turns the app lock on or off. The screen confirms the phone can authenticate before turning it on. */
    fun setAppLock(enabled: Boolean) {
        lock.setEnabled(enabled)
        set { it.copy(appLock = enabled) }
    }

    fun setPartnerNews(enabled: Boolean) {
        preferences.partnerNewsNotifications = enabled
        set { it.copy(partnerNews = enabled) }
    }

    /** Builds the export; the screen hands it to the share sheet, then calls [exportHandled]. */
    fun export(format: ExportFormat): Job = action {
        set { it.copy(exporting = true) }
        try {
            val text = when (format) {
                ExportFormat.JSON -> core.exportJson()
                ExportFormat.MARKDOWN -> core.exportMarkdown()
            }
            set { it.copy(exported = ExportedJournal(format, text)) }
        } finally {
            set { it.copy(exporting = false) }
        }
    }

    /** Drops the export from memory once the share sheet has it. */
    fun exportHandled() = set { it.copy(exported = null) }

    /**
     * Leaves the shared space: the relay erases it and the partner's phone
     * learns on its next sync. Both phones keep a read-only copy.
     */
    fun leave(): Job = action {
        set { it.copy(leaving = true) }
        try {
            core.leaveSpace()
        } finally {
            set { it.copy(leaving = false) }
        }
        load()
    }
}
