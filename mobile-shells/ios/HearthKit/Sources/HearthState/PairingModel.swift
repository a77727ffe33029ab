import Foundation
import HearthBindings
import Observation

/// Where pairing stands.
public enum PairingStep: Equatable, Sendable {
    /// Show a code, or enter the partner's.
    case choose
    /// Asking the relay for a code.
    case gettingCode
    /// Showing `code` until the partner types it (or it expires).
    case showCode(code: String, expiresAtMs: Int64)
    /// Joining with the code the partner shows.
    case joining
    /// Both phones show `safetyNumber`; the person compares them.
    case compare(partnerName: String, safetyNumber: String)
    /// The numbers matched: paired.
    case paired
    /// The numbers differed: this phone left the space again and nothing was shared.
    case mismatch
}

/// The pairing flow.
public struct PairingState: Equatable, Sendable {
    public var step = PairingStep.choose
    /// Whether the flow is on screen (onboarding, or opened from Today or Settings).
    public var visible = false
    public var busy = false
    public var problem: Problem?
}

/// Pairing two phones: one shows a short code, the other types it, and both
/// compare the safety number the core derives. The cryptography and the
/// relay's mailbox are the core's; this holds the steps.
@MainActor
@Observable
public final class PairingModel: ShowsProblems {
    public private(set) var state = PairingState()
    /// Called once the person confirmed the numbers match (the session reloads and starts live sync).
    @ObservationIgnored public var onPaired: @MainActor () -> Void = {}
    private let core: CoreGateway
    @ObservationIgnored private var waiting: Task<Void, Never>?

    public init(core: CoreGateway) {
        self.core = core
    }

    func show(_ problem: Problem?) {
        state.problem = problem
        state.busy = false
    }

    public func dismissProblem() { show(nil) }

    /// Puts the flow on screen at its first step.
    public func offer() { state = PairingState(visible: true) }

    /// Closes the flow; pairing can be done later from Settings.
    public func later() {
        waiting?.cancel()
        state = PairingState(visible: false)
    }

    /// Gets a code to show, then waits for the partner to type it.
    public func showCode() async {
        waiting?.cancel()
        let task = Task { @MainActor [self] in
            state.step = .gettingCode
            state.problem = nil
            let finished = await attempt {
                let invite = try await core.startPairing()
                state.step = .showCode(code: invite.code, expiresAtMs: invite.expiresAtMs)
                let result = try await core.finishPairing()
                try Task.checkCancellation()
                state.step = .compare(partnerName: result.partnerName, safetyNumber: result.safetyNumber)
            }
            if !finished && !Task.isCancelled { state.step = .choose }
        }
        waiting = task
        await task.value
    }

    /// Stops waiting for the partner.
    public func cancel() {
        waiting?.cancel()
        state.step = .choose
        state.busy = false
    }

    /// Joins the partner's space with the code they show.
    public func enterCode(_ code: String) async {
        state.step = .joining
        let joined = await act {
            let result = try await core.joinPartner(code: code.trimmingCharacters(in: .whitespacesAndNewlines))
            state.step = .compare(partnerName: result.partnerName, safetyNumber: result.safetyNumber)
        }
        if !joined { state.step = .choose }
    }

    /// The person saw the same number on both phones.
    public func confirmMatch() {
        state.step = .paired
        onPaired()
    }

    /// The numbers differ: someone may be in between. Leaves the space at
    /// once, so nothing is shared with them.
    public func reportMismatch() async {
        state.busy = true
        await act {
            try await core.leaveSpace()
            state.step = .mismatch
            state.busy = false
        }
    }
}
