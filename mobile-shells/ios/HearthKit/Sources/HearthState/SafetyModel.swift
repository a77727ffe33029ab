import Foundation
import HearthBindings
import Observation

/// The safety screen. Everything in it stays on this phone.
public struct SafetyState: Equatable, Sendable {
    /// The questions and help resources, as the core words them.
    public var check: SafetyCheck?
    /// Answers given so far, by item id. They leave this object only to the core.
    public var answers: [String: Bool] = [:]
    /// The last check's outcome, if one was taken and not erased.
    public var outcome: SafetyOutcome?
    /// Taking the check again (the previous outcome is kept until the new one replaces it).
    public var retaking = false
    public var loading = true
    public var problem: Problem?
}

/// The safety check and help resources. The core keeps the answers on this
/// phone only: never in the shared journal, never synced, never visible to
/// the partner. Nothing here is logged, notified or exported.
@MainActor
@Observable
public final class SafetyModel: ShowsProblems {
    public private(set) var state = SafetyState()
    private let core: CoreGateway

    public init(core: CoreGateway) {
        self.core = core
    }

    func show(_ problem: Problem?) {
        state.problem = problem
        state.loading = false
    }

    public func dismissProblem() { show(nil) }

    public func refresh() async {
        await attempt {
            let check = try await core.safetyCheck()
            let outcome = try await core.safetyOutcome()
            state.check = check
            state.outcome = outcome
            state.loading = false
        }
    }

    public func answer(itemId: String, yes: Bool) { state.answers[itemId] = yes }

    /// Starts the check again with no answers.
    public func retake() {
        state.answers = [:]
        state.retaking = true
    }

    /// Records the check on this phone and shows what the core advises.
    public func submit() async {
        guard let check = state.check else { return }
        let given = check.items.compactMap { item in state.answers[item.id].map { SafetyAnswer(itemId: item.id, yes: $0) } }
        await act {
            state.outcome = try await core.recordSafetyCheck(answers: given)
            state.answers = [:]
            state.retaking = false
        }
    }

    /// Erases the check from this phone.
    public func erase() async {
        await act {
            try await core.clearSafetyCheck()
            state.outcome = nil
            state.answers = [:]
            state.retaking = false
        }
    }
}
