package app.hearth

import app.hearth.core.EntryFilter
import app.hearth.core.NewEntry
import app.hearth.core.Visibility
import java.nio.file.Path

/** A filter that lets every entry through. */
fun everything() = EntryFilter(author = null, sinceMs = null, untilMs = null, emotion = null, visibility = null)

/** A shared entry with just a body. */
fun shared(body: String, title: String? = null) =
    NewEntry(title = title, body = body, emotions = emptyList(), link = null, visibility = Visibility.SHARED)

/** Opens a profile in `dir`, with key files in the folder unless a store is given. */
fun openProfile(dir: Path, name: String? = null, keyStore: KeyStore? = null): Hearth =
    Hearth.open(dir.toString(), name, keyStore)
