package app.hearth.state

import app.hearth.HearthException
import kotlinx.coroutines.CancellationException
import kotlinx.coroutines.test.runTest
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.assertThrows

class LockSyncAndProblemTest {
    @Test
    fun `the lock shows at launch and after the grace period, never when turned off`() {
        var now = 0L
        val preferences = FakePreferences(appLockEnabled = true)
        val lock = AppLock(preferences, { now }, graceMs = 30_000)
        assertTrue(lock.locked.value, "locked at launch")
        lock.unlocked()
        assertFalse(lock.locked.value)

        lock.onBackground()
        now += 29_999
        lock.onForeground()
        assertFalse(lock.locked.value, "a quick switch does not lock")

        lock.onBackground()
        now += 30_000
        lock.onForeground()
        assertTrue(lock.locked.value)

        lock.setEnabled(false)
        assertFalse(lock.locked.value, "turning it off unlocks")
        lock.onBackground()
        now += 600_000
        lock.onForeground()
        assertFalse(lock.locked.value)
        assertFalse(AppLock(FakePreferences(appLockEnabled = false), { 0 }).locked.value)
    }

    @Test
    fun `background sync notifies only when something arrived and the person allowed it`() = runTest {
        val core = FakeCore()
        assertEquals(BackgroundSyncResult(BackgroundSyncOutcome.NOTHING_TO_DO, false), backgroundSync(core, true))
        assertFalse(core.calls.contains("syncNow()"), "an unpaired phone has nothing to sync")

        core.status = core.status.copy(paired = true)
        assertEquals(BackgroundSyncResult(BackgroundSyncOutcome.SYNCED, false), backgroundSync(core, true))

        core.report = core.report.copy(pulled = 3u)
        assertEquals(BackgroundSyncResult(BackgroundSyncOutcome.SYNCED, true), backgroundSync(core, true))
        assertEquals(BackgroundSyncResult(BackgroundSyncOutcome.SYNCED, false), backgroundSync(core, false))

        core.failures["syncNow"] = HearthException.Sync("the relay could not be reached")
        assertEquals(BackgroundSyncResult(BackgroundSyncOutcome.RETRY_LATER, false), backgroundSync(core, true))

        core.status = core.status.copy(closed = true)
        assertEquals(BackgroundSyncResult(BackgroundSyncOutcome.NOTHING_TO_DO, false), backgroundSync(core, true))
    }

    @Test
    fun `background sync lets the system's cancellation through`() = runTest {
        val core = FakeCore()
        core.status = core.status.copy(paired = true)
        core.failures["syncNow"] = CancellationException("stopped by the system")
        assertThrows<CancellationException> { backgroundSync(core, true) }
    }

    @Test
    fun `core failures keep their kind and reason, other failures keep neither text nor detail`() {
        assertEquals(Problem(ProblemKind.NOT_FOUND, "gone"), HearthException.NotFound("gone").toProblem())
        assertEquals(Problem(ProblemKind.NOT_ALLOWED, "no"), HearthException.NotAllowed("no").toProblem())
        assertEquals(Problem(ProblemKind.UPDATE_REQUIRED, "newer"), HearthException.UpdateRequired("newer").toProblem())
        assertEquals(Problem(ProblemKind.STORAGE, "full"), HearthException.Storage("full").toProblem())
        assertEquals(Problem(ProblemKind.INTERNAL, "bug"), HearthException.Internal("bug").toProblem())
        // A message we did not write may hold anything, so it is dropped.
        assertEquals(Problem(ProblemKind.INTERNAL, null), IllegalStateException("Dear Ben, ...").toProblem())
        assertThrows<CancellationException> { CancellationException("stop").toProblem() }
    }
}
