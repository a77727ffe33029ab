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
import androidx.compose.runtime.saveable.rememberSaveable
import androidx.compose.runtime.setValue
import androidx.compose.ui.Modifier
import androidx.compose.ui.unit.dp
import androidx.lifecycle.compose.collectAsStateWithLifecycle
import app.hearth.core.DailyQuestion
import app.hearth.core.PartnerAnswer
import app.hearth.state.ProgramStep
import app.hearth.state.Session
import app.hearth.state.Suggestion
import app.hearth.state.TodayModel

/** Today: the question of the day and its reveal, program steps, a suggestion, the check-in. */
@Composable
fun TodayScreen(session: Session, modifier: Modifier, go: (Tab) -> Unit, openSafety: () -> Unit) {
    val model = session.today
    val state by model.state.collectAsStateWithLifecycle()
    val settings by session.settings.state.collectAsStateWithLifecycle()
    val partnerName = settings.profile?.partner?.name

    if (state.loading && state.question == null) {
        Loading()
        return
    }
    LazyColumn(modifier.padding(horizontal = 16.dp)) {
        item { ProblemCard(state.problem, model::dismissProblem) }
        if (settings.sync?.paired == false && settings.sync?.closed == false) {
            item {
                Section(Strings.todayPairTitle) {
                    Text(Strings.todayPairBody)
                    Button(onClick = session.pairing::offer) { Text(Strings.todayPairAction) }
                }
            }
        }
        state.question?.let { question ->
            item { QuestionCard(question, partnerName, state.savingAnswer, model) }
        }
        items(state.steps, key = { it.enrolment.programId }) { step -> StepCard(step, model) }
        state.suggestion?.let { suggestion ->
            item {
                Section(Strings.todaySuggestion) {
                    when (suggestion) {
                        is Suggestion.TryExercise -> {
                            Text(suggestion.exercise.title, style = MaterialTheme.typography.titleSmall)
                            Text(suggestion.reason, style = MaterialTheme.typography.bodySmall)
                            Button(onClick = {
                                session.exercises.start(suggestion.exercise.id)
                                go(Tab.EXERCISES)
                            }) { Text(Strings.todaySuggestionStart) }
                        }
                        is Suggestion.SeeHelp -> {
                            Text(suggestion.reason)
                            Button(onClick = openSafety) { Text(Strings.todaySeeSupport) }
                        }
                    }
                }
            }
        }
        if (state.checkInDue) {
            item {
                Section(Strings.todayCheckInTitle) {
                    Text(Strings.todayCheckInBody)
                    OutlinedButton(onClick = { go(Tab.US) }) { Text(Strings.todayCheckInAction) }
                }
            }
        }
    }
}

@Composable
private fun QuestionCard(daily: DailyQuestion, partnerName: String?, saving: Boolean, model: TodayModel) {
    var editing by rememberSaveable(daily.day) { mutableStateOf(false) }
    var draft by rememberSaveable(daily.day) { mutableStateOf(daily.answers.mine.orEmpty()) }
    val partner = partnerName ?: Strings.yourPartnerStart
    Section(Strings.todayQuestion) {
        Text(daily.question.text, style = MaterialTheme.typography.titleLarge)
        val mine = daily.answers.mine
        if (mine == null || editing) {
            OutlinedTextField(
                value = draft,
                onValueChange = { draft = it },
                label = { Text(Strings.todayYourAnswer) },
                modifier = Modifier.fillMaxWidth(),
                minLines = 2,
            )
            Button(
                onClick = {
                    model.answer(draft)
                    editing = false
                },
                enabled = draft.isNotBlank() && !saving,
            ) { Text(Strings.save) }
        } else {
            Text(Strings.todayYouSaid, style = MaterialTheme.typography.labelMedium)
            Text(mine)
            TextButton(onClick = { editing = true }) { Text(Strings.edit) }
        }
        // The reveal: the core says what may be seen of the partner's answer.
        when (val answer = daily.answers.partner) {
            PartnerAnswer.NotYet -> Text(Strings.todayPartnerNotYet(partner), style = MaterialTheme.typography.bodySmall)
            PartnerAnswer.Hidden -> Text(Strings.todayPartnerHidden(partner), style = MaterialTheme.typography.bodySmall)
            is PartnerAnswer.Shown -> {
                Text(Strings.todayPartnerSaid(partner), style = MaterialTheme.typography.labelMedium)
                Text(answer.text)
            }
        }
    }
}

@Composable
private fun StepCard(step: ProgramStep, model: TodayModel) {
    val progress = step.enrolment.progress
    Section(step.enrolment.title) {
        if (progress.welcomeBack) Text(Strings.todayWelcomeBack)
        val day = step.day
        if (day == null) {
            Text(Strings.todayProgramAllDone)
        } else {
            Text(Strings.todayProgramDay(day.day.toInt(), progress.totalDays.toInt(), day.title), style = MaterialTheme.typography.titleSmall)
            Text(day.task)
            Row(Modifier.fillMaxWidth(), horizontalArrangement = Arrangement.End) {
                Button(onClick = { model.completeStep(step.enrolment.programId, day.day) }) {
                    Text(Strings.todayProgramDone)
                }
            }
        }
    }
}
