package app.hearth

import kotlinx.coroutines.async
import kotlinx.coroutines.awaitAll
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.withTimeout
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.io.TempDir
import java.nio.file.Path

/** Suspending calls: Rust futures on the tokio runtime, awaited from coroutines. */
class AsyncTest {
    @TempDir
    lateinit var dir: Path

    @Test
    fun `exports are suspend functions that return the journal`() = runBlocking {
        openProfile(dir, "Ana").use { hearth ->
            hearth.writeEntry(shared("We planted tomatoes on the balcony."))
            val markdown = withTimeout(10_000) { hearth.exportMarkdown() }
            assertTrue(markdown.contains("We planted tomatoes on the balcony."), markdown)
            val json = withTimeout(10_000) { hearth.exportJson() }
            assertTrue(json.contains("We planted tomatoes on the balcony."), json)
        }
    }

    @Test
    fun `many exports run at once without blocking each other`() = runBlocking {
        openProfile(dir).use { hearth ->
            repeat(5) { hearth.writeEntry(shared("Evening walk number $it.")) }
            val exports = (1..8).map { async { hearth.exportMarkdown() } }.awaitAll()
            assertEquals(1, exports.map { it.length }.toSet().size)
            assertTrue(exports.all { it.contains("Evening walk number 4.") })
        }
    }
}
