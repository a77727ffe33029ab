@file:OptIn(ExperimentalMaterial3Api::class)

package app.hearth.ui

import androidx.compose.foundation.layout.BoxWithConstraints
import androidx.compose.foundation.layout.Row
import androidx.compose.foundation.layout.Spacer
import androidx.compose.foundation.layout.consumeWindowInsets
import androidx.compose.foundation.layout.height
import androidx.compose.foundation.layout.imePadding
import androidx.compose.foundation.layout.safeDrawingPadding
import androidx.compose.foundation.layout.widthIn
import androidx.compose.foundation.layout.wrapContentWidth
import androidx.compose.foundation.rememberScrollState
import androidx.compose.foundation.verticalScroll
import androidx.compose.material3.NavigationRail
import androidx.compose.material3.NavigationRailItem
import androidx.compose.material3.Surface
import androidx.compose.material3.VerticalDivider
import androidx.compose.ui.graphics.vector.ImageVector
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
import androidx.compose.ui.text.style.TextAlign
import androidx.compose.ui.unit.dp
import androidx.lifecycle.compose.collectAsStateWithLifecycle
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
fun HearthApp(model: HearthModel) {
    val phase by model.phase.collectAsStateWithLifecycle()
    val locked by model.lock.locked.collectAsStateWithLifecycle()
    val erasing by model.erasing.collectAsStateWithLifecycle()

    Surface(Modifier.fillMaxSize(), color = MaterialTheme.colorScheme.background) {
        Root(model, phase, locked, erasing)
    }
}

@Composable
private fun Root(model: HearthModel, phase: AppPhase, locked: Boolean, erasing: Erasing) {
    if (locked) {
        val lock = LocalPlatform.current.lock
        LockScreen { lock.prompt(model.lock::unlocked) }
        return
    }
    when (val current = phase) {
        AppPhase.Starting -> Loading()
        AppPhase.Welcome -> WelcomeScreen(model)
        is AppPhase.Failed -> FailedScreen(current.problem, onRetry = { model.retry() })
        is AppPhase.Ready -> MainScreen(current.session, model)
    }
    ErasingDialog(erasing, model)
}

@Composable
private fun LockScreen(unlock: () -> Unit) {
    // Ask at once; the button is there if the person dismissed the prompt.
    LaunchedEffect(Unit) { unlock() }
    Column(
        Modifier.fillMaxSize().safeDrawingPadding().padding(32.dp),
        verticalArrangement = Arrangement.spacedBy(16.dp, Alignment.CenterVertically),
        horizontalAlignment = Alignment.CenterHorizontally,
    ) {
        Icon(Icons.Filled.Lock, contentDescription = null)
        Text(Strings.lockTitle, style = MaterialTheme.typography.headlineSmall)
        Button(onClick = unlock) { Text(Strings.lockUnlock) }
    }
}

@Composable
private fun WelcomeScreen(model: HearthModel) {
    val welcomeProblem by model.welcomeProblem.collectAsStateWithLifecycle()
    val problem = welcomeProblem
    var name by rememberSaveable { mutableStateOf("") }
    Column(
        Modifier.fillMaxSize().safeDrawingPadding().verticalScroll(rememberScrollState()).padding(32.dp).readableWidth(),
        verticalArrangement = Arrangement.spacedBy(16.dp, Alignment.CenterVertically),
    ) {
        Text(Strings.welcomeTitle, style = MaterialTheme.typography.headlineMedium)
        Text(Strings.welcomeBody)
        Text(Strings.welcomePrivacy, style = MaterialTheme.typography.bodySmall)
        OutlinedTextField(
            value = name,
            onValueChange = { name = it },
            label = { Text(Strings.welcomeName) },
            singleLine = true,
            isError = problem != null,
            supportingText = if (problem != null) {
                { Text(problem.reason ?: Strings.problemInvalidInput) }
            } else {
                null
            },
            modifier = Modifier.fillMaxWidth(),
        )
        Button(onClick = { model.begin(name) }, enabled = name.isNotBlank(), modifier = Modifier.fillMaxWidth()) {
            Text(Strings.welcomeStart)
        }
    }
}

