import Foundation
import HearthBindings
import Observation

/// What only the platform can do. The core asks for these through
/// `AppModel`; the answers go back as actions (`.unlockSucceeded`,
/// `.notificationPermission(granted:)`, ...). Calls come from the core's
/// threads: hop to the main actor where needed and return quickly.
public protocol Platform: AnyObject, Sendable {
    /// Whether the device can confirm its owner (Face ID, Touch ID or a passcode).
    func deviceCanAuthenticate() -> Bool
    /// Shows the owner prompt.
    func requestUnlock()
    /// Asks for permission to post notifications.
    func requestNotificationPermission()
    /// Posts the one content-free notification.
    func notifyPartnerNews()
    /// Lets the person save the file where they choose.
    func saveExport(file: ExportFile)
    /// Lets the person pick a JSON export; its bytes go back as `.restoreFromExport`.
    func chooseExportToRestore()
    /// Turns periodic background refresh on or off.
    func scheduleBackgroundSync(enabled: Bool)
    /// Everything was erased: drop what the platform keeps of its own.
    func erased()
}

/// The shell's one handle on the core: the `AppView` to render, observable
/// by SwiftUI, and `dispatch` for what the person does. Every decision is
/// the core's (`hearth_core::app`); this only carries views in and actions
/// out and hands effects to the `Platform`.
@MainActor
@Observable
public final class AppModel {
    /// The whole app as the core last rendered it; nil until the first view.
    public private(set) var view: AppView?

    private let core: AppCore
    private var stopped = false

    /// Starts Hearth on the profile in `dataDir`; `defaultRelay` is set on first open.
    public init(dataDir: String, platform: Platform, keyStore: KeyStore?, defaultRelay: String?) throws {
        let bridge = ShellBridge(platform: platform)
        core = try AppCore.start(dataDir: dataDir, shell: bridge, keyStore: keyStore, defaultRelay: defaultRelay)
        view = bridge.latest
        bridge.onRender = { [weak self] view in
            Task { @MainActor in self?.view = view }
        }
    }

    /// Hands the core an action; returns at once.
    public func dispatch(_ action: Action) {
        if !stopped { core.dispatch(action: action) }
    }

    /// One background refresh; the core posts the notification if due.
    public func backgroundSync() async -> BackgroundSyncOutcome {
        await core.backgroundSync()
    }

    /// Waits until the actions sent so far are handled (tests).
    public func settle() async {
        await core.settle()
    }

    /// Stops live sync and closes the profile. Calling it again does nothing.
    public func stop() async {
        guard !stopped else { return }
        stopped = true
        await core.stop()
    }
}

/// The core's `Shell`: views to the model, effects to the platform.
final class ShellBridge: Shell, @unchecked Sendable {
    private let platform: Platform
    private let lock = NSLock()
    private var last: AppView?
    private var render: ((AppView) -> Void)?

    init(platform: Platform) {
        self.platform = platform
    }

    /// The view rendered before the model was listening, if any.
    var latest: AppView? { lock.withLock { last } }

    var onRender: ((AppView) -> Void)? {
        get { lock.withLock { render } }
        set { lock.withLock { render = newValue } }
    }

    func render(view: AppView) {
        let listener = lock.withLock {
            last = view
            return render
        }
        listener?(view)
    }

    func deviceCanAuthenticate() -> Bool { platform.deviceCanAuthenticate() }
    func utcOffsetSeconds() -> Int32 { Int32(TimeZone.current.secondsFromGMT()) }
    func requestUnlock() { platform.requestUnlock() }
    func requestNotificationPermission() { platform.requestNotificationPermission() }
    func notifyPartnerNews() { platform.notifyPartnerNews() }
    func saveExport(file: ExportFile) { platform.saveExport(file: file) }
    func chooseExportToRestore() { platform.chooseExportToRestore() }
    func scheduleBackgroundSync(enabled: Bool) { platform.scheduleBackgroundSync(enabled: enabled) }
    func erased() { platform.erased() }
}
