package app.hearth.ui

import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.Row
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.lazy.LazyColumn
import androidx.compose.material3.AlertDialog
import androidx.compose.material3.Button
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.OutlinedButton
import androidx.compose.material3.OutlinedTextField
import androidx.compose.material3.Switch
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
import androidx.compose.ui.unit.dp
import androidx.lifecycle.compose.collectAsStateWithLifecycle
import app.hearth.state.ExportFormat
import app.hearth.state.HearthModel
import app.hearth.state.Session

/**
 * Settings: name, sync status and relay, pairing, app lock, notifications,
 * the sexual-content opt-in, export, safety and support, leaving and
 * erasing everything.
 */
@Composable
fun SettingsScreen(session: Session, model: HearthModel, modifier: Modifier, openSafety: () -> Unit) {
    val settings = session.settings
    val state by settings.state.collectAsStateWithLifecycle()
    val platform = LocalPlatform.current
    var confirmLeave by rememberSaveable { mutableStateOf(false) }
    var confirmErase by rememberSaveable { mutableStateOf(false) }

    // The export goes where the person saves it; no copy stays in the app's files.
    val exported = state.exported
    LaunchedEffect(exported) {
        val text = exported?.text ?: return@LaunchedEffect
        when (exported.format) {
            ExportFormat.MARKDOWN -> platform.files.save("hearth-journal.md", "text/markdown", text, settings::exportHandled)
            ExportFormat.JSON -> platform.files.save("hearth-journal.json", "application/json", text, settings::exportHandled)
        }
    }

    LazyColumn(modifier.padding(horizontal = 16.dp)) {
        item { ProblemCard(state.problem, settings::dismissProblem) }
        item {
            Section(Strings.settingsYou) {
                var name by rememberSaveable(state.profile?.me?.name) { mutableStateOf(state.profile?.me?.name.orEmpty()) }
                OutlinedTextField(
                    value = name,
                    onValueChange = { name = it },
                    label = { Text(Strings.welcomeName) },
                    singleLine = true,
                    modifier = Modifier.fillMaxWidth(),
                )
                OutlinedButton(onClick = { settings.setDisplayName(name) }, enabled = name.isNotBlank() && name != state.profile?.me?.name) {
                    Text(Strings.save)
                }
            }
        }
        item {
            Section(Strings.settingsSync) {
                val sync = state.sync
                val partner = state.profile?.partner?.name
                when {
                    sync == null -> Unit
                    sync.closed -> Text(Strings.settingsClosed)
                    sync.paired && partner != null -> Text(Strings.settingsPairedWith(partner))
                    else -> {
                        Text(Strings.settingsNotPaired)
                        Button(onClick = session.pairing::offer) { Text(Strings.todayPairAction) }
                    }
                }
                sync?.lastSyncedAtMs?.let { Text(Strings.settingsLastSynced(formatTime(it)), style = MaterialTheme.typography.bodySmall) }
                val pending = sync?.pending ?: 0u
                if (pending > 0u) {
                    Text(Strings.settingsPending(pending.toInt()), style = MaterialTheme.typography.bodySmall)
                }
                sync?.lastError?.let { Text(it, color = MaterialTheme.colorScheme.error, style = MaterialTheme.typography.bodySmall) }
                sync?.notice?.let { notice ->
                    Text(notice)
                    TextButton(onClick = { settings.dismissNotice() }) { Text(Strings.ok) }
                }
                if (sync?.paired == true && !sync.closed) {
                    Button(onClick = { settings.syncNow() }, enabled = !state.syncing) { Text(Strings.settingsSyncNow) }
                }
                RelayField(current = sync?.relayUrl, onSet = { settings.setRelay(it) })
            }
        }
        item {
            Section(Strings.settingsPrivacy) {
                val lockAvailable = platform.lock.available()
                Toggle(
                    title = Strings.settingsAppLock,
                    detail = if (lockAvailable) Strings.settingsAppLockHelp else Strings.settingsAppLockUnavailable,
                    checked = state.appLock,
                    enabled = lockAvailable || state.appLock,
                ) { settings.setAppLock(it) }
                Toggle(
                    title = Strings.settingsNotifications,
                    detail = Strings.settingsNotificationsHelp,
                    checked = state.partnerNews,
                ) { on ->
                    if (on) platform.notifications.request { granted -> settings.setPartnerNews(granted) } else settings.setPartnerNews(false)
                }
                val consent = state.consent
                Toggle(
                    title = Strings.settingsSexual,
                    detail = when {
                            consent == null -> Strings.settingsSexualHelp
                            consent.mine && consent.partner -> Strings.settingsSexualBoth
                            consent.mine -> Strings.settingsSexualWaiting
                            else -> Strings.settingsSexualHelp
                        },
                    checked = consent?.mine == true,
                ) { settings.setSexualContentOptIn(it) }
            }
        }
        item {
            Section(Strings.settingsSupport) {
                Text(Strings.settingsSupportHelp, style = MaterialTheme.typography.bodySmall)
                Button(onClick = openSafety) { Text(Strings.settingsSupportOpen) }
            }
        }
        item {
            Section(Strings.settingsExport) {
                Text(Strings.settingsExportHelp, style = MaterialTheme.typography.bodySmall)
                Row {
                    OutlinedButton(onClick = { settings.export(ExportFormat.MARKDOWN) }, enabled = !state.exporting) { Text(Strings.settingsExportMarkdown) }
                    TextButton(onClick = { settings.export(ExportFormat.JSON) }, enabled = !state.exporting) { Text(Strings.settingsExportJson) }
                }
            }
        }
        item {
            Section(Strings.settingsLeaveErase) {
                if (state.sync?.paired == true && state.sync?.closed == false) {
                    Text(Strings.settingsLeaveHelp, style = MaterialTheme.typography.bodySmall)
                    OutlinedButton(onClick = { confirmLeave = true }, enabled = !state.leaving) { Text(Strings.settingsLeave) }
                }
                Text(Strings.settingsEraseHelp, style = MaterialTheme.typography.bodySmall)
                Button(onClick = { confirmErase = true }) { Text(Strings.settingsErase) }
            }
        }
    }

    if (confirmLeave) {
        AlertDialog(
            onDismissRequest = { confirmLeave = false },
            title = { Text(Strings.settingsLeaveConfirmTitle) },
            text = { Text(Strings.settingsLeaveHelp) },
            confirmButton = {
                TextButton(onClick = {
                    confirmLeave = false
                    settings.leave()
                }) { Text(Strings.settingsLeave) }
            },
            dismissButton = { TextButton(onClick = { confirmLeave = false }) { Text(Strings.cancel) } },
        )
    }
    if (confirmErase) {
        AlertDialog(
            onDismissRequest = { confirmErase = false },
            title = { Text(Strings.settingsEraseConfirmTitle) },
            text = { Text(Strings.settingsEraseHelp) },
            confirmButton = {
                TextButton(onClick = {
                    confirmErase = false
                    model.eraseEverything()
                }) { Text(Strings.settingsErase) }
            },
            dismissButton = { TextButton(onClick = { confirmErase = false }) { Text(Strings.cancel) } },
        )
    }
}

@Composable
private fun Toggle(title: String, detail: String, checked: Boolean, enabled: Boolean = true, onChange: (Boolean) -> Unit) {
    Row(verticalAlignment = Alignment.CenterVertically) {
        Column(Modifier.weight(1f)) {
            Text(title)
            Text(detail, style = MaterialTheme.typography.bodySmall)
        }
        Switch(checked = checked, onCheckedChange = onChange, enabled = enabled)
    }
}
