package app.hearth.state

import app.hearth.HearthException
import kotlinx.coroutines.CancellationException

/** Which kind of failure, so a screen can react to it (show, refresh, hide an action). */
enum class ProblemKind {
    /** What the person typed or picked was refused: show [Problem.reason] by the field. */
    INVALID_INPUT,

    /** The item is gone: refresh. */
    NOT_FOUND,

    /** Only the author may do this: hide the action. */
    NOT_ALLOWED,

    /** Syncing or pairing failed; nothing was lost, it can be retried. */
    SYNC,

    /** The phone's key store refused: ask the person to unlock the phone. */
    KEY_STORE,

    /** The data was written by a newer Hearth: ask the person to update. */
    UPDATE_REQUIRED,

    /** The data folder failed: free space, then restart. */
    STORAGE,

    /** A fault inside Hearth. The reason holds no content, so it may be shown and reported. */
    INTERNAL,
}

/**
 * A failure to show. [reason] comes from the core, which words it to say
 * what to do and never puts what a person wrote in it; for a failure the
 * core did not describe, it is null and the screen shows its own sentence.
 */
data class Problem(val kind: ProblemKind, val reason: String?)

/** Maps what a core call threw onto a [Problem]. Cancellation is never a problem: it is rethrown. */
fun Throwable.toProblem(): Problem = when (this) {
    is CancellationException -> throw this
    is HearthException.InvalidInput -> Problem(ProblemKind.INVALID_INPUT, reason)
    is HearthException.NotFound -> Problem(ProblemKind.NOT_FOUND, reason)
    is HearthException.NotAllowed -> Problem(ProblemKind.NOT_ALLOWED, reason)
    is HearthException.Sync -> Problem(ProblemKind.SYNC, reason)
    is HearthException.KeyStore -> Problem(ProblemKind.KEY_STORE, reason)
    is HearthException.UpdateRequired -> Problem(ProblemKind.UPDATE_REQUIRED, reason)
    is HearthException.Storage -> Problem(ProblemKind.STORAGE, reason)
    is HearthException.Internal -> Problem(ProblemKind.INTERNAL, reason)
    // Anything else (a JNA failure, a bug here) may carry text we did not
    // write, so only its kind is kept.
    else -> Problem(ProblemKind.INTERNAL, null)
}
