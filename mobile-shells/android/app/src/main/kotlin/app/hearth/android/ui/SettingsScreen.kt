package app.hearth.android.ui

import android.Manifest
import android.os.Build
import androidx.activity.compose.rememberLauncherForActivityResult
import androidx.activity.result.contract.ActivityResultContracts
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
import androidx.compose.runtime.rememberCoroutineScope
import androidx.compose.runtime.saveable.rememberSaveable
import androidx.compose.runtime.setValue
import androidx.compose.ui.Alignment
import androidx.compose.ui.Modifier
import androidx.compose.ui.platform.LocalContext
import androidx.compose.ui.res.stringResource
import androidx.compose.ui.unit.dp
import androidx.lifecycle.compose.collectAsStateWithLifecycle
import app.hearth.android.R
import app.hearth.state.ExportFormat
import app.hearth.state.HearthModel
import app.hearth.state.Session
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.launch
import kotlinx.coroutines.withContext

/**
 * Settings: name, sync status and relay, pairing, app lock, notifications,
 * the sexual-content opt-in, export, safety and support, leaving and
 * erasing everything.
 */
@Composable
fun SettingsScreen(session: Session, model: HearthModel, modifier: Modifier, canLock: () -> Boolean, openSafety: () -> Unit) {
    val settings = session.settings
    val state by settings.state.collectAsStateWithLifecycle()
    val context = LocalContext.current
    val scope = rememberCoroutineScope()
    var confirmLeave by rememberSaveable { mutableStateOf(false) }
    var confirmErase by rememberSaveable { mutableStateOf(false) }

    // The export goes where the person saves it (Storage Access Framework); no copy stays in the app's files.
    val exported = state.exported
    val saveMarkdown = rememberLauncherForActivityResult(ActivityResultContracts.CreateDocument("text/markdown")) { uri ->
        val text = exported?.text
        if (uri != null && text != null) {
            scope.launch {
                withContext(Dispatchers.IO) { context.contentResolver.openOutputStream(uri)?.use { it.write(text.toByteArray()) } }
                settings.exportHandled()
            }
        } else {
            settings.exportHandled()
        }
    }
    val saveJson = rememberLauncherForActivityResult(ActivityResultContracts.CreateDocument("application/json")) { uri ->
        val text = exported?.text
        if (uri != null && text != null) {
            scope.launch {
                withContext(Dispatchers.IO) { context.contentResolver.openOutputStream(uri)?.use { it.write(text.toByteArray()) } }
                settings.exportHandled()
            }
        } else {
            settings.exportHandled()
        }
    }
    LaunchedEffect(exported) {
        when (exported?.format) {
            ExportFormat.MARKDOWN -> saveMarkdown.launch("hearth-journal.md")
            ExportFormat.JSON -> saveJson.launch("hearth-journal.json")
            null -> Unit
        }
    }
    val askNotifications = rememberLauncherForActivityResult(ActivityResultContracts.RequestPermission()) { granted ->
        settings.setPartnerNews(granted)
    }

    LazyColumn(modifier.padding(horizontal = 16.dp)) {
        item { ProblemCard(state.problem, settings::dismissProblem) }
        item {
            Section(stringResource(R.string.settings_you)) {
                var name by rememberSaveable(state.profile?.me?.name) { mutableStateOf(state.profile?.me?.name.orEmpty()) }
                OutlinedTextField(
                    value = name,
                    onValueChange = { name = it },
                    label = { Text(stringResource(R.string.welcome_name)) },
                    singleLine = true,
                    modifier = Modifier.fillMaxWidth(),
                )
                OutlinedButton(onClick = { settings.setDisplayName(name) }, enabled = name.isNotBlank() && name != state.profile?.me?.name) {
                    Text(stringResource(R.string.save))
                }
            }
        }
        item {
            Section(stringResource(R.string.settings_sync)) {
                val sync = state.sync
                val partner = state.profile?.partner?.name
                when {
                    sync == null -> Unit
                    sync.closed -> Text(stringResource(R.string.settings_closed))
                    sync.paired && partner != null -> Text(stringResource(R.string.settings_paired_with, partner))
                    else -> {
                        Text(stringResource(R.string.settings_not_paired))
                        Button(onClick = session.pairing::offer) { Text(stringResource(R.string.today_pair_action)) }
                    }
                }
                sync?.lastSyncedAtMs?.let { Text(stringResource(R.string.settings_last_synced, formatTime(it)), style = MaterialTheme.typography.bodySmall) }
                val pending = sync?.pending ?: 0u
                if (pending > 0u) {
                    Text(stringResource(R.string.settings_pending, pending.toInt()), style = MaterialTheme.typography.bodySmall)
                }
                sync?.lastError?.let { Text(it, color = MaterialTheme.colorScheme.error, style = MaterialTheme.typography.bodySmall) }
                sync?.notice?.let { notice ->
                    Text(notice)
                    TextButton(onClick = { settings.dismissNotice() }) { Text(stringResource(R.string.ok)) }
                }
                if (sync?.paired == true && !sync.closed) {
                    Button(onClick = { settings.syncNow() }, enabled = !state.syncing) { Text(stringResource(R.string.settings_sync_now)) }
                }
                RelayField(current = sync?.relayUrl, onSet = { settings.setRelay(it) })
            }
        }
        item {
            Section(stringResource(R.string.settings_privacy)) {
                val lockAvailable = canLock()
                Toggle(
                    title = stringResource(R.string.settings_app_lock),
                    detail = stringResource(if (lockAvailable) R.string.settings_app_lock_help else R.string.settings_app_lock_unavailable),
                    checked = state.appLock,
                    enabled = lockAvailable || state.appLock,
                ) { settings.setAppLock(it) }
                Toggle(
                    title = stringResource(R.string.settings_notifications),
                    detail = stringResource(R.string.settings_notifications_help),
                    checked = state.partnerNews,
                ) { on ->
                    if (on && Build.VERSION.SDK_INT >= Build.VERSION_CODES.TIRAMISU) {
                        askNotifications.launch(Manifest.permission.POST_NOTIFICATIONS)
                    } else {
                        settings.setPartnerNews(on)
                    }
                }
                val consent = state.consent
                Toggle(
                    title = stringResource(R.string.settings_sexual),
                    detail = stringResource(
                        when {
                            consent == null -> R.string.settings_sexual_help
                            consent.mine && consent.partner -> R.string.settings_sexual_both
                            consent.mine -> R.string.settings_sexual_waiting
                            else -> R.string.settings_sexual_help
                        },
                    ),
                    checked = consent?.mine == true,
                ) { settings.setSexualContentOptIn(it) }
            }
        }
        item {
            Section(stringResource(R.string.settings_support)) {
                Text(stringResource(R.string.settings_support_help), style = MaterialTheme.typography.bodySmall)
                Button(onClick = openSafety) { Text(stringResource(R.string.settings_support_open)) }
            }
        }
        item {
            Section(stringResource(R.string.settings_export)) {
                Text(stringResource(R.string.settings_export_help), style = MaterialTheme.typography.bodySmall)
                Row {
                    OutlinedButton(onClick = { settings.export(ExportFormat.MARKDOWN) }, enabled = !state.exporting) { Text(stringResource(R.string.settings_export_markdown)) }
                    TextButton(onClick = { settings.export(ExportFormat.JSON) }, enabled = !state.exporting) { Text(stringResource(R.string.settings_export_json)) }
                }
            }
        }
        item {
            Section(stringResource(R.string.settings_leave_erase)) {
                if (state.sync?.paired == true && state.sync?.closed == false) {
                    Text(stringResource(R.string.settings_leave_help), style = MaterialTheme.typography.bodySmall)
                    OutlinedButton(onClick = { confirmLeave = true }, enabled = !state.leaving) { Text(stringResource(R.string.settings_leave)) }
                }
                Text(stringResource(R.string.settings_erase_help), style = MaterialTheme.typography.bodySmall)
                Button(onClick = { confirmErase = true }) { Text(stringResource(R.string.settings_erase)) }
            }
        }
    }

    if (confirmLeave) {
        AlertDialog(
            onDismissRequest = { confirmLeave = false },
            title = { Text(stringResource(R.string.settings_leave_confirm_title)) },
            text = { Text(stringResource(R.string.settings_leave_help)) },
            confirmButton = {
                TextButton(onClick = {
                    confirmLeave = false
                    settings.leave()
                }) { Text(stringResource(R.string.settings_leave)) }
            },
            dismissButton = { TextButton(onClick = { confirmLeave = false }) { Text(stringResource(R.string.cancel)) } },
        )
    }
    if (confirmErase) {
        AlertDialog(
            onDismissRequest = { confirmErase = false },
            title = { Text(stringResource(R.string.settings_erase_confirm_title)) },
            text = { Text(stringResource(R.string.settings_erase_help)) },
            confirmButton = {
                TextButton(onClick = {
                    confirmErase = false
                    model.eraseEverything()
                }) { Text(stringResource(R.string.settings_erase)) }
            },
            dismissButton = { TextButton(onClick = { confirmErase = false }) { Text(stringResource(R.string.cancel)) } },
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
