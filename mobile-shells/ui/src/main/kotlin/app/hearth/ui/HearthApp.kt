package app.hearth.ui

import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.BoxWithConstraints
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.Row
import androidx.compose.foundation.layout.Spacer
import androidx.compose.foundation.layout.consumeWindowInsets
import androidx.compose.foundation.layout.fillMaxSize
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.height
import androidx.compose.foundation.layout.imePadding
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.layout.safeDrawingPadding
import androidx.compose.foundation.layout.widthIn
import androidx.compose.foundation.layout.wrapContentWidth
import androidx.compose.foundation.rememberScrollState
import androidx.compose.foundation.verticalScroll
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
import androidx.compose.material3.Icon
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.NavigationBar
import androidx.compose.material3.NavigationBarItem
import androidx.compose.material3.NavigationRail
import androidx.compose.material3.NavigationRailItem
import androidx.compose.material3.OutlinedButton
import androidx.compose.material3.OutlinedTextField
import androidx.compose.material3.Scaffold
import androidx.compose.material3.Surface
import androidx.compose.material3.Text
import androidx.compose.material3.TextButton
import androidx.compose.material3.VerticalDivider
import androidx.compose.runtime.Composable
import androidx.compose.runtime.LaunchedEffect
import androidx.compose.runtime.getValue
import androidx.compose.runtime.mutableStateOf
import androidx.compose.runtime.saveable.rememberSaveable
import androidx.compose.runtime.setValue
import androidx.compose.ui.Alignment
import androidx.compose.ui.Modifier
import androidx.compose.ui.graphics.vector.ImageVector
import androidx.compose.ui.text.style.TextAlign
import androidx.compose.ui.unit.dp
import app.hearth.core.Action
import app.hearth.core.AppPhase
import app.hearth.core.AppView
import app.hearth.core.ErasingView
import app.hearth.core.LockView
import app.hearth.core.Problem
import app.hearth.core.Screens
import app.hearth.core.Tab

/** Windows at least this wide get the navigation rail and two panes (Material's "expanded" width). */
val WideLayout = 840.dp

/**
 * The whole app, drawn from the core's [view]: the lock screen while
 * locked, else the step the app is at (welcome, opening, failure, or the
 * screens), and the erase dialogs. What the person does goes to [send].
 */
@Composable
fun HearthApp(view: AppView?, send: (Action) -> Unit) {
    Surface(Modifier.fillMaxSize(), color = MaterialTheme.colorScheme.background) {
        when {
            view == null -> Loading()
            view.lock.locked -> LockScreen(view.lock, send)
            else -> when (val phase = view.phase) {
                AppPhase.Starting -> Loading()
                is AppPhase.Welcome -> WelcomeScreen(phase.problem, view.joining, send)
                is AppPhase.Failed -> FailedScreen(phase.problem, send)
                AppPhase.Ready -> view.screens?.let { MainScreen(view.tab, it, send) } ?: Loading()
            }
        }
        if (view != null) ErasingDialog(view.erasing, send)
    }
}

@Composable
private fun LockScreen(lock: LockView, send: (Action) -> Unit) {
    // Ask at once; the button is there if the person dismissed the prompt.
    LaunchedEffect(Unit) { if (!lock.deviceLockGone) send(Action.Unlock) }
    Column(
        Modifier.fillMaxSize().safeDrawingPadding().padding(32.dp),
        verticalArrangement = Arrangement.spacedBy(16.dp, Alignment.CenterVertically),
        horizontalAlignment = Alignment.CenterHorizontally,
    ) {
        Icon(Icons.Filled.Lock, contentDescription = null)
        Text(Strings.lockTitle, style = MaterialTheme.typography.headlineSmall)
        if (lock.deviceLockGone) {
            // The device cannot confirm its owner any more: its prompt would always fail.
            Text(Strings.lockDeviceGone, textAlign = TextAlign.Center, modifier = Modifier.widthIn(max = 480.dp))
            Button(onClick = { send(Action.TurnOffLockWithoutDevice) }) { Text(Strings.lockTurnOff) }
        } else {
            Button(onClick = { send(Action.Unlock) }) { Text(Strings.lockUnlock) }
        }
    }
}

