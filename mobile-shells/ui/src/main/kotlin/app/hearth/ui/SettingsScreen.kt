package app.hearth.ui

import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.selection.toggleable
import androidx.compose.ui.semantics.Role
import androidx.compose.foundation.layout.FlowRow
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
import androidx.compose.runtime.getValue
import androidx.compose.runtime.mutableStateOf
import androidx.compose.runtime.saveable.rememberSaveable
import androidx.compose.runtime.setValue
import androidx.compose.ui.Alignment
import androidx.compose.ui.Modifier
import androidx.compose.ui.unit.dp
import app.hearth.core.Action
import app.hearth.core.ExportFormat
import app.hearth.core.Screens

/**
 * Settings: name, sync status and relay, pairing, devices, app lock, notifications,
 * the sexual-content opt-in, export, safety and support, leaving and
 * erasing everything.
 */
@Composable
fun SettingsScreen(screens: Screens, send: (Action) -> Unit, modifier: Modifier, openSafety: () -> Unit) {
    val state = screens.settings
    val sync = state.sync
    var confirmLeave by rememberSaveable { mutableStateOf(false) }
    var confirmErase by rememberSaveable { mutableStateOf(false) }

    LazyColumn(modifier.padding(horizontal = 16.dp)) {
        item { ProblemCard(state.problem) { send(Action.DismissProblem) } }
        item {
            Section(Strings.settingsYou) {
                val current = screens.profile.me.name
                var name by rememberSaveable(current) { mutableStateOf(current) }
                OutlinedTextField(
                    value = name,
                    onValueChange = { name = it },
                    label = { Text(Strings.welcomeName) },
                    singleLine = true,
                    modifier = Modifier.fillMaxWidth(),
                )
                OutlinedButton(onClick = { send(Action.SetDisplayName(name.trim())) }, enabled = name.isNotBlank() && name != current) {
                    Text(Strings.save)
                }
            }
        }
        item {
            Section(Strings.settingsSync) {
                val partner = screens.profile.partner?.name
                when {
                    screens.closed -> Text(Strings.settingsClosed)
                    screens.paired && partner != null -> Text(Strings.settingsPairedWith(partner))
                    else -> {
                        Text(Strings.settingsNotPaired)
                        Button(onClick = { send(Action.OfferPairing) }) { Text(Strings.todayPairAction) }
                    }
                }
                sync.lastSyncedAtMs?.let { Text(Strings.settingsLastSynced(formatTime(it)), style = MaterialTheme.typography.bodySmall) }
                if (sync.pending > 0u && screens.paired) {
                    Text(Strings.settingsPending(sync.pending.toInt()), style = MaterialTheme.typography.bodySmall)
                }
                sync.lastError?.let { Text(it, color = MaterialTheme.colorScheme.error, style = MaterialTheme.typography.bodySmall) }
                sync.notice?.let { notice ->
                    Text(notice)
                    TextButton(onClick = { send(Action.DismissSyncNotice) }) { Text(Strings.ok) }
                }
                if (screens.paired && !screens.closed) {
                    Button(onClick = { send(Action.SyncNow) }, enabled = !state.syncing) { Text(Strings.settingsSyncNow) }
                }
                RelayField(current = sync.relayUrl, onSet = { send(Action.SetRelay(it)) })
            }
        }
        item { DevicesSection(state.devices, canLink = screens.paired && !screens.closed, send = send) }
        item {
            Section(Strings.settingsPrivacy) {
                Toggle(
                    title = Strings.settingsAppLock,
                    detail = if (state.canLock) Strings.settingsAppLockHelp else Strings.settingsAppLockUnavailable,
                    checked = state.appLock,
                    enabled = state.canLock || state.appLock,
                ) { send(Action.SetAppLock(it)) }
                Toggle(
                    title = Strings.settingsNotifications,
                    detail = if (state.notificationsBlocked) Strings.settingsNotificationsBlocked else Strings.settingsNotificationsHelp,
                    checked = state.partnerNews,
                ) { send(Action.SetPartnerNews(it)) }
                val consent = state.consent
                Toggle(
                    title = Strings.settingsSexual,
                    detail = when {
                        consent.mine && consent.partner -> Strings.settingsSexualBoth
                        consent.mine -> Strings.settingsSexualWaiting
                        else -> Strings.settingsSexualHelp
                    },
                    checked = consent.mine,
                ) { send(Action.SetSexualContentOptIn(it)) }
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
                FlowRow {
                    OutlinedButton(onClick = { send(Action.Export(ExportFormat.MARKDOWN)) }, enabled = !state.exporting) { Text(Strings.settingsExportMarkdown) }
                    TextButton(onClick = { send(Action.Export(ExportFormat.JSON)) }, enabled = !state.exporting) { Text(Strings.settingsExportJson) }
                }
            }
        }
        item {
            Section(Strings.settingsLeaveErase) {
                if (screens.paired && !screens.closed) {
                    Text(Strings.settingsLeaveHelp, style = MaterialTheme.typography.bodySmall)
                    OutlinedButton(onClick = { confirmLeave = true }, enabled = !state.leaving) { Text(Strings.settingsLeave) }
                }
                if (screens.closed) {
                    Text(Strings.settingsNewSpaceHelp, style = MaterialTheme.typography.bodySmall)
                    OutlinedButton(onClick = { send(Action.StartNewSpace) }) { Text(Strings.settingsNewSpace) }
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
                    send(Action.LeaveSpace)
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
                    send(Action.EraseEverything(leaveFirst = true))
                }) { Text(Strings.settingsErase) }
            },
            dismissButton = { TextButton(onClick = { confirmErase = false }) { Text(Strings.cancel) } },
        )
    }
}

@Composable
private fun Toggle(title: String, detail: String, checked: Boolean, enabled: Boolean = true, onChange: (Boolean) -> Unit) {
    // The whole row is the switch: a bigger target, and read out as one control.
    Row(
        Modifier.fillMaxWidth().toggleable(value = checked, enabled = enabled, role = Role.Switch, onValueChange = onChange),
        verticalAlignment = Alignment.CenterVertically,
    ) {
        Column(Modifier.weight(1f).padding(end = 8.dp)) {
            Text(title)
            Text(detail, style = MaterialTheme.typography.bodySmall)
        }
        Switch(checked = checked, onCheckedChange = null, enabled = enabled)
    }
}
