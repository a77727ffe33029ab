package app.hearth.state

import app.hearth.HearthException
import kotlinx.coroutines.ExperimentalCoroutinesApi
import kotlinx.coroutines.test.runCurrent
import kotlinx.coroutines.test.runTest
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test

@OptIn(ExperimentalCoroutinesApi::class)
class SettingsAndSafetyTest {
    @Test
    fun `the export is handed over once and never printed`() = runTest {
        val core = FakeCore()
        val preferences = FakePreferences()
        val model = SettingsModel(core, backgroundScope, preferences, AppLock(preferences, { 0 }))
        model.export(ExportFormat.MARKDOWN)
        runCurrent()
        val exported = model.state.value.exported!!
        assertEquals("# Our journal\n", exported.text)
        assertFalse(exported.toString().contains("Our journal"), "the journal's words stay out of logs")
        assertFalse(model.state.value.exporting)
        model.exportHandled()
        assertNull(model.state.value.exported)
    }

    @Test
    fun `a failed sync still shows the status the core recorded`() = runTest {
        val core = FakeCore()
        core.failures["syncNow"] = HearthException.Sync("the relay could not be reached")
        core.status = core.status.copy(paired = true, lastError = "the relay could not be reached")
        val preferences = FakePreferences()
        val model = SettingsModel(core, backgroundScope, preferences, AppLock(preferences, { 0 }))
        model.syncNow()
        runCurrent()
        assertFalse(model.state.value.syncing)
        assertEquals("the relay could not be reached", model.state.value.sync?.lastError)
        assertEquals(ProblemKind.SYNC, model.state.value.problem?.kind)
    }

    @Test
    fun `app lock and notifications are this phone's preferences`() = runTest {
        val core = FakeCore()
        val preferences = FakePreferences()
        val lock = AppLock(preferences, { 0 })
        val model = SettingsModel(core, backgroundScope, preferences, lock)
        model.setAppLock(true)
        model.setPartnerNews(false)
        assertTrue(preferences.appLockEnabled)
        assertFalse(preferences.partnerNewsNotifications)
        assertTrue(model.state.value.appLock)
        assertTrue(core.calls.isEmpty(), "the core is not involved")
    }

    @Test
    fun `the safety check sends only the answers given, in the check's order, and can be erased`() = runTest {
        val core = FakeCore()
        val model = SafetyModel(core, backgroundScope)
        model.refresh()
        runCurrent()
        assertEquals("A helpline", model.state.value.check?.resources?.single()?.title, "help is there before any answer")

        model.answer("s-now", false)
        model.answer("s-afraid", true)
        model.submit()
        runCurrent()
        assertTrue(core.calls.contains("recordSafetyCheck([SafetyAnswer(itemId=s-afraid, yes=true), SafetyAnswer(itemId=s-now, yes=false)])"))
        val outcome = model.state.value.outcome!!
        assertTrue(outcome.concern)
        assertFalse(outcome.urgent)
        assertTrue(model.state.value.answers.isEmpty(), "answers are not kept once recorded")

        model.erase()
        runCurrent()
        assertNull(model.state.value.outcome)
        assertNull(core.safetyOutcomeHeld)
    }
}
