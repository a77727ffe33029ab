package app.hearth.state

import app.hearth.core.PartnerAnswer
import app.hearth.core.Recommendation
import app.hearth.core.RecommendationTarget
import kotlinx.coroutines.ExperimentalCoroutinesApi
import kotlinx.coroutines.test.runCurrent
import kotlinx.coroutines.test.runTest
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertInstanceOf
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test

@OptIn(ExperimentalCoroutinesApi::class)
class TodayModelTest {
    @Test
    fun `today shows the question, the next program day's task and the suggested exercise with its reason`() = runTest {
        val core = FakeCore()
        core.today = core.today.copy(
            programs = listOf(enrolment(nextDay = 2u)),
            suggestion = core.recommend("e-walk", "You both rated shared activities as wanted more."),
            checkInDue = true,
        )
        val model = TodayModel(core, backgroundScope) { DAY }
        model.refresh()
        runCurrent()

        val state = model.state.value
        assertFalse(state.loading)
        assertEquals(DAY, state.day)
        assertTrue(core.calls.contains("today($DAY)"))
        assertEquals("What made you smile this week?", state.question?.question?.text)
        assertEquals("Task of day 2", state.steps.single().day?.task)
        val suggestion = assertInstanceOf(Suggestion.TryExercise::class.java, state.suggestion)
        assertEquals("e-walk", suggestion.exercise.id)
        assertEquals("You both rated shared activities as wanted more.", suggestion.reason)
        assertTrue(state.checkInDue)
    }

    @Test
    fun `after a safety concern the suggestion points to help, not to an exercise`() = runTest {
        val core = FakeCore()
        core.today = core.today.copy(suggestion = Recommendation(RecommendationTarget.HelpResources, 9.0, "Support is here."))
        val model = TodayModel(core, backgroundScope) { DAY }
        model.refresh()
        runCurrent()
        val help = assertInstanceOf(Suggestion.SeeHelp::class.java, model.state.value.suggestion)
        assertEquals("Support is here.", help.reason)
        assertFalse(core.calls.any { it.startsWith("exercise(") })
    }

    @Test
    fun `a finished program has no next task`() = runTest {
        val core = FakeCore()
        core.today = core.today.copy(programs = listOf(enrolment(nextDay = null)))
        val model = TodayModel(core, backgroundScope) { DAY }
        model.refresh()
        runCurrent()
        assertNull(model.state.value.steps.single().day)
    }

    @Test
    fun `answering reveals the partner's answer as the core returns it`() = runTest {
        val core = FakeCore()
        core.today = core.today.copy(question = daily(partner = PartnerAnswer.Hidden))
        val model = TodayModel(core, backgroundScope) { DAY }
        model.refresh()
        runCurrent()
        assertEquals(PartnerAnswer.Hidden, model.state.value.question?.answers?.partner)

        model.answer("Seeing you laugh at breakfast.")
        runCurrent()
        val answers = model.state.value.question?.answers
        assertEquals("Seeing you laugh at breakfast.", answers?.mine)
        assertEquals(PartnerAnswer.Shown("Our walk by the river."), answers?.partner)
        assertFalse(model.state.value.savingAnswer)
    }

    @Test
    fun `an empty answer is refused with the core's reason and nothing changes`() = runTest {
        val core = FakeCore()
        val model = TodayModel(core, backgroundScope) { DAY }
        model.refresh()
        runCurrent()
        model.answer("  ")
        runCurrent()
        assertEquals(Problem(ProblemKind.INVALID_INPUT, "an answer needs some text"), model.state.value.problem)
        assertNull(model.state.value.question?.answers?.mine)
        assertFalse(model.state.value.savingAnswer)

        model.dismissProblem()
        assertNull(model.state.value.problem)
    }

    @Test
    fun `completing a step uses the day it is now and reloads`() = runTest {
        val core = FakeCore()
        var day = DAY
        val model = TodayModel(core, backgroundScope) { day }
        model.refresh()
        runCurrent()
        day = "2025-03-15"
        model.completeStep("p-30", 2u)
        runCurrent()
        assertTrue(core.calls.contains("completeProgramDay(p-30, 2, 2025-03-15)"))
        assertEquals("2025-03-15", model.state.value.day)
    }
}
