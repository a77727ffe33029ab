package app.hearth.ui

import androidx.compose.foundation.layout.Box
import androidx.compose.foundation.layout.Row
import androidx.compose.foundation.layout.fillMaxHeight
import androidx.compose.ui.Modifier
import androidx.compose.ui.platform.testTag
import androidx.compose.ui.test.ComposeUiTest
import androidx.compose.ui.test.SemanticsMatcher
import androidx.compose.ui.test.SemanticsNodeInteraction
import androidx.compose.ui.test.hasAnyAncestor
import androidx.compose.ui.test.hasClickAction
import androidx.compose.ui.test.hasContentDescription
import androidx.compose.ui.test.hasScrollToIndexAction
import androidx.compose.ui.test.hasSetTextAction
import androidx.compose.ui.test.hasTestTag
import androidx.compose.ui.test.hasText
import androidx.compose.ui.test.onFirst
import androidx.compose.ui.test.performClick
import androidx.compose.ui.test.performScrollTo
import androidx.compose.ui.test.performScrollToNode
import androidx.compose.ui.test.performTextInput
import androidx.compose.ui.test.performTextReplacement
import androidx.compose.ui.unit.dp
import androidx.compose.foundation.layout.width
import app.hearth.core.PairingStep
import org.junit.Assert.assertEquals

/** How long a step that goes through the relay may take. */
const val NETWORK_MS = 30_000L

/**
 * Two people side by side in one window: each [Phone] is a real app
 * instance with its own data folder, both on the same relay. The helpers
 * find text on one person's screen only, and act as a person would: type,
 * tap, scroll, wait for what the other phone sent.
 */
class Couple(relay: Relay) : AutoCloseable {
    val alex = Phone("alex", relay.url)
    val sam = Phone("sam", relay.url)

    override fun close() {
        alex.close()
        sam.close()
    }
}

/** Both phones, each phone-sized, side by side. */
fun ComposeUiTest.showBoth(couple: Couple) = setContent {
    Row {
        Box(Modifier.width(411.dp).fillMaxHeight().testTag(couple.alex.name)) { PhoneApp(couple.alex) }
        Box(Modifier.width(411.dp).fillMaxHeight().testTag(couple.sam.name)) { PhoneApp(couple.sam) }
    }
}

/** One person's screen, for finding and doing things on it. */
class OnPhone(private val test: ComposeUiTest, val phone: Phone) {
    private val mine: SemanticsMatcher = hasAnyAncestor(hasTestTag(phone.name))

    private fun all(matcher: SemanticsMatcher) = test.onAllNodes(matcher and mine)

    /** Whether [text] is on this screen, scrolling its lists as a person would look down them. */
    fun has(text: String, substring: Boolean = false): Boolean {
        test.waitForIdle()
        val matcher = hasText(text, substring = substring)
        if (all(matcher).fetchSemanticsNodes().isNotEmpty()) return true
        val lists = all(hasScrollToIndexAction())
        for (i in 0 until lists.fetchSemanticsNodes().size) runCatching { lists[i].performScrollToNode(matcher) }
        test.waitForIdle()
        return all(matcher).fetchSemanticsNodes().isNotEmpty()
    }

    /** Waits until [text] shows on this screen (what the partner sent may take a sync). */
    fun waitFor(text: String, substring: Boolean = false, timeoutMs: Long = NETWORK_MS) {
        test.waitUntil("'$text' on ${phone.name}'s screen", timeoutMs) { has(text, substring) }
    }

    /** Waits until [text] is gone from this screen. */
    fun waitGone(text: String, substring: Boolean = false, timeoutMs: Long = NETWORK_MS) {
        test.waitUntil("'$text' gone from ${phone.name}'s screen", timeoutMs) { !has(text, substring) }
    }

    private fun node(matcher: SemanticsMatcher): SemanticsNodeInteraction {
        test.waitForIdle()
        if (all(matcher).fetchSemanticsNodes().isEmpty()) {
            // Not composed yet: scroll the lists on this screen to it.
            val lists = all(hasScrollToIndexAction())
            for (i in 0 until lists.fetchSemanticsNodes().size) runCatching { lists[i].performScrollToNode(matcher) }
        }
        val found = all(matcher).onFirst()
        runCatching { found.performScrollTo() }
        return found
    }

    /** Taps the control showing [text]. */
    fun tap(text: String, substring: Boolean = false) {
        node((hasText(text, substring = substring) or hasContentDescription(text, substring = substring)) and hasClickAction()).performClick()
        test.waitForIdle()
    }

    /** Types [text] into the field labelled [label], replacing what it held. */
    fun type(label: String, text: String) {
        node(hasSetTextAction() and hasText(label)).performTextReplacement(text)
        test.waitForIdle()
    }

    /** Adds [text] to the field labelled [label]. */
    fun append(label: String, text: String) {
        node(hasSetTextAction() and hasText(label)).performTextInput(text)
        test.waitForIdle()
    }

    /** Syncs now, from Settings, as a person would, waits for it to finish, and goes back to [then]. */
    fun syncNow(then: String) {
        tap(Strings.tabSettings)
        val before = phone.screens.settings.sync.lastSyncedAtMs
        tap(Strings.settingsSyncNow)
        phone.awaitView("a sync to finish") { view ->
            val settings = view.screens?.settings ?: return@awaitView false
            !settings.syncing && (settings.sync.lastSyncedAtMs != before || settings.sync.lastError != null)
        }
        check(phone.screens.settings.sync.lastError == null) { "${phone.name}: sync failed: ${phone.screens.settings.sync.lastError}" }
        tap(then)
    }
}

fun ComposeUiTest.on(phone: Phone) = OnPhone(this, phone)

/**
 * Both name themselves on the welcome screen and pair through the relay:
 * Alex shows a code, Sam types it, both see the same safety number and say
 * it matches. Returns the safety number.
 */
fun ComposeUiTest.pairByHand(couple: Couple): String {
    val alex = on(couple.alex)
    val sam = on(couple.sam)
    alex.waitFor(Strings.welcomeTitle)
    sam.waitFor(Strings.welcomeTitle)
    alex.type(Strings.welcomeName, "Alex")
    alex.tap(Strings.welcomeStart)
    sam.type(Strings.welcomeName, "Sam")
    sam.tap(Strings.welcomeStart)

    alex.waitFor(Strings.pairingTitle)
    sam.waitFor(Strings.pairingTitle)
    alex.tap(Strings.pairingShowCode)
    alex.waitFor(Strings.pairingShowCodeHelp)
    val code = (couple.alex.screens.pairing?.step as PairingStep.ShowCode).code
    alex.waitFor(code) // what Alex reads out is on Alex's screen
    sam.type(Strings.pairingEnterCode, code)
    sam.tap(Strings.pairingJoin)

    alex.waitFor(Strings.pairingCompare("Sam"))
    sam.waitFor(Strings.pairingCompare("Alex"))
    val number = (couple.alex.screens.pairing?.step as PairingStep.Compare).safetyNumber
    assertEquals("both phones show the same safety number", number, (couple.sam.screens.pairing?.step as PairingStep.Compare).safetyNumber)
    alex.waitFor(number)
    sam.waitFor(number)
    alex.tap(Strings.pairingMatch)
    sam.tap(Strings.pairingMatch)
    alex.waitFor(Strings.pairingDone)
    sam.waitFor(Strings.pairingDone)
    alex.tap(Strings.pairingContinue)
    sam.tap(Strings.pairingContinue)
    alex.waitFor(Strings.todayQuestion)
    sam.waitFor(Strings.todayQuestion)
    return number
}
