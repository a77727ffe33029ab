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
class Relay private constructor(private val port: Int, private val dir: Path) : AutoCloseable {
    val url = "http://127.0.0.1:$port"
    private var process: Process = launch()

    companion object {
        fun start(): Relay {
            val dir = Files.createTempDirectory("hearth-ui-relay")
            // Ask the OS for a free port, then hand it to the relay.
            val port = ServerSocket(0).use { it.localPort }
            return Relay(port, dir).also { it.awaitHealthy() }
        }
    }

    private fun launch(): Process {
        val binary = System.getProperty("hearth.relay.bin")
            ?: error("hearth.relay.bin is not set: run the tests through mobile-shells/ui/run-tests")
        check(Files.isExecutable(Path.of(binary))) { "no relay binary at $binary: run-tests builds it" }
        return ProcessBuilder(
            binary,
            "--listen", "127.0.0.1:$port",
            "--database", dir.resolve("relay.db").toString(),
            "--log", "warn",
        ).redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("relay.log").toFile()))
            .start()
    }

    /** The relay goes away (the phones are offline); its database stays for [resume]. */
    fun suspend() {
        process.destroy()
        if (!process.waitFor(10, TimeUnit.SECONDS)) process.destroyForcibly()
    }

    /** The relay comes back on the same address with what it held. */
    fun resume() {
        process = launch()
        awaitHealthy()
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
        suspend()
        dir.toFile().deleteRecursively()
    }
}
