package app.hearth.android.ui

import androidx.annotation.StringRes
import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Box
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.Row
import androidx.compose.foundation.layout.fillMaxSize
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.padding
import androidx.compose.material3.Card
import androidx.compose.material3.CardDefaults
import androidx.compose.material3.CircularProgressIndicator
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.OutlinedButton
import androidx.compose.material3.Text
import androidx.compose.material3.TextButton
import androidx.compose.runtime.Composable
import androidx.compose.ui.Alignment
import androidx.compose.ui.Modifier
import androidx.compose.ui.res.stringResource
import androidx.compose.ui.unit.dp
import app.hearth.android.R
import app.hearth.core.AssessmentKind
import app.hearth.core.Barrier
import app.hearth.core.Dimension
import app.hearth.core.DrillPhase
import app.hearth.core.Emotion
import app.hearth.core.GoalStatus
import app.hearth.core.LoveLanguage
import app.hearth.core.Reaction
import app.hearth.core.Scale
import app.hearth.core.TurnMove
import app.hearth.state.Problem
import app.hearth.state.ProblemKind
import java.text.DateFormat
import java.util.Date

/** A screen's problem: the core's reason when it gave one, else a sentence for its kind. */
@Composable
fun ProblemCard(problem: Problem?, onDismiss: () -> Unit) {
    if (problem == null) return
    Card(
        modifier = Modifier.fillMaxWidth().padding(vertical = 8.dp),
        colors = CardDefaults.cardColors(containerColor = MaterialTheme.colorScheme.errorContainer),
    ) {
        Column(Modifier.padding(16.dp)) {
            Text(problem.reason ?: stringResource(fallback(problem.kind)), color = MaterialTheme.colorScheme.onErrorContainer)
            TextButton(onClick = onDismiss, modifier = Modifier.align(Alignment.End)) { Text(stringResource(R.string.ok)) }
        }
    }
}

@StringRes
private fun fallback(kind: ProblemKind): Int = when (kind) {
    ProblemKind.INVALID_INPUT -> R.string.problem_invalid_input
    ProblemKind.NOT_FOUND -> R.string.problem_not_found
    ProblemKind.NOT_ALLOWED -> R.string.problem_not_allowed
    ProblemKind.SYNC -> R.string.problem_sync
    ProblemKind.KEY_STORE -> R.string.problem_key_store
    ProblemKind.UPDATE_REQUIRED -> R.string.problem_update_required
    ProblemKind.STORAGE -> R.string.problem_storage
    ProblemKind.INTERNAL -> R.string.problem_internal
}

@Composable
fun Loading() {
    Box(Modifier.fillMaxSize(), contentAlignment = Alignment.Center) { CircularProgressIndicator() }
}

/** A titled group on a screen. */
@Composable
fun Section(title: String, content: @Composable () -> Unit) {
    Card(Modifier.fillMaxWidth().padding(vertical = 8.dp)) {
        Column(Modifier.padding(16.dp), verticalArrangement = Arrangement.spacedBy(8.dp)) {
            Text(title, style = MaterialTheme.typography.titleMedium)
            content()
        }
    }
}

/** A row of buttons for each value of [scale], the chosen one marked, with the scale's end labels. */
@Composable
fun ScaleRow(scale: Scale, value: UInt?, onPick: (UInt) -> Unit) {
    Column {
        Row(horizontalArrangement = Arrangement.spacedBy(4.dp)) {
            for (v in scale.min..scale.max) {
                if (v == value) {
                    androidx.compose.material3.Button(onClick = { onPick(v) }) { Text("$v") }
                } else {
                    OutlinedButton(onClick = { onPick(v) }) { Text("$v") }
                }
            }
        }
        Row(Modifier.fillMaxWidth(), horizontalArrangement = Arrangement.SpaceBetween) {
            Text(scale.lowLabel, style = MaterialTheme.typography.labelSmall)
            Text(scale.highLabel, style = MaterialTheme.typography.labelSmall)
        }
    }
}

fun formatTime(ms: Long): String = DateFormat.getDateTimeInstance(DateFormat.MEDIUM, DateFormat.SHORT).format(Date(ms))

@Composable
fun label(dimension: Dimension): String = stringResource(
    when (dimension) {
        Dimension.EMOTIONAL -> R.string.dimension_emotional
        Dimension.PHYSICAL -> R.string.dimension_physical
        Dimension.SEXUAL -> R.string.dimension_sexual
        Dimension.INTELLECTUAL -> R.string.dimension_intellectual
        Dimension.EXPERIENTIAL -> R.string.dimension_experiential
        Dimension.SPIRITUAL -> R.string.dimension_spiritual
        Dimension.CONFLICT -> R.string.dimension_conflict
        Dimension.DREAM -> R.string.dimension_dream
        Dimension.SELFHOOD -> R.string.dimension_self
    },
)

