package app.hearth

import app.hearth.core.Emotion
import app.hearth.core.NewEntry
import app.hearth.core.Visibility
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.assertThrows
import org.junit.jupiter.api.io.TempDir
import java.nio.file.Path

/** Opening a profile and the journal's calls, through the generated Kotlin. */
class JournalTest {
    @TempDir
    lateinit var dir: Path

    @Test
    fun `open sets the name and keeps the device across a reopen`() {
        val device = openProfile(dir, "Ana").use { hearth ->
            val profile = hearth.profile()
            assertEquals("Ana", profile.me.name)
            assertTrue(profile.me.isMe)
            assertNull(profile.partner)
            profile.deviceId
        }
        openProfile(dir).use { again ->
            assertEquals(device, again.profile().deviceId)
            assertEquals("Ana", again.profile().me.name)
        }
    }

    @Test
    fun `write, list, search and delete entries`() {
        openProfile(dir, "Ana").use { hearth ->
            val picnic = hearth.writeEntry(
                NewEntry(
                    title = "Sunday",
                    body = "A picnic by the lake, and you brought the good cheese.",
                    emotions = listOf(Emotion.JOYFUL, Emotion.GRATEFUL),
                    link = null,
                    visibility = Visibility.SHARED,
                ),
            )
            val quiet = hearth.writeEntry(shared("A quiet evening reading side by side."))
            assertEquals("Sunday", picnic.title)
            assertEquals(listOf(Emotion.JOYFUL, Emotion.GRATEFUL), picnic.emotions)
            assertEquals("Ana", picnic.author.name)

            val page = hearth.listEntries(everything(), 10u, null)
            assertEquals(setOf(picnic.id, quiet.id), page.entries.map { it.id }.toSet())
            assertNull(page.next)

            val firstPage = hearth.listEntries(everything(), 1u, null)
            assertEquals(1, firstPage.entries.size)
            val secondPage = hearth.listEntries(everything(), 1u, firstPage.next)
            assertEquals(1, secondPage.entries.size)
            assertTrue(firstPage.entries[0].id != secondPage.entries[0].id)

            val hits = hearth.searchEntries("cheese", everything(), 10u)
            assertEquals(listOf(picnic.id), hits.map { it.entry.id })
            assertTrue(hits[0].excerpt.contains("[cheese]"), hits[0].excerpt)

            // An edit of a shared entry is a new document (the old words
            // leave every side), so the entry comes back with a new id.
            val edited = hearth.editEntry(picnic.id, app.hearth.core.EntryUpdate(null, "A picnic by the lake.", emptyList()))
            assertEquals("A picnic by the lake.", hearth.entry(edited.id).body)
            assertNull(edited.title)

            hearth.deleteEntry(edited.id)
            assertEquals(listOf(quiet.id), hearth.listEntries(everything(), 10u, null).entries.map { it.id })
            assertTrue(hearth.searchEntries("cheese", everything(), 10u).isEmpty())
        }
    }

    @Test
    fun `core errors arrive as typed exceptions with a reason`() {
        openProfile(dir).use { hearth ->
            val empty = assertThrows<HearthException.InvalidInput> { hearth.writeEntry(shared("   ")) }
            assertTrue(empty.reason.contains("empty"), empty.reason)

            val missing = assertThrows<HearthException.NotFound> { hearth.entry("no-such-entry") }
            assertTrue(missing.reason.contains("no-such-entry"), missing.reason)

            val private = hearth.writeEntry(
                NewEntry(null, "Just for me.", emptyList(), null, Visibility.PRIVATE),
            )
            assertThrows<HearthException.NotAllowed> { hearth.addComment(private.id, "Nice") }

            assertThrows<HearthException.InvalidInput> { hearth.setDisplayName("") }
        }
    }
}
