package app.hearth.android.platform

import android.content.Context
import app.hearth.state.ShellPreferences

/** The shell's own settings (app lock, notifications) in private SharedPreferences. Never content. */
class AndroidPreferences(context: Context) : ShellPreferences {
    private val prefs = context.applicationContext.getSharedPreferences("hearth.shell", Context.MODE_PRIVATE)

    override var appLockEnabled: Boolean
        get() = prefs.getBoolean(APP_LOCK, false)
        set(value) = prefs.edit().putBoolean(APP_LOCK, value).apply()

    override var partnerNewsNotifications: Boolean
        get() = prefs.getBoolean(PARTNER_NEWS, true)
        set(value) = prefs.edit().putBoolean(PARTNER_NEWS, value).apply()

    override fun clear() {
        prefs.edit().clear().apply()
    }

    private companion object {
        const val APP_LOCK = "app_lock"
        const val PARTNER_NEWS = "partner_news"
    }
}
