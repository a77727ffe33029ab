package app.hearth.state

import app.hearth.core.Dimension
import app.hearth.core.Drill
import app.hearth.core.DrillPhase
import app.hearth.core.Event
import app.hearth.core.TurnMove
import kotlinx.coroutines.ExperimentalCoroutinesApi
import kotlinx.coroutines.test.TestScope
import kotlinx.coroutines.test.runCurrent
import kotlinx.coroutines.test.runTest
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test

@OptIn(ExperimentalCoroutinesApi::class)
class ExercisesModelTest {
    private fun TestScope.loaded(core: FakeCore): ExercisesModel {
        val model = ExercisesModel(core, backgroundScope) { DAY }
        model.refresh()
        runCurrent()
        return model
    }

    @Test
    fun `the dimensions on offer are those of the exercises the core lets the couple see`() = runTest {
        val core = FakeCore()
        val model = loaded(core)
        assertEquals(listOf(Dimension.EMOTIONAL, Dimension.EXPERIENTIAL), model.state.value.dimensions)
        assertEquals(2, model.state.value.exercises.size)

        model.browse(Dimension.EXPERIENTIAL)
        runCurrent()
        assertEquals(listOf("e-walk"), model.state.value.exercises.map { it.id })

        // A dimension that no longer has exercises (consent withdrawn, say) falls back to all.
        core.catalog = core.catalog.filter { it.id != "e-walk" }
        model.refresh()
        runCurrent()
        assertNull(model.state.value.dimension)
        assertEquals(listOf("e-listen"), model.state.value.exercises.map { it.id })
    }

    @Test
    fun `an exercise runs step by step and finishing logs it for today`() = runTest {
        val core = FakeCore()
        val model = loaded(core)
        model.start("e-listen")
        runCurrent()
        assertEquals(0, model.state.value.run?.step)
        model.previousStep()
        assertEquals(0, model.state.value.run?.step, "there is no step before the first")
        model.nextStep()
        model.nextStep()
        assertTrue(model.state.value.run!!.isLastStep)
        model.nextStep()
        assertTrue(model.state.value.run!!.finished, "past the last step the journal prompt shows")

        model.finish(done = true)
        runCurrent()
        assertTrue(core.calls.contains("logExercise(e-listen, $DAY, true)"))
        assertNull(model.state.value.run)
    }

    @Test
    fun `a drill moves on only with the moves the core allows`() = runTest {
        val core = FakeCore()
        core.catalog = core.catalog + exercise("e-mirror", drill = Drill(2u, "Say what is on your mind.", "Sum up what you heard."))
        val model = loaded(core)
        model.startDrill("e-mirror")
        runCurrent()
        val started = model.state.value.drill!!
        assertEquals("Say what is on your mind.", started.exercise.drill?.speaker)
        assertEquals(listOf(TurnMove.DONE_SPEAKING), started.session.view.moves)

        model.move(TurnMove.HEARD)
        runCurrent()
        assertEquals(ProblemKind.NOT_ALLOWED, model.state.value.problem?.kind)
        assertEquals(DrillPhase.SPEAKING, model.state.value.drill?.session?.view?.phase)

        model.move(TurnMove.DONE_SPEAKING)
        runCurrent()
        assertNull(model.state.value.problem, "a new action clears the old problem")
        assertEquals(DrillPhase.REFLECTING, model.state.value.drill?.session?.view?.phase)
    }

    @Test
    fun `a move on the partner's phone updates the open drill and the list of open drills`() = runTest {
        val core = FakeCore()
        val session = drillSession("d-ben", "e-listen")
        core.drills[session.id] = session
        val model = loaded(core)
        assertEquals(listOf("d-ben"), model.state.value.openDrills.map { it.session.id })
        model.openDrill("d-ben")
        runCurrent()

        core.drills["d-ben"] = session.copy(view = session.view.copy(turn = 2u))
        model.onEvent(Event.DocumentChanged("drill", "d-ben"))
        runCurrent()
        assertEquals(2u, model.state.value.drill?.session?.view?.turn)
        assertEquals(2u, model.state.value.openDrills.single().session.view.turn)

        // Other kinds of change are not the drill's business.
        val before = core.calls.size
        model.onEvent(Event.DocumentChanged("goal", "g1"))
        runCurrent()
        assertEquals(before, core.calls.size)
    }
}
