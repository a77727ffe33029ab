package app.hearth.android.ui

import androidx.compose.foundation.isSystemInDarkTheme
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.darkColorScheme
import androidx.compose.material3.lightColorScheme
import androidx.compose.runtime.Composable
import androidx.compose.ui.graphics.Color

private val Ember = Color(0xFFB3472D)
private val Glow = Color(0xFFFFB59E)

private val Light = lightColorScheme(
    primary = Ember,
    onPrimary = Color.White,
    secondary = Color(0xFF77574E),
    background = Color(0xFFFFFBF7),
    surface = Color(0xFFFFFBF7),
)

private val Dark = darkColorScheme(
    primary = Glow,
    onPrimary = Color(0xFF5F1604),
    secondary = Color(0xFFE7BDB2),
)

/** Hearth's colours: warm, calm, readable in light and dark. */
@Composable
fun HearthTheme(content: @Composable () -> Unit) {
    MaterialTheme(colorScheme = if (isSystemInDarkTheme()) Dark else Light, content = content)
}
