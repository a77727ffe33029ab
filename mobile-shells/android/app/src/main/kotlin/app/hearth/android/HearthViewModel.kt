package app.hearth.android

import android.app.Application
import androidx.lifecycle.AndroidViewModel
import app.hearth.android.platform.SharedApp
import app.hearth.state.AppModel

/**
 * The app's one ViewModel: it hands the screens the process's [AppModel]
 * (the core's view and its dispatch). The model outlives the ViewModel,
 * since the background sync worker shares it.
 */
class HearthViewModel(application: Application) : AndroidViewModel(application) {
    val model: AppModel = SharedApp.get(application)
}
