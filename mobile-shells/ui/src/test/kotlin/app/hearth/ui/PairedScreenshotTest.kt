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
import app.hearth.core.AppView
import app.hearth.core.LinkingStep
import app.hearth.core.PairingStep
import app.hearth.core.Reaction
import app.hearth.core.Tab
import org.junit.AfterClass
import org.junit.BeforeClass
import org.junit.Test

/**
 * The screens only a paired couple sees (the pairing code and safety
 * number, the revealed answers, a drill, a shared entry with a reaction and
 * a comment), over two real app instances and a real relay, reached through
 * the core's actions. The code and the safety number are random per pairing
 * and the question is drawn per couple: the pictures pin them.
 */
class PairedScreenshotTest {
    companion object {
        private lateinit var relay: Relay

        @JvmStatic
        @BeforeClass
        fun startRelay() {
            relay = Relay.start()
        }

        @JvmStatic
        @AfterClass
        fun stopRelay() {
            relay.close()
            Screenshots.writeGallery(ScreenshotTest.SCREENS + SCREENS, listOf("phone-light", "phone-dark", "desktop-light", "desktop-dark"))
        }

        val SCREENS = listOf("pairing-code", "pairing-compare", "today-revealed", "drill", "journal-entry-shared", "devices-link-code", "devices-let-in", "devices-let-in-code")

        const val PINNED_CODE = "7-river-lantern-moss"

        fun pin(view: AppView): AppView {
            val pinned = ScreenshotTest.pinQuestion(view)
            val unpinned = pinned.screens ?: return pinned
            val linking = when (val l = unpinned.settings.devices.linking) {
                is LinkingStep.ShowCode -> l.copy(code = PINNED_CODE, relayUrl = "https://relay.example.org")
                else -> l
            }
            // The test relay's port changes from run to run.
            val sync = unpinned.settings.sync.copy(relayUrl = unpinned.settings.sync.relayUrl?.let { "https://relay.example.org" })
            val settings = unpinned.settings.copy(sync = sync, devices = unpinned.settings.devices.copy(linking = linking))
            val screens = unpinned.copy(settings = settings)
            val pairing = screens.pairing ?: return pinned.copy(screens = screens)
            val step = when (val s = pairing.step) {
                is PairingStep.ShowCode -> s.copy(code = PINNED_CODE)
                is PairingStep.Compare -> s.copy(safetyNumber = "2841 0937 5562")
                else -> s
            }
            return pinned.copy(screens = screens.copy(pairing = pairing.copy(step = step)))
        }
    }

    @Test
    fun phone() = shoot("phone", 411, 891, 2f)

    @Test
    fun desktop() = shoot("desktop", 1280, 800, 1f)

