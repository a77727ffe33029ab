import Foundation
import HearthBindings

/// Which kind of failure, so a screen can react to it.
public enum ProblemKind: Equatable, Sendable {
    /// What the person typed or picked was refused: show the reason by the field.
    case invalidInput
    /// The item is gone: refresh.
    case notFound
    /// Only the author may do this: hide the action.
    case notAllowed
    /// Syncing or pairing failed; nothing was lost, it can be retried.
    case sync
    /// The Keychain refused: ask the person to unlock the phone.
    case keyStore
    /// The data was written by a newer Hearth: ask the person to update.
    case updateRequired
    /// The data folder failed: free space, then restart.
    case storage
    /// A fault inside Hearth.
    case internalFault
}

/// A failure to show. `reason` comes from the core, which words it to say
/// what to do and never puts what a person wrote in it; for a failure the
/// core did not describe it is nil, and the screen shows its own sentence.
public struct Problem: Equatable, Sendable {
    public let kind: ProblemKind
    public let reason: String?

    public init(kind: ProblemKind, reason: String?) {
        self.kind = kind
        self.reason = reason
    }

    /// Maps what a core call threw.
    public init(_ error: Error) {
        switch error {
        case HearthError.InvalidInput(let reason): self.init(kind: .invalidInput, reason: reason)
        case HearthError.NotFound(let reason): self.init(kind: .notFound, reason: reason)
        case HearthError.NotAllowed(let reason): self.init(kind: .notAllowed, reason: reason)
        case HearthError.Sync(let reason): self.init(kind: .sync, reason: reason)
        case HearthError.KeyStore(let reason): self.init(kind: .keyStore, reason: reason)
        case HearthError.UpdateRequired(let reason): self.init(kind: .updateRequired, reason: reason)
        case HearthError.Storage(let reason): self.init(kind: .storage, reason: reason)
        case HearthError.Internal(let reason): self.init(kind: .internalFault, reason: reason)
        // Anything else may carry text we did not write, so only its kind is kept.
        default: self.init(kind: .internalFault, reason: nil)
        }
    }
}

/// A screen's state holder that shows problems.
@MainActor
protocol ShowsProblems: AnyObject {
    func show(_ problem: Problem?)
}

extension ShowsProblems {
    /// Runs `work`; a failure becomes the screen's problem, cancellation is
    /// quiet. Returns whether it finished.
    @discardableResult
    func attempt(_ work: () async throws -> Void) async -> Bool {
        do {
            try await work()
            return true
        } catch is CancellationError {
            return false
        } catch {
            show(Problem(error))
            return false
        }
    }

    /// Like `attempt`, for an action the person started: the problem shown
    /// so far is cleared first.
    @discardableResult
    func act(_ work: () async throws -> Void) async -> Bool {
        show(nil)
        return await attempt(work)
    }
}

/// Folds reloads asked for while one runs into one more after it, so a burst
/// of changes from a sync costs two loads, not fifty.
@MainActor
final class Reload {
    private var running = false
    private var again = false

    func run(_ load: () async -> Void) async {
        if running {
            again = true
            return
        }
        running = true
        defer { running = false }
        repeat {
            again = false
            await load()
        } while again
    }
}
