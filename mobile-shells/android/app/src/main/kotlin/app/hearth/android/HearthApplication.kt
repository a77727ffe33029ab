package app.hearth.android

import android.app.Application
import app.hearth.android.platform.AndroidCoreOpener
import app.hearth.android.platform.PartnerNews
import app.hearth.android.platform.SyncWorker

/** Sets up what outlives the screens: the notification channel and background sync. */
class HearthApplication : Application() {
    override fun onCreate() {
        super.onCreate()
        PartnerNews.createChannel(this)
        if (AndroidCoreOpener(this).isSetUp()) SyncWorker.schedule(this)
    }
}
