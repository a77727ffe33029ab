package app.hearth.state

import app.hearth.HearthException
import app.hearth.core.Event
import kotlinx.coroutines.ExperimentalCoroutinesApi
import kotlinx.coroutines.test.TestScope
import kotlinx.coroutines.test.runCurrent
import kotlinx.coroutines.test.runTest
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertInstanceOf
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test

@OptIn(ExperimentalCoroutinesApi::class)
class HearthModelTest {
    private val relay = "https://relay.hearth.example"

    private fun TestScope.model(opener: FakeOpener, preferences: FakePreferences = FakePreferences()) =
        HearthModel(opener, backgroundScope, { DAY }, preferences, relay, clock = { testScheduler.currentTime })

    private fun HearthModel.session() = (phase.value as AppPhase.Ready).session

    @Test
    fun `a phone without Hearth asks for a name, then opens with it and offers pairing`() = runTest {
        val opener = FakeOpener(setUp = false)
        val model = model(opener)
        model.start()
        runCurrent()
        assertEquals(AppPhase.Welcome, model.phase.value)
        assertTrue(opener.openedWith.isEmpty(), "nothing is opened before the person gives a name")

        model.begin("Ana")
        runCurrent()
        assertEquals(listOf<String?>("Ana"), opener.openedWith)
        val session = model.session()
        assertTrue(session.pairing.state.value.visible)
        assertEquals(relay, opener.core.status.relayUrl, "the default relay is set so pairing works at once")
        assertTrue(opener.core.listening)
    }

    @Test
    fun `a phone with Hearth opens without renaming and does not push pairing`() = runTest {
        val opener = FakeOpener(setUp = true)
        opener.core.status = opener.core.status.copy(relayUrl = "https://own.relay.example")
        val model = model(opener)
        model.start()
        runCurrent()
        assertEquals(listOf<String?>(null), opener.openedWith)
        assertFalse(model.session().pairing.state.value.visible)
        assertEquals("https://own.relay.example", opener.core.status.relayUrl, "a chosen relay is kept")
    }

    @Test
    fun `a locked key store shows why and can be retried`() = runTest {
        val opener = FakeOpener(setUp = true)
        opener.failure = HearthException.KeyStore("the key store is not available (locked); unlock the device and try again")
        val model = model(opener)
        model.start()
        runCurrent()
        val failed = assertInstanceOf(AppPhase.Failed::class.java, model.phase.value)
        assertEquals(ProblemKind.KEY_STORE, failed.problem.kind)

        opener.failure = null
        model.retry()
        runCurrent()
        assertInstanceOf(AppPhase.Ready::class.java, model.phase.value)
    }

    @Test
    fun `a refused name goes back to the name screen with the core's reason`() = runTest {
        val opener = FakeOpener(setUp = false)
        opener.failure = HearthException.InvalidInput("a name has 1 to 40 characters")
        val model = model(opener)
        model.begin("   ")
        runCurrent()
        assertEquals(AppPhase.Welcome, model.phase.value)
        assertEquals(Problem(ProblemKind.INVALID_INPUT, "a name has 1 to 40 characters"), model.welcomeProblem.value)
    }

    @Test
    fun `erasing everything leaves the space, closes the core, then deletes the data`() = runTest {
        val opener = FakeOpener(setUp = true)
        val core = opener.core
        core.status = core.status.copy(paired = true, relayUrl = relay)
        val preferences = FakePreferences(appLockEnabled = true)
        val model = model(opener, preferences)
        model.start()
        runCurrent()

        model.eraseEverything()
        runCurrent()
        assertTrue(core.calls.contains("leaveSpace()"))
        assertTrue(core.closed)
        assertEquals(1, opener.erased)
        assertEquals(1, preferences.cleared)
        assertFalse(model.lock.enabled)
        assertEquals(AppPhase.Welcome, model.phase.value)
        assertEquals(Erasing.No, model.erasing.value)
    }

    @Test
    fun `when leaving fails nothing is erased until the person says so`() = runTest {
        val opener = FakeOpener(setUp = true)
        val core = opener.core
        core.status = core.status.copy(paired = true, relayUrl = relay)
        core.failures["leaveSpace"] = HearthException.Sync("the relay could not be reached")
        val model = model(opener)
        model.start()
        runCurrent()

        model.eraseEverything()
        runCurrent()
        val failed = assertInstanceOf(Erasing.LeaveFailed::class.java, model.erasing.value)
        assertEquals(ProblemKind.SYNC, failed.problem.kind)
        assertFalse(core.closed)
        assertEquals(0, opener.erased)
        assertInstanceOf(AppPhase.Ready::class.java, model.phase.value)

        model.eraseEverything(leaveFirst = false)
        runCurrent()
        assertEquals(1, opener.erased)
        assertEquals(AppPhase.Welcome, model.phase.value)
    }

    @Test
    fun `an unpaired phone erases without asking the relay`() = runTest {
        val opener = FakeOpener(setUp = true)
        val core = opener.core
        val model = model(opener)
        model.start()
        runCurrent()
        model.eraseEverything()
        runCurrent()
        assertFalse(core.calls.contains("leaveSpace()"))
        assertEquals(1, opener.erased)
    }

    @Test
    fun `live sync runs only while the app is in front and paired`() = runTest {
        val opener = FakeOpener(setUp = true)
        val core = opener.core
        val model = model(opener)
        model.start()
        runCurrent()
        model.onForeground()
        runCurrent()
        assertEquals(0, core.liveStarted, "not paired yet")

        // Pairing finishes on this phone: the core reports the sync status changed.
        core.status = core.status.copy(paired = true)
        core.emit(Event.SyncStatusChanged)
        runCurrent()
        assertEquals(1, core.liveStarted)

        model.onBackground()
        runCurrent()
        assertEquals(1, core.liveStopped)

        model.onForeground()
        runCurrent()
        assertEquals(2, core.liveStarted)
    }

    @Test
    fun `closing the model ends the subscription and closes the core`() = runTest {
        val opener = FakeOpener(setUp = true)
        val model = model(opener)
        model.start()
        runCurrent()
        model.close()
        assertFalse(opener.core.listening)
        assertTrue(opener.core.closed)
    }
}
