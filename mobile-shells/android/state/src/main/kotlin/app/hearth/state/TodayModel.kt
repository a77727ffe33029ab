package app.hearth.state

import app.hearth.core.DailyQuestion
import app.hearth.core.Enrolment
import app.hearth.core.Exercise
import app.hearth.core.ProgramDay
import app.hearth.core.RecommendationTarget
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Job

/** A program the couple is in, with this partner's next day (null once every day is done). */
data class ProgramStep(val enrolment: Enrolment, val day: ProgramDay?)

/** The one suggestion Today shows, with the core's reason for it. */
sealed interface Suggestion {
    val reason: String

    /** An exercise picked for this couple. */
    data class TryExercise(val exercise: Exercise, override val reason: String) : Suggestion

    /** After a safety concern: the help resources, and nothing that pushes closeness. */
    data class SeeHelp(override val reason: String) : Suggestion
}

/** The Today screen. */
data class TodayState(
    /** The day shown, `YYYY-MM-DD`. */
    val day: String = "",
    val loading: Boolean = true,
    /** The question of the day, with this partner's answer and the partner's as far as it may be seen. */
    val question: DailyQuestion? = null,
    val savingAnswer: Boolean = false,
    val steps: List<ProgramStep> = emptyList(),
    val suggestion: Suggestion? = null,
    val checkInDue: Boolean = false,
    val problem: Problem? = null,
)

/**
 * Today: the question of the day and its reveal, today's program steps, one
 * suggested exercise and whether the monthly check-in is due. What is shown
 * (and what is held back after a safety concern) is decided by the core's
 * `today`; this only fetches the titles and texts the ids point to.
 */
class TodayModel(
    private val core: CoreGateway,
    scope: CoroutineScope,
    private val localDay: LocalDay,
) : ScreenModel<TodayState>(TodayState(), scope) {
    override fun TodayState.withProblem(problem: Problem?) = copy(problem = problem, loading = false)

    override suspend fun load() {
        val day = localDay.today()
        val today = core.today(day)
        val programs = if (today.programs.isEmpty()) emptyList() else core.programs()
        val steps = today.programs.map { enrolment ->
            val program = programs.firstOrNull { it.id == enrolment.programId }
            val next = enrolment.progress.nextDay
            ProgramStep(enrolment, program?.days?.firstOrNull { it.day == next })
        }
        val suggestion = today.suggestion?.let { recommendation ->
            when (val target = recommendation.target) {
                is RecommendationTarget.Exercise ->
                    Suggestion.TryExercise(core.exercise(target.exerciseId), recommendation.reason)
                RecommendationTarget.HelpResources -> Suggestion.SeeHelp(recommendation.reason)
            }
        }
        set {
            it.copy(
                day = day,
                loading = false,
                question = today.question,
                steps = steps,
                suggestion = suggestion,
                checkInDue = today.checkInDue,
            )
        }
    }

    /** Answers (or re-answers) the question of the day shown. */
    fun answer(text: String): Job = action {
        val day = current.day.ifEmpty { localDay.today() }
        set { it.copy(savingAnswer = true) }
        try {
            val question = core.answerDailyQuestion(day, text)
            set { it.copy(question = question) }
        } finally {
            set { it.copy(savingAnswer = false) }
        }
    }

    /** Marks this partner's day [number] of a program done today. */
    fun completeStep(programId: String, number: UInt): Job = action {
        core.completeProgramDay(programId, number, localDay.today())
        load()
    }
}
