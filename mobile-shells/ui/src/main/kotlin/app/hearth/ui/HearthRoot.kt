package app.hearth.ui

import androidx.compose.foundation.isSystemInDarkTheme
import androidx.compose.runtime.Composable
import androidx.compose.runtime.CompositionLocalProvider
import androidx.compose.runtime.getValue
import androidx.lifecycle.compose.collectAsStateWithLifecycle
import app.hearth.state.AppModel

/**
 * Hearth on screen, for both apps: the view the core renders into [model],
 * in Hearth's theme, with the platform's [back] action; what the person
 * does goes back to the core through [AppModel.dispatch].
 */
@Composable
fun HearthRoot(model: AppModel, back: BackNavigation = NoBack, dark: Boolean = isSystemInDarkTheme()) {
    val view by model.view.collectAsStateWithLifecycle()
    HearthTheme(dark = dark) {
        CompositionLocalProvider(LocalBack provides back) { HearthApp(view, model::dispatch) }
    }
}
