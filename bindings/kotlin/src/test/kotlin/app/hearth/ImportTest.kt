package app.hearth

import kotlinx.coroutines.runBlocking
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.assertThrows
import org.junit.jupiter.api.io.TempDir
import java.nio.file.Files
import java.nio.file.Path

/** Restoring a JSON export into a new profile, through the generated Kotlin. */
class ImportTest {
    @TempDir
    lateinit var dir: Path

    @Test
    fun `an export comes back in a new profile and a bad file changes nothing`() {
        val old = dir.resolve("old")
        val export = openProfile(old, "Ana").use { hearth ->
            hearth.writeEntry(shared("Kept through an export.", title = "Spring"))
            runBlocking { hearth.exportJson() }
        }

        val fresh = dir.resolve("fresh")
        Files.createDirectories(fresh)
        val refused = assertThrows<HearthException.InvalidInput> {
            Hearth.importFromBytes(fresh.toString(), "# a Markdown export".toByteArray(), null)
        }
        assertTrue(refused.reason.contains("not a Hearth JSON export"), refused.reason)
        assertEquals(0L, Files.list(fresh).use { it.count() }, "nothing was written")

        Hearth.importFromBytes(fresh.toString(), export.toByteArray(), null).use { restored ->
            assertEquals("Ana", restored.profile().me.name)
            assertNull(restored.profile().partner, "a restored profile pairs again")
            val entries = restored.listEntries(everything(), 10u, null).entries
            assertEquals(listOf("Spring"), entries.map { it.title })
        }
        // A profile in use is never written over.
        val inUse = assertThrows<HearthException.NotAllowed> {
            Hearth.importFromBytes(fresh.toString(), export.toByteArray(), null)
        }
        assertFalse(inUse.reason.isEmpty())
    }
}
