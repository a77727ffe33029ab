package app.hearth.state

import app.hearth.core.AssessmentAnswers
import app.hearth.core.AssessmentKind
import app.hearth.core.AssessmentResult
import app.hearth.core.Choice
import app.hearth.core.ChoiceAnswer
import app.hearth.core.Comparison
import app.hearth.core.Dimension
import app.hearth.core.DimensionRating
import app.hearth.core.IntimacyItem
import app.hearth.core.ItemAnswer
import app.hearth.core.SexualContentConsent
import app.hearth.core.SignalAnswer
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Job

/** One assessment: this partner's latest result, the partner's shared one, and how they compare. */
data class AssessmentSummary(
    val kind: AssessmentKind,
    val mine: AssessmentResult?,
    val partner: AssessmentResult?,
    /** Once both shared a result: the topics, widest difference first. */
    val comparison: Comparison?,
)

/**
 * Answers given so far while taking an assessment. Which are missing or out
 * of range is the core's call when the draft is submitted.
 */
data class AssessmentDraft(
    val kind: AssessmentKind,
    val importance: Map<Dimension, UInt> = emptyMap(),
    val satisfaction: Map<Dimension, UInt> = emptyMap(),
    val choices: Map<String, Choice> = emptyMap(),
    /** Scale values by item id (attachment, barrier signs). */
    val values: Map<String, UInt> = emptyMap(),
    /** Yes or no by item id (professional help). */
    val signals: Map<String, Boolean> = emptyMap(),
    val submitting: Boolean = false,
) {
    /** The answers as the core takes them. A dimension counts once both its values are given. */
    fun answers(): AssessmentAnswers = when (kind) {
        AssessmentKind.INTIMACY -> AssessmentAnswers.Intimacy(
            Dimension.entries.mapNotNull { dimension ->
                val importance = importance[dimension] ?: return@mapNotNull null
                val satisfaction = satisfaction[dimension] ?: return@mapNotNull null
                DimensionRating(dimension, importance, satisfaction)
            },
        )
        AssessmentKind.LOVE_LANGUAGES -> AssessmentAnswers.LoveLanguages(choices.map { ChoiceAnswer(it.key, it.value) })
        AssessmentKind.ATTACHMENT -> AssessmentAnswers.Attachment(values.map { ItemAnswer(it.key, it.value) })
        AssessmentKind.BARRIER_SIGNS -> AssessmentAnswers.BarrierSigns(values.map { ItemAnswer(it.key, it.value) })
        AssessmentKind.PROFESSIONAL_HELP -> AssessmentAnswers.ProfessionalHelp(signals.map { SignalAnswer(it.key, it.value) })
    }
}

/** The assessments part of the Us screen. */
data class AssessmentsState(
    val forms: AssessmentForms? = null,
    val consent: SexualContentConsent? = null,
    /** One per kind, in the core's order. */
    val summaries: List<AssessmentSummary> = emptyList(),
    val draft: AssessmentDraft? = null,
    /** The result just taken, shown until dismissed. */
    val justTaken: AssessmentResult? = null,
    val loading: Boolean = true,
    val problem: Problem? = null,
)

/**
 * Assessments: taking one (scored and kept on this phone by the core),
 * sharing or withdrawing a result, and the comparison once both partners
 * shared theirs.
 */
class AssessmentsModel(
    private val core: CoreGateway,
    scope: CoroutineScope,
) : ScreenModel<AssessmentsState>(AssessmentsState(), scope) {
    override fun AssessmentsState.withProblem(problem: Problem?) = copy(problem = problem, loading = false)

    override suspend fun load() {
        val forms = current.forms ?: core.assessmentForms()
        val consent = core.sexualContentConsent()
        val summaries = AssessmentKind.entries.map { kind ->
            AssessmentSummary(kind, core.myAssessment(kind), core.partnerAssessment(kind), core.compareAssessments(kind))
        }
        set { it.copy(forms = forms, consent = consent, summaries = summaries, loading = false) }
    }

    /**
     * The intimacy items to ask about: the sexual one only while both
     * partners have opted in (the core lets it be skipped either way).
     */
    fun intimacyItems(): List<IntimacyItem> {
        val state = current
        val items = state.forms?.intimacy?.items.orEmpty()
        val both = state.consent?.let { it.mine && it.partner } ?: false
        return items.filter { it.dimension != Dimension.SEXUAL || both }
    }

    /** Starts taking an assessment. */
    fun begin(kind: AssessmentKind) = set { it.copy(draft = AssessmentDraft(kind), justTaken = null) }

    /** Records an answer in the draft. */
    fun answer(change: (AssessmentDraft) -> AssessmentDraft) = set { state -> state.copy(draft = state.draft?.let(change)) }

    fun cancel() = set { it.copy(draft = null) }

    /** Scores the draft. The core keeps the result on this phone until it is shared. */
    fun submit(): Job = action {
        val draft = current.draft ?: return@action
        set { it.copy(draft = draft.copy(submitting = true)) }
        try {
            val result = core.takeAssessment(draft.answers())
            set { it.copy(draft = null, justTaken = result) }
            load()
        } finally {
            set { state -> state.copy(draft = state.draft?.copy(submitting = false)) }
        }
    }

    fun dismissResult() = set { it.copy(justTaken = null) }

    /** Shares this partner's latest result of [kind] with the other. */
    fun share(kind: AssessmentKind): Job = action {
        core.shareAssessment(kind)
        load()
    }

    /** Withdraws this partner's shared results of [kind]. */
    fun unshare(kind: AssessmentKind): Job = action {
        core.unshareAssessment(kind)
        load()
    }
}