@Composable
fun label(emotion: Emotion): String = stringResource(
    when (emotion) {
        Emotion.JOYFUL -> R.string.emotion_joyful
        Emotion.GRATEFUL -> R.string.emotion_grateful
        Emotion.LOVED -> R.string.emotion_loved
        Emotion.CALM -> R.string.emotion_calm
        Emotion.HOPEFUL -> R.string.emotion_hopeful
        Emotion.PROUD -> R.string.emotion_proud
        Emotion.PLAYFUL -> R.string.emotion_playful
        Emotion.CURIOUS -> R.string.emotion_curious
        Emotion.TENDER -> R.string.emotion_tender
        Emotion.CONTENT -> R.string.emotion_content
        Emotion.EXCITED -> R.string.emotion_excited
        Emotion.RELIEVED -> R.string.emotion_relieved
        Emotion.CONNECTED -> R.string.emotion_connected
        Emotion.SAD -> R.string.emotion_sad
        Emotion.LONELY -> R.string.emotion_lonely
        Emotion.ANXIOUS -> R.string.emotion_anxious
        Emotion.FRUSTRATED -> R.string.emotion_frustrated
        Emotion.HURT -> R.string.emotion_hurt
        Emotion.ANGRY -> R.string.emotion_angry
        Emotion.OVERWHELMED -> R.string.emotion_overwhelmed
        Emotion.TIRED -> R.string.emotion_tired
        Emotion.DISAPPOINTED -> R.string.emotion_disappointed
        Emotion.JEALOUS -> R.string.emotion_jealous
        Emotion.ASHAMED -> R.string.emotion_ashamed
        Emotion.CONFUSED -> R.string.emotion_confused
        Emotion.DISTANT -> R.string.emotion_distant
    },
)

@Composable
fun label(reaction: Reaction): String = stringResource(
    when (reaction) {
        Reaction.HEART -> R.string.reaction_heart
        Reaction.HUG -> R.string.reaction_hug
        Reaction.LAUGH -> R.string.reaction_laugh
        Reaction.THANKS -> R.string.reaction_thanks
        Reaction.PROUD -> R.string.reaction_proud
        Reaction.HERE_FOR_YOU -> R.string.reaction_here_for_you
    },
)

@Composable
fun label(status: GoalStatus): String = stringResource(
    when (status) {
        GoalStatus.IDEA -> R.string.goal_idea
        GoalStatus.CHOSEN -> R.string.goal_chosen
        GoalStatus.DONE -> R.string.goal_done
        GoalStatus.SET_ASIDE -> R.string.goal_set_aside
    },
)

@Composable
fun label(kind: AssessmentKind): String = stringResource(
    when (kind) {
        AssessmentKind.INTIMACY -> R.string.assessment_intimacy
        AssessmentKind.LOVE_LANGUAGES -> R.string.assessment_love_languages
        AssessmentKind.ATTACHMENT -> R.string.assessment_attachment
        AssessmentKind.BARRIER_SIGNS -> R.string.assessment_barrier_signs
        AssessmentKind.PROFESSIONAL_HELP -> R.string.assessment_professional_help
    },
)

@Composable
fun label(language: LoveLanguage): String = stringResource(
    when (language) {
        LoveLanguage.PHYSICAL_TOUCH -> R.string.language_touch
        LoveLanguage.WORDS_OF_AFFIRMATION -> R.string.language_words
        LoveLanguage.GIFTS -> R.string.language_gifts
        LoveLanguage.ACTS_OF_SERVICE -> R.string.language_service
        LoveLanguage.QUALITY_TIME -> R.string.language_time
    },
)

@Composable
fun label(barrier: Barrier): String = stringResource(
    when (barrier) {
        Barrier.NEGLECT -> R.string.barrier_neglect
        Barrier.BROKEN_TRUST -> R.string.barrier_broken_trust
        Barrier.POOR_COMMUNICATION -> R.string.barrier_poor_communication
        Barrier.OUTSIDE_STRESS -> R.string.barrier_outside_stress
        Barrier.MISMATCHED_NEEDS -> R.string.barrier_mismatched_needs
        Barrier.FEARS -> R.string.barrier_fears
        Barrier.UNHELPFUL_BELIEFS -> R.string.barrier_unhelpful_beliefs
        Barrier.PAST_HURT -> R.string.barrier_past_hurt
        Barrier.UNFAIR_LOAD -> R.string.barrier_unfair_load
        Barrier.HONEYMOON_END -> R.string.barrier_honeymoon_end
        Barrier.MENTAL_HEALTH -> R.string.barrier_mental_health
    },
)

@Composable
fun label(move: TurnMove): String = stringResource(
    when (move) {
        TurnMove.DONE_SPEAKING -> R.string.move_done_speaking
        TurnMove.DONE_REFLECTING -> R.string.move_done_reflecting
        TurnMove.HEARD -> R.string.move_heard
        TurnMove.NOT_QUITE -> R.string.move_not_quite
        TurnMove.PAUSE -> R.string.move_pause
        TurnMove.READY -> R.string.move_ready
        TurnMove.STOP -> R.string.move_stop
    },
)

@Composable
fun label(phase: DrillPhase): String = stringResource(
    when (phase) {
        DrillPhase.SPEAKING -> R.string.phase_speaking
        DrillPhase.REFLECTING -> R.string.phase_reflecting
        DrillPhase.CONFIRMING -> R.string.phase_confirming
        DrillPhase.PAUSED -> R.string.phase_paused
        DrillPhase.FINISHED -> R.string.phase_finished
        DrillPhase.STOPPED -> R.string.phase_stopped
    },
)
