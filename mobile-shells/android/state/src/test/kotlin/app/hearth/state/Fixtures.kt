package app.hearth.state

import app.hearth.core.AnswerView
import app.hearth.core.AttachmentAssessment
import app.hearth.core.BarrierSignsAssessment
import app.hearth.core.ChoiceItem
import app.hearth.core.ChoiceOption
import app.hearth.core.DailyQuestion
import app.hearth.core.Depth
import app.hearth.core.Dimension
import app.hearth.core.Drill
import app.hearth.core.DrillPhase
import app.hearth.core.DrillSession
import app.hearth.core.DrillView
import app.hearth.core.Enrolment
import app.hearth.core.Exercise
import app.hearth.core.ExerciseKind
import app.hearth.core.HelpResource
import app.hearth.core.IntimacyAssessment
import app.hearth.core.IntimacyItem
import app.hearth.core.LoveLanguage
import app.hearth.core.LoveLanguageAssessment
import app.hearth.core.Mode
import app.hearth.core.PartnerAnswer
import app.hearth.core.Person
import app.hearth.core.ProfessionalHelpAssessment
import app.hearth.core.Program
import app.hearth.core.ProgramDay
import app.hearth.core.Progress
import app.hearth.core.Question
import app.hearth.core.Role
import app.hearth.core.SafetyCheck
import app.hearth.core.SafetyItem
import app.hearth.core.Scale
import app.hearth.core.Seat
import app.hearth.core.SignalItem
import app.hearth.core.TurnMove

/** The day the tests live in. */
const val DAY = "2025-03-14"

val ME = Person(id = "m-ana", name = "Ana", isMe = true)
val PARTNER = Person(id = "m-ben", name = "Ben", isMe = false)

fun question(text: String = "What made you smile this week?") =
    Question(id = "q0007", dimension = Dimension.EMOTIONAL, depth = Depth.LIGHT, text = text)

fun daily(mine: String? = null, partner: PartnerAnswer = PartnerAnswer.NotYet) =
    DailyQuestion(day = DAY, question = question(), answers = AnswerView(mine, partner))

fun exercise(
    id: String,
    dimensions: List<Dimension> = listOf(Dimension.EMOTIONAL),
    steps: List<String> = listOf("Sit facing each other.", "Take turns.", "Thank each other."),
    drill: Drill? = null,
) = Exercise(
    id = id,
    title = "Exercise $id",
    summary = "A summary.",
    dimensions = dimensions,
    barriers = emptyList(),
    techniques = emptyList(),
    kind = if (drill == null) ExerciseKind.CONVERSATION else ExerciseKind.SKILL_DRILL,
    mode = Mode.TOGETHER,
    minutes = 10u,
    steps = steps,
    prompt = "What did you notice?",
    sensitive = false,
    personal = false,
    drill = drill,
)

fun drillSession(id: String, exerciseId: String, turn: UInt = 1u, phase: DrillPhase = DrillPhase.SPEAKING) = DrillSession(
    id = id,
    exerciseId = exerciseId,
    mySeat = Seat.FIRST,
    view = DrillView(turn = turn, totalTurns = 4u, role = Role.SPEAKER, phase = phase, moves = listOf(TurnMove.DONE_SPEAKING)),
    skippedMoves = 0u,
    finished = false,
)

fun program(id: String = "p-30") = Program(
    id = id,
    title = "Thirty days",
    summary = "Small daily acts.",
    sensitive = false,
    phases = emptyList(),
    days = (1u..3u).map { ProgramDay(day = it, title = "Day $it", task = "Task of day $it", minutes = 5u, dimension = Dimension.EMOTIONAL, exercise = null) },
)

fun enrolment(programId: String = "p-30", nextDay: UInt? = 2u) = Enrolment(
    programId = programId,
    title = "Thirty days",
    joinedByMe = true,
    joinedByPartner = true,
    progress = Progress(
        totalDays = 3u,
        doneByMe = 1u,
        doneByPartner = 1u,
        doneByBoth = 1u,
        nextDay = nextDay,
        partnerNextDay = 2u,
        phase = 1u,
        finished = false,
        welcomeBack = false,
    ),
)

private val AGREE = Scale(min = 1u, max = 5u, lowLabel = "Not at all", highLabel = "Very much")

fun forms() = AssessmentForms(
    intimacy = IntimacyAssessment(
        id = "intimacy",
        title = "Intimacy today",
        intro = "Rate each.",
        importanceQuestion = "How important?",
        satisfactionQuestion = "How satisfied?",
        scale = AGREE,
        items = listOf(Dimension.EMOTIONAL, Dimension.SEXUAL, Dimension.DREAM).map { IntimacyItem(it, "About $it") },
    ),
    loveLanguages = LoveLanguageAssessment(
        id = "love",
        title = "Love languages",
        intro = "Pick one of each pair.",
        items = listOf(
            ChoiceItem("l1", ChoiceOption("A hug", LoveLanguage.PHYSICAL_TOUCH), ChoiceOption("Kind words", LoveLanguage.WORDS_OF_AFFIRMATION)),
        ),
    ),
    attachment = AttachmentAssessment(
        id = "attachment",
        title = "Attachment",
        intro = "How true is each?",
        note = "A reflection, not a diagnosis.",
        scale = AGREE,
        items = emptyList(),
        reflections = emptyList(),
    ),
    barrierSigns = BarrierSignsAssessment(id = "barriers", title = "Barriers", intro = "How true?", scale = AGREE, items = emptyList()),
    professionalHelp = ProfessionalHelpAssessment(
        id = "help",
        title = "Help",
        intro = "Yes or no.",
        items = listOf(SignalItem("s1", "We fight in circles.")),
        suggest = "Talk to someone.",
        noSignals = "Nothing now.",
        aboutTherapy = "About therapy.",
    ),
)

fun safetyCheck() = SafetyCheck(
    title = "Are you safe?",
    intro = "A few questions.",
    privacyNote = "This stays on this phone.",
    noConcern = "Nothing raised.",
    concern = "Please look at these.",
    urgent = "Get help now.",
    items = listOf(SafetyItem("s-afraid", "Are you afraid?", urgent = false), SafetyItem("s-now", "In danger now?", urgent = true)),
    resources = listOf(HelpResource("r-line", "A helpline", "Call it.", urgent = true)),
)