@Composable
private fun WelcomeScreen(problem: Problem?, joining: Boolean, send: (Action) -> Unit) {
    var name by rememberSaveable { mutableStateOf("") }
    // Which other way in is open: none, linking, or rejoining.
    var way by rememberSaveable { mutableStateOf(WayIn.New) }
    Column(
        Modifier.fillMaxSize().safeDrawingPadding().verticalScroll(rememberScrollState()).padding(32.dp).readableWidth(),
        verticalArrangement = Arrangement.spacedBy(16.dp),
    ) {
        Spacer(Modifier.height(48.dp))
        Text(Strings.welcomeTitle, style = MaterialTheme.typography.headlineMedium)
        Text(Strings.welcomeBody)
        Text(Strings.welcomePrivacy, style = MaterialTheme.typography.bodySmall)
        if (way != WayIn.New || joining) {
            LinkThisDevice(if (way == WayIn.Rejoin) WayIn.Rejoin else WayIn.Link, problem, joining, send)
            TextButton(onClick = { way = WayIn.New }, enabled = !joining) { Text(Strings.welcomeNew) }
        } else {
            OutlinedTextField(
                value = name,
                onValueChange = { name = it },
                label = { Text(Strings.welcomeName) },
                singleLine = true,
                isError = problem != null,
                supportingText = problem?.let { { Text(it.reason) } },
                modifier = Modifier.fillMaxWidth(),
            )
            Button(onClick = { send(Action.Begin(name.trim())) }, enabled = name.isNotBlank(), modifier = Modifier.fillMaxWidth()) {
                Text(Strings.welcomeStart)
            }
            TextButton(onClick = { way = WayIn.Link }) { Text(Strings.welcomeLink) }
            TextButton(onClick = { way = WayIn.Rejoin }) { Text(Strings.welcomeRejoin) }
            TextButton(onClick = { send(Action.ChooseExportToRestore) }) { Text(Strings.welcomeRestore) }
        }
    }
}

/** How this device comes in from the welcome screen. */
private enum class WayIn { New, Link, Rejoin }

/**
 * The welcome screen's other ways in: this device joins its person's space with a code from
 * their other device (`Link`), or from the partner's device after losing every device (`Rejoin`).
 */
@Composable
private fun LinkThisDevice(way: WayIn, problem: Problem?, joining: Boolean, send: (Action) -> Unit) {
    var code by rememberSaveable { mutableStateOf("") }
    var relay by rememberSaveable { mutableStateOf("") }
    var label by rememberSaveable { mutableStateOf("") }
    val rejoin = way == WayIn.Rejoin
    Text(if (rejoin) Strings.welcomeRejoinHelp else Strings.welcomeLinkHelp)
    OutlinedTextField(
        value = code,
        onValueChange = { code = it },
        label = { Text(if (rejoin) Strings.welcomeRejoinCode else Strings.welcomeLinkCode) },
        singleLine = true,
        enabled = !joining,
        modifier = Modifier.fillMaxWidth(),
    )
    OutlinedTextField(value = relay, onValueChange = { relay = it }, label = { Text(Strings.welcomeLinkRelay) }, singleLine = true, enabled = !joining, modifier = Modifier.fillMaxWidth())
    OutlinedTextField(
        value = label,
        onValueChange = { label = it },
        label = { Text(Strings.welcomeLinkLabel) },
        singleLine = true,
        enabled = !joining,
        isError = problem != null,
        supportingText = problem?.let { { Text(it.reason) } },
        modifier = Modifier.fillMaxWidth(),
    )
    if (joining) {
        CircularProgressIndicator()
        Text(if (rejoin) Strings.welcomeRejoinWaiting else Strings.welcomeLinkWaiting)
    } else {
        Button(
            onClick = {
                val name = label.trim().ifEmpty { null }
                send(
                    if (rejoin) Action.RejoinThisDevice(code.trim(), relay.trim(), name)
                    else Action.LinkThisDevice(code.trim(), relay.trim(), name),
                )
            },
            enabled = code.isNotBlank() && relay.isNotBlank(),
            modifier = Modifier.fillMaxWidth(),
        ) { Text(if (rejoin) Strings.welcomeRejoinStart else Strings.welcomeLinkStart) }
    }
}

@Composable
private fun FailedScreen(problem: Problem, send: (Action) -> Unit) {
    Column(
        Modifier.fillMaxSize().safeDrawingPadding().verticalScroll(rememberScrollState()).padding(32.dp).readableWidth(),
        verticalArrangement = Arrangement.spacedBy(16.dp),
    ) {
        Spacer(Modifier.height(48.dp))
        Text(Strings.failedTitle, style = MaterialTheme.typography.headlineSmall)
        ProblemCard(problem, onDismiss = { send(Action.Retry) })
        Button(onClick = { send(Action.Retry) }, modifier = Modifier.fillMaxWidth()) { Text(Strings.retry) }
    }
}

