package app.hearth.ui

import androidx.compose.foundation.horizontalScroll
import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Box
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.Row
import androidx.compose.foundation.layout.fillMaxSize
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.lazy.LazyColumn
import androidx.compose.foundation.lazy.items
import androidx.compose.foundation.rememberScrollState
import androidx.compose.foundation.verticalScroll
import androidx.compose.material3.Button
import androidx.compose.material3.FilterChip
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.OutlinedButton
import androidx.compose.material3.Text
import androidx.compose.material3.TextButton
import androidx.compose.runtime.Composable
import androidx.compose.runtime.getValue
import androidx.compose.ui.Modifier
import androidx.compose.ui.unit.dp
import androidx.lifecycle.compose.collectAsStateWithLifecycle
import app.hearth.core.EntryLink
import app.hearth.core.Exercise
import app.hearth.core.LinkKind
import app.hearth.core.Mode
import app.hearth.core.Role
import app.hearth.state.DrillInProgress
import app.hearth.state.ExerciseRun
import app.hearth.state.ExercisesModel
import app.hearth.state.Session

/** Exercises: browse by dimension, run one step by step, or a drill turn by turn across both phones. */
@Composable
fun ExercisesScreen(session: Session, modifier: Modifier, go: (Tab) -> Unit) {
    val model = session.exercises
    val state by model.state.collectAsStateWithLifecycle()
    val partner = session.settings.state.collectAsStateWithLifecycle().value.profile?.partner?.name
        ?: Strings.yourPartner
    val drill = state.drill
    val run = state.run
    Box(modifier) {
        when {
            drill != null -> {
                BackHandler { model.closeDrill() }
                DrillView(drill, partner, model)
            }
            run != null -> {
                BackHandler { model.closeRun() }
                RunView(run, model, writeAboutIt = {
                    session.journal.compose(EntryLink(LinkKind.EXERCISE, run.exercise.id), run.exercise.prompt)
                    model.finish(done = true)
                    go(Tab.JOURNAL)
                })
            }
            else -> Browse(model)
        }
    }
}

@Composable
private fun Browse(model: ExercisesModel) {
    val state by model.state.collectAsStateWithLifecycle()
    LazyColumn(Modifier.fillMaxSize().padding(horizontal = 16.dp)) {
        item {
            ProblemCard(state.problem, model::dismissProblem)
            Row(Modifier.horizontalScroll(rememberScrollState()), horizontalArrangement = Arrangement.spacedBy(8.dp)) {
                FilterChip(state.dimension == null, { model.browse(null) }, { Text(Strings.exercisesAll) })
                for (dimension in state.dimensions) {
                    FilterChip(state.dimension == dimension, { model.browse(dimension) }, { Text(label(dimension)) })
                }
            }
        }
        if (state.openDrills.isNotEmpty()) {
            item { Text(Strings.exercisesOpenDrills, style = MaterialTheme.typography.titleMedium) }
            items(state.openDrills, key = { "drill-" + it.session.id }) { open ->
                Section(open.exercise.title) {
                    val view = open.session.view
                    Text(Strings.drillTurn(view.turn.toInt(), view.totalTurns.toInt()))
                    Button(onClick = { model.openDrill(open.session.id) }) { Text(Strings.exercisesContinue) }
                }
            }
        }
        items(state.exercises, key = { it.id }) { exercise -> ExerciseCard(exercise, model) }
    }
}

@Composable
private fun ExerciseCard(exercise: Exercise, model: ExercisesModel) {
    Section(exercise.title) {
        Text(exercise.summary)
        Text(
            if (exercise.mode == Mode.TOGETHER) {
                Strings.exercisesTogether(exercise.minutes.toInt())
            } else {
                Strings.exercisesSolo(exercise.minutes.toInt())
            },
            style = MaterialTheme.typography.bodySmall,
        )
        Row(horizontalArrangement = Arrangement.spacedBy(8.dp)) {
            Button(onClick = { model.start(exercise.id) }) { Text(Strings.exercisesStart) }
            if (exercise.drill != null && exercise.mode == Mode.TOGETHER) {
                OutlinedButton(onClick = { model.startDrill(exercise.id) }) { Text(Strings.exercisesStartDrill) }
            }
        }
    }
}

@Composable
private fun RunView(run: ExerciseRun, model: ExercisesModel, writeAboutIt: () -> Unit) {
    val exercise = run.exercise
    Column(Modifier.fillMaxSize().padding(16.dp).verticalScroll(rememberScrollState()), verticalArrangement = Arrangement.spacedBy(12.dp)) {
        TextButton(onClick = model::closeRun) { Text(Strings.close) }
        Text(exercise.title, style = MaterialTheme.typography.headlineSmall)
        if (run.finished) {
            Text(Strings.exercisesFinished)
            Text(exercise.prompt, style = MaterialTheme.typography.bodyLarge)
            Button(onClick = writeAboutIt) { Text(Strings.exercisesWrite) }
            OutlinedButton(onClick = { model.finish(done = true) }) { Text(Strings.exercisesDone) }
        } else {
            Text(Strings.exercisesStep(run.step + 1, exercise.steps.size), style = MaterialTheme.typography.labelLarge)
            Text(exercise.steps.getOrElse(run.step) { "" }, style = MaterialTheme.typography.bodyLarge)
            Row(horizontalArrangement = Arrangement.spacedBy(8.dp)) {
                OutlinedButton(onClick = model::previousStep, enabled = run.step > 0) { Text(Strings.back) }
                Button(onClick = model::nextStep) {
                    Text(if (run.isLastStep) Strings.exercisesFinish else Strings.next)
                }
            }
            TextButton(onClick = { model.finish(done = false) }) { Text(Strings.exercisesSkip) }
        }
    }
}

@Composable
private fun DrillView(drill: DrillInProgress, partner: String, model: ExercisesModel) {
    val session = drill.session
    val view = session.view
    Column(Modifier.fillMaxSize().padding(16.dp).verticalScroll(rememberScrollState()), verticalArrangement = Arrangement.spacedBy(12.dp)) {
        TextButton(onClick = model::closeDrill) { Text(Strings.close) }
        Text(drill.exercise.title, style = MaterialTheme.typography.headlineSmall)
        Text(Strings.drillTurn(view.turn.toInt(), view.totalTurns.toInt()), style = MaterialTheme.typography.labelLarge)
        Text(label(view.phase), style = MaterialTheme.typography.titleMedium)
        if (!session.finished) {
            val cue = if (view.role == Role.SPEAKER) drill.exercise.drill?.speaker else drill.exercise.drill?.listener
            Text(if (view.role == Role.SPEAKER) Strings.drillYouSpeak else Strings.drillYouListen)
            cue?.let { Text(it, style = MaterialTheme.typography.bodyLarge) }
        }
        if (view.moves.isEmpty() && !session.finished) {
            Text(Strings.drillWaiting(partner))
        }
        for (move in view.moves) {
            Button(onClick = { model.move(move) }) { Text(label(move)) }
        }
        if (session.skippedMoves > 0u) {
            Text(Strings.drillSkipped, style = MaterialTheme.typography.bodySmall)
        }
    }
}
