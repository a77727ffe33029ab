package app.hearth

import app.hearth.core.AssessmentAnswers
import app.hearth.core.AssessmentKind
import app.hearth.core.AssessmentResult
import app.hearth.core.Dimension
import app.hearth.core.DimensionRating
import app.hearth.core.PartnerAnswer
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.assertThrows
import org.junit.jupiter.api.io.TempDir
import java.nio.file.Path

/** The guidance seams from Kotlin: today's question and an assessment, values and typed errors. */
class GuidanceTest {
    @TempDir
    lateinit var dir: Path

    private val day = "2026-03-01"

    private fun intimacy(importance: UInt) = AssessmentAnswers.Intimacy(
        Dimension.entries.filter { it != Dimension.SEXUAL }
            .map { DimensionRating(dimension = it, importance = importance, satisfaction = 2u) },
    )

    @Test
    fun `today's question is answered, and the partner's answer waits for a partner`() {
        openProfile(dir, "Ana").use { hearth ->
            val today = hearth.today(day)
            assertEquals(day, today.question.day)
            assertTrue(today.question.question.text.endsWith("?"), today.question.question.text)
            assertNull(today.question.answers.mine)
            assertEquals(PartnerAnswer.NotYet, today.question.answers.partner)

            val answered = hearth.answerDailyQuestion(day, "A long walk by the sea.")
            assertEquals(today.question.question, answered.question)
            assertEquals("A long walk by the sea.", answered.answers.mine)
            assertEquals(answered, hearth.dailyQuestion(day))

            val empty = assertThrows<HearthException.InvalidInput> { hearth.answerDailyQuestion(day, "   ") }
            assertTrue(empty.reason.contains("empty"), empty.reason)
            assertThrows<HearthException.InvalidInput> { hearth.dailyQuestion("next friday") }
        }
    }

    @Test
    fun `an assessment is scored and kept, and bad answers are a typed error`() {
        openProfile(dir, "Ana").use { hearth ->
            val wrong = assertThrows<HearthException.InvalidInput> { hearth.takeAssessment(intimacy(9u)) }
            assertTrue(wrong.reason.contains("1 to 5"), wrong.reason)
            val missing = assertThrows<HearthException.InvalidInput> {
                hearth.takeAssessment(AssessmentAnswers.Intimacy(intimacy(4u).ratings.drop(2)))
            }
            assertTrue(missing.reason.contains("not answered"), missing.reason)
            assertNull(hearth.myAssessment(AssessmentKind.INTIMACY))

            val result = hearth.takeAssessment(intimacy(5u))
            val scored = (result as AssessmentResult.Intimacy).result
            assertEquals(8, scored.dimensions.size)
            assertTrue(scored.dimensions.all { it.gap == 3 }, scored.toString())
            assertEquals(result, hearth.myAssessment(AssessmentKind.INTIMACY))
            assertNull(hearth.compareAssessments(AssessmentKind.INTIMACY))
        }
    }
}
