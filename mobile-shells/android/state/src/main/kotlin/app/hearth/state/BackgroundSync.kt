package app.hearth.state

import kotlinx.coroutines.CancellationException

/** How a background sync went, for the platform's scheduler. */
enum class BackgroundSyncOutcome {
    /** Not paired, or the space was closed: there is nothing to sync. */
    NOTHING_TO_DO,

    /** Synced. */
    SYNCED,

    /** The relay could not be reached or the phone was locked: try again later. Nothing is lost. */
    RETRY_LATER,
}

/**
 * What a background sync did: the outcome, and whether to post the
 * notification that something new came from the partner. The notification
 * never says what: it has no text of the partner's, no title, no count.
 */
data class BackgroundSyncResult(val outcome: BackgroundSyncOutcome, val notifyPartnerNews: Boolean)

/**
 * One background sync (WorkManager on Android, background app refresh on
 * iOS). Syncs only a paired, open space; asks for the content-free
 * notification only when something arrived and the person allowed it.
 */
suspend fun backgroundSync(core: CoreGateway, partnerNewsAllowed: Boolean): BackgroundSyncResult = try {
    val status = core.syncStatus()
    if (!status.paired || status.closed) {
        BackgroundSyncResult(BackgroundSyncOutcome.NOTHING_TO_DO, notifyPartnerNews = false)
    } else {
        val report = core.syncNow()
        BackgroundSyncResult(BackgroundSyncOutcome.SYNCED, notifyPartnerNews = partnerNewsAllowed && report.pulled > 0u)
    }
} catch (e: CancellationException) {
    // The system stopped the work; it reschedules it.
    throw e
} catch (e: Exception) {
    // The core keeps the reason in the sync status, shown in Settings.
    BackgroundSyncResult(BackgroundSyncOutcome.RETRY_LATER, notifyPartnerNews = false)
}
