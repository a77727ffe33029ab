package app.hearth.ui

import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.Row
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.padding
import androidx.compose.material3.AlertDialog
import androidx.compose.material3.Button
import androidx.compose.material3.CircularProgressIndicator
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.OutlinedButton
import androidx.compose.material3.Text
import androidx.compose.material3.TextButton
import androidx.compose.runtime.Composable
import androidx.compose.runtime.getValue
import androidx.compose.runtime.mutableStateOf
import androidx.compose.runtime.saveable.rememberSaveable
import androidx.compose.runtime.setValue
import androidx.compose.ui.Alignment
import androidx.compose.ui.Modifier
import androidx.compose.ui.text.font.FontFamily
import androidx.compose.ui.unit.dp
import app.hearth.core.Action
import app.hearth.core.DeviceInfo
import app.hearth.core.DevicesView
import app.hearth.core.LinkingStep

/**
 * The devices part of Settings: every device of both partners with its
 * name and safety number, adding another device of this person (a code,
 * then the number both devices must show), letting the partner back in
 * on a new device after they lost every device (the same steps), and
 * removing one of this person's other devices.
 */
@Composable
fun DevicesSection(state: DevicesView, canLink: Boolean, send: (Action) -> Unit) {
    var removing by rememberSaveable { mutableStateOf<String?>(null) }
    Section(Strings.devicesTitle) {
        Text(Strings.devicesHelp, style = MaterialTheme.typography.bodySmall)
        state.devices.forEach { device ->
            DeviceRow(device, removable = device.mine && !device.thisDevice && !state.removing) { removing = device.deviceId }
        }
        val partner = state.devices.firstOrNull { !it.mine }?.memberName
        Linking(state.linking, canLink, if (state.forPartner) partner ?: Strings.devicesYourPartner else null, send)
        if (canLink && partner != null && state.linking == LinkingStep.Idle) {
            Text(Strings.devicesLetInAbout(partner), style = MaterialTheme.typography.bodySmall)
            OutlinedButton(onClick = { send(Action.LetPartnerBackIn) }) { Text(Strings.devicesLetIn(partner)) }
        }
    }
    removing?.let { id ->
        AlertDialog(
            onDismissRequest = { removing = null },
            title = { Text(Strings.devicesRemoveConfirmTitle) },
            text = { Text(Strings.devicesRemoveHelp) },
            confirmButton = {
                TextButton(onClick = {
                    removing = null
                    send(Action.RemoveDevice(id))
                }) { Text(Strings.devicesRemove) }
            },
            dismissButton = { TextButton(onClick = { removing = null }) { Text(Strings.cancel) } },
        )
    }
}

@Composable
private fun DeviceRow(device: DeviceInfo, removable: Boolean, onRemove: () -> Unit) {
    Row(Modifier.fillMaxWidth().padding(vertical = 4.dp), verticalAlignment = Alignment.CenterVertically) {
        Column(Modifier.weight(1f)) {
            val whose = when {
                device.thisDevice -> Strings.devicesThisOne
                device.mine -> Strings.devicesYours
                else -> Strings.devicesPartners(device.memberName)
            }
            Text(device.label?.let { "$whose · $it" } ?: whose)
            device.addedAtMs?.let { Text(Strings.devicesAdded(formatTime(it)), style = MaterialTheme.typography.bodySmall) }
            Text(device.safetyNumber, style = MaterialTheme.typography.bodySmall, fontFamily = FontFamily.Monospace)
        }
        if (removable) TextButton(onClick = onRemove) { Text(Strings.devicesRemove) }
    }
}

/** The linking steps; `partner` names the partner when the flow lets them back in. */
@Composable
private fun Linking(step: LinkingStep, canLink: Boolean, partner: String?, send: (Action) -> Unit) {
    when (step) {
        LinkingStep.Idle -> if (canLink) OutlinedButton(onClick = { send(Action.LinkDevice) }) { Text(Strings.devicesLink) }
        LinkingStep.GettingCode -> CircularProgressIndicator()
        is LinkingStep.ShowCode -> {
            Text(partner?.let { Strings.devicesLetInHelp(it) } ?: Strings.devicesLinkHelp)
            Text(step.code, style = MaterialTheme.typography.headlineSmall, fontFamily = FontFamily.Monospace)
            Text(Strings.devicesLinkRelay(step.relayUrl), fontFamily = FontFamily.Monospace)
            Text(Strings.pairingCodeExpires(formatTime(step.expiresAtMs)), style = MaterialTheme.typography.bodySmall)
            Text(Strings.devicesLinkWaiting)
            OutlinedButton(onClick = { send(Action.CancelLinking) }) { Text(Strings.cancel) }
        }
        is LinkingStep.Compare -> {
            Text(Strings.devicesLinkCompare)
            Text(step.safetyNumber, style = MaterialTheme.typography.headlineMedium, fontFamily = FontFamily.Monospace)
            Button(onClick = { send(Action.ConfirmLinkMatch) }, modifier = Modifier.fillMaxWidth()) { Text(Strings.pairingMatch) }
            OutlinedButton(onClick = { send(Action.ReportLinkMismatch) }, modifier = Modifier.fillMaxWidth()) { Text(Strings.pairingNoMatch) }
        }
        LinkingStep.Linked -> {
            Text(partner?.let { Strings.devicesLetInDone(it) } ?: Strings.devicesLinkDone)
            TextButton(onClick = { send(Action.CancelLinking) }) { Text(Strings.ok) }
        }
        LinkingStep.Removed -> {
            Text(if (partner != null) Strings.devicesLetInRemoved else Strings.devicesLinkRemoved)
            TextButton(onClick = { send(Action.CancelLinking) }) { Text(Strings.ok) }
        }
    }
}
