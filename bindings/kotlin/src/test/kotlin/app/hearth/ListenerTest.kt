package app.hearth

import app.hearth.core.Event
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.io.TempDir
import java.nio.file.Path
import java.util.concurrent.CopyOnWriteArrayList

/** A Kotlin listener hears changes until its subscription handle is closed. */
class ListenerTest {
    @TempDir
    lateinit var dir: Path

    private class Recorder : EventListener {
        val events = CopyOnWriteArrayList<Event>()
        override fun onEvent(event: Event) {
            events.add(event)
        }
    }

    @Test
    fun `events arrive for writes and deletes, and stop after cancel`() {
        openProfile(dir).use { hearth ->
            val recorder = Recorder()
            val subscription = hearth.subscribe(recorder)
            val entry = hearth.writeEntry(shared("Dinner at the new place."))
            hearth.deleteEntry(entry.id)
            assertEquals(listOf(Event.EntryChanged(entry.id), Event.EntryRemoved(entry.id)), recorder.events.toList())

            assertTrue(subscription.isActive())
            subscription.cancel()
            assertFalse(subscription.isActive())
            hearth.writeEntry(shared("Nobody hears about this one."))
            assertEquals(2, recorder.events.size)
            subscription.close()
        }
    }

    @Test
    fun `closing the handle ends the subscription`() {
        openProfile(dir).use { hearth ->
            val recorder = Recorder()
            hearth.subscribe(recorder).use { hearth.writeEntry(shared("Heard.")) }
            hearth.writeEntry(shared("Not heard."))
            assertEquals(1, recorder.events.size)
        }
    }

    @Test
    fun `a listener may call back into Hearth`() {
        openProfile(dir).use { hearth ->
            val bodies = CopyOnWriteArrayList<String>()
            val listener = object : EventListener {
                override fun onEvent(event: Event) {
                    if (event is Event.EntryChanged) bodies.add(hearth.entry(event.id).body)
                }
            }
            hearth.subscribe(listener).use { hearth.writeEntry(shared("Read back from the listener.")) }
            assertEquals(listOf("Read back from the listener."), bodies.toList())
        }
    }
}
