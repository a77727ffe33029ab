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
import androidx.compose.ui.Modifier
import androidx.compose.ui.unit.dp
import app.hearth.core.Action
import app.hearth.core.DrillOnScreen
import app.hearth.core.Exercise
import app.hearth.core.ExerciseRun
import app.hearth.core.ExercisesView
import app.hearth.core.Mode
import app.hearth.core.Role
import app.hearth.core.Screens
import app.hearth.core.TurnMove

/** Exercises: browse by dimension, run one step by step, or a drill turn by turn across both phones. */
@Composable
fun ExercisesScreen(screens: Screens, send: (Action) -> Unit, modifier: Modifier) {
    val exercises = screens.exercises
    val partner = screens.profile.partner?.name ?: Strings.yourPartner
    val drill = exercises.drill
    val run = exercises.run
    Box(modifier) {
        when {
            drill != null -> DrillView(drill, partner, send)
            run != null -> RunView(run, send)
            else -> Browse(exercises, screens.paired, send)
        }
    }
}

@Composable
private fun Browse(state: ExercisesView, paired: Boolean, send: (Action) -> Unit) {
    LazyColumn(Modifier.fillMaxSize().padding(horizontal = 16.dp)) {
        item {
            ProblemCard(state.problem) { send(Action.DismissProblem) }
            Row(Modifier.horizontalScroll(rememberScrollState()), horizontalArrangement = Arrangement.spacedBy(8.dp)) {
                FilterChip(state.dimension == null, { send(Action.Browse(null)) }, { Text(Strings.exercisesAll) })
                for (dimension in state.dimensions) {
                    FilterChip(state.dimension == dimension, { send(Action.Browse(dimension)) }, { Text(label(dimension)) })
                }
            }
        }
        if (state.openDrills.isNotEmpty()) {
            item { Text(Strings.exercisesOpenDrills, style = MaterialTheme.typography.titleMedium) }
            items(state.openDrills, key = { "drill-" + it.session.id }) { open ->
                Section(open.exercise.title) {
                    val view = open.session.view
                    Text(Strings.drillTurn(view.turn.toInt(), view.totalTurns.toInt()))
                    Button(onClick = { send(Action.OpenDrill(open.session.id)) }) { Text(Strings.exercisesContinue) }
                }
            }
        }
        if (state.recommended.isNotEmpty() && state.dimension == null) {
            item { Text(Strings.exercisesRecommended, style = MaterialTheme.typography.titleMedium, modifier = Modifier.padding(top = 8.dp)) }
            items(state.recommended, key = { "rec-" + it.exercise.id }) { rec -> ExerciseCard(rec.exercise, rec.reason, paired, send) }
            item { Text(Strings.exercisesEvery, style = MaterialTheme.typography.titleMedium, modifier = Modifier.padding(top = 8.dp)) }
        }
        items(state.exercises, key = { it.id }) { exercise -> ExerciseCard(exercise, null, paired, send) }
    }
}

@Composable
private fun ExerciseCard(exercise: Exercise, reason: String?, paired: Boolean, send: (Action) -> Unit) {
    Section(exercise.title) {
        Text(exercise.summary)
        reason?.let { Text(it, style = MaterialTheme.typography.bodySmall) }
        Text(
            if (exercise.mode == Mode.TOGETHER) {
                Strings.exercisesTogether(exercise.minutes.toInt())
            } else {
                Strings.exercisesSolo(exercise.minutes.toInt())
            },
            style = MaterialTheme.typography.bodySmall,
        )
        Row(horizontalArrangement = Arrangement.spacedBy(8.dp)) {
            Button(onClick = { send(Action.StartExercise(exercise.id)) }) { Text(Strings.exercisesStart) }
            // Taking turns needs the partner's phone: offered only once paired.
            if (paired && exercise.drill != null && exercise.mode == Mode.TOGETHER) {
                OutlinedButton(onClick = { send(Action.StartDrill(exercise.id)) }) { Text(Strings.exercisesStartDrill) }
            }
        }
    }
}

@Composable
private fun RunView(run: ExerciseRun, send: (Action) -> Unit) {
    val exercise = run.exercise
    val step = run.step.toInt()
    Column(Modifier.fillMaxSize().verticalScroll(rememberScrollState()).padding(16.dp), verticalArrangement = Arrangement.spacedBy(12.dp)) {
        TextButton(onClick = { send(Action.CloseExercise) }) { Text(Strings.close) }
        Text(exercise.title, style = MaterialTheme.typography.headlineSmall)
        if (run.finished) {
            Text(Strings.exercisesFinished)
            Text(exercise.prompt, style = MaterialTheme.typography.bodyLarge)
            Button(onClick = {
                send(Action.WriteAboutExercise(exercise.id))
                send(Action.FinishExercise(done = true))
                send(Action.Navigate(app.hearth.core.Tab.JOURNAL))
            }) { Text(Strings.exercisesWrite) }
            OutlinedButton(onClick = { send(Action.FinishExercise(done = true)) }) { Text(Strings.exercisesDone) }
        } else {
            Text(Strings.exercisesStep(step + 1, exercise.steps.size), style = MaterialTheme.typography.labelLarge)
            Text(exercise.steps.getOrElse(step) { "" }, style = MaterialTheme.typography.bodyLarge)
            Row(horizontalArrangement = Arrangement.spacedBy(8.dp)) {
                OutlinedButton(onClick = { send(Action.PreviousStep) }, enabled = step > 0) { Text(Strings.back) }
                Button(onClick = { send(Action.NextStep) }) {
                    Text(if (run.isLastStep) Strings.exercisesFinish else Strings.next)
                }
            }
            if (run.canTakeTurns) {
                OutlinedButton(onClick = { send(Action.StartDrill(exercise.id)) }) { Text(Strings.exercisesStartDrill) }
            }
            TextButton(onClick = { send(Action.FinishExercise(done = false)) }) { Text(Strings.exercisesSkip) }
        }
    }
}

@Composable
private fun DrillView(drill: DrillOnScreen, partner: String, send: (Action) -> Unit) {
    val session = drill.session
    val view = session.view
    Column(Modifier.fillMaxSize().verticalScroll(rememberScrollState()).padding(16.dp), verticalArrangement = Arrangement.spacedBy(12.dp)) {
        TextButton(onClick = { send(Action.CloseDrill) }) { Text(Strings.close) }
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
        // The move that carries the exercise forward stands out; a break or stopping is always there, quieter.
        for (move in view.moves) {
            if (move == TurnMove.PAUSE || move == TurnMove.STOP) {
                OutlinedButton(onClick = { send(Action.DrillMove(move)) }) { Text(label(move)) }
            } else {
                Button(onClick = { send(Action.DrillMove(move)) }) { Text(label(move)) }
            }
        }
        if (session.skippedMoves > 0u) {
            Text(Strings.drillSkipped, style = MaterialTheme.typography.bodySmall)
        }
    }
}
