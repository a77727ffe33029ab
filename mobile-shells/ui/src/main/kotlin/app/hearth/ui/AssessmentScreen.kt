package app.hearth.ui

import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.Row
import androidx.compose.foundation.layout.fillMaxSize
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.rememberScrollState
import androidx.compose.foundation.verticalScroll
import androidx.compose.material3.Button
import androidx.compose.material3.HorizontalDivider
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.OutlinedButton
import androidx.compose.material3.OutlinedCard
import androidx.compose.material3.Text
import androidx.compose.material3.TextButton
import androidx.compose.runtime.Composable
import androidx.compose.runtime.getValue
import androidx.compose.ui.Modifier
import androidx.compose.ui.unit.dp
import androidx.lifecycle.compose.collectAsStateWithLifecycle
import app.hearth.core.AssessmentKind
import app.hearth.core.AssessmentResult
import app.hearth.core.Choice
import app.hearth.core.Comparison
import app.hearth.state.AssessmentDraft
import app.hearth.state.AssessmentForms
import app.hearth.state.AssessmentsModel

/** The assessments on the Us screen: each with this partner's result, sharing, and the comparison. */
@Composable
fun AssessmentsSection(model: AssessmentsModel) {
    val state by model.state.collectAsStateWithLifecycle()
    Section(Strings.usAssessments) {
        ProblemCard(state.problem, model::dismissProblem)
        for (summary in state.summaries) {
            Column(verticalArrangement = Arrangement.spacedBy(4.dp)) {
                Text(label(summary.kind), style = MaterialTheme.typography.titleSmall)
                Row(horizontalArrangement = Arrangement.spacedBy(4.dp)) {
                    TextButton(onClick = { model.begin(summary.kind) }) {
                        Text(if (summary.mine == null) Strings.assessmentTake else Strings.assessmentRetake)
                    }
                    if (summary.mine != null) {
                        TextButton(onClick = { model.share(summary.kind) }) { Text(Strings.assessmentShare) }
                        TextButton(onClick = { model.unshare(summary.kind) }) { Text(Strings.assessmentUnshare) }
                    }
                }
                if (summary.partner != null && summary.comparison == null) {
                    Text(Strings.assessmentPartnerShared, style = MaterialTheme.typography.bodySmall)
                }
                summary.comparison?.let { ComparisonView(it) }
                HorizontalDivider()
            }
        }
        Text(Strings.assessmentPrivateNote, style = MaterialTheme.typography.bodySmall)
    }
}

@Composable
private fun ComparisonView(comparison: Comparison) {
    Text(Strings.assessmentDifferences, style = MaterialTheme.typography.labelLarge)
    for (difference in comparison.differences.take(5)) {
        Text(Strings.assessmentDifference(difference.label, difference.mine, difference.partner), style = MaterialTheme.typography.bodySmall)
    }
}

/** Taking an assessment, then its result. */
@Composable
fun AssessmentScreen(model: AssessmentsModel) {
    val state by model.state.collectAsStateWithLifecycle()
    val draft = state.draft
    val forms = state.forms
    val result = state.justTaken
    Column(Modifier.fillMaxSize().padding(16.dp).verticalScroll(rememberScrollState()), verticalArrangement = Arrangement.spacedBy(12.dp)) {
        ProblemCard(state.problem, model::dismissProblem)
        when {
            result != null -> {
                BackHandler { model.dismissResult() }
                ResultView(result)
                Button(onClick = model::dismissResult) { Text(Strings.done) }
            }
            draft != null && forms != null -> {
                BackHandler { model.cancel() }
                Form(draft, forms, model)
                Row(horizontalArrangement = Arrangement.spacedBy(8.dp)) {
                    Button(onClick = { model.submit() }, enabled = !draft.submitting) { Text(Strings.assessmentSeeResult) }
                    OutlinedButton(onClick = model::cancel) { Text(Strings.cancel) }
                }
            }
            else -> Loading()
        }
    }
}

