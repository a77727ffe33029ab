package app.hearth

import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.assertThrows
import org.junit.jupiter.api.io.TempDir
import java.nio.file.Files
import java.nio.file.Path
import java.util.concurrent.ConcurrentHashMap

/** The device keys live in a key store written in Kotlin, as the apps' will be. */
class KeyStoreTest {
    @TempDir
    lateinit var dir: Path

    /** Stands in for the Android Keystore: secrets in a map. */
    private class MapKeyStore : KeyStore {
        val secrets = ConcurrentHashMap<String, ByteArray>()
        override fun load(name: String): ByteArray? = secrets[name]?.copyOf()
        override fun store(name: String, secret: ByteArray) {
            secrets[name] = secret.copyOf()
        }
        override fun delete(name: String) {
            secrets.remove(name)
        }
    }

    private class LockedKeyStore : KeyStore {
        override fun load(name: String): ByteArray? = throw KeyStoreException.Unavailable("the phone is locked")
        override fun store(name: String, secret: ByteArray) = throw KeyStoreException.Unavailable("the phone is locked")
        override fun delete(name: String) = throw KeyStoreException.Unavailable("the phone is locked")
    }

    private class BrokenKeyStore : KeyStore {
        override fun load(name: String): ByteArray? = throw IllegalStateException("keystore service crashed")
        override fun store(name: String, secret: ByteArray) = throw IllegalStateException("keystore service crashed")
        override fun delete(name: String) = throw IllegalStateException("keystore service crashed")
    }

    @Test
    fun `keys are kept in the Kotlin store, not in files`() {
        val store = MapKeyStore()
        val device = openProfile(dir, "Ana", store).use { it.profile().deviceId }
        assertTrue(store.secrets.isNotEmpty())
        assertFalse(Files.exists(dir.resolve("keys")), "no key files beside a platform store")
        openProfile(dir, keyStore = store).use { assertEquals(device, it.profile().deviceId) }
    }

    @Test
    fun `a different store means a different device`() {
        val first = openProfile(dir.resolve("a"), keyStore = MapKeyStore()).use { it.profile().deviceId }
        val second = openProfile(dir.resolve("b"), keyStore = MapKeyStore()).use { it.profile().deviceId }
        assertTrue(first != second)
    }

    @Test
    fun `a locked store surfaces as a key store error`() {
        val error = assertThrows<HearthException.KeyStore> { openProfile(dir, keyStore = LockedKeyStore()) }
        assertTrue(error.reason.contains("the phone is locked"), error.reason)
    }

    @Test
    fun `an unexpected exception in the store is reported, not a crash`() {
        val error = assertThrows<HearthException.KeyStore> { openProfile(dir, keyStore = BrokenKeyStore()) }
        assertTrue(error.reason.contains("unexpectedly"), error.reason)
    }
}
