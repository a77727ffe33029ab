package app.hearth.ui

import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Box
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.FlowRow
import androidx.compose.foundation.layout.Row
import androidx.compose.foundation.layout.fillMaxSize
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.lazy.LazyColumn
import androidx.compose.foundation.rememberScrollState
import androidx.compose.foundation.verticalScroll
import androidx.compose.material3.AssistChip
import androidx.compose.material3.Button
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
import androidx.compose.ui.unit.dp
import app.hearth.core.Action
import app.hearth.core.CheckInSession
import app.hearth.core.GoalStatus
import app.hearth.core.Screens
import app.hearth.core.UsView

/**
 * Us: the check-in, assessments and how they compare, goals, the date jar,
 * appreciation notes and programs.
 */
@Composable
fun UsScreen(screens: Screens, send: (Action) -> Unit, modifier: Modifier) {
    val us = screens.us
    val checkIn = us.checkInSession
    Box(modifier) {
        when {
            checkIn != null -> CheckInView(checkIn, send)
            us.assessments.draft != null || us.assessments.justTaken != null -> AssessmentScreen(us.assessments, send)
            else -> Overview(us, screens.paired, send)
        }
    }
}

@Composable
private fun Overview(state: UsView, paired: Boolean, send: (Action) -> Unit) {
    LazyColumn(Modifier.fillMaxSize().padding(horizontal = 16.dp)) {
        item { ProblemCard(state.problem) { send(Action.DismissProblem) } }
        item {
            Section(Strings.usCheckIn) {
                state.checkIn?.let { due ->
                    Text(if (due.isDue) Strings.usCheckInDue else Strings.usCheckInNext(due.dueOn))
                    due.lastHeld?.let { Text(Strings.usCheckInLast(it), style = MaterialTheme.typography.bodySmall) }
                }
                Button(onClick = { send(Action.BeginCheckIn) }) { Text(Strings.usCheckInBegin) }
            }
        }
        item { AssessmentsSection(state.assessments, paired, send) }
        if (paired) item { GameSection(state, send) }
        item { GoalsSection(state, send) }
        item { DateJarSection(state, send) }
        item { NotesSection(state, send) }
        item { ProgramsSection(state, send) }
    }
}

/** The know-each-other game: one answers about themselves, the other guesses; the core decides what each sees. */
@Composable
private fun GameSection(state: UsView, send: (Action) -> Unit) {
    Section(Strings.usGame) {
        Text(Strings.usGameHelp, style = MaterialTheme.typography.bodySmall)
        for (round in state.game.take(5)) {
            val view = round.view
            var text by rememberSaveable(round.id) { mutableStateOf("") }
            Column(verticalArrangement = Arrangement.spacedBy(4.dp)) {
                Text(round.prompt.text, style = MaterialTheme.typography.titleSmall)
                view.answer?.let { Text(Strings.usGameAnswerLine(it)) }
                view.guess?.let { Text(Strings.usGameGuessLine(it)) }
                val mine = if (view.iAnswer) view.answer else view.guess
                if (mine == null) {
                    if (view.partnerIsIn) Text(Strings.usGamePartnerIn, style = MaterialTheme.typography.bodySmall)
                    OutlinedTextField(
                        value = text,
                        onValueChange = { text = it },
                        label = { Text(if (view.iAnswer) Strings.usGameYourAnswer else Strings.usGameYourGuess) },
                        modifier = Modifier.fillMaxWidth(),
                    )
                    OutlinedButton(onClick = { send(Action.PlayGameRound(round.id, text.trim())) }, enabled = text.isNotBlank()) {
                        Text(Strings.usGameSend)
                    }
                } else if (!view.revealed) {
                    Text(Strings.usGameWaiting, style = MaterialTheme.typography.bodySmall)
                }
                HorizontalDivider()
            }
        }
        FlowRow(horizontalArrangement = Arrangement.spacedBy(8.dp)) {
            Button(onClick = { send(Action.StartGameRound(iAnswer = true)) }) { Text(Strings.usGameAnswer) }
            OutlinedButton(onClick = { send(Action.StartGameRound(iAnswer = false)) }) { Text(Strings.usGameGuess) }
        }
    }
}

