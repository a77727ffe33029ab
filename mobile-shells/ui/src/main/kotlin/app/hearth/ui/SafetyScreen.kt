package app.hearth.ui

import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.Row
import androidx.compose.foundation.layout.fillMaxSize
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.layout.safeDrawingPadding
import androidx.compose.foundation.ScrollState
import androidx.compose.runtime.remember
import androidx.compose.foundation.verticalScroll
import androidx.compose.material3.Button
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.OutlinedButton
import androidx.compose.material3.Text
import androidx.compose.material3.TextButton
import androidx.compose.runtime.Composable
import androidx.compose.ui.Modifier
import androidx.compose.ui.unit.dp
import app.hearth.core.Action
import app.hearth.core.HelpResource
import app.hearth.core.SafetyView

/**
 * Safety and support: the check and the help resources. Everything here
 * stays on this device; the core never syncs it, and this screen never
 * notifies, logs or exports it.
 */
@Composable
fun SafetyScreen(state: SafetyView, send: (Action) -> Unit, onClose: () -> Unit) {
    val check = state.check
    val outcome = state.outcome
    val showingOutcome = outcome != null && !state.taking
    // The outcome opens at its top, where its message is, not where the person pressed Done.
    val scroll = remember(showingOutcome) { ScrollState(0) }
    Column(
        Modifier.fillMaxSize().safeDrawingPadding().verticalScroll(scroll).padding(16.dp).readableWidth(),
        verticalArrangement = Arrangement.spacedBy(12.dp),
    ) {
        TextButton(onClick = onClose) { Text(Strings.close) }
        ProblemCard(state.problem) { send(Action.DismissProblem) }
        Text(check.title, style = MaterialTheme.typography.headlineSmall)
        Text(check.privacyNote, style = MaterialTheme.typography.bodySmall)
        if (state.closenessPaused) {
            Section(Strings.safetyPaused) {
                OutlinedButton(onClick = { send(Action.ResumeClosenessSuggestions) }) { Text(Strings.safetyResume) }
            }
        }
        if (outcome != null && showingOutcome) {
            Text(outcome.message, style = MaterialTheme.typography.bodyLarge)
            outcome.resources.forEach { ResourceCard(it) }
            Row(horizontalArrangement = Arrangement.spacedBy(8.dp)) {
                OutlinedButton(onClick = { send(Action.TakeSafetyCheck) }) { Text(Strings.safetyRetake) }
                TextButton(onClick = { send(Action.ClearSafetyCheck) }) { Text(Strings.safetyErase) }
            }
        } else {
            Text(check.intro)
            for (item in check.items) {
                val answer = state.answers.firstOrNull { it.itemId == item.id }?.yes
                Text(item.text)
                Row(horizontalArrangement = Arrangement.spacedBy(8.dp)) {
                    ChoiceButton(Strings.yes, answer == true) { send(Action.AnswerSafety(item.id, true)) }
                    ChoiceButton(Strings.no, answer == false) { send(Action.AnswerSafety(item.id, false)) }
                }
            }
            Button(onClick = { send(Action.SubmitSafetyCheck) }, enabled = state.answers.isNotEmpty()) { Text(Strings.safetySubmit) }
            Text(Strings.safetyResources, style = MaterialTheme.typography.titleMedium)
            check.resources.forEach { ResourceCard(it) }
        }
    }
}

@Composable
private fun ResourceCard(resource: HelpResource) {
    Section(resource.title) { Text(resource.text) }
}
