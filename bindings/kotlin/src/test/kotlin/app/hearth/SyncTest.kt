package app.hearth

import app.hearth.core.Event
import app.hearth.core.PartnerAnswer
import kotlinx.coroutines.CompletableDeferred
import kotlinx.coroutines.async
import kotlinx.coroutines.coroutineScope
import kotlinx.coroutines.delay
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.withTimeout
import org.junit.jupiter.api.AfterAll
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.BeforeAll
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.TestInstance
import org.junit.jupiter.api.assertThrows
import org.junit.jupiter.api.io.TempDir
import java.nio.file.Files
import java.nio.file.Path

/**
 * Two Hearth instances (two phones) pairing and syncing through a real
 * relay process: suspend calls in coroutines, and the live sync handle.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SyncTest {
    private lateinit var relay: Relay

    @TempDir
    lateinit var dir: Path

    @BeforeAll
    fun startRelay() {
        relay = Relay.start()
    }

    @AfterAll
    fun stopRelay() {
        relay.close()
    }

    /** A fresh phone: its own data folder (the class shares one temp folder), pointed at the relay. */
    private fun phone(name: String): Hearth =
        openProfile(Files.createTempDirectory(dir, name), name).also { it.setRelay(relay.url) }

    /** Pairs `host` (shows the code) and `joiner` (types it); returns both safety numbers. */
    private suspend fun pair(host: Hearth, joiner: Hearth): Pair<String, String> {
        val invite = host.startPairing()
        assertTrue(invite.code.matches(Regex("""\d+(-[a-z]+){3}""")), invite.code)
        return coroutineScope {
            val hosting = async { host.finishPairing() }
            val joining = async { joiner.joinPartner(invite.code) }
            val (onHost, onJoiner) = hosting.await() to joining.await()
            assertEquals(joiner.profile().me.name, onHost.partnerName)
            assertEquals(host.profile().me.name, onJoiner.partnerName)
            onHost.safetyNumber to onJoiner.safetyNumber
        }
    }

    private suspend fun eventually(what: String, check: () -> Boolean) {
        withTimeout(15_000) { while (!check()) delay(20) }
        assertTrue(check(), what)
    }

    @Test
    fun `a laptop linked with a code reads the journal and the partner sees it`() = runBlocking {
        phone("Robin").use { robin ->
            phone("Sam").use { sam ->
                withTimeout(30_000) { pair(robin, sam) }
                robin.writeEntry(shared("Robin wrote this before the laptop."))
                robin.syncNow()
                val invite = robin.startLinking()
                val folder = Files.createTempDirectory(dir, "laptop").resolve("profile")
                val (shown, linked) = withTimeout(30_000) {
                    coroutineScope {
                        val hosting = async { robin.finishLinking() }
                        val joining = async {
                            linkDevice(folder.toString(), relay.url, invite.code, "laptop")
                        }
                        hosting.await() to joining.await()
                    }
                }
                linked.hearth.use { laptop ->
                    assertEquals(shown, linked.result)
                    assertEquals("Robin", linked.result.memberName)
                    assertEquals("laptop", linked.result.deviceLabel)
                    assertEquals("Robin", laptop.profile().me.name)
                    laptop.syncNow()
                    assertTrue(laptop.syncStatus().paired)
                    val bodies = laptop.listEntries(everything(), 10u, null).entries.map { it.body }
                    assertEquals(listOf("Robin wrote this before the laptop."), bodies)
                    sam.syncNow()
                    val onSam = sam.devices().single { it.label == "laptop" }
                    assertEquals("Robin", onSam.memberName)
                    assertFalse(onSam.mine)
                    assertTrue(sam.syncStatus().notice!!.startsWith("Robin added a device (laptop)"))
                }
            }
        }
    }

    @Test
    fun `two phones pair, and an entry written on one arrives on the other`() = runBlocking {
        phone("Robin").use { a ->
            phone("Sam").use { b ->
                val (onA, onB) = withTimeout(30_000) { pair(a, b) }
                assertEquals(onA, onB)
                assertTrue(a.syncStatus().paired && b.syncStatus().paired)
                assertEquals("Robin", b.profile().partner?.name)

                val entry = a.writeEntry(shared("We found the little bakery again."))
                assertTrue(a.syncStatus().pending >= 1u)
                assertTrue(a.syncNow().pushed >= 1u)
                assertTrue(b.syncNow().pulled >= 1u)
                val arrived = b.entry(entry.id)
                assertEquals("We found the little bakery again.", arrived.body)
                assertEquals("Robin", arrived.author.name)
                assertFalse(arrived.author.isMe)
                assertEquals(0u, a.syncStatus().pending)
                assertTrue(b.syncStatus().lastSyncedAtMs != null)
            }
        }
    }

    @Test
    fun `the partner's answer is hidden until you answer, then revealed`() = runBlocking {
        val day = "2026-03-01"
        phone("Robin").use { a ->
            phone("Sam").use { b ->
                withTimeout(30_000) { pair(a, b) }
                assertEquals(a.dailyQuestion(day).question, b.dailyQuestion(day).question)
                a.answerDailyQuestion(day, "The sea, early in the morning.")
                a.syncNow()
                b.syncNow()
                assertEquals(PartnerAnswer.Hidden, b.dailyQuestion(day).answers.partner)
                val afterAnswering = b.answerDailyQuestion(day, "The mountains, with you.")
                assertEquals(PartnerAnswer.Shown("The sea, early in the morning."), afterAnswering.answers.partner)
                b.syncNow()
                a.syncNow()
                assertEquals(PartnerAnswer.Shown("The mountains, with you."), a.dailyQuestion(day).answers.partner)
            }
        }
    }

    @Test
    fun `live sync delivers an entry without asking, and stops when told`() = runBlocking {
        phone("Robin").use { a ->
            phone("Sam").use { b ->
                withTimeout(30_000) { pair(a, b) }
                val arrived = CompletableDeferred<String>()
                val listener = object : EventListener {
                    override fun onEvent(event: Event) {
                        if (event is Event.EntryChanged) arrived.complete(event.id)
                    }
                }
                b.subscribe(listener).use {
                    val liveA = a.startLiveSync()
                    val liveB = b.startLiveSync()
                    assertTrue(liveA.isRunning() && liveB.isRunning())
                    // Let B's live stream connect, as a phone in the foreground would be.
                    delay(300)
                    val entry = a.writeEntry(shared("Sent while both phones were open."))
                    // Neither phone calls syncNow: A's live sync sends it, B's brings it in.
                    assertEquals(entry.id, withTimeout(15_000) { arrived.await() })
                    assertEquals("Sent while both phones were open.", b.entry(entry.id).body)

                    liveB.stop()
                    liveB.stop()
                    eventually("B's live sync ended") { !liveB.isRunning() }
                    liveB.close()
                    // Closing a handle stops it too.
                    liveA.close()
                    delay(300)

                    val later = a.writeEntry(shared("Written after live sync stopped."))
                    delay(500)
                    assertTrue(a.syncStatus().pending >= 1u, "A's closed live sync still sent the entry")
                    a.syncNow()
                    delay(300)
                    assertThrows<HearthException.NotFound> { b.entry(later.id) }
                    b.syncNow()
                    assertEquals("Written after live sync stopped.", b.entry(later.id).body)
                }
            }
        }
    }

    @Test
    fun `pairing errors arrive as typed exceptions`() = runBlocking {
        phone("Robin").use { a ->
            assertThrows<HearthException.Pairing> { a.joinPartner("not-a-code") }
            assertThrows<HearthException.Pairing> { a.finishPairing() }
            assertThrows<HearthException.Sync> { a.syncNow() }
            assertThrows<HearthException.InvalidInput> { a.setRelay("relay without a scheme") }
            Unit
        }
    }
}