    private fun shoot(size: String, widthDp: Int, heightDp: Int, density: Float) {
        Couple(relay).use { couple ->
            val alex = couple.alex
            val sam = couple.sam
            runSkikoComposeUiTest(Size(widthDp * density, heightDp * density), Density(density)) {
                var dark by mutableStateOf(false)
                var shown by mutableStateOf(alex)
                setContent { PhoneApp(shown, dark, timeFormat = { ScreenshotTest.FIXED_TIME }, pin = ::pin) }

                // Settings shows how many changes wait to be sent, and greys "Sync now" while a
                // sync runs: a background push still under way would move everything below it.
                fun awaitNothingToSend(phone: Phone) {
                    phone.syncNow()
                    phone.awaitView("nothing left to send") { view ->
                        view.screens?.settings?.let { !it.syncing && it.sync.pending == 0u } == true
                    }
                }

                // [scrollTo]: the text a scrolled screen is shot at, scrolled to again just
                // before each picture, in case the view changed after the last scroll.
                fun shot(screen: String, phone: Phone, scrollTo: String? = null) {
                    shown = phone
                    for (theme in listOf(false, true)) {
                        dark = theme
                        waitForIdle()
                        scrollTo?.let { scrollToText(it) }
                        val problem = Screenshots.record("$screen-$size-${if (theme) "dark" else "light"}", onRoot().captureToImage())
                        if (problem != null) System.err.println("screenshot: $problem")
                    }
                    dark = false
                }

                alex.send(Action.Begin("Alex"))
                sam.send(Action.Begin("Sam"))
                alex.awaitView("pairing") { it.screens?.pairing != null }
                sam.awaitView("pairing") { it.screens?.pairing != null }
                alex.send(Action.ShowCode)
                alex.awaitView("a code") { it.screens?.pairing?.step is PairingStep.ShowCode }
                shot("pairing-code", alex)
                sam.send(Action.EnterCode((alex.screens.pairing!!.step as PairingStep.ShowCode).code))
                alex.awaitView("the safety number") { it.screens?.pairing?.step is PairingStep.Compare }
                sam.awaitView("the safety number") { it.screens?.pairing?.step is PairingStep.Compare }
                shot("pairing-compare", sam)
                alex.send(Action.ConfirmMatch)
                sam.send(Action.ConfirmMatch)
                alex.awaitView("paired") { it.screens?.pairing?.step == PairingStep.Paired }
                sam.awaitView("paired") { it.screens?.pairing?.step == PairingStep.Paired }
                alex.send(Action.PairLater)
                sam.send(Action.PairLater)
                alex.awaitView("Today") { it.screens?.pairing == null && it.screens?.today?.question != null }
                sam.awaitView("Today") { it.screens?.pairing == null && it.screens?.today?.question != null }

                // Both answer the question of the day; each sees the other's words once both are in.
                alex.send(Action.EditAnswer("A long walk without phones."))
                alex.send(Action.SubmitAnswer)
                alex.awaitView("the answer saved") { it.screens?.today?.question?.mine != null }
                alex.syncNow()
                sam.syncNow()
                sam.send(Action.EditAnswer("Cooking together, slowly."))
                sam.send(Action.SubmitAnswer)
                sam.awaitView("the answer saved") { it.screens?.today?.question?.mine != null }
                sam.syncNow()
                alex.syncNow()
                alex.awaitView("the reveal") { it.screens?.today?.question?.partner is app.hearth.core.PartnerAnswerView.Shown }
                shot("today-revealed", alex)

                // A shared entry, with Sam's reaction and comment.
                alex.send(Action.Navigate(Tab.JOURNAL))
                alex.send(Action.Compose)
                alex.send(Action.EditDraft("Pancakes", "Sunday pancakes were the best part of the week.", emptyList(), false))
                alex.send(Action.SaveEntry)
                alex.awaitView("the entry") { it.screens?.journal?.entries?.size == 1 }
                alex.syncNow()
                sam.syncNow()
                sam.send(Action.Navigate(Tab.JOURNAL))
                sam.awaitView("Alex's entry") { it.screens?.journal?.entries?.size == 1 }
                val entry = sam.screens.journal.entries.single().id
                sam.send(Action.OpenEntry(entry))
                sam.send(Action.React(entry, Reaction.HEART))
                sam.send(Action.Comment(entry, "Let's make it a habit."))
                sam.awaitView("the comment") { it.screens?.journal?.open?.entry?.comments?.size == 1 }
                shot("journal-entry-shared", sam)

                // A drill: Alex speaks first.
                alex.send(Action.Navigate(Tab.EXERCISES))
                alex.awaitView("the exercises") { it.screens?.exercises?.exercises?.isNotEmpty() == true }
                alex.send(Action.StartDrill(alex.screens.exercises.exercises.first { it.drill != null }.id))
                alex.awaitView("the drill") { it.screens?.exercises?.drill != null }
                shot("drill", alex)

                // Alex adds a laptop: Settings shows the code and the relay to type on it.
                alex.send(Action.Navigate(Tab.SETTINGS))
                awaitNothingToSend(alex)
                alex.send(Action.LinkDevice)
                alex.awaitView("a link code") { it.screens?.settings?.devices?.linking is LinkingStep.ShowCode }
                shot("devices-link-code", alex, scrollTo = Strings.devicesLinkWaiting)
                alex.send(Action.CancelLinking)

                // Sam lets Alex back in after Alex lost every device: the same steps, in other words.
                sam.send(Action.Navigate(Tab.SETTINGS))
                sam.awaitView("the devices") { it.screens?.settings?.devices?.devices?.size == 2 }
                awaitNothingToSend(sam)
                shot("devices-let-in", sam, scrollTo = Strings.devicesLetIn("Alex"))
                sam.send(Action.LetPartnerBackIn)
                sam.awaitView("a code for Alex's new device") { it.screens?.settings?.devices?.linking is LinkingStep.ShowCode }
                shot("devices-let-in-code", sam, scrollTo = Strings.devicesLinkWaiting)
                sam.send(Action.CancelLinking)
            }
        }
        Screenshots.assertMatch(SCREENS, size)
    }
}
