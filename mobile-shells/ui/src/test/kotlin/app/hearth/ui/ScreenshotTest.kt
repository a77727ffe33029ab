package app.hearth.ui

import androidx.compose.runtime.getValue
import androidx.compose.runtime.mutableStateOf
import androidx.compose.runtime.setValue
import androidx.compose.ui.geometry.Size
import androidx.compose.ui.test.SkikoComposeUiTest
import androidx.compose.ui.test.hasScrollToIndexAction
import androidx.compose.ui.test.hasText
import androidx.compose.ui.test.onAllNodesWithText
import androidx.compose.ui.test.onFirst
import androidx.compose.ui.test.onRoot
import androidx.compose.ui.test.captureToImage
import androidx.compose.ui.test.performClick
import androidx.compose.ui.test.performScrollToNode
import androidx.compose.ui.test.runSkikoComposeUiTest
import androidx.compose.ui.unit.Density
import app.hearth.core.AssessmentKind
import app.hearth.core.Emotion
import app.hearth.state.AppPhase
import app.hearth.state.EntryDraft
import org.junit.AfterClass
import org.junit.Assert.assertTrue
import org.junit.Test

/**
 * Every screen, in light and dark, at a phone's size and a desktop
 * window's, over the real core: written to target/screenshots (open
 * index.html there) and compared with the references in ui/screenshots.
 */
class ScreenshotTest {
    @Test
    fun phone() = shoot("phone", widthDp = 411, heightDp = 891, density = 2f)

    @Test
    fun desktop() = shoot("desktop", widthDp = 1280, heightDp = 800, density = 1f)

    private fun shoot(size: String, widthDp: Int, heightDp: Int, density: Float) {
        Phone("alex").use { phone ->
            runSkikoComposeUiTest(Size(widthDp * density, heightDp * density), Density(density)) {
                var dark by mutableStateOf(false)
                setContent { PhoneApp(phone, dark, timeFormat = { FIXED_TIME }) }

                fun shot(screen: String) {
                    for (theme in listOf(false, true)) {
                        dark = theme
                        waitForIdle()
                        val problem = Screenshots.record("$screen-$size-${if (theme) "dark" else "light"}", onRoot().captureToImage())
                        if (problem != null) System.err.println("screenshot: $problem")
                    }
                    dark = false
                }

                waitUntil(timeoutMillis = TIMEOUT) { phone.model.phase.value == AppPhase.Welcome }
                shot("welcome")

                // A new profile goes straight to pairing; "Not now" leads to Today.
                phone.model.begin("Alex")
                waitUntil(timeoutMillis = TIMEOUT) { phone.ready && phone.session.pairing.state.value.visible }
                shot("pairing")
                phone.session.pairing.later()
                waitUntil(timeoutMillis = TIMEOUT) { phone.session.today.state.value.question != null }
                shot("today")

                val journal = phone.session.journal
                journal.compose()
                journal.updateDraft(
                    EntryDraft(
                        title = "Sunday by the river",
                        body = "We walked further than we meant to and talked about the summer. I liked how easy it felt.",
                        emotions = setOf(Emotion.CALM, Emotion.GRATEFUL, Emotion.CONNECTED),
                    ),
                )
                journal.save()
                waitUntil(timeoutMillis = TIMEOUT) { journal.state.value.entries.size == 1 && journal.state.value.composer == null }
                journal.compose()
                journal.updateDraft(EntryDraft(body = "A note for me only: ask about the new job on Friday.", private = true))
                journal.save()
                waitUntil(timeoutMillis = TIMEOUT) { journal.state.value.entries.size == 2 && journal.state.value.composer == null }
                tab(Strings.tabJournal)
                shot("journal")

                journal.open(journal.state.value.entries.last().id)
                waitUntil(timeoutMillis = TIMEOUT) { journal.state.value.open != null }
                shot("journal-entry")
                journal.close()

                journal.compose(prompt = "What made you smile this week?")
                journal.updateDraft(EntryDraft(title = "Small things", body = "The coffee you left on my desk.", emotions = setOf(Emotion.LOVED)))
                shot("journal-editor")
                journal.cancelCompose()

                val exercises = phone.session.exercises
                tab(Strings.tabExercises)
                waitUntil(timeoutMillis = TIMEOUT) { exercises.state.value.exercises.isNotEmpty() }
                shot("exercises")
                exercises.start(exercises.state.value.exercises.first().id)
                waitUntil(timeoutMillis = TIMEOUT) { exercises.state.value.run != null }
                shot("exercise-run")
                exercises.closeRun()

                tab(Strings.tabUs)
                waitUntil(timeoutMillis = TIMEOUT) { !phone.session.us.state.value.loading && phone.session.assessments.state.value.summaries.isNotEmpty() }
                shot("us")
                phone.session.assessments.begin(AssessmentKind.LOVE_LANGUAGES)
                waitUntil(timeoutMillis = TIMEOUT) { phone.session.assessments.state.value.forms != null }
                shot("assessment")
                phone.session.assessments.cancel()

                tab(Strings.tabSettings)
                waitUntil(timeoutMillis = TIMEOUT) { !phone.session.settings.state.value.loading }
                shot("settings")

                onNode(hasScrollToIndexAction()).performScrollToNode(hasText(Strings.settingsSupportOpen))
                onAllNodesWithText(Strings.settingsSupportOpen).onFirst().performClick()
                waitUntil(timeoutMillis = TIMEOUT) { phone.session.safety.state.value.check != null }
                shot("safety")
                onAllNodesWithText(Strings.close).onFirst().performClick()

                phone.session.settings.setAppLock(true)
                phone.deviceUnlocks = false
                phone.model.onBackground()
                phone.clockOffsetMs += 60_000
                phone.model.onForeground()
                waitUntil(timeoutMillis = TIMEOUT) { phone.model.lock.locked.value }
                shot("lock")
            }
        }
        val mine = Screenshots.failures().filter { "-$size-" in it }
        assertTrue("screenshots differ from their references:\n" + mine.joinToString("\n"), mine.isEmpty())
    }

    private fun SkikoComposeUiTest.tab(title: String) {
        onAllNodesWithText(title).onFirst().performClick()
        waitForIdle()
    }

    companion object {
        const val TIMEOUT = 20_000L

        /** Every time on screen, so pictures do not change with the clock. */
        const val FIXED_TIME = "14 Mar 2026, 19:30"

        val SCREENS = listOf(
            "welcome", "lock", "pairing", "today", "journal", "journal-entry", "journal-editor",
            "exercises", "exercise-run", "us", "assessment", "settings", "safety",
        )

        @JvmStatic
        @AfterClass
        fun gallery() = Screenshots.writeGallery(
            SCREENS,
            listOf("phone-light", "phone-dark", "desktop-light", "desktop-dark"),
        )
    }
}
