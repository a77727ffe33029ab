package app.hearth.ui

import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.Row
import androidx.compose.foundation.layout.fillMaxSize
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.layout.safeDrawingPadding
import androidx.compose.foundation.rememberScrollState
import androidx.compose.foundation.verticalScroll
import androidx.compose.material3.Button
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.OutlinedButton
import androidx.compose.material3.Text
import androidx.compose.material3.TextButton
import androidx.compose.runtime.Composable
import androidx.compose.runtime.LaunchedEffect
import androidx.compose.runtime.getValue
import androidx.compose.ui.Modifier
import androidx.compose.ui.unit.dp
import androidx.lifecycle.compose.collectAsStateWithLifecycle
import app.hearth.core.HelpResource
import app.hearth.state.SafetyModel

/**
 * Safety and support: the check and the help resources. Everything here
 * stays on this phone; the core never syncs it, and this screen never
 * notifies, logs or exports it.
 */
@Composable
fun SafetyScreen(model: SafetyModel, onClose: () -> Unit) {
    val state by model.state.collectAsStateWithLifecycle()
    LaunchedEffect(Unit) { model.refresh() }
    val check = state.check
    val outcome = state.outcome
    Column(Modifier.fillMaxSize().safeDrawingPadding().verticalScroll(rememberScrollState()).padding(16.dp).readableWidth(), verticalArrangement = Arrangement.spacedBy(12.dp)) {
        TextButton(onClick = onClose) { Text(Strings.close) }
        ProblemCard(state.problem, model::dismissProblem)
        if (check == null) {
            Loading()
            return@Column
        }
        Text(check.title, style = MaterialTheme.typography.headlineSmall)
        Text(check.privacyNote, style = MaterialTheme.typography.bodySmall)
        if (outcome != null && !state.retaking) {
            Text(outcome.message, style = MaterialTheme.typography.bodyLarge)
            outcome.resources.forEach { ResourceCard(it) }
            Row(horizontalArrangement = Arrangement.spacedBy(8.dp)) {
                OutlinedButton(onClick = model::retake) { Text(Strings.safetyRetake) }
                TextButton(onClick = { model.erase() }) { Text(Strings.safetyErase) }
            }
        } else {
            Text(check.intro)
            for (item in check.items) {
                val answer = state.answers[item.id]
                Text(item.text)
                Row(horizontalArrangement = Arrangement.spacedBy(8.dp)) {
                    if (answer == true) Button(onClick = { model.answer(item.id, true) }) { Text(Strings.yes) }
                    else OutlinedButton(onClick = { model.answer(item.id, true) }) { Text(Strings.yes) }
                    if (answer == false) Button(onClick = { model.answer(item.id, false) }) { Text(Strings.no) }
                    else OutlinedButton(onClick = { model.answer(item.id, false) }) { Text(Strings.no) }
                }
            }
            Button(onClick = { model.submit() }, enabled = state.answers.isNotEmpty()) { Text(Strings.safetySubmit) }
            Text(Strings.safetyResources, style = MaterialTheme.typography.titleMedium)
            check.resources.forEach { ResourceCard(it) }
        }
    }
}

@Composable
private fun ResourceCard(resource: HelpResource) {
    Section(resource.title) { Text(resource.text) }
}