@Composable
private fun ErasingDialog(erasing: ErasingView, send: (Action) -> Unit) {
    when (erasing) {
        ErasingView.Idle -> Unit
        ErasingView.Running -> AlertDialog(
            onDismissRequest = {},
            confirmButton = {},
            title = { Text(Strings.eraseRunning) },
            text = { CircularProgressIndicator() },
        )
        is ErasingView.LeaveFailed -> AlertDialog(
            onDismissRequest = { send(Action.CancelErase) },
            title = { Text(Strings.eraseLeaveFailedTitle) },
            text = { Text(Strings.eraseLeaveFailedBody(erasing.problem.reason)) },
            confirmButton = {
                TextButton(onClick = { send(Action.EraseEverything(leaveFirst = false)) }) { Text(Strings.eraseAnyway) }
            },
            dismissButton = { TextButton(onClick = { send(Action.CancelErase) }) { Text(Strings.cancel) } },
        )
    }
}

/**
 * The open app: pairing while the core shows it, the safety screen when the
 * person opened it, else the five places: a bottom bar on a phone, a
 * navigation rail (and the journal in two panes) on a wide window.
 */
@Composable
private fun MainScreen(tab: Tab, screens: Screens, send: (Action) -> Unit) {
    // The safety screen is the shell's to open: nothing about it leaves this device, not even to the core's view state.
    var safetyOpen by rememberSaveable { mutableStateOf(false) }
    val pairing = screens.pairing
    if (pairing != null) {
        PairingScreen(pairing, screens.settings.sync.relayUrl, send)
        return
    }
    if (safetyOpen) {
        BackHandler { safetyOpen = false }
        SafetyScreen(screens.safety, send, onClose = { safetyOpen = false })
        return
    }
    // Back closes what is open on top (an editor, an entry, a run); the core knows what that is.
    BackHandler(enabled = hasSomethingOpen(screens)) { send(Action.Back) }
    BoxWithConstraints(Modifier.fillMaxSize()) {
        val wide = maxWidth >= WideLayout
        val screen: @Composable (Modifier) -> Unit = { content ->
            when (tab) {
                Tab.TODAY -> TodayScreen(screens, send, content, openSafety = { safetyOpen = true })
                Tab.JOURNAL -> JournalScreen(screens, send, content, twoPanes = wide)
                Tab.EXERCISES -> ExercisesScreen(screens, send, content)
                Tab.US -> UsScreen(screens, send, content)
                Tab.SETTINGS -> SettingsScreen(screens, send, content, openSafety = { safetyOpen = true })
            }
        }
        if (wide) {
            Row(Modifier.fillMaxSize().safeDrawingPadding()) {
                NavigationRail {
                    Spacer(Modifier.height(12.dp))
                    for (item in Tab.entries) {
                        NavigationRailItem(
                            selected = item == tab,
                            onClick = { send(Action.Navigate(item)) },
                            icon = { Icon(item.icon, contentDescription = null) },
                            label = { Text(item.title, textAlign = TextAlign.Center) },
                        )
                    }
                }
                VerticalDivider()
                // One column of text reads badly across a whole screen; the journal uses the width for two panes.
                val content = if (tab == Tab.JOURNAL) {
                    Modifier.fillMaxSize().imePadding()
                } else {
                    Modifier.fillMaxSize().imePadding().wrapContentWidth(Alignment.CenterHorizontally).widthIn(max = 720.dp)
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
                                onClick = { send(Action.Navigate(item)) },
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

/** Something a back gesture would close. */
private fun hasSomethingOpen(screens: Screens): Boolean =
    screens.journal.composer != null || screens.journal.open != null || screens.journal.search != null ||
        screens.exercises.run != null || screens.exercises.drill != null ||
        screens.us.checkInSession != null || screens.us.assessments.draft != null || screens.us.assessments.justTaken != null

val Tab.title: String
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

/** A row of buttons: the chosen one filled. */
@Composable
fun ChoiceButton(text: String, chosen: Boolean, modifier: Modifier = Modifier, onClick: () -> Unit) {
    if (chosen) Button(onClick = onClick, modifier = modifier) { Text(text) } else OutlinedButton(onClick = onClick, modifier = modifier) { Text(text) }
}
