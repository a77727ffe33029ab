package app.hearth.ui

import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Row
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.lazy.LazyColumn
import androidx.compose.foundation.lazy.items
import androidx.compose.material3.Button
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.OutlinedButton
import androidx.compose.material3.OutlinedTextField
import androidx.compose.material3.Text
import androidx.compose.material3.TextButton
import androidx.compose.runtime.Composable
import androidx.compose.runtime.getValue
import androidx.compose.runtime.mutableStateOf
import androidx.compose.runtime.remember
import androidx.compose.runtime.saveable.rememberSaveable
import androidx.compose.runtime.setValue
import androidx.compose.ui.Modifier
import androidx.compose.ui.unit.dp
import app.hearth.core.Action
import app.hearth.core.PartnerAnswerView
import app.hearth.core.ProgramStep
import app.hearth.core.QuestionView
import app.hearth.core.Screens
import app.hearth.core.Suggestion
import app.hearth.core.Tab

/** Today: the question of the day and its reveal, program steps, a suggestion, the check-in. */
@Composable
fun TodayScreen(screens: Screens, send: (Action) -> Unit, modifier: Modifier, openSafety: () -> Unit) {
    val today = screens.today
    val partnerName = screens.profile.partner?.name
    LazyColumn(modifier.padding(horizontal = 16.dp)) {
        item { ProblemCard(today.problem) { send(Action.DismissProblem) } }
        if (!screens.paired && !screens.closed) {
            item {
                Section(Strings.todayPairTitle) {
                    Text(Strings.todayPairBody)
                    Button(onClick = { send(Action.OfferPairing) }) { Text(Strings.todayPairAction) }
                }
            }
        }
        val question = today.question
        if (question == null) {
            item { Loading() }
        } else {
            item { QuestionCard(question, partnerName, send) }
        }
        items(today.steps, key = { it.enrolment.programId }) { step -> StepCard(step, send) }
        today.suggestion?.let { suggestion ->
            item {
                Section(Strings.todaySuggestion) {
                    when (suggestion) {
                        is Suggestion.TryExercise -> {
                            Text(suggestion.exercise.title, style = MaterialTheme.typography.titleSmall)
                            Text(suggestion.reason, style = MaterialTheme.typography.bodySmall)
                            Button(onClick = {
                                send(Action.StartExercise(suggestion.exercise.id))
                                send(Action.Navigate(Tab.EXERCISES))
                            }) { Text(Strings.todaySuggestionStart) }
                        }
                        is Suggestion.SeeHelp -> {
                            Text(suggestion.reason)
                            suggestion.resources.forEach { Text(it.title, style = MaterialTheme.typography.titleSmall) }
                            Button(onClick = openSafety) { Text(Strings.todaySeeSupport) }
                        }
                        is Suggestion.SeeProfessional -> {
                            Text(suggestion.reason)
                            Text(suggestion.kindOfHelp, style = MaterialTheme.typography.bodySmall)
                            suggestion.resources.forEach { Text(it.title, style = MaterialTheme.typography.titleSmall) }
                            Button(onClick = openSafety) { Text(Strings.todaySeeSupport) }
                        }
                    }
                }
            }
        }
        if (today.checkInDue) {
            item {
                Section(Strings.todayCheckInTitle) {
                    Text(Strings.todayCheckInBody)
                    OutlinedButton(onClick = { send(Action.Navigate(Tab.US)) }) { Text(Strings.todayCheckInAction) }
                }
            }
        }
    }
}

@Composable
private fun QuestionCard(question: QuestionView, partnerName: String?, send: (Action) -> Unit) {
    var editing by rememberSaveable(question.day) { mutableStateOf(false) }
    // The text field types locally; each change also goes to the core, which keeps the draft if the app is closed.
    var draft by remember(question.day) { mutableStateOf(question.draft.ifEmpty { question.mine.orEmpty() }) }
    val partner = partnerName ?: Strings.yourPartnerStart
    Section(Strings.todayQuestion) {
        Text(question.text, style = MaterialTheme.typography.titleLarge)
        val mine = question.mine
        if (mine == null || editing) {
            OutlinedTextField(
                value = draft,
                onValueChange = {
                    draft = it
                    send(Action.EditAnswer(it))
                },
                label = { Text(Strings.todayYourAnswer) },
                modifier = Modifier.fillMaxWidth(),
                minLines = 2,
            )
            Button(
                onClick = {
                    send(Action.SubmitAnswer)
                    editing = false
                },
                enabled = draft.isNotBlank() && !question.saving,
            ) { Text(Strings.save) }
        } else {
            Text(Strings.todayYouSaid, style = MaterialTheme.typography.labelMedium)
            Text(mine)
            TextButton(onClick = { editing = true }) { Text(Strings.edit) }
        }
        if (mine == null) {
            // Either partner may swap a question that does not fit today.
            TextButton(onClick = { send(Action.SwapQuestion) }) { Text(Strings.todaySwapQuestion) }
        }
        // The reveal: the core says what may be seen of the partner's answer.
        when (val answer = question.partner) {
            PartnerAnswerView.Unpaired -> Unit
            PartnerAnswerView.NotYet -> Text(Strings.todayPartnerNotYet(partner), style = MaterialTheme.typography.bodySmall)
            PartnerAnswerView.AnswerToSee -> Text(Strings.todayPartnerHidden(partner), style = MaterialTheme.typography.bodySmall)
            is PartnerAnswerView.Shown -> {
                Text(Strings.todayPartnerSaid(answer.name), style = MaterialTheme.typography.labelMedium)
                Text(answer.text)
            }
        }
    }
}

@Composable
private fun StepCard(step: ProgramStep, send: (Action) -> Unit) {
    val progress = step.enrolment.progress
    Section(step.enrolment.title) {
        if (progress.welcomeBack) Text(Strings.todayWelcomeBack)
        val day = step.next
        if (day == null) {
            Text(Strings.todayProgramAllDone)
        } else {
            Text(Strings.todayProgramDay(day.day.toInt(), progress.totalDays.toInt(), day.title), style = MaterialTheme.typography.titleSmall)
            Text(day.task)
            Row(Modifier.fillMaxWidth(), horizontalArrangement = Arrangement.End) {
                Button(onClick = { send(Action.CompleteProgramDay(step.enrolment.programId, day.day)) }) {
                    Text(Strings.todayProgramDone)
                }
            }
        }
    }
}
