package app.hearth.state

import app.hearth.core.Action
import app.hearth.core.AppView
import app.hearth.core.ExportFile
import app.hearth.core.ExportFormat
import app.hearth.core.AppPhase
import kotlinx.coroutines.flow.first
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.withTimeout
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.io.TempDir
import java.nio.file.Path
import java.util.concurrent.CopyOnWriteArrayList

/**
 * The adapter's seams over the real library: views arrive in the flow,
 * actions reach the core, effects reach the platform, and a platform that
 * fails does not stop the app. The rules themselves are tested in Rust.
 */
class AppModelTest {
    @TempDir
    lateinit var dir: Path

    private class RecordingPlatform(private val failing: Boolean = false) : Platform {
        val asked = CopyOnWriteArrayList<String>()
        val exports = CopyOnWriteArrayList<ExportFile>()

        private fun record(what: String) {
            asked.add(what)
            if (failing) throw IllegalStateException("the platform refused")
        }

        override fun deviceCanAuthenticate() = true
        override fun requestUnlock() = record("unlock")
        override fun requestNotificationPermission() = record("notifications")
        override fun notifyPartnerNews() = record("news")
        override fun saveExport(file: ExportFile) {
            exports.add(file)
            record("export")
        }
        override fun chooseExportToRestore() = record("choose export")
        override fun scheduleBackgroundSync(enabled: Boolean) = record("background $enabled")
        override fun erased() = record("erased")
    }

    private fun AppModel.awaitView(predicate: (AppView) -> Boolean): AppView = runBlocking {
        withTimeout(10_000) { view.first { it != null && predicate(it) }!! }
    }

    private fun AppModel.act(action: Action) {
        dispatch(action)
        runBlocking { settle() }
    }

    @Test
    fun `a new profile asks for a name, then shows its screens`() {
        AppModel.start(dir.resolve("profile").toString(), RecordingPlatform()).use { model ->
            assertEquals(AppPhase.Welcome(null), model.awaitView { it.phase != AppPhase.Starting }.phase)
            model.act(Action.Begin("Sam"))
            val view = model.awaitView { it.screens != null }
            assertEquals("Sam", view.screens!!.profile.me.name)
            assertNull(view.screens!!.today.problem)
        }
    }

    @Test
    fun `effects reach the platform and its answers come back as actions`() {
        val platform = RecordingPlatform()
        AppModel.start(dir.toString(), platform).use { model ->
            model.act(Action.Begin("Sam"))
            model.act(Action.SetPartnerNews(true))
            assertTrue("notifications" in platform.asked)
            assertFalse(model.awaitView { it.screens != null }.screens!!.settings.partnerNews)
            model.act(Action.NotificationPermission(true))
            assertTrue(model.awaitView { it.screens?.settings?.partnerNews == true }.screens!!.settings.partnerNews)

            model.act(Action.Export(ExportFormat.MARKDOWN))
            val file = platform.exports.single()
            assertTrue(file.fileName.endsWith(".md"))
            // The export's text never shows in its description.
            assertFalse(file.toString().contains("Hearth journal"))
        }
    }

    @Test
    fun `a platform that throws does not stop the app`() {
        val platform = RecordingPlatform(failing = true)
        AppModel.start(dir.toString(), platform).use { model ->
            model.act(Action.Begin("Sam"))
            model.act(Action.SetPartnerNews(true))
            model.act(Action.SetDisplayName("Sam Lee"))
            assertEquals("Sam Lee", model.awaitView { it.screens?.profile?.me?.name == "Sam Lee" }.screens!!.profile.me.name)
        }
    }

    @Test
    fun `closing twice is harmless and later actions are ignored`() {
        val model = AppModel.start(dir.toString(), RecordingPlatform())
        model.act(Action.Begin("Sam"))
        model.close()
        model.close()
        model.dispatch(Action.Compose)
    }
}
