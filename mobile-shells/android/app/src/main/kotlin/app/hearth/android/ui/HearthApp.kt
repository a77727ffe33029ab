@file:OptIn(ExperimentalMaterial3Api::class)

package app.hearth.android.ui

import androidx.activity.compose.BackHandler
import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.fillMaxSize
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.padding
import androidx.compose.material.icons.Icons
import androidx.compose.material.icons.filled.Edit
import androidx.compose.material.icons.filled.Favorite
import androidx.compose.material.icons.filled.Home
import androidx.compose.material.icons.filled.Lock
import androidx.compose.material.icons.filled.PlayArrow
import androidx.compose.material.icons.filled.Settings
import androidx.compose.material3.AlertDialog
import androidx.compose.material3.Button
import androidx.compose.material3.CircularProgressIndicator
import androidx.compose.material3.ExperimentalMaterial3Api
import androidx.compose.material3.Icon
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.NavigationBar
import androidx.compose.material3.NavigationBarItem
import androidx.compose.material3.OutlinedTextField
import androidx.compose.material3.Scaffold
import androidx.compose.material3.Text
import androidx.compose.material3.TextButton
import androidx.compose.runtime.Composable
import androidx.compose.runtime.LaunchedEffect
import androidx.compose.runtime.getValue
import androidx.compose.runtime.mutableStateOf
import androidx.compose.runtime.saveable.rememberSaveable
import androidx.compose.runtime.setValue
import androidx.compose.ui.Alignment
import androidx.compose.ui.Modifier
import androidx.compose.ui.res.stringResource
import androidx.compose.ui.text.style.TextAlign
import androidx.compose.ui.unit.dp
import androidx.lifecycle.compose.collectAsStateWithLifecycle
import app.hearth.android.R
import app.hearth.state.AppPhase
import app.hearth.state.Erasing
import app.hearth.state.HearthModel
import app.hearth.state.Problem
import app.hearth.state.Session

/** The app's five places. */
enum class Tab { TODAY, JOURNAL, EXERCISES, US, SETTINGS }

/**
 * The root: the lock screen while locked, else the step the model is at
 * (welcome, opening, failure, or the app itself), and the erase dialogs.
 */
@Composable
fun HearthApp(model: HearthModel, canLock: () -> Boolean, unlock: () -> Unit) {
    val phase by model.phase.collectAsStateWithLifecycle()
    val locked by model.lock.locked.collectAsStateWithLifecycle()
    val erasing by model.erasing.collectAsStateWithLifecycle()

    if (locked) {
        LockScreen(unlock)
        return
    }
    when (val current = phase) {
        AppPhase.Starting -> Loading()
        AppPhase.Welcome -> WelcomeScreen(model)
        is AppPhase.Failed -> FailedScreen(current.problem, onRetry = { model.retry() })
        is AppPhase.Ready -> MainScreen(current.session, model, canLock)
    }
    ErasingDialog(erasing, model)
}

@Composable
private fun LockScreen(unlock: () -> Unit) {
    // Ask at once; the button is there if the person dismissed the prompt.
    LaunchedEffect(Unit) { unlock() }
    Column(
        Modifier.fillMaxSize().padding(32.dp),
        verticalArrangement = Arrangement.spacedBy(16.dp, Alignment.CenterVertically),
        horizontalAlignment = Alignment.CenterHorizontally,
    ) {
        Icon(Icons.Filled.Lock, contentDescription = null)
        Text(stringResource(R.string.lock_title), style = MaterialTheme.typography.headlineSmall)
        Button(onClick = unlock) { Text(stringResource(R.string.lock_unlock)) }
    }
}

@Composable
private fun WelcomeScreen(model: HearthModel) {
    val welcomeProblem by model.welcomeProblem.collectAsStateWithLifecycle()
    val problem = welcomeProblem
    var name by rememberSaveable { mutableStateOf("") }
    Column(
        Modifier.fillMaxSize().padding(32.dp),
        verticalArrangement = Arrangement.spacedBy(16.dp, Alignment.CenterVertically),
    ) {
        Text(stringResource(R.string.welcome_title), style = MaterialTheme.typography.headlineMedium)
        Text(stringResource(R.string.welcome_body))
        Text(stringResource(R.string.welcome_privacy), style = MaterialTheme.typography.bodySmall)
        OutlinedTextField(
            value = name,
            onValueChange = { name = it },
            label = { Text(stringResource(R.string.welcome_name)) },
            singleLine = true,
            isError = problem != null,
            supportingText = if (problem != null) {
                { Text(problem.reason ?: stringResource(R.string.problem_invalid_input)) }
            } else {
                null
            },
            modifier = Modifier.fillMaxWidth(),
        )
        Button(onClick = { model.begin(name) }, enabled = name.isNotBlank(), modifier = Modifier.fillMaxWidth()) {
            Text(stringResource(R.string.welcome_start))
        }
    }
}

