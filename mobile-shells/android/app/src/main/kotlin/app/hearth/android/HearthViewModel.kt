package app.hearth.android

import android.app.Application
import androidx.lifecycle.AndroidViewModel
import androidx.lifecycle.viewModelScope
import app.hearth.android.platform.AndroidCoreOpener
import app.hearth.android.platform.AndroidPreferences
import app.hearth.android.platform.SyncWorker
import app.hearth.state.CoreGateway
import app.hearth.state.CoreOpener
import app.hearth.state.HearthModel
import app.hearth.state.LocalDay
import java.time.LocalDate

/**
 * The app's one ViewModel. It owns the core handle through [model] (the
 * state module's HearthModel, which holds every screen's state) for as
 * long as the app's screens live; the screens read [model]'s flows and call
 * its actions. It adds only what is Android's: the opener on the app's
 * files and Keystore, scheduling background sync once Hearth is set up.
 */
class HearthViewModel(application: Application) : AndroidViewModel(application) {
    private val opener = SchedulingOpener(AndroidCoreOpener(application), application)

    val model = HearthModel(
        opener = opener,
        scope = viewModelScope,
        localDay = LocalDay { LocalDate.now().toString() },
        preferences = AndroidPreferences(application),
        defaultRelayUrl = BuildConfig.DEFAULT_RELAY_URL.ifEmpty { null },
        clock = System::currentTimeMillis,
    )

    init {
        model.start()
    }

    override fun onCleared() {
        model.close()
    }

    /** Schedules background sync once Hearth exists on this phone. */
    private class SchedulingOpener(private val inner: CoreOpener, private val app: Application) : CoreOpener by inner {
        override suspend fun open(displayName: String?): CoreGateway = inner.open(displayName).also { SyncWorker.schedule(app) }
    }
}
