package app.hearth.state

import app.hearth.core.Dimension
import app.hearth.core.DrillSession
import app.hearth.core.Event
import app.hearth.core.Exercise
import app.hearth.core.ExerciseFilter
import app.hearth.core.TurnMove
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Job

/** An exercise being done step by step on this phone. */
data class ExerciseRun(
    val exercise: Exercise,
    /** The step shown, from 0. */
    val step: Int = 0,
    /** All steps done: show the journal prompt. */
    val finished: Boolean = false,
) {
    val isLastStep: Boolean get() = step >= exercise.steps.size - 1
}

/** A turn-based drill across both phones, with the exercise it practises (for its speaker and listener cues). */
data class DrillInProgress(val session: DrillSession, val exercise: Exercise)

/** The Exercises screen. */
data class ExercisesState(
    /** The dimension browsed; null for all. */
    val dimension: Dimension? = null,
    /** The dimensions that have exercises this couple may see, in the core's order. */
    val dimensions: List<Dimension> = emptyList(),
    val exercises: List<Exercise> = emptyList(),
    val loading: Boolean = true,
    val run: ExerciseRun? = null,
    val drill: DrillInProgress? = null,
    /** Drills not over yet, e.g. one the partner started and waits on. */
    val openDrills: List<DrillInProgress> = emptyList(),
    val problem: Problem? = null,
)

/**
 * Exercises: browsing by dimension, doing one step by step (logged on this
 * phone, where it shapes the suggestions), and turn-based drills where the
 * core says whose turn it is and which moves are allowed.
 */
class ExercisesModel(
    private val core: CoreGateway,
    scope: CoroutineScope,
    private val localDay: LocalDay,
) : ScreenModel<ExercisesState>(ExercisesState(), scope) {
    override fun ExercisesState.withProblem(problem: Problem?) = copy(problem = problem, loading = false)

    override suspend fun load() {
        // The dimensions on offer follow the catalog the core lets this couple see.
        val all = core.exercises(ExerciseFilter(dimension = null, barrier = null, kind = null))
        val offered = all.flatMap { it.dimensions }.toSet()
        val dimensions = Dimension.entries.filter { it in offered }
        val dimension = current.dimension?.takeIf { it in offered }
        val shown = if (dimension == null) all else all.filter { dimension in it.dimensions }
        val drills = core.openDrills().mapNotNull { session ->
            all.firstOrNull { it.id == session.exerciseId }?.let { DrillInProgress(session, it) }
        }
        set {
            it.copy(
                dimension = dimension,
                dimensions = dimensions,
                exercises = shown,
                openDrills = drills,
                loading = false,
            )
        }
    }

    /** Shows the exercises serving [dimension] (null: all). */
    fun browse(dimension: Dimension?): Job {
        set { it.copy(dimension = dimension) }
        return refresh()
    }

    /** Starts an exercise on this phone, at its first step. */
    fun start(exerciseId: String): Job = action {
        val exercise = core.exercise(exerciseId)
        set { it.copy(run = ExerciseRun(exercise)) }
    }

    fun nextStep() = set { state ->
        val run = state.run ?: return@set state
        state.copy(run = if (run.isLastStep) run.copy(finished = true) else run.copy(step = run.step + 1))
    }

    fun previousStep() = set { state ->
        val run = state.run ?: return@set state
        state.copy(run = run.copy(step = (run.step - 1).coerceAtLeast(0), finished = false))
    }

    /** Ends the run, recording that it was done (or skipped) today. */
    fun finish(done: Boolean): Job = action {
        val run = current.run ?: return@action
        core.logExercise(run.exercise.id, localDay.today(), done)
        set { it.copy(run = null) }
    }

    /** Leaves the run without recording anything. */
    fun closeRun() = set { it.copy(run = null) }

    /** Starts a drill, this partner in the first seat; the partner's phone sees it as an open drill. */
    fun startDrill(exerciseId: String): Job = action {
        val session = core.startDrill(exerciseId)
        val exercise = core.exercise(exerciseId)
        set { it.copy(drill = DrillInProgress(session, exercise), run = null) }
    }

    /** Opens a drill, e.g. the one the partner started. */
    fun openDrill(id: String): Job = action {
        val session = core.drill(id)
        val exercise = core.exercise(session.exerciseId)
        set { it.copy(drill = DrillInProgress(session, exercise)) }
    }

    /** Makes a move; the core refuses one that is not this partner's to make. */
    fun move(move: TurnMove): Job = action {
        val drill = current.drill ?: return@action
        val session = core.drillMove(drill.session.id, move)
        set { it.copy(drill = drill.copy(session = session)) }
    }

    fun closeDrill() = set { it.copy(drill = null) }

    /** Follows a drill move made on the partner's phone. */
    fun onEvent(event: Event) {
        if (event !is Event.DocumentChanged || event.kind != DocumentKind.DRILL) return
        val open = current.drill
        if (open != null && open.session.id == event.id) {
            action {
                val session = core.drill(event.id)
                set { it.copy(drill = it.drill?.copy(session = session)) }
            }
        }
        refresh()
    }
}
