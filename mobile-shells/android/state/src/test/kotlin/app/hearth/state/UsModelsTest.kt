package app.hearth.state

import app.hearth.core.AssessmentAnswers
import app.hearth.core.AssessmentKind
import app.hearth.core.Choice
import app.hearth.core.ChoiceAnswer
import app.hearth.core.Dimension
import app.hearth.core.DimensionRating
import app.hearth.core.GoalStatus
import app.hearth.core.SexualContentConsent
import app.hearth.core.SignalAnswer
import kotlinx.coroutines.ExperimentalCoroutinesApi
import kotlinx.coroutines.test.runCurrent
import kotlinx.coroutines.test.runTest
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertNotNull
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test

@OptIn(ExperimentalCoroutinesApi::class)
class UsModelsTest {
    @Test
    fun `a draft sends only dimensions rated on both questions, in the core's order`() {
        val draft = AssessmentDraft(
            AssessmentKind.INTIMACY,
            importance = mapOf(Dimension.DREAM to 4u, Dimension.EMOTIONAL to 5u, Dimension.SPIRITUAL to 2u),
            satisfaction = mapOf(Dimension.EMOTIONAL to 3u, Dimension.DREAM to 4u),
        )
        assertEquals(
            AssessmentAnswers.Intimacy(listOf(DimensionRating(Dimension.EMOTIONAL, 5u, 3u), DimensionRating(Dimension.DREAM, 4u, 4u))),
            draft.answers(),
        )
        assertEquals(
            AssessmentAnswers.LoveLanguages(listOf(ChoiceAnswer("l1", Choice.SECOND))),
            AssessmentDraft(AssessmentKind.LOVE_LANGUAGES, choices = mapOf("l1" to Choice.SECOND)).answers(),
        )
        assertEquals(
            AssessmentAnswers.ProfessionalHelp(listOf(SignalAnswer("s1", false))),
            AssessmentDraft(AssessmentKind.PROFESSIONAL_HELP, signals = mapOf("s1" to false)).answers(),
        )
    }

    @Test
    fun `the sexual item is asked only when both partners opted in`() = runTest {
        val core = FakeCore()
        val model = AssessmentsModel(core, backgroundScope)
        model.refresh()
        runCurrent()
        assertEquals(listOf(Dimension.EMOTIONAL, Dimension.DREAM), model.intimacyItems().map { it.dimension })

        core.consent = SexualContentConsent(mine = true, partner = false)
        model.refresh()
        runCurrent()
        assertFalse(model.intimacyItems().any { it.dimension == Dimension.SEXUAL })

        core.consent = SexualContentConsent(mine = true, partner = true)
        model.refresh()
        runCurrent()
        assertTrue(model.intimacyItems().any { it.dimension == Dimension.SEXUAL })
    }

    @Test
    fun `an incomplete assessment stays open with the core's reason, a complete one shows its result`() = runTest {
        val core = FakeCore()
        val model = AssessmentsModel(core, backgroundScope)
        model.refresh()
        runCurrent()
        assertEquals(AssessmentKind.entries, model.state.value.summaries.map { it.kind })

        model.begin(AssessmentKind.INTIMACY)
        model.answer { it.copy(importance = it.importance + (Dimension.EMOTIONAL to 5u), satisfaction = it.satisfaction + (Dimension.EMOTIONAL to 2u)) }
        model.submit()
        runCurrent()
        assertEquals(ProblemKind.INVALID_INPUT, model.state.value.problem?.kind)
        assertNotNull(model.state.value.draft)
        assertFalse(model.state.value.draft!!.submitting)

        model.answer { it.copy(importance = it.importance + (Dimension.DREAM to 3u), satisfaction = it.satisfaction + (Dimension.DREAM to 3u)) }
        model.submit()
        runCurrent()
        assertNull(model.state.value.draft)
        assertNotNull(model.state.value.justTaken)
        assertNotNull(model.state.value.summaries.first { it.kind == AssessmentKind.INTIMACY }.mine)

        model.share(AssessmentKind.INTIMACY)
        runCurrent()
        assertTrue(core.calls.contains("shareAssessment(INTIMACY)"))
    }

    @Test
    fun `goals, the date jar and notes go through the core and reload`() = runTest {
        val core = FakeCore()
        val model = UsModel(core, backgroundScope) { DAY }
        model.refresh()
        runCurrent()

        model.drawDateIdea()
        runCurrent()
        assertTrue(model.state.value.jarEmpty)
        assertNull(model.state.value.drawn)

        model.addDateIdea("Picnic on the roof")
        model.drawDateIdea()
        runCurrent()
        val drawn = model.state.value.drawn!!
        assertEquals("Picnic on the roof", drawn.text)
        model.markDateDone(drawn.id)
        runCurrent()
        assertTrue(core.calls.contains("markDateDone(${drawn.id}, $DAY)"))
        assertNull(model.state.value.drawn)
        assertEquals(DAY, model.state.value.dateIdeas.single().doneOn)

        model.addGoal("A weekend away each season")
        runCurrent()
        assertFalse(model.state.value.readyToPick, "only one partner has offered ideas")
        core.goalList.add(core.goalList.single().copy(id = "g-ben", author = PARTNER, text = "Cook together on Sundays"))
        model.refresh()
        runCurrent()
        assertTrue(model.state.value.readyToPick)
        model.setGoalStatus("g-ben", GoalStatus.CHOSEN)
        runCurrent()
        assertEquals(GoalStatus.CHOSEN, model.state.value.goals.first { it.id == "g-ben" }.status)
    }

    @Test
    fun `the check-in walks through its sections and records the day it was held`() = runTest {
        val core = FakeCore()
        val model = UsModel(core, backgroundScope) { DAY }
        model.refresh()
        runCurrent()
        assertTrue(model.state.value.checkIn!!.isDue)

        model.beginCheckIn()
        runCurrent()
        model.nextCheckInSection()
        model.nextCheckInSection()
        model.nextCheckInSection()
        val session = model.state.value.checkInSession!!
        assertEquals(2, session.section, "it stops at the closing words")
        assertTrue(session.closing)

        model.finishCheckIn()
        runCurrent()
        assertTrue(core.calls.contains("recordCheckIn($DAY)"))
        assertNull(model.state.value.checkInSession)
        assertEquals(DAY, model.state.value.checkIn?.lastHeld)
        assertFalse(model.state.value.checkIn!!.isDue)
    }
}
