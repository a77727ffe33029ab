package app.hearth.ui

import java.net.HttpURLConnection
import java.net.ServerSocket
import java.net.URI
import java.nio.file.Files
import java.nio.file.Path
import java.util.concurrent.TimeUnit

/**
 * A real hearth-relay process on a free loopback port with a temporary
 * SQLite file, for the tests where two app instances pair and sync.
 * run-tests builds the binary and passes its path as `hearth.relay.bin`.
 */
class Relay private constructor(private val process: Process, val url: String, private val dir: Path) : AutoCloseable {
    companion object {
        fun start(): Relay {
            val binary = System.getProperty("hearth.relay.bin")
                ?: error("hearth.relay.bin is not set: run the tests through mobile-shells/ui/run-tests")
            check(Files.isExecutable(Path.of(binary))) { "no relay binary at $binary: run-tests builds it" }
            val dir = Files.createTempDirectory("hearth-ui-relay")
            // Ask the OS for a free port, then hand it to the relay.
            val port = ServerSocket(0).use { it.localPort }
            val process = ProcessBuilder(
                binary,
                "--listen", "127.0.0.1:$port",
                "--database", dir.resolve("relay.db").toString(),
                "--log", "warn",
            ).redirectErrorStream(true)
                .redirectOutput(dir.resolve("relay.log").toFile())
                .start()
            val relay = Relay(process, "http://127.0.0.1:$port", dir)
            relay.awaitHealthy()
            return relay
        }
    }

    private fun awaitHealthy() {
        val deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20)
        while (System.nanoTime() < deadline) {
            check(process.isAlive) { "the relay exited at start: ${Files.readString(dir.resolve("relay.log"))}" }
            try {
                val connection = URI("$url/healthz").toURL().openConnection() as HttpURLConnection
                connection.connectTimeout = 500
                if (connection.responseCode == 200) return
            } catch (_: java.io.IOException) {
                // Not listening yet.
            }
            Thread.sleep(50)
        }
        close()
        error("the relay did not answer on $url within 20 s")
    }

    override fun close() {
        process.destroy()
        if (!process.waitFor(10, TimeUnit.SECONDS)) process.destroyForcibly()
        dir.toFile().deleteRecursively()
    }
}