@Composable
private fun FailedScreen(problem: Problem, onRetry: () -> Unit) {
    Column(
        Modifier.fillMaxSize().safeDrawingPadding().verticalScroll(rememberScrollState()).padding(32.dp).readableWidth(),
        verticalArrangement = Arrangement.spacedBy(16.dp, Alignment.CenterVertically),
    ) {
        Text(Strings.failedTitle, style = MaterialTheme.typography.headlineSmall)
        ProblemCard(problem, onDismiss = onRetry)
        Button(onClick = onRetry, modifier = Modifier.fillMaxWidth()) { Text(Strings.retry) }
    }
}

@Composable
private fun ErasingDialog(erasing: Erasing, model: HearthModel) {
    when (erasing) {
        Erasing.No -> Unit
        Erasing.Running -> AlertDialog(
            onDismissRequest = {},
            confirmButton = {},
            title = { Text(Strings.eraseRunning) },
            text = { CircularProgressIndicator() },
        )
        is Erasing.LeaveFailed -> AlertDialog(
            onDismissRequest = model::cancelErase,
            title = { Text(Strings.eraseLeaveFailedTitle) },
            text = {
                Text(Strings.eraseLeaveFailedBody(erasing.problem.reason ?: Strings.problemSync))
            },
            confirmButton = {
                TextButton(onClick = { model.eraseEverything(leaveFirst = false) }) { Text(Strings.eraseAnyway) }
            },
            dismissButton = { TextButton(onClick = model::cancelErase) { Text(Strings.cancel) } },
        )
    }
}

/** Windows at least this wide get the navigation rail and two panes (Material's "expanded" width class). */
val WideLayout = 840.dp

/**
 * The open app: pairing when it is on screen, the safety screen when opened,
 * else the five tabs: a bottom bar on a phone, a navigation rail (and the
 * journal in two panes) on a wide window.
 */
@Composable
private fun MainScreen(session: Session, model: HearthModel) {
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
    BoxWithConstraints(Modifier.fillMaxSize()) {
        val wide = maxWidth >= WideLayout
        val screen: @Composable (Modifier) -> Unit = { content ->
            when (tab) {
                Tab.TODAY -> TodayScreen(session, content, go = { tab = it }, openSafety = { safetyOpen = true })
                Tab.JOURNAL -> JournalScreen(session.journal, content, twoPanes = wide)
                Tab.EXERCISES -> ExercisesScreen(session, content, go = { tab = it })
                Tab.US -> UsScreen(session, content)
                Tab.SETTINGS -> SettingsScreen(session, model, content, openSafety = { safetyOpen = true })
            }
        }
        if (wide) {
            Row(Modifier.fillMaxSize().safeDrawingPadding()) {
                NavigationRail {
                    Spacer(Modifier.height(12.dp))
                    for (item in Tab.entries) {
                        NavigationRailItem(
                            selected = item == tab,
                            onClick = { tab = item },
                            icon = { Icon(item.icon, contentDescription = null) },
                            label = { Text(item.title, textAlign = TextAlign.Center) },
                        )
                    }
                }
                VerticalDivider()
                // One column of text reads badly across a whole screen; the journal uses the width for two panes.
                val content = if (tab == Tab.JOURNAL) {
                    Modifier.fillMaxSize()
                } else {
                    Modifier.fillMaxSize().wrapContentWidth(Alignment.CenterHorizontally).widthIn(max = 720.dp)
                }
                screen(content)
            }
        } else {
            Scaffold(
                bottomBar = {
                    NavigationBar {
                        for (item in Tab.entries) {
                            NavigationBarItem(
                                selected = item == tab,
                                onClick = { tab = item },
                                icon = { Icon(item.icon, contentDescription = null) },
                                label = { Text(item.title, textAlign = TextAlign.Center, maxLines = 1) },
                            )
                        }
                    }
                },
            ) { padding ->
                screen(Modifier.padding(padding).consumeWindowInsets(padding).imePadding().fillMaxSize())
            }
        }
    }
}

private val Tab.title: String
    get() = when (this) {
        Tab.TODAY -> Strings.tabToday
        Tab.JOURNAL -> Strings.tabJournal
        Tab.EXERCISES -> Strings.tabExercises
        Tab.US -> Strings.tabUs
        Tab.SETTINGS -> Strings.tabSettings
    }

private val Tab.icon: ImageVector
    get() = when (this) {
        Tab.TODAY -> Icons.Filled.Home
        Tab.JOURNAL -> Icons.Filled.Edit
        Tab.EXERCISES -> Icons.Filled.PlayArrow
        Tab.US -> Icons.Filled.Favorite
        Tab.SETTINGS -> Icons.Filled.Settings
    }
