package app.hearth.ui

import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.FlowRow
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
import androidx.compose.ui.Modifier
import androidx.compose.ui.unit.dp
import app.hearth.core.AssessmentKind
import app.hearth.core.AssessmentResult
import app.hearth.core.Choice
import app.hearth.core.Comparison
import app.hearth.core.Action
import app.hearth.core.AssessmentDraftView
import app.hearth.core.AssessmentItemAnswer
import app.hearth.core.Assessments
import app.hearth.core.AssessmentsView

/** The assessments on the Us screen: each with this person's result, sharing, and the comparison. */
@Composable
fun AssessmentsSection(state: AssessmentsView, paired: Boolean, send: (Action) -> Unit) {
    Section(Strings.usAssessments) {
        for (summary in state.summaries) {
            Column(verticalArrangement = Arrangement.spacedBy(4.dp)) {
                Text(label(summary.kind), style = MaterialTheme.typography.titleSmall)
                FlowRow(horizontalArrangement = Arrangement.spacedBy(4.dp)) {
                    TextButton(onClick = { send(Action.BeginAssessment(summary.kind)) }) {
                        Text(if (summary.mine == null) Strings.assessmentTake else Strings.assessmentRetake)
                    }
                    // Sharing needs a partner to share with.
                    if (summary.mine != null && paired) {
                        if (summary.shared) {
                            TextButton(onClick = { send(Action.UnshareAssessment(summary.kind)) }) { Text(Strings.assessmentUnshare) }
                        } else {
                            TextButton(onClick = { send(Action.ShareAssessment(summary.kind)) }) { Text(Strings.assessmentShare) }
                        }
                    }
                }
                summary.explanation?.let { explanation ->
                    Text(explanation.summary, style = MaterialTheme.typography.bodyMedium)
                    explanation.details.take(3).forEach { Text("• $it", style = MaterialTheme.typography.bodySmall) }
                    if (explanation.note.isNotEmpty()) Text(explanation.note, style = MaterialTheme.typography.labelSmall)
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
fun AssessmentScreen(state: AssessmentsView, send: (Action) -> Unit) {
    val draft = state.draft
    val result = state.justTaken
    Column(Modifier.fillMaxSize().verticalScroll(rememberScrollState()).padding(16.dp), verticalArrangement = Arrangement.spacedBy(12.dp)) {
        when {
            result != null -> {
                ResultView(result)
                Button(onClick = { send(Action.DismissResult) }) { Text(Strings.done) }
            }
            draft != null -> {
                Form(draft, state.forms, send)
                Text(Strings.assessmentAnswered(draft.answered.toInt(), draft.total.toInt()), style = MaterialTheme.typography.bodySmall)
                Row(horizontalArrangement = Arrangement.spacedBy(8.dp)) {
                    Button(onClick = { send(Action.SubmitAssessment) }, enabled = !draft.submitting) { Text(Strings.assessmentSeeResult) }
                    OutlinedButton(onClick = { send(Action.CancelAssessment) }) { Text(Strings.cancel) }
                }
            }
            else -> Loading()
        }
    }
}

@Composable
private fun Form(draft: AssessmentDraftView, forms: Assessments, send: (Action) -> Unit) {
    val answers = draft.answers
    val answer = { a: AssessmentItemAnswer -> send(Action.AnswerAssessment(a)) }
    when (draft.kind) {
        AssessmentKind.INTIMACY -> {
            val form = forms.intimacy
            Text(form.title, style = MaterialTheme.typography.headlineSmall)
            Text(form.intro)
            for (item in form.items) {
                val importance = answers.firstNotNullOfOrNull { (it as? AssessmentItemAnswer.Importance)?.takeIf { a -> a.dimension == item.dimension }?.value }
                val satisfaction = answers.firstNotNullOfOrNull { (it as? AssessmentItemAnswer.Satisfaction)?.takeIf { a -> a.dimension == item.dimension }?.value }
                OutlinedCard(Modifier.fillMaxWidth()) {
                    Column(Modifier.padding(12.dp), verticalArrangement = Arrangement.spacedBy(4.dp)) {
                        Text(label(item.dimension), style = MaterialTheme.typography.titleSmall)
                        Text(item.description, style = MaterialTheme.typography.bodySmall)
                        Text(form.importanceQuestion)
                        ScaleRow(form.scale, importance) { v -> answer(AssessmentItemAnswer.Importance(item.dimension, v)) }
                        Text(form.satisfactionQuestion)
                        ScaleRow(form.scale, satisfaction) { v -> answer(AssessmentItemAnswer.Satisfaction(item.dimension, v)) }
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
                val picked = answers.firstNotNullOfOrNull { (it as? AssessmentItemAnswer.Choice)?.takeIf { a -> a.itemId == item.id }?.choice }
                OutlinedCard(Modifier.fillMaxWidth()) {
                    Column(Modifier.padding(12.dp), verticalArrangement = Arrangement.spacedBy(6.dp)) {
                        Text(Strings.assessmentPair(index + 1, form.items.size), style = MaterialTheme.typography.labelMedium)
                        ChoiceButton(item.first.text, picked == Choice.FIRST, Modifier.fillMaxWidth()) { answer(AssessmentItemAnswer.Choice(item.id, Choice.FIRST)) }
                        ChoiceButton(item.second.text, picked == Choice.SECOND, Modifier.fillMaxWidth()) { answer(AssessmentItemAnswer.Choice(item.id, Choice.SECOND)) }
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
                ScaleRow(form.scale, valueOf(answers, item.id)) { v -> answer(AssessmentItemAnswer.Value(item.id, v)) }
            }
        }
        AssessmentKind.BARRIER_SIGNS -> {
            val form = forms.barrierSigns
            Text(form.title, style = MaterialTheme.typography.headlineSmall)
            Text(form.intro)
            for (item in form.items) {
                Text(item.text)
                ScaleRow(form.scale, valueOf(answers, item.id)) { v -> answer(AssessmentItemAnswer.Value(item.id, v)) }
            }
        }
        AssessmentKind.COMMUNICATION -> {
            val form = forms.communication
            Text(form.title, style = MaterialTheme.typography.headlineSmall)
            Text(form.intro)
            Text(form.note, style = MaterialTheme.typography.bodySmall)
            for (item in form.items) {
                Text(item.text)
                ScaleRow(form.scale, valueOf(answers, item.id)) { v -> answer(AssessmentItemAnswer.Value(item.id, v)) }
            }
        }
        AssessmentKind.PROFESSIONAL_HELP -> {
            val form = forms.professionalHelp
            Text(form.title, style = MaterialTheme.typography.headlineSmall)
            Text(form.intro)
            for (item in form.items) {
                val present = answers.firstNotNullOfOrNull { (it as? AssessmentItemAnswer.Signal)?.takeIf { a -> a.itemId == item.id }?.present }
                Text(item.text)
                Row(horizontalArrangement = Arrangement.spacedBy(8.dp)) {
                    ChoiceButton(Strings.yes, present == true) { answer(AssessmentItemAnswer.Signal(item.id, true)) }
                    ChoiceButton(Strings.no, present == false) { answer(AssessmentItemAnswer.Signal(item.id, false)) }
                }
            }
        }
    }
}

private fun valueOf(answers: List<AssessmentItemAnswer>, itemId: String): UInt? =
    answers.firstNotNullOfOrNull { (it as? AssessmentItemAnswer.Value)?.takeIf { a -> a.itemId == itemId }?.value }

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
        is AssessmentResult.Communication -> {
            for (axis in result.result.axes) {
                Text(axis.label, style = MaterialTheme.typography.titleSmall)
                Text(axis.text)
            }
            Text(result.result.note, style = MaterialTheme.typography.bodySmall)
        }
        is AssessmentResult.ProfessionalHelp -> {
            Text(result.result.message, style = MaterialTheme.typography.bodyLarge)
            if (result.result.aboutTherapy.isNotEmpty()) Text(result.result.aboutTherapy)
        }
    }
}
