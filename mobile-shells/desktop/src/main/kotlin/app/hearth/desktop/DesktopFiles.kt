package app.hearth.desktop

import java.nio.file.Files
import java.nio.file.Path
import java.nio.file.attribute.PosixFilePermissions

/**
 * Where Hearth keeps this person's profile on this computer: the platform's
 * own data folder (XDG_DATA_HOME/hearth on Linux, Application Support on
 * macOS, %APPDATA% on Windows), or HEARTH_HOME when set (tests, a second
 * profile). Only the owner may read it: the folders are 0700 and every file
 * in them 0600 where the file system has POSIX permissions.
 */
class DesktopFiles(val root: Path) {
    /** The core's data folder (SQLite database and documents). */
    val data: Path = root.resolve("data")

    /** The fallback key store's files, used when the OS has no credential store. */
    val keys: Path = root.resolve("keys")

    /**
     * Creates the folders owner-only and takes group and other access away
     * from whatever is in them. The core's SQLite files are created with the
     * process's umask (the JVM cannot set it), inside these 0700 folders;
     * this runs at start, once the profile is open, and at exit.
     */
    fun secure() {
        for (dir in listOf(root, keys, data)) {
            Files.createDirectories(dir)
            ownerOnly(dir, directory = true)
        }
        if (Files.isDirectory(data)) {
            Files.walk(data).use { paths -> paths.forEach { ownerOnly(it, directory = Files.isDirectory(it)) } }
        }
    }

    companion object {
        fun locate(env: Map<String, String> = System.getenv()): DesktopFiles {
            env["HEARTH_HOME"]?.takeIf { it.isNotBlank() }?.let { return DesktopFiles(Path.of(it)) }
            val home = Path.of(System.getProperty("user.home"))
            val os = System.getProperty("os.name").lowercase()
            val root = when {
                os.contains("mac") -> home.resolve("Library/Application Support/Hearth")
                os.contains("win") -> Path.of(env["APPDATA"] ?: home.resolve("AppData/Roaming").toString()).resolve("Hearth")
                else -> Path.of(env["XDG_DATA_HOME"]?.takeIf { it.isNotBlank() } ?: home.resolve(".local/share").toString()).resolve("hearth")
            }
            return DesktopFiles(root)
        }

        /** 0700 for a folder, 0600 for a file; nothing on file systems without POSIX permissions. */
        fun ownerOnly(path: Path, directory: Boolean) {
            runCatching {
                Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(if (directory) "rwx------" else "rw-------"))
            }
        }
    }
}
