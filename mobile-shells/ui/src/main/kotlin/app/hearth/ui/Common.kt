package app.hearth.ui

import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Box
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.Row
import androidx.compose.foundation.layout.fillMaxSize
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.layout.widthIn
import androidx.compose.foundation.layout.wrapContentWidth
import androidx.compose.material3.Card
import androidx.compose.material3.CardDefaults
import androidx.compose.material3.CircularProgressIndicator
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.OutlinedButton
import androidx.compose.material3.Text
import androidx.compose.material3.TextButton
import androidx.compose.runtime.Composable
import androidx.compose.runtime.staticCompositionLocalOf
import androidx.compose.ui.Alignment
import androidx.compose.ui.Modifier
import androidx.compose.ui.unit.dp
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
import app.hearth.core.Problem
import java.text.DateFormat
import java.util.Date

/** A screen's problem, in the core's words (they say what to do and never hold what anyone wrote). */
@Composable
fun ProblemCard(problem: Problem?, onDismiss: () -> Unit) {
    if (problem == null) return
    Card(
        modifier = Modifier.fillMaxWidth().padding(vertical = 8.dp),
        colors = CardDefaults.cardColors(containerColor = MaterialTheme.colorScheme.errorContainer),
    ) {
        Column(Modifier.padding(16.dp)) {
            Text(problem.reason, color = MaterialTheme.colorScheme.onErrorContainer)
            TextButton(onClick = onDismiss, modifier = Modifier.align(Alignment.End)) { Text(Strings.ok) }
        }
    }
}

/** At most a comfortable reading width, centred, on a wide window; the whole width on a phone. */
fun Modifier.readableWidth(): Modifier = fillMaxWidth().wrapContentWidth(Alignment.CenterHorizontally).widthIn(max = 600.dp)

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

/**
 * How a moment is written on screen: the person's locale by default. The
 * screenshot tests provide a fixed one so that images do not change by the
 * minute.
 */
val LocalTimeFormat = staticCompositionLocalOf<(Long) -> String> {
    { ms -> DateFormat.getDateTimeInstance(DateFormat.MEDIUM, DateFormat.SHORT).format(Date(ms)) }
}

@Composable
fun formatTime(ms: Long): String = LocalTimeFormat.current(ms)

fun label(dimension: Dimension): String = when (dimension) {
        Dimension.EMOTIONAL -> Strings.dimensionEmotional
        Dimension.PHYSICAL -> Strings.dimensionPhysical
        Dimension.SEXUAL -> Strings.dimensionSexual
        Dimension.INTELLECTUAL -> Strings.dimensionIntellectual
        Dimension.EXPERIENTIAL -> Strings.dimensionExperiential
        Dimension.SPIRITUAL -> Strings.dimensionSpiritual
        Dimension.CONFLICT -> Strings.dimensionConflict
        Dimension.DREAM -> Strings.dimensionDream
        Dimension.SELFHOOD -> Strings.dimensionSelf
    }

fun label(emotion: Emotion): String = when (emotion) {
        Emotion.JOYFUL -> Strings.emotionJoyful
        Emotion.GRATEFUL -> Strings.emotionGrateful
        Emotion.LOVED -> Strings.emotionLoved
        Emotion.CALM -> Strings.emotionCalm
        Emotion.HOPEFUL -> Strings.emotionHopeful
        Emotion.PROUD -> Strings.emotionProud
        Emotion.PLAYFUL -> Strings.emotionPlayful
        Emotion.CURIOUS -> Strings.emotionCurious
        Emotion.TENDER -> Strings.emotionTender
        Emotion.CONTENT -> Strings.emotionContent
        Emotion.EXCITED -> Strings.emotionExcited
        Emotion.RELIEVED -> Strings.emotionRelieved
        Emotion.CONNECTED -> Strings.emotionConnected
        Emotion.SAD -> Strings.emotionSad
        Emotion.LONELY -> Strings.emotionLonely
        Emotion.ANXIOUS -> Strings.emotionAnxious
        Emotion.FRUSTRATED -> Strings.emotionFrustrated
        Emotion.HURT -> Strings.emotionHurt
        Emotion.ANGRY -> Strings.emotionAngry
        Emotion.OVERWHELMED -> Strings.emotionOverwhelmed
        Emotion.TIRED -> Strings.emotionTired
        Emotion.DISAPPOINTED -> Strings.emotionDisappointed
        Emotion.JEALOUS -> Strings.emotionJealous
        Emotion.ASHAMED -> Strings.emotionAshamed
        Emotion.CONFUSED -> Strings.emotionConfused
        Emotion.DISTANT -> Strings.emotionDistant
    }

