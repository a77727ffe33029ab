package app.hearth.android.platform

import android.content.Context
import androidx.work.Constraints
import androidx.work.CoroutineWorker
import androidx.work.ExistingPeriodicWorkPolicy
import androidx.work.NetworkType
import androidx.work.PeriodicWorkRequestBuilder
import androidx.work.WorkManager
import androidx.work.WorkerParameters
import app.hearth.core.BackgroundSyncOutcome
import java.util.concurrent.TimeUnit

/**
 * Background sync through WorkManager: about hourly, when online. The core
 * syncs and, when something new arrived and the person wants to hear of
 * it, posts the content-free notification through the platform.
 */
class SyncWorker(context: Context, params: WorkerParameters) : CoroutineWorker(context, params) {
    override suspend fun doWork(): Result = when (SharedApp.get(applicationContext).backgroundSync()) {
        BackgroundSyncOutcome.RETRY_LATER -> Result.retry()
        BackgroundSyncOutcome.SYNCED, BackgroundSyncOutcome.NOTHING_TO_DO -> Result.success()
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

        /** Stops background sync (unpaired, left, erased). */
        fun cancel(context: Context) {
            WorkManager.getInstance(context).cancelUniqueWork(NAME)
        }
    }
}
