import Foundation
import HearthBindings
import Observation

/// Where the app stands.
public enum AppPhase {
    /// Opening the core.
    case starting
    /// Hearth is not set up on this phone: ask for this partner's name.
    case welcome
    /// Open: the screens are in the session.
    case ready(Session)
    /// Opening failed (the Keychain is locked, say): show why and offer to retry.
    case failed(Problem)
}

/// Erasing everything on this phone.
public enum Erasing: Equatable, Sendable {
    case no
    case running
    /// Leaving the shared space at the relay failed (offline, say), so the
    /// copy at the relay was not erased. The person may erase this phone anyway.
    case leaveFailed(Problem)
}

/// The app's one observable object: it opens the core through the opener,
/// owns the `Session` (the core handle and every screen's state) while it is
/// open, and decides nothing the core decides. The app tells it when it goes
/// to the background and back (app lock, live sync).
@MainActor
@Observable
public final class HearthModel {
    public private(set) var phase: AppPhase = .starting
    public private(set) var erasing: Erasing = .no
    /// Why setting up failed, shown on the welcome screen.
    public private(set) var welcomeProblem: Problem?
    public let lock: AppLock

    private let opener: CoreOpener
    private let localDay: LocalDay
    private let preferences: ShellPreferences
    private let defaultRelayUrl: String?
    @ObservationIgnored private var foreground = false

    public init(
        opener: CoreOpener,
        localDay: LocalDay = .system,
        preferences: ShellPreferences,
        defaultRelayUrl: String?,
        clock: @escaping () -> Date = { Date() }
    ) {
        self.opener = opener
        self.localDay = localDay
        self.preferences = preferences
        self.defaultRelayUrl = defaultRelayUrl
        self.lock = AppLock(preferences: preferences, clock: clock)
    }

    /// The open session, if any.
    public var session: Session? {
        if case .ready(let session) = phase { return session }
        return nil
    }

    /// Opens Hearth if it is set up on this phone; otherwise asks for a name.
    public func start() async {
        guard session == nil else { return }
        guard opener.isSetUp() else {
            phase = .welcome
            return
        }
        await open(displayName: nil, onboarding: false)
    }

    /// Tries opening again after a failure.
    public func retry() async { await start() }

    /// Sets Hearth up with this partner's name, then offers pairing.
    public func begin(displayName: String) async {
        await open(displayName: displayName, onboarding: true)
    }

    private func open(displayName: String?, onboarding: Bool) async {
        phase = .starting
        let core: CoreGateway
        do {
            core = try await opener.open(displayName: displayName)
        } catch {
            let problem = Problem(error)
            // A refused name goes back to the name screen with its reason.
            if onboarding {
                welcomeProblem = problem
                phase = problem.kind == .invalidInput ? .welcome : .failed(problem)
            } else {
                phase = .failed(problem)
            }
            return
        }
        welcomeProblem = nil
        let session = Session(core: core, localDay: localDay, preferences: preferences, lock: lock)
        phase = .ready(session)
        if onboarding { session.pairing.offer() }
        await session.start(defaultRelayUrl: defaultRelayUrl)
        if foreground { await session.onForeground() }
    }

    /// The app is in front.
    public func onForeground() async {
        foreground = true
        lock.onForeground()
        guard let session else { return }
        await session.onForeground()
        await session.refreshAll()
    }

    /// The app went to the background.
    public func onBackground() {
        foreground = false
        lock.onBackground()
        session?.onBackground()
    }

    /// Erases everything on this phone: leaves the shared space first (the
    /// relay erases its copy) unless `leaveFirst` is false, then closes the
    /// core and deletes the data folder and this app's keys. Ends on the
    /// welcome screen.
    public func eraseEverything(leaveFirst: Bool = true) async {
        erasing = .running
        let open = session
        if let open, leaveFirst {
            do {
                let status = try await open.core.syncStatus()
                if status.paired && !status.closed { try await open.core.leaveSpace() }
            } catch {
                erasing = .leaveFailed(Problem(error))
                return
            }
        }
        open?.close()
        phase = .starting
        do {
            try await opener.erase()
        } catch {
            erasing = .no
            phase = .failed(Problem(error))
            return
        }
        preferences.clear()
        lock.setEnabled(false)
        erasing = .no
        phase = .welcome
    }

    /// Dismisses a failed erase.
    public func cancelErase() { erasing = .no }

    /// Closes the session (the app is going away).
    public func close() { session?.close() }
}