fun label(reaction: Reaction): String = when (reaction) {
        Reaction.HEART -> Strings.reactionHeart
        Reaction.HUG -> Strings.reactionHug
        Reaction.LAUGH -> Strings.reactionLaugh
        Reaction.THANKS -> Strings.reactionThanks
        Reaction.PROUD -> Strings.reactionProud
        Reaction.HERE_FOR_YOU -> Strings.reactionHereForYou
    }

fun label(status: GoalStatus): String = when (status) {
        GoalStatus.IDEA -> Strings.goalIdea
        GoalStatus.CHOSEN -> Strings.goalChosen
        GoalStatus.DONE -> Strings.goalDone
        GoalStatus.SET_ASIDE -> Strings.goalSetAside
    }

fun label(kind: AssessmentKind): String = when (kind) {
        AssessmentKind.INTIMACY -> Strings.assessmentIntimacy
        AssessmentKind.LOVE_LANGUAGES -> Strings.assessmentLoveLanguages
        AssessmentKind.ATTACHMENT -> Strings.assessmentAttachment
        AssessmentKind.BARRIER_SIGNS -> Strings.assessmentBarrierSigns
        AssessmentKind.PROFESSIONAL_HELP -> Strings.assessmentProfessionalHelp
        AssessmentKind.COMMUNICATION -> Strings.assessmentCommunication
    }

fun label(language: LoveLanguage): String = when (language) {
        LoveLanguage.PHYSICAL_TOUCH -> Strings.languageTouch
        LoveLanguage.WORDS_OF_AFFIRMATION -> Strings.languageWords
        LoveLanguage.GIFTS -> Strings.languageGifts
        LoveLanguage.ACTS_OF_SERVICE -> Strings.languageService
        LoveLanguage.QUALITY_TIME -> Strings.languageTime
    }

fun label(barrier: Barrier): String = when (barrier) {
        Barrier.NEGLECT -> Strings.barrierNeglect
        Barrier.BROKEN_TRUST -> Strings.barrierBrokenTrust
        Barrier.POOR_COMMUNICATION -> Strings.barrierPoorCommunication
        Barrier.OUTSIDE_STRESS -> Strings.barrierOutsideStress
        Barrier.MISMATCHED_NEEDS -> Strings.barrierMismatchedNeeds
        Barrier.FEARS -> Strings.barrierFears
        Barrier.UNHELPFUL_BELIEFS -> Strings.barrierUnhelpfulBeliefs
        Barrier.PAST_HURT -> Strings.barrierPastHurt
        Barrier.UNFAIR_LOAD -> Strings.barrierUnfairLoad
        Barrier.HONEYMOON_END -> Strings.barrierHoneymoonEnd
        Barrier.MENTAL_HEALTH -> Strings.barrierMentalHealth
    }

fun label(move: TurnMove): String = when (move) {
        TurnMove.DONE_SPEAKING -> Strings.moveDoneSpeaking
        TurnMove.DONE_REFLECTING -> Strings.moveDoneReflecting
        TurnMove.HEARD -> Strings.moveHeard
        TurnMove.NOT_QUITE -> Strings.moveNotQuite
        TurnMove.PAUSE -> Strings.movePause
        TurnMove.READY -> Strings.moveReady
        TurnMove.STOP -> Strings.moveStop
    }

fun label(phase: DrillPhase): String = when (phase) {
        DrillPhase.SPEAKING -> Strings.phaseSpeaking
        DrillPhase.REFLECTING -> Strings.phaseReflecting
        DrillPhase.CONFIRMING -> Strings.phaseConfirming
        DrillPhase.PAUSED -> Strings.phasePaused
        DrillPhase.FINISHED -> Strings.phaseFinished
        DrillPhase.STOPPED -> Strings.phaseStopped
    }
