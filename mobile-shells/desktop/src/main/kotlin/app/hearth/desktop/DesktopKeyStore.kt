package app.hearth.desktop

import app.hearth.KeyStore
import app.hearth.KeyStoreException
import com.github.javakeyring.Keyring
import com.github.javakeyring.PasswordAccessException
import java.nio.file.Files
import java.nio.file.Path
import java.nio.file.StandardCopyOption
import java.util.Base64

/**
 * This device's keys in the operating system's credential store (Secret
 * Service on Linux, the Keychain on macOS, Credential Manager on Windows)
 * through java-keyring; [open] falls back to [FileKeyStore] (0600 files in
 * the profile) when the OS has none, as on a Linux machine without a
 * keyring daemon. Secrets are stored base64-encoded (the stores hold text),
 * under a service name tied to the profile's folder.
 */
class OsKeyStore private constructor(private val keyring: Keyring, private val service: String) : KeyStore {
    override fun load(name: String): ByteArray? = guard(name) {
        try {
            Base64.getDecoder().decode(keyring.getPassword(service, name))
        } catch (_: PasswordAccessException) {
            null // no such entry
        }
    }

    override fun store(name: String, secret: ByteArray) = guard(name) {
        keyring.setPassword(service, name, Base64.getEncoder().encodeToString(secret))
    }

    override fun delete(name: String) = guard(name) {
        try {
            keyring.deletePassword(service, name)
        } catch (_: PasswordAccessException) {
            // Already gone.
        }
    }

    private fun <T> guard(name: String, work: () -> T): T = try {
        work()
    } catch (e: PasswordAccessException) {
        throw KeyStoreException.Failed("the credential store refused $name: ${e.message}")
    } catch (e: RuntimeException) {
        throw KeyStoreException.Unavailable("the credential store is not reachable: ${e.message}")
    }

    companion object {
        /** The OS store if it answers a probe, else 0600 files in [files].keys. Says which in [kind]. */
        fun open(files: DesktopFiles): Pair<KeyStore, String> {
            val service = "Hearth " + files.root.toAbsolutePath().toString()
            val os = runCatching {
                val keyring = Keyring.create()
                // A round trip proves the store works (a Linux session may have no keyring daemon).
                keyring.setPassword(service, "probe", "ok")
                check(keyring.getPassword(service, "probe") == "ok")
                keyring.deletePassword(service, "probe")
                OsKeyStore(keyring, service)
            }.getOrNull()
            return if (os != null) os to "the system credential store" else FileKeyStore(files.keys) to "owner-only files in ${files.keys}"
        }
    }
}

/** Keys as files readable by the owner only (0600, in a 0700 folder), replaced atomically. */
class FileKeyStore(private val dir: Path) : KeyStore {
    override fun load(name: String): ByteArray? {
        val file = dir.resolve(name)
        return if (Files.exists(file)) Files.readAllBytes(file) else null
    }

    override fun store(name: String, secret: ByteArray) {
        Files.createDirectories(dir)
        DesktopFiles.ownerOnly(dir, directory = true)
        val temp = Files.createTempFile(dir, ".$name", ".tmp")
        DesktopFiles.ownerOnly(temp, directory = false)
        Files.write(temp, secret)
        Files.move(temp, dir.resolve(name), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING)
    }

    override fun delete(name: String) {
        Files.deleteIfExists(dir.resolve(name))
    }
}
