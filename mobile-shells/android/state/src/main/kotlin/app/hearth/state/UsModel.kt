package app.hearth.state

import app.hearth.core.Appreciation
import app.hearth.core.CheckInDue
import app.hearth.core.CheckInGuide
import app.hearth.core.DateIdea
import app.hearth.core.Enrolment
import app.hearth.core.Goal
import app.hearth.core.GoalStatus
import app.hearth.core.Program
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Job

/** A check-in being held: the guide and the section the couple is on. */
data class CheckInSession(val guide: CheckInGuide, val section: Int = 0) {
    /** Past the last section: show the closing words. */
    val closing: Boolean get() = section >= guide.sections.size
}

/** The Us screen, apart from assessments: goals, the date jar, the check-in, notes and programs. */
data class UsState(
    val goals: List<Goal> = emptyList(),
    /** Both partners have offered ideas, so the couple can pick goals. */
    val readyToPick: Boolean = false,
    val dateIdeas: List<DateIdea> = emptyList(),
    /** The idea drawn from the jar, until dismissed. */
    val drawn: DateIdea? = null,
    /** The jar had nothing left to draw. */
    val jarEmpty: Boolean = false,
    val checkIn: CheckInDue? = null,
    val checkInSession: CheckInSession? = null,
    val appreciations: List<Appreciation> = emptyList(),
    /** Programs on offer (the core leaves out those not consented to). */
    val programs: List<Program> = emptyList(),
    val enrolments: List<Enrolment> = emptyList(),
    val loading: Boolean = true,
    val problem: Problem? = null,
)

/**
 * What the couple builds together: goals from a brainstorm both add to, a
 * jar of date ideas, the monthly check-in, appreciation notes and programs.
 */
class UsModel(
    private val core: CoreGateway,
    scope: CoroutineScope,
    private val localDay: LocalDay,
) : ScreenModel<UsState>(UsState(), scope) {
    override fun UsState.withProblem(problem: Problem?) = copy(problem = problem, loading = false)

    override suspend fun load() {
        val day = localDay.today()
        val goals = core.goals()
        val ready = core.readyToPickGoals()
        val ideas = core.dateIdeas()
        val checkIn = core.nextCheckIn(day)
        val notes = core.appreciations()
        val programs = core.programs()
        val enrolments = core.enrolments(day)
        set {
            it.copy(
                goals = goals,
                readyToPick = ready,
                dateIdeas = ideas,
                checkIn = checkIn,
                appreciations = notes,
                programs = programs,
                enrolments = enrolments,
                loading = false,
            )
        }
    }

    /** Adds an idea to the goals brainstorm. */
    fun addGoal(text: String): Job = action {
        core.addGoal(text)
        load()
    }

    /** Picks a goal, marks it done, or sets it aside. */
    fun setGoalStatus(id: String, status: GoalStatus): Job = action {
        core.setGoalStatus(id, status)
        load()
    }

    fun addDateIdea(text: String): Job = action {
        core.addDateIdea(text)
        load()
    }

    /** Draws an idea not done yet, at random (the core draws). */
    fun drawDateIdea(): Job = action {
        val idea = core.drawDateIdea()
        set { it.copy(drawn = idea, jarEmpty = idea == null) }
    }

    fun dismissDrawn() = set { it.copy(drawn = null, jarEmpty = false) }

    fun markDateDone(id: String): Job = action {
        core.markDateDone(id, localDay.today())
        set { it.copy(drawn = it.drawn?.takeUnless { drawn -> drawn.id == id }) }
        load()
    }

    /** Opens the check-in guide at its first section. */
    fun beginCheckIn(): Job = action {
        val guide = core.checkInGuide()
        set { it.copy(checkInSession = CheckInSession(guide)) }
    }

    fun nextCheckInSection() = set { state ->
        val session = state.checkInSession ?: return@set state
        state.copy(checkInSession = session.copy(section = (session.section + 1).coerceAtMost(session.guide.sections.size)))
    }

    fun previousCheckInSection() = set { state ->
        val session = state.checkInSession ?: return@set state
        state.copy(checkInSession = session.copy(section = (session.section - 1).coerceAtLeast(0)))
    }

    /** Records that the check-in was held today and closes the guide. */
    fun finishCheckIn(): Job = action {
        val due = core.recordCheckIn(localDay.today())
        set { it.copy(checkIn = due, checkInSession = null) }
    }

    fun closeCheckIn() = set { it.copy(checkInSession = null) }

    /** Writes an appreciation note to the partner. */
    fun appreciate(text: String): Job = action {
        core.appreciate(text)
        load()
    }

    fun joinProgram(id: String): Job = action {
        core.joinProgram(id, localDay.today())
        load()
    }

    /** Leaves a program; the days done stay recorded. */
    fun leaveProgram(id: String): Job = action {
        core.leaveProgram(id, localDay.today())
        load()
    }
}
