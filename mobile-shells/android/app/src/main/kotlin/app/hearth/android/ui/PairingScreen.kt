package app.hearth.android.ui

import androidx.activity.compose.BackHandler
import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.fillMaxSize
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.padding
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
import androidx.compose.ui.res.stringResource
import androidx.compose.ui.text.font.FontFamily
import androidx.compose.ui.unit.dp
import androidx.lifecycle.compose.collectAsStateWithLifecycle
import app.hearth.android.R
import app.hearth.state.PairingStep
import app.hearth.state.Session

/**
 * Pairing: show a code or type the partner's, then compare the safety
 * number both phones show. Asks for a relay first if none is set.
 */
@Composable
fun PairingScreen(session: Session) {
    val state by session.pairing.state.collectAsStateWithLifecycle()
    val settings by session.settings.state.collectAsStateWithLifecycle()
    val pairing = session.pairing
    BackHandler { pairing.later() }

    Column(
        Modifier.fillMaxSize().padding(24.dp).verticalScroll(rememberScrollState()),
        verticalArrangement = Arrangement.spacedBy(16.dp),
    ) {
        Text(stringResource(R.string.pairing_title), style = MaterialTheme.typography.headlineMedium)
        ProblemCard(state.problem, pairing::dismissProblem)
        ProblemCard(settings.problem, session.settings::dismissProblem)

        when (val step = state.step) {
            PairingStep.Choose -> {
                Text(stringResource(R.string.pairing_intro))
                if (settings.sync != null && settings.sync?.relayUrl == null) {
                    RelayField(onSet = { session.settings.setRelay(it) })
                    HorizontalDivider()
                }
                Button(onClick = { pairing.showCode() }, modifier = Modifier.fillMaxWidth()) {
                    Text(stringResource(R.string.pairing_show_code))
                }
                CodeEntry(onJoin = { pairing.enterCode(it) })
                TextButton(onClick = pairing::later) { Text(stringResource(R.string.pairing_later)) }
            }
            PairingStep.GettingCode, PairingStep.Joining -> {
                CircularProgressIndicator()
            }
            is PairingStep.ShowCode -> {
                Text(stringResource(R.string.pairing_show_code_help))
                Text(step.code, style = MaterialTheme.typography.headlineSmall, fontFamily = FontFamily.Monospace)
                Text(stringResource(R.string.pairing_code_expires, formatTime(step.expiresAtMs)), style = MaterialTheme.typography.bodySmall)
                CircularProgressIndicator()
                Text(stringResource(R.string.pairing_waiting))
                OutlinedButton(onClick = pairing::cancel) { Text(stringResource(R.string.cancel)) }
            }
            is PairingStep.Compare -> {
                Text(stringResource(R.string.pairing_compare, step.partnerName))
                Text(step.safetyNumber, style = MaterialTheme.typography.headlineMedium, fontFamily = FontFamily.Monospace)
                Text(stringResource(R.string.pairing_compare_why), style = MaterialTheme.typography.bodySmall)
                Button(onClick = pairing::confirmMatch, enabled = !state.busy, modifier = Modifier.fillMaxWidth()) {
                    Text(stringResource(R.string.pairing_match))
                }
                OutlinedButton(onClick = { pairing.reportMismatch() }, enabled = !state.busy, modifier = Modifier.fillMaxWidth()) {
                    Text(stringResource(R.string.pairing_no_match))
                }
            }
            PairingStep.Paired -> {
                Text(stringResource(R.string.pairing_done))
                Button(onClick = pairing::later) { Text(stringResource(R.string.pairing_continue)) }
            }
            PairingStep.Mismatch -> {
                Text(stringResource(R.string.pairing_mismatch))
                Button(onClick = pairing::later) { Text(stringResource(R.string.close)) }
            }
        }
    }
}

@Composable
private fun CodeEntry(onJoin: (String) -> Unit) {
    var code by rememberSaveable { mutableStateOf("") }
    OutlinedTextField(
        value = code,
        onValueChange = { code = it },
        label = { Text(stringResource(R.string.pairing_enter_code)) },
        singleLine = true,
        modifier = Modifier.fillMaxWidth(),
    )
    OutlinedButton(onClick = { onJoin(code) }, enabled = code.isNotBlank(), modifier = Modifier.fillMaxWidth()) {
        Text(stringResource(R.string.pairing_join))
    }
}

/** The relay address field, used before pairing and in Settings. */
@Composable
fun RelayField(current: String? = null, onSet: (String) -> Unit) {
    var url by rememberSaveable(current) { mutableStateOf(current.orEmpty()) }
    Text(stringResource(R.string.relay_help), style = MaterialTheme.typography.bodySmall)
    OutlinedTextField(
        value = url,
        onValueChange = { url = it },
        label = { Text(stringResource(R.string.relay_label)) },
        singleLine = true,
        modifier = Modifier.fillMaxWidth(),
    )
    OutlinedButton(onClick = { onSet(url) }, enabled = url.isNotBlank() && url != current) {
        Text(stringResource(R.string.relay_save))
    }
}
