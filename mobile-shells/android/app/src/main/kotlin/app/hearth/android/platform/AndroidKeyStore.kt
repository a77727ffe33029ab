package app.hearth.android.platform

import android.os.Build
import android.security.keystore.KeyGenParameterSpec
import android.security.keystore.KeyProperties
import android.security.keystore.UserNotAuthenticatedException
import app.hearth.KeyStore
import app.hearth.KeyStoreException
import java.io.File
import java.io.IOException
import java.security.GeneralSecurityException
import java.security.ProviderException
import javax.crypto.Cipher
import javax.crypto.KeyGenerator
import javax.crypto.SecretKey
import javax.crypto.spec.GCMParameterSpec

/**
 * The core's [KeyStore] on the Android Keystore. The Keystore holds one
 * AES-256 key that never leaves it (in StrongBox where the phone has one);
 * each secret the core stores (this device's keys, the couple's space key)
 * is sealed with it (AES-GCM, the entry name as associated data, so a
 * sealed file cannot be passed off under another name) and written to
 * [folder], which is in the app's no-backup storage.
 *
 * Writes are atomic (a temporary file renamed over the old one), as the
 * trait asks. Errors name the entry and the platform's exception type,
 * never a secret.
 */
class AndroidKeyStore(private val folder: File) : KeyStore {
    override fun load(name: String): ByteArray? = guarded(name) {
        val file = File(folder, "$name.sealed")
        if (!file.isFile) return@guarded null
        val sealed = file.readBytes()
        if (sealed.size <= IV_BYTES) throw KeyStoreException.Failed("the sealed entry '$name' is damaged")
        val cipher = Cipher.getInstance(TRANSFORMATION)
        cipher.init(Cipher.DECRYPT_MODE, wrappingKey(), GCMParameterSpec(TAG_BITS, sealed, 0, IV_BYTES))
        cipher.updateAAD(name.toByteArray())
        cipher.doFinal(sealed, IV_BYTES, sealed.size - IV_BYTES)
    }

    override fun store(name: String, secret: ByteArray) = guarded(name) {
        val cipher = Cipher.getInstance(TRANSFORMATION)
        // The Keystore picks the IV; a caller-chosen one is refused.
        cipher.init(Cipher.ENCRYPT_MODE, wrappingKey())
        cipher.updateAAD(name.toByteArray())
        val sealed = cipher.iv + cipher.doFinal(secret)
        folder.mkdirs()
        val temporary = File(folder, "$name.sealed.tmp")
        temporary.outputStream().use { out ->
            out.write(sealed)
            out.fd.sync()
        }
        if (!temporary.renameTo(File(folder, "$name.sealed"))) {
            temporary.delete()
            throw KeyStoreException.Failed("could not replace the sealed entry '$name'")
        }
    }

    override fun delete(name: String) = guarded(name) {
        val file = File(folder, "$name.sealed")
        if (file.exists() && !file.delete()) throw KeyStoreException.Failed("could not delete the sealed entry '$name'")
    }

    /** Deletes every sealed entry and the wrapping key: part of erasing everything. */
    fun eraseAll() {
        folder.deleteRecursively()
        val keystore = java.security.KeyStore.getInstance(PROVIDER).apply { load(null) }
        if (keystore.containsAlias(ALIAS)) keystore.deleteEntry(ALIAS)
    }

    private fun <T> guarded(name: String, work: () -> T): T = try {
        work()
    } catch (e: KeyStoreException) {
        throw e
    } catch (e: UserNotAuthenticatedException) {
        throw KeyStoreException.Unavailable("the Android Keystore needs the phone unlocked")
    } catch (e: GeneralSecurityException) {
        throw KeyStoreException.Failed("the Android Keystore refused '$name' (${e.javaClass.simpleName})")
    } catch (e: IOException) {
        throw KeyStoreException.Failed("could not read or write the sealed entry '$name' (${e.javaClass.simpleName})")
    }

    @Synchronized
    private fun wrappingKey(): SecretKey {
        val keystore = java.security.KeyStore.getInstance(PROVIDER).apply { load(null) }
        (keystore.getKey(ALIAS, null) as? SecretKey)?.let { return it }
        if (Build.VERSION.SDK_INT < Build.VERSION_CODES.P) return generate(strongBox = false)
        return try {
            generate(strongBox = true)
        } catch (e: ProviderException) {
            // StrongBoxUnavailableException (API 28) is a ProviderException:
            // this phone has no StrongBox, so the key lives in the TEE.
            generate(strongBox = false)
        }
    }

    private fun generate(strongBox: Boolean): SecretKey {
        val spec = KeyGenParameterSpec.Builder(ALIAS, KeyProperties.PURPOSE_ENCRYPT or KeyProperties.PURPOSE_DECRYPT)
            .setBlockModes(KeyProperties.BLOCK_MODE_GCM)
            .setEncryptionPaddings(KeyProperties.ENCRYPTION_PADDING_NONE)
            .setKeySize(256)
            .setRandomizedEncryptionRequired(true)
            // Usable after the first unlock since boot, so background sync
            // works while the phone is locked (the same as iOS's
            // AfterFirstUnlockThisDeviceOnly).
            .setUserAuthenticationRequired(false)
            .apply { if (Build.VERSION.SDK_INT >= Build.VERSION_CODES.P) setIsStrongBoxBacked(strongBox) }
            .build()
        val generator = KeyGenerator.getInstance(KeyProperties.KEY_ALGORITHM_AES, PROVIDER)
        generator.init(spec)
        return generator.generateKey()
    }

    private companion object {
        const val PROVIDER = "AndroidKeyStore"
        const val ALIAS = "app.hearth.wrapping-key"
        const val TRANSFORMATION = "AES/GCM/NoPadding"
        const val IV_BYTES = 12
        const val TAG_BITS = 128
    }
}