@Composable
private fun Form(draft: AssessmentDraft, forms: AssessmentForms, model: AssessmentsModel) {
    when (draft.kind) {
        AssessmentKind.INTIMACY -> {
            val form = forms.intimacy
            Text(form.title, style = MaterialTheme.typography.headlineSmall)
            Text(form.intro)
            for (item in model.intimacyItems()) {
                Column(Modifier.fillMaxWidth(), verticalArrangement = Arrangement.spacedBy(4.dp)) {
                    Text(label(item.dimension), style = MaterialTheme.typography.titleSmall)
                    Text(item.description, style = MaterialTheme.typography.bodySmall)
                    Text(form.importanceQuestion)
                    ScaleRow(form.scale, draft.importance[item.dimension]) { v ->
                        model.answer { it.copy(importance = it.importance + (item.dimension to v)) }
                    }
                    Text(form.satisfactionQuestion)
                    ScaleRow(form.scale, draft.satisfaction[item.dimension]) { v ->
                        model.answer { it.copy(satisfaction = it.satisfaction + (item.dimension to v)) }
                    }
                }
            }
        }
        AssessmentKind.LOVE_LANGUAGES -> {
            val form = forms.loveLanguages
            Text(form.title, style = MaterialTheme.typography.headlineSmall)
            Text(form.intro)
            // Each pair in its own card, so it is plain which two are weighed against each other.
            form.items.forEachIndexed { index, item ->
                val picked = draft.choices[item.id]
                OutlinedCard(Modifier.fillMaxWidth()) {
                  Column(Modifier.padding(12.dp), verticalArrangement = Arrangement.spacedBy(6.dp)) {
                    Text(Strings.assessmentPair(index + 1, form.items.size), style = MaterialTheme.typography.labelMedium)
                    ChoiceButton(item.first.text, picked == Choice.FIRST, Modifier.fillMaxWidth()) { model.answer { it.copy(choices = it.choices + (item.id to Choice.FIRST)) } }
                    ChoiceButton(item.second.text, picked == Choice.SECOND, Modifier.fillMaxWidth()) { model.answer { it.copy(choices = it.choices + (item.id to Choice.SECOND)) } }
                  }
                }
            }
        }
        AssessmentKind.ATTACHMENT -> {
            val form = forms.attachment
            Text(form.title, style = MaterialTheme.typography.headlineSmall)
            Text(form.intro)
            Text(form.note, style = MaterialTheme.typography.bodySmall)
            for (item in form.items) {
                Text(item.text)
                ScaleRow(form.scale, draft.values[item.id]) { v -> model.answer { it.copy(values = it.values + (item.id to v)) } }
            }
        }
        AssessmentKind.BARRIER_SIGNS -> {
            val form = forms.barrierSigns
            Text(form.title, style = MaterialTheme.typography.headlineSmall)
            Text(form.intro)
            for (item in form.items) {
                Text(item.text)
                ScaleRow(form.scale, draft.values[item.id]) { v -> model.answer { it.copy(values = it.values + (item.id to v)) } }
            }
        }
        AssessmentKind.PROFESSIONAL_HELP -> {
            val form = forms.professionalHelp
            Text(form.title, style = MaterialTheme.typography.headlineSmall)
            Text(form.intro)
            for (item in form.items) {
                val present = draft.signals[item.id]
                Text(item.text)
                Row(horizontalArrangement = Arrangement.spacedBy(8.dp)) {
                    ChoiceButton(Strings.yes, present == true) { model.answer { it.copy(signals = it.signals + (item.id to true)) } }
                    ChoiceButton(Strings.no, present == false) { model.answer { it.copy(signals = it.signals + (item.id to false)) } }
                }
            }
        }
    }
}

@Composable
private fun ChoiceButton(text: String, chosen: Boolean, modifier: Modifier = Modifier, onClick: () -> Unit) {
    if (chosen) Button(onClick = onClick, modifier = modifier) { Text(text) } else OutlinedButton(onClick = onClick, modifier = modifier) { Text(text) }
}

@Composable
private fun ResultView(result: AssessmentResult) {
    Text(Strings.assessmentYourResult, style = MaterialTheme.typography.headlineSmall)
    when (result) {
        is AssessmentResult.Intimacy -> {
            for (score in result.result.dimensions) {
                Text(
                    Strings.assessmentDimensionScore(label(score.dimension), score.importance.toInt(), score.satisfaction.toInt()),
                )
                if (score.gap > 0) Text(Strings.assessmentWantsMore, style = MaterialTheme.typography.bodySmall)
            }
        }
        is AssessmentResult.LoveLanguages -> {
            Text(Strings.assessmentPrimary(result.result.primary.map { label(it) }.joinToString(", ")))
            for (score in result.result.scores) {
                Text(Strings.assessmentLanguageScore(label(score.language), score.score.toInt(), score.outOf.toInt()))
            }
        }
        is AssessmentResult.Attachment -> {
            Text(result.result.reflection, style = MaterialTheme.typography.bodyLarge)
            Text(result.result.note, style = MaterialTheme.typography.bodySmall)
        }
        is AssessmentResult.BarrierSigns -> {
            val flagged = result.result.barriers.filter { it.flagged }
            if (flagged.isEmpty()) Text(Strings.assessmentNoBarriers)
            for (barrier in flagged) Text(label(barrier.barrier))
        }
        is AssessmentResult.ProfessionalHelp -> {
            Text(result.result.message, style = MaterialTheme.typography.bodyLarge)
            if (result.result.aboutTherapy.isNotEmpty()) Text(result.result.aboutTherapy)
        }
    }
}