@Composable
private fun FailedScreen(problem: Problem, onRetry: () -> Unit) {
    Column(
        Modifier.fillMaxSize().padding(32.dp),
        verticalArrangement = Arrangement.spacedBy(16.dp, Alignment.CenterVertically),
    ) {
        Text(stringResource(R.string.failed_title), style = MaterialTheme.typography.headlineSmall)
        ProblemCard(problem, onDismiss = onRetry)
        Button(onClick = onRetry, modifier = Modifier.fillMaxWidth()) { Text(stringResource(R.string.retry)) }
    }
}

@Composable
private fun ErasingDialog(erasing: Erasing, model: HearthModel) {
    when (erasing) {
        Erasing.No -> Unit
        Erasing.Running -> AlertDialog(
            onDismissRequest = {},
            confirmButton = {},
            title = { Text(stringResource(R.string.erase_running)) },
            text = { CircularProgressIndicator() },
        )
        is Erasing.LeaveFailed -> AlertDialog(
            onDismissRequest = model::cancelErase,
            title = { Text(stringResource(R.string.erase_leave_failed_title)) },
            text = {
                Text(stringResource(R.string.erase_leave_failed_body, erasing.problem.reason ?: stringResource(R.string.problem_sync)))
            },
            confirmButton = {
                TextButton(onClick = { model.eraseEverything(leaveFirst = false) }) { Text(stringResource(R.string.erase_anyway)) }
            },
            dismissButton = { TextButton(onClick = model::cancelErase) { Text(stringResource(R.string.cancel)) } },
        )
    }
}

/** The open app: pairing when it is on screen, the safety screen when opened, else the five tabs. */
@Composable
private fun MainScreen(session: Session, model: HearthModel, canLock: () -> Boolean) {
    val pairing by session.pairing.state.collectAsStateWithLifecycle()
    var tab by rememberSaveable { mutableStateOf(Tab.TODAY) }
    var safetyOpen by rememberSaveable { mutableStateOf(false) }

    if (pairing.visible) {
        PairingScreen(session)
        return
    }
    if (safetyOpen) {
        BackHandler { safetyOpen = false }
        SafetyScreen(session.safety, onClose = { safetyOpen = false })
        return
    }
    Scaffold(
        bottomBar = {
            NavigationBar {
                TabItem(Tab.TODAY, tab, Icons.Filled.Home, R.string.tab_today) { tab = it }
                TabItem(Tab.JOURNAL, tab, Icons.Filled.Edit, R.string.tab_journal) { tab = it }
                TabItem(Tab.EXERCISES, tab, Icons.Filled.PlayArrow, R.string.tab_exercises) { tab = it }
                TabItem(Tab.US, tab, Icons.Filled.Favorite, R.string.tab_us) { tab = it }
                TabItem(Tab.SETTINGS, tab, Icons.Filled.Settings, R.string.tab_settings) { tab = it }
            }
        },
    ) { padding ->
        val content = Modifier.padding(padding).fillMaxSize()
        when (tab) {
            Tab.TODAY -> TodayScreen(session, content, go = { tab = it }, openSafety = { safetyOpen = true })
            Tab.JOURNAL -> JournalScreen(session.journal, content)
            Tab.EXERCISES -> ExercisesScreen(session, content, go = { tab = it })
            Tab.US -> UsScreen(session, content)
            Tab.SETTINGS -> SettingsScreen(session, model, content, canLock, openSafety = { safetyOpen = true })
        }
    }
}

@Composable
private fun androidx.compose.foundation.layout.RowScope.TabItem(
    tab: Tab,
    selected: Tab,
    icon: androidx.compose.ui.graphics.vector.ImageVector,
    title: Int,
    onSelect: (Tab) -> Unit,
) {
    NavigationBarItem(
        selected = tab == selected,
        onClick = { onSelect(tab) },
        icon = { Icon(icon, contentDescription = null) },
        label = { Text(stringResource(title), textAlign = TextAlign.Center) },
    )
}