@Composable
private fun GoalsSection(state: UsView, send: (Action) -> Unit) {
    var text by rememberSaveable { mutableStateOf("") }
    Section(Strings.usGoals) {
        Text(Strings.usGoalsHelp, style = MaterialTheme.typography.bodySmall)
        for (goal in state.goals) {
            Column {
                Text(goal.text)
                Text(Strings.usGoalLine(goal.author.name, label(goal.status)), style = MaterialTheme.typography.bodySmall)
                Row(horizontalArrangement = Arrangement.spacedBy(4.dp)) {
                    val set = { status: GoalStatus -> send(Action.SetGoalStatus(goal.id, status)) }
                    when (goal.status) {
                        GoalStatus.IDEA -> if (state.readyToPick) TextButton(onClick = { set(GoalStatus.CHOSEN) }) { Text(Strings.usGoalPick) }
                        GoalStatus.CHOSEN -> {
                            TextButton(onClick = { set(GoalStatus.DONE) }) { Text(Strings.usGoalDone) }
                            TextButton(onClick = { set(GoalStatus.SET_ASIDE) }) { Text(Strings.usGoalSetAside) }
                        }
                        GoalStatus.SET_ASIDE -> TextButton(onClick = { set(GoalStatus.CHOSEN) }) { Text(Strings.usGoalPickAgain) }
                        GoalStatus.DONE -> Unit
                    }
                }
            }
        }
        if (!state.readyToPick && state.goals.isNotEmpty()) {
            Text(Strings.usGoalsBoth, style = MaterialTheme.typography.bodySmall)
        }
        AddField(text, { text = it }, Strings.usGoalAdd) {
            send(Action.AddGoal(text.trim()))
            text = ""
        }
    }
}

@Composable
private fun DateJarSection(state: UsView, send: (Action) -> Unit) {
    var text by rememberSaveable { mutableStateOf("") }
    Section(Strings.usDateJar) {
        val waiting = state.dateIdeas.count { it.doneOn == null }
        Text(Strings.usDateJarCount(waiting))
        val drawn = state.drawn
        if (drawn != null) {
            Text(drawn.text, style = MaterialTheme.typography.titleMedium)
            FlowRow(horizontalArrangement = Arrangement.spacedBy(8.dp)) {
                Button(onClick = { send(Action.MarkDateDone(drawn.id)) }) { Text(Strings.usDateDone) }
                OutlinedButton(onClick = { send(Action.DrawDateIdea) }) { Text(Strings.usDateDrawAgain) }
                TextButton(onClick = { send(Action.DismissDrawn) }) { Text(Strings.close) }
            }
        } else {
            if (state.jarEmpty) Text(Strings.usDateJarEmpty, style = MaterialTheme.typography.bodySmall)
            Button(onClick = { send(Action.DrawDateIdea) }, enabled = waiting > 0) { Text(Strings.usDateDraw) }
        }
        AddField(text, { text = it }, Strings.usDateAdd) {
            send(Action.AddDateIdea(text.trim()))
            text = ""
        }
        if (state.starterIdeas.isNotEmpty()) {
            Text(Strings.usDateStarters, style = MaterialTheme.typography.titleSmall)
            FlowRow(horizontalArrangement = Arrangement.spacedBy(8.dp)) {
                for (idea in state.starterIdeas.take(6)) {
                    AssistChip(onClick = { send(Action.AddStarterIdea(idea.id)) }, label = { Text(idea.text) })
                }
            }
        }
    }
}

@Composable
private fun NotesSection(state: UsView, send: (Action) -> Unit) {
    var text by rememberSaveable { mutableStateOf("") }
    Section(Strings.usNotes) {
        for (note in state.appreciations.take(10)) {
            Column {
                Text(note.text)
                Text(Strings.journalByline(note.author.name, formatTime(note.createdAtMs)), style = MaterialTheme.typography.bodySmall)
            }
        }
        AddField(text, { text = it }, Strings.usNoteAdd) {
            send(Action.Appreciate(text.trim()))
            text = ""
        }
    }
}

