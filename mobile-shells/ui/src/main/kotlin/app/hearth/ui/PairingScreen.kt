package app.hearth.ui

import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.fillMaxSize
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.layout.safeDrawingPadding
import androidx.compose.foundation.rememberScrollState
import androidx.compose.foundation.verticalScroll
import androidx.compose.material3.Button
import androidx.compose.material3.CircularProgressIndicator
import androidx.compose.material3.HorizontalDivider
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.OutlinedButton
import androidx.compose.material3.OutlinedTextField
import androidx.compose.material3.Text
import androidx.compose.material3.TextButton
import androidx.compose.runtime.Composable
import androidx.compose.runtime.getValue
import androidx.compose.runtime.mutableStateOf
import androidx.compose.runtime.saveable.rememberSaveable
import androidx.compose.runtime.setValue
import androidx.compose.ui.Modifier
import androidx.compose.ui.text.font.FontFamily
import androidx.compose.ui.unit.dp
import app.hearth.core.Action
import app.hearth.core.PairingStep
import app.hearth.core.PairingView

/**
 * Pairing: show a code or type the partner's, then compare the safety
 * number both devices show. Asks for a relay first if none is set.
 */
@Composable
fun PairingScreen(state: PairingView, relayUrl: String?, send: (Action) -> Unit) {
    BackHandler { send(Action.PairLater) }
    Column(
        Modifier.fillMaxSize().safeDrawingPadding().verticalScroll(rememberScrollState()).padding(24.dp).readableWidth(),
        verticalArrangement = Arrangement.spacedBy(16.dp),
    ) {
        Text(Strings.pairingTitle, style = MaterialTheme.typography.headlineMedium)
        ProblemCard(state.problem) { send(Action.DismissProblem) }

        when (val step = state.step) {
            PairingStep.Choose -> {
                Text(Strings.pairingIntro)
                if (state.needsRelay) {
                    RelayField(current = relayUrl, onSet = { send(Action.SetRelay(it)) })
                    HorizontalDivider()
                }
                Button(onClick = { send(Action.ShowCode) }, enabled = !state.needsRelay && !state.busy, modifier = Modifier.fillMaxWidth()) {
                    Text(Strings.pairingShowCode)
                }
                CodeEntry(enabled = !state.needsRelay && !state.busy, onJoin = { send(Action.EnterCode(it)) })
                TextButton(onClick = { send(Action.PairLater) }) { Text(Strings.pairingLater) }
            }
            PairingStep.GettingCode, PairingStep.Joining -> {
                CircularProgressIndicator()
                OutlinedButton(onClick = { send(Action.CancelPairing) }) { Text(Strings.cancel) }
            }
            is PairingStep.ShowCode -> {
                Text(Strings.pairingShowCodeHelp)
                Text(step.code, style = MaterialTheme.typography.headlineSmall, fontFamily = FontFamily.Monospace)
                Text(Strings.pairingCodeExpires(formatTime(step.expiresAtMs)), style = MaterialTheme.typography.bodySmall)
                CircularProgressIndicator()
                Text(Strings.pairingWaiting)
                OutlinedButton(onClick = { send(Action.CancelPairing) }) { Text(Strings.cancel) }
            }
            is PairingStep.Compare -> {
                Text(Strings.pairingCompare(step.partnerName))
                Text(step.safetyNumber, style = MaterialTheme.typography.headlineMedium, fontFamily = FontFamily.Monospace)
                Text(Strings.pairingCompareWhy, style = MaterialTheme.typography.bodySmall)
                Button(onClick = { send(Action.ConfirmMatch) }, enabled = !state.busy, modifier = Modifier.fillMaxWidth()) {
                    Text(Strings.pairingMatch)
                }
                OutlinedButton(onClick = { send(Action.ReportMismatch) }, enabled = !state.busy, modifier = Modifier.fillMaxWidth()) {
                    Text(Strings.pairingNoMatch)
                }
            }
            PairingStep.Paired -> {
                Text(Strings.pairingDone)
                Button(onClick = { send(Action.PairLater) }) { Text(Strings.pairingContinue) }
            }
            PairingStep.Mismatch -> {
                Text(Strings.pairingMismatch)
                Button(onClick = { send(Action.PairLater) }) { Text(Strings.close) }
            }
        }
    }
}

@Composable
private fun CodeEntry(enabled: Boolean, onJoin: (String) -> Unit) {
    var code by rememberSaveable { mutableStateOf("") }
    OutlinedTextField(
        value = code,
        onValueChange = { code = it },
        label = { Text(Strings.pairingEnterCode) },
        singleLine = true,
        modifier = Modifier.fillMaxWidth(),
    )
    OutlinedButton(onClick = { onJoin(code.trim()) }, enabled = enabled && code.isNotBlank(), modifier = Modifier.fillMaxWidth()) {
        Text(Strings.pairingJoin)
    }
}

/** The relay address field, used before pairing and in Settings. */
@Composable
fun RelayField(current: String? = null, onSet: (String) -> Unit) {
    var url by rememberSaveable(current) { mutableStateOf(current.orEmpty()) }
    Text(Strings.relayHelp, style = MaterialTheme.typography.bodySmall)
    OutlinedTextField(
        value = url,
        onValueChange = { url = it },
        label = { Text(Strings.relayLabel) },
        singleLine = true,
        modifier = Modifier.fillMaxWidth(),
    )
    OutlinedButton(onClick = { onSet(url.trim()) }, enabled = url.isNotBlank() && url != current) {
        Text(Strings.relaySave)
    }
}
