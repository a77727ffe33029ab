package app.hearth.state

/**
 * The `kind` strings of `Event.DocumentChanged`, as the core names its
 * shared documents. The state holders use them only to route a change to
 * the screens that show it.
 */
object DocumentKind {
    const val ANSWER = "answer"
    const val DRILL = "drill"
    const val ENROLMENT = "enrolment"
    const val GOAL = "goal"
    const val DATE_IDEA = "date_idea"
    const val APPRECIATION = "appreciation"
    const val CHECK_INS = "checkins"
    const val ASSESSMENT = "assessment"
    const val MEMBER = "member"
}
