package app.hearth.android.platform

import android.content.Context
import androidx.work.Constraints
import androidx.work.CoroutineWorker
import androidx.work.ExistingPeriodicWorkPolicy
import androidx.work.NetworkType
import androidx.work.PeriodicWorkRequestBuilder
import androidx.work.WorkManager
import androidx.work.WorkerParameters
import app.hearth.state.BackgroundSyncOutcome
import app.hearth.state.backgroundSync
import java.util.concurrent.TimeUnit

/**
 * Background sync through WorkManager: about hourly, when online. Pulls
 * what the partner wrote and pushes what waits here; if something arrived,
 * posts the content-free [PartnerNews] notification. The decisions are in
 * the state module's [backgroundSync]; this opens Hearth and reports back.
 */
class SyncWorker(context: Context, params: WorkerParameters) : CoroutineWorker(context, params) {
    override suspend fun doWork(): Result {
        val opener = AndroidCoreOpener(applicationContext)
        if (!opener.isSetUp()) return Result.success()
        val result = try {
            opener.open(displayName = null).use { core ->
                backgroundSync(core, AndroidPreferences(applicationContext).partnerNewsNotifications)
            }
        } catch (e: app.hearth.HearthException) {
            // The keys are out of reach (first unlock after a restart not done yet): later.
            return Result.retry()
        }
        if (result.notifyPartnerNews) PartnerNews.show(applicationContext)
        return when (result.outcome) {
            BackgroundSyncOutcome.RETRY_LATER -> Result.retry()
            BackgroundSyncOutcome.SYNCED, BackgroundSyncOutcome.NOTHING_TO_DO -> Result.success()
        }
    }

    companion object {
        private const val NAME = "hearth-sync"

        /** Schedules the periodic sync (kept if already scheduled). */
        fun schedule(context: Context) {
            val request = PeriodicWorkRequestBuilder<SyncWorker>(1, TimeUnit.HOURS)
                .setConstraints(Constraints.Builder().setRequiredNetworkType(NetworkType.CONNECTED).build())
                .build()
            WorkManager.getInstance(context).enqueueUniquePeriodicWork(NAME, ExistingPeriodicWorkPolicy.KEEP, request)
        }

        /** Stops background sync, when everything is erased. */
        fun cancel(context: Context) {
            WorkManager.getInstance(context).cancelUniqueWork(NAME)
        }
    }
}
