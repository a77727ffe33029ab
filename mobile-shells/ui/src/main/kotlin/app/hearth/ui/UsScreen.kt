package app.hearth.ui

import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Box
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.Row
import androidx.compose.foundation.layout.fillMaxSize
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.lazy.LazyColumn
import androidx.compose.foundation.rememberScrollState
import androidx.compose.foundation.verticalScroll
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
import app.hearth.core.GoalStatus
import app.hearth.state.CheckInSession
import app.hearth.state.Session
import app.hearth.state.UsModel

/**
 * Us: the check-in, assessments and how they compare, goals, the date jar,
 * appreciation notes and programs.
 */
@Composable
fun UsScreen(session: Session, modifier: Modifier) {
    val model = session.us
    val state by model.state.collectAsStateWithLifecycle()
    val assessments by session.assessments.state.collectAsStateWithLifecycle()
    val checkIn = state.checkInSession
    Box(modifier) {
        when {
            checkIn != null -> {
                BackHandler { model.closeCheckIn() }
                CheckInView(checkIn, model)
            }
            assessments.draft != null || assessments.justTaken != null -> AssessmentScreen(session.assessments)
            else -> Overview(session)
        }
    }
}

@Composable
private fun Overview(session: Session) {
    val model = session.us
    val state by model.state.collectAsStateWithLifecycle()
    LazyColumn(Modifier.fillMaxSize().padding(horizontal = 16.dp)) {
        item { ProblemCard(state.problem, model::dismissProblem) }
        item {
            Section(Strings.usCheckIn) {
                state.checkIn?.let { due ->
                    Text(
                        if (due.isDue) Strings.usCheckInDue else Strings.usCheckInNext(due.dueOn),
                    )
                    due.lastHeld?.let { Text(Strings.usCheckInLast(it), style = MaterialTheme.typography.bodySmall) }
                }
                Button(onClick = { model.beginCheckIn() }) { Text(Strings.usCheckInBegin) }
            }
        }
        item { AssessmentsSection(session.assessments) }
        item { GoalsSection(model) }
        item { DateJarSection(model) }
        item { NotesSection(model) }
        item { ProgramsSection(model) }
    }
}

@Composable
private fun GoalsSection(model: UsModel) {
    val state by model.state.collectAsStateWithLifecycle()
    var text by rememberSaveable { mutableStateOf("") }
    Section(Strings.usGoals) {
        Text(Strings.usGoalsHelp, style = MaterialTheme.typography.bodySmall)
        for (goal in state.goals) {
            Column {
                Text(goal.text)
                Text(Strings.usGoalLine(goal.author.name, label(goal.status)), style = MaterialTheme.typography.bodySmall)
                Row(horizontalArrangement = Arrangement.spacedBy(4.dp)) {
                    when (goal.status) {
                        GoalStatus.IDEA -> {
                            if (state.readyToPick) {
                                TextButton(onClick = { model.setGoalStatus(goal.id, GoalStatus.CHOSEN) }) { Text(Strings.usGoalPick) }
                            }
                        }
                        GoalStatus.CHOSEN -> {
                            TextButton(onClick = { model.setGoalStatus(goal.id, GoalStatus.DONE) }) { Text(Strings.usGoalDone) }
                            TextButton(onClick = { model.setGoalStatus(goal.id, GoalStatus.SET_ASIDE) }) { Text(Strings.usGoalSetAside) }
                        }
                        GoalStatus.SET_ASIDE -> TextButton(onClick = { model.setGoalStatus(goal.id, GoalStatus.CHOSEN) }) {
                            Text(Strings.usGoalPickAgain)
                        }
                        GoalStatus.DONE -> Unit
                    }
                }
            }
        }
        if (!state.readyToPick && state.goals.isNotEmpty()) {
            Text(Strings.usGoalsBoth, style = MaterialTheme.typography.bodySmall)
        }
        AddField(text, { text = it }, Strings.usGoalAdd) {
            model.addGoal(text)
            text = ""
        }
    }
}

