package app.hearth.ui

import androidx.compose.runtime.getValue
import androidx.compose.runtime.mutableStateOf
import androidx.compose.runtime.setValue
import androidx.compose.ui.geometry.Size
import androidx.compose.ui.test.captureToImage
import androidx.compose.ui.test.onRoot
import androidx.compose.ui.test.runSkikoComposeUiTest
import androidx.compose.ui.unit.Density
import app.hearth.core.Action
import app.hearth.core.AppPhase
import app.hearth.core.AppView
import app.hearth.core.AssessmentItemAnswer
import app.hearth.core.AssessmentKind
import app.hearth.core.Choice
import app.hearth.core.Emotion
import app.hearth.core.Tab
import org.junit.AfterClass
import org.junit.Test

/**
 * Every screen, in light and dark, at a phone's size and a desktop
 * window's, over the real core: written to target/screenshots (open
 * index.html there) and compared with the references in ui/screenshots.
 * The screens are reached through the core's own actions, as the UI tests
 * reach them by clicking.
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
                setContent { PhoneApp(phone, dark, timeFormat = { FIXED_TIME }, pin = ::pinQuestion) }

                fun act(vararg actions: Action) {
                    actions.forEach(phone::send)
                    phone.settle()
                    waitForIdle()
                }

                fun shot(screen: String) {
                    for (theme in listOf(false, true)) {
                        dark = theme
                        waitForIdle()
                        val problem = Screenshots.record("$screen-$size-${if (theme) "dark" else "light"}", onRoot().captureToImage())
                        if (problem != null) System.err.println("screenshot: $problem")
                    }
                    dark = false
                }

                phone.settle()
                waitUntil(timeoutMillis = TIMEOUT) { phone.model.view.value?.phase is AppPhase.Welcome }
                shot("welcome")
                clickText(Strings.welcomeLink)
                shot("welcome-link")
                clickText(Strings.welcomeNew)
                clickText(Strings.welcomeRejoin)
                shot("welcome-rejoin")
                clickText(Strings.welcomeNew)

                // A new profile goes straight to pairing; "Not now" leads to Today.
                act(Action.Begin("Alex"))
                waitUntil(timeoutMillis = TIMEOUT) { phone.model.view.value?.screens?.pairing != null }
                shot("pairing")
                act(Action.PairLater)
                waitUntil(timeoutMillis = TIMEOUT) { phone.screens.today.question != null }
                shot("today")

                act(Action.Navigate(Tab.JOURNAL))
                act(Action.Compose)
                act(
                    Action.EditDraft(
                        "Sunday by the river",
                        "We walked further than we meant to and talked about the summer. I liked how easy it felt.",
                        listOf(Emotion.CALM, Emotion.GRATEFUL, Emotion.CONNECTED),
                        false,
                    ),
                    Action.SaveEntry,
                )
                act(Action.Compose)
                act(Action.EditDraft("", "A note for me only: ask about the new job on Friday, and listen first.", emptyList(), true), Action.SaveEntry)
                waitUntil(timeoutMillis = TIMEOUT) { phone.screens.journal.entries.size == 2 && phone.screens.journal.composer == null }
                shot("journal")

                act(Action.OpenEntry(phone.screens.journal.entries.last().id))
                shot("journal-entry")
                act(Action.CloseEntry)

                act(Action.Search("river"))
                waitUntil(timeoutMillis = TIMEOUT) { phone.screens.journal.search != null }
                shot("journal-search")
                act(Action.ClearSearch)

                act(Action.Compose)
                act(Action.EditDraft("Small things", "The coffee you left on my desk.", listOf(Emotion.LOVED), false))
                shot("journal-editor")
                act(Action.CancelCompose)

                act(Action.Navigate(Tab.EXERCISES))
                waitUntil(timeoutMillis = TIMEOUT) { phone.screens.exercises.exercises.isNotEmpty() }
                shot("exercises")
                act(Action.StartExercise(phone.screens.exercises.exercises.first().id))
                shot("exercise-run")
                act(Action.CloseExercise)

                act(Action.Navigate(Tab.US))
                shot("us")
                act(Action.BeginAssessment(AssessmentKind.LOVE_LANGUAGES))
                shot("assessment")
                phone.screens.us.assessments.forms.loveLanguages.items.forEachIndexed { i, item ->
                    phone.send(Action.AnswerAssessment(AssessmentItemAnswer.Choice(item.id, if (i % 3 == 0) Choice.SECOND else Choice.FIRST)))
                }
                act(Action.SubmitAssessment)
                waitUntil(timeoutMillis = TIMEOUT) { phone.screens.us.assessments.justTaken != null }
                shot("assessment-result")
                act(Action.DismissResult)
                act(Action.BeginCheckIn)
                shot("check-in")
                act(Action.CloseCheckIn)

                act(Action.Navigate(Tab.SETTINGS))
                shot("settings")

                clickText(Strings.settingsSupportOpen)
                shot("safety")
                clickText(Strings.no)
                clickText(Strings.safetySubmit)
                waitUntil(timeoutMillis = TIMEOUT) { phone.screens.safety.outcome != null }
                shot("safety-outcome")
                clickText(Strings.close)

                act(Action.SetAppLock(true))
                phone.deviceUnlocks = false
                phone.restart()
                waitUntil(timeoutMillis = TIMEOUT) { phone.view.lock.locked }
                shot("lock")
            }
        }
        Screenshots.assertMatch(SCREENS, size)
    }

    companion object {
        const val TIMEOUT = 20_000L

        /** The question of the day is drawn per couple: the pictures show this one. */
        const val FIXED_QUESTION = "After a tiring day, what helps more: a shoulder rub, a foot rub, or simply leaning on each other?"

        fun pinQuestion(view: AppView): AppView {
            val screens = view.screens ?: return view
            // Each device's safety number is random: the pictures show this one.
            val devices = screens.settings.devices.let { d ->
                d.copy(devices = d.devices.map { it.copy(safetyNumber = FIXED_DEVICE_NUMBER) })
            }
            val pinned = screens.copy(settings = screens.settings.copy(devices = devices))
            val question = pinned.today.question ?: return view.copy(screens = pinned)
            return view.copy(screens = pinned.copy(today = pinned.today.copy(question = question.copy(text = FIXED_QUESTION))))
        }

        const val FIXED_DEVICE_NUMBER = "40218 77310 95562 18840 63017 52291"

        /** Every time on screen, so the pictures do not change with the clock. */
        const val FIXED_TIME = "14 Mar 2026, 19:30"

        val SCREENS = listOf(
            "welcome", "welcome-link", "welcome-rejoin", "lock", "pairing", "today", "journal", "journal-entry", "journal-search", "journal-editor",
            "exercises", "exercise-run", "us", "assessment", "assessment-result", "check-in", "settings", "safety",
            "safety-outcome",
        )

        @JvmStatic
        @AfterClass
        fun gallery() = Screenshots.writeGallery(SCREENS + PairedScreenshotTest.SCREENS, listOf("phone-light", "phone-dark", "desktop-light", "desktop-dark"))
    }
}
