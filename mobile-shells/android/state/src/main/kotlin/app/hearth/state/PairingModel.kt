package app.hearth.state

import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Job
import kotlinx.coroutines.launch

/** Where pairing stands. */
sealed interface PairingStep {
    /** Show a code, or enter the partner's. */
    data object Choose : PairingStep

    /** Asking the relay for a code. */
    data object GettingCode : PairingStep

    /** Showing [code] until the partner types it (or it expires at [expiresAtMs]). */
    data class ShowCode(val code: String, val expiresAtMs: Long) : PairingStep

    /** Joining with the code the partner shows. */
    data object Joining : PairingStep

    /** Both phones show [safetyNumber]; the person compares them. */
    data class Compare(val partnerName: String, val safetyNumber: String) : PairingStep

    /** The numbers matched: paired. */
    data object Paired : PairingStep

    /** The numbers differed: this phone left the space again and nothing was shared. */
    data object Mismatch : PairingStep
}

/** The pairing flow. */
data class PairingState(
    val step: PairingStep = PairingStep.Choose,
    /** Whether the flow is on screen (onboarding, or opened from Today or Settings). */
    val visible: Boolean = false,
    val busy: Boolean = false,
    val problem: Problem? = null,
)

/**
 * Pairing two phones: one shows a short code, the other types it, and both
 * compare the safety number the core derives. The cryptography and the
 * relay's mailbox are the core's; this holds the steps.
 */
class PairingModel(
    private val core: CoreGateway,
    scope: CoroutineScope,
    private val onPaired: () -> Unit,
) : ScreenModel<PairingState>(PairingState(), scope) {
    private var waiting: Job? = null

    override fun PairingState.withProblem(problem: Problem?) = copy(problem = problem, busy = false)

    override suspend fun load() = Unit

    /** Puts the flow on screen at its first step. */
    fun offer() = set { PairingState(visible = true) }

    /** Closes the flow; pairing can be done later from Settings. */
    fun later() {
        waiting?.cancel()
        set { PairingState(visible = false) }
    }

    /** Gets a code to show, then waits for the partner to type it. */
    fun showCode(): Job {
        waiting?.cancel()
        val job = scope.launch {
            set { it.copy(step = PairingStep.GettingCode, problem = null) }
            val finished = attempt {
                val invite = core.startPairing()
                set { it.copy(step = PairingStep.ShowCode(invite.code, invite.expiresAtMs)) }
                val result = core.finishPairing()
                set { it.copy(step = PairingStep.Compare(result.partnerName, result.safetyNumber)) }
            }
            if (!finished) set { it.copy(step = PairingStep.Choose) }
        }
        waiting = job
        return job
    }

    /** Stops waiting for the partner. */
    fun cancel() {
        waiting?.cancel()
        set { it.copy(step = PairingStep.Choose, busy = false) }
    }

    /** Joins the partner's space with the code they show. */
    fun enterCode(code: String): Job = action {
        set { it.copy(step = PairingStep.Joining) }
        val joined = attempt {
            val result = core.joinPartner(code.trim())
            set { it.copy(step = PairingStep.Compare(result.partnerName, result.safetyNumber)) }
        }
        if (!joined) set { it.copy(step = PairingStep.Choose) }
    }

    /** The person saw the same number on both phones. */
    fun confirmMatch() {
        set { it.copy(step = PairingStep.Paired) }
        onPaired()
    }

    /**
     * The numbers differ: someone may be in between. Leaves the space at
     * once, so nothing is shared with them.
     */
    fun reportMismatch(): Job = action {
        set { it.copy(busy = true) }
        core.leaveSpace()
        set { it.copy(step = PairingStep.Mismatch, busy = false) }
    }
}