@Composable
private fun DateJarSection(model: UsModel) {
    val state by model.state.collectAsStateWithLifecycle()
    var text by rememberSaveable { mutableStateOf("") }
    Section(Strings.usDateJar) {
        val waiting = state.dateIdeas.count { it.doneOn == null }
        Text(Strings.usDateJarCount(waiting))
        val drawn = state.drawn
        if (drawn != null) {
            Text(drawn.text, style = MaterialTheme.typography.titleMedium)
            Row(horizontalArrangement = Arrangement.spacedBy(8.dp)) {
                Button(onClick = { model.markDateDone(drawn.id) }) { Text(Strings.usDateDone) }
                OutlinedButton(onClick = { model.drawDateIdea() }) { Text(Strings.usDateDrawAgain) }
                TextButton(onClick = model::dismissDrawn) { Text(Strings.close) }
            }
        } else {
            if (state.jarEmpty) Text(Strings.usDateJarEmpty, style = MaterialTheme.typography.bodySmall)
            Button(onClick = { model.drawDateIdea() }) { Text(Strings.usDateDraw) }
        }
        AddField(text, { text = it }, Strings.usDateAdd) {
            model.addDateIdea(text)
            text = ""
        }
    }
}

@Composable
private fun NotesSection(model: UsModel) {
    val state by model.state.collectAsStateWithLifecycle()
    var text by rememberSaveable { mutableStateOf("") }
    Section(Strings.usNotes) {
        for (note in state.appreciations.take(10)) {
            Column {
                Text(note.text)
                Text(Strings.journalByline(note.author.name, formatTime(note.createdAtMs)), style = MaterialTheme.typography.bodySmall)
            }
        }
        AddField(text, { text = it }, Strings.usNoteAdd) {
            model.appreciate(text)
            text = ""
        }
    }
}

@Composable
private fun ProgramsSection(model: UsModel) {
    val state by model.state.collectAsStateWithLifecycle()
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
                    TextButton(onClick = { model.leaveProgram(program.id) }) { Text(Strings.usProgramLeave) }
                } else {
                    TextButton(onClick = { model.joinProgram(program.id) }) { Text(Strings.usProgramJoin) }
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
private fun CheckInView(session: CheckInSession, model: UsModel) {
    val guide = session.guide
    Column(Modifier.fillMaxSize().padding(16.dp).verticalScroll(rememberScrollState()), verticalArrangement = Arrangement.spacedBy(12.dp)) {
        TextButton(onClick = model::closeCheckIn) { Text(Strings.close) }
        Text(guide.title, style = MaterialTheme.typography.headlineSmall)
        if (session.section == 0) {
            Text(guide.intro)
            Text(Strings.usCheckInRules, style = MaterialTheme.typography.titleSmall)
            guide.listeningRules.forEach { Text("• $it") }
        }
        if (session.closing) {
            Text(guide.closing, style = MaterialTheme.typography.bodyLarge)
            Button(onClick = { model.finishCheckIn() }) { Text(Strings.usCheckInHeld) }
        } else {
            val section = guide.sections[session.section]
            Text(Strings.exercisesStep(session.section + 1, guide.sections.size), style = MaterialTheme.typography.labelLarge)
            Text(section.title, style = MaterialTheme.typography.titleMedium)
            Text(section.prompt, style = MaterialTheme.typography.bodyLarge)
            Text(Strings.usCheckInListener(section.listenerHint), style = MaterialTheme.typography.bodySmall)
        }
        Row(horizontalArrangement = Arrangement.spacedBy(8.dp)) {
            OutlinedButton(onClick = model::previousCheckInSection, enabled = session.section > 0) { Text(Strings.back) }
            if (!session.closing) Button(onClick = model::nextCheckInSection) { Text(Strings.next) }
        }
    }
}