@Composable
private fun ProgramsSection(state: UsView, send: (Action) -> Unit) {
    Section(Strings.usPrograms) {
        for (program in state.programs) {
            val enrolment = state.enrolments.firstOrNull { it.programId == program.id }
            Column {
                Text(program.title, style = MaterialTheme.typography.titleSmall)
                Text(program.summary, style = MaterialTheme.typography.bodySmall)
                enrolment?.let {
                    Text(
                        Strings.usProgramProgress(it.progress.doneByMe.toInt(), it.progress.doneByPartner.toInt(), it.progress.totalDays.toInt()),
                        style = MaterialTheme.typography.bodySmall,
                    )
                }
                if (enrolment?.joinedByMe == true) {
                    TextButton(onClick = { send(Action.LeaveProgram(program.id)) }) { Text(Strings.usProgramLeave) }
                } else {
                    TextButton(onClick = { send(Action.JoinProgram(program.id)) }) { Text(Strings.usProgramJoin) }
                }
            }
        }
    }
}

@Composable
private fun AddField(text: String, onText: (String) -> Unit, hint: String, onAdd: () -> Unit) {
    OutlinedTextField(
        value = text,
        onValueChange = onText,
        label = { Text(hint) },
        modifier = Modifier.fillMaxWidth(),
    )
    OutlinedButton(onClick = onAdd, enabled = text.isNotBlank()) { Text(Strings.add) }
}

@Composable
private fun CheckInView(session: CheckInSession, send: (Action) -> Unit) {
    val guide = session.guide
    val section = session.section.toInt()
    Column(Modifier.fillMaxSize().verticalScroll(rememberScrollState()).padding(16.dp), verticalArrangement = Arrangement.spacedBy(12.dp)) {
        TextButton(onClick = { send(Action.CloseCheckIn) }) { Text(Strings.close) }
        Text(guide.title, style = MaterialTheme.typography.headlineSmall)
        if (section == 0) {
            Text(guide.intro)
            Text(Strings.usCheckInRules, style = MaterialTheme.typography.titleSmall)
            guide.listeningRules.forEach { Text("• $it") }
        }
        if (session.closing) {
            Text(guide.closing, style = MaterialTheme.typography.bodyLarge)
            var month by rememberSaveable { mutableStateOf<Int?>(null) }
            Text(Strings.usCheckInMonth, style = MaterialTheme.typography.titleSmall)
            FlowRow(horizontalArrangement = Arrangement.spacedBy(4.dp)) {
                for (v in 1..5) ChoiceButton("$v", month == v) { month = if (month == v) null else v }
            }
            Row(Modifier.fillMaxWidth(), horizontalArrangement = Arrangement.SpaceBetween) {
                Text(Strings.usCheckInMonthLow, style = MaterialTheme.typography.labelSmall)
                Text(Strings.usCheckInMonthHigh, style = MaterialTheme.typography.labelSmall)
            }
            Button(onClick = { send(Action.FinishCheckIn(month?.toUInt())) }) { Text(Strings.usCheckInHeld) }
        } else {
            val current = guide.sections[section]
            Text(Strings.exercisesStep(section + 1, guide.sections.size), style = MaterialTheme.typography.labelLarge)
            Text(current.title, style = MaterialTheme.typography.titleMedium)
            Text(current.prompt, style = MaterialTheme.typography.bodyLarge)
            Text(Strings.usCheckInListener(current.listenerHint), style = MaterialTheme.typography.bodySmall)
        }
        Row(horizontalArrangement = Arrangement.spacedBy(8.dp)) {
            OutlinedButton(onClick = { send(Action.PreviousCheckInSection) }, enabled = section > 0) { Text(Strings.back) }
            if (!session.closing) Button(onClick = { send(Action.NextCheckInSection) }) { Text(Strings.next) }
        }
    }
}
