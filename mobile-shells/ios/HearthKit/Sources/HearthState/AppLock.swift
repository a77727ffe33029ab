import Foundation
import Observation

/// When the app asks for Face ID, Touch ID or the passcode: at launch, and
/// when it comes back after `grace` seconds or more in the background, if
/// the person turned the lock on. The prompt itself is the platform's
/// (LocalAuthentication); this decides when it shows.
@MainActor
@Observable
public final class AppLock {
    /// Whether the content is hidden behind the lock screen.
    public private(set) var locked: Bool
    private let preferences: ShellPreferences
    private let clock: () -> Date
    private let grace: TimeInterval
    @ObservationIgnored private var backgroundedAt: Date?

    /// `grace`: a quick switch to another app (to copy a pairing code, say) does not lock.
    public init(preferences: ShellPreferences, clock: @escaping () -> Date = { Date() }, grace: TimeInterval = 30) {
        self.preferences = preferences
        self.clock = clock
        self.grace = grace
        self.locked = preferences.appLockEnabled
    }

    public var enabled: Bool { preferences.appLockEnabled }

    public func setEnabled(_ enabled: Bool) {
        preferences.appLockEnabled = enabled
        if !enabled { locked = false }
    }

    /// The app went to the background.
    public func onBackground() { backgroundedAt = clock() }

    /// The app came back; locks if it was away long enough.
    public func onForeground() {
        guard let since = backgroundedAt else { return }
        backgroundedAt = nil
        if enabled && clock().timeIntervalSince(since) >= grace { locked = true }
    }

    /// The platform prompt succeeded.
    public func unlocked() { locked = false }
}
