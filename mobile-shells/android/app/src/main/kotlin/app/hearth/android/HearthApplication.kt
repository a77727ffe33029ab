package app.hearth.android

import android.app.Application
import app.hearth.android.platform.PartnerNews

/** Sets up what outlives the screens: the notification channel. The core schedules background sync. */
class HearthApplication : Application() {
    override fun onCreate() {
        super.onCreate()
        PartnerNews.createChannel(this)
    }
}
