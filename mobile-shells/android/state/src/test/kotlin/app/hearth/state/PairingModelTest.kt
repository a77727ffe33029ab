package app.hearth.state

import app.hearth.HearthException
import app.hearth.core.PairingResult
import kotlinx.coroutines.ExperimentalCoroutinesApi
import kotlinx.coroutines.test.runCurrent
import kotlinx.coroutines.test.runTest
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test

@OptIn(ExperimentalCoroutinesApi::class)
class PairingModelTest {
    @Test
    fun `showing a code waits for the partner, then both compare the safety number`() = runTest {
        val core = FakeCore()
        var paired = 0
        val model = PairingModel(core, backgroundScope) { paired++ }
        model.offer()
        model.showCode()
        runCurrent()
        assertEquals(PairingStep.ShowCode("4821-river-lantern-moss", 600_000), model.state.value.step)

        core.partnerJoins.complete(PairingResult("Ben", "1234 5678 9012"))
        runCurrent()
        assertEquals(PairingStep.Compare("Ben", "1234 5678 9012"), model.state.value.step)
        assertEquals(0, paired, "paired only once the person confirms the numbers")

        model.confirmMatch()
        assertEquals(PairingStep.Paired, model.state.value.step)
        assertEquals(1, paired)
    }

    @Test
    fun `cancelling stops waiting for the partner`() = runTest {
        val core = FakeCore()
        val model = PairingModel(core, backgroundScope) {}
        model.showCode()
        runCurrent()
        model.cancel()
        runCurrent()
        assertEquals(PairingStep.Choose, model.state.value.step)
        // The partner typing the code now changes nothing here.
        core.partnerJoins.complete(PairingResult("Ben", "1"))
        runCurrent()
        assertEquals(PairingStep.Choose, model.state.value.step)
    }

    @Test
    fun `a code that cannot be used goes back to the choice with the core's reason`() = runTest {
        val core = FakeCore()
        val model = PairingModel(core, backgroundScope) {}
        model.enterCode("river-lantern")
        runCurrent()
        assertEquals(PairingStep.Choose, model.state.value.step)
        assertEquals(ProblemKind.INVALID_INPUT, model.state.value.problem?.kind)

        model.enterCode(" 4821-river-lantern-moss ")
        runCurrent()
        assertTrue(core.calls.contains("joinPartner(4821-river-lantern-moss)"), "the code is trimmed")
        assertEquals(PairingStep.Compare("Ben", "1234 5678 9012"), model.state.value.step)
    }

    @Test
    fun `a relay failure while waiting lands back on the choice`() = runTest {
        val core = FakeCore()
        core.failures["startPairing"] = HearthException.Sync("the relay could not be reached")
        val model = PairingModel(core, backgroundScope) {}
        model.showCode()
        runCurrent()
        assertEquals(PairingStep.Choose, model.state.value.step)
        assertEquals(Problem(ProblemKind.SYNC, "the relay could not be reached"), model.state.value.problem)
    }

    @Test
    fun `numbers that differ make this phone leave at once`() = runTest {
        val core = FakeCore()
        val model = PairingModel(core, backgroundScope) {}
        model.enterCode("4821-river-lantern-moss")
        runCurrent()
        model.reportMismatch()
        runCurrent()
        assertTrue(core.calls.contains("leaveSpace()"))
        assertEquals(PairingStep.Mismatch, model.state.value.step)
        assertFalse(model.state.value.busy)
    }
}
