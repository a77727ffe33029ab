import Foundation
import HearthBindings
import Observation

/// The two forms the journal can be exported in.
public enum ExportFormat: Equatable, Sendable {
    case json
    case markdown
}

/// An export ready to hand to the share sheet; dropped once handed over.
public struct ExportedJournal: Equatable, Sendable, CustomStringConvertible {
    public let format: ExportFormat
    public let text: String

    // The text is the whole journal: keep it out of logs and crash reports.
    public var description: String { "ExportedJournal(\(format), \(text.count) characters)" }
}

/// This phone's settings kept by the shell, not the core: whether the app
/// locks, and whether it may say (without content) that something new came.
public protocol ShellPreferences: AnyObject {
    var appLockEnabled: Bool { get set }
    var partnerNewsNotifications: Bool { get set }
    /// Back to the defaults, when everything is erased.
    func clear()
}

/// The Settings screen.
public struct SettingsState: Equatable, Sendable {
    public var profile: Profile?
    public var sync: SyncStatus?
    public var syncing = false
    public var consent: SexualContentConsent?
    public var appLock = false
    public var partnerNews = false
    public var exporting = false
    public var exported: ExportedJournal?
    public var leaving = false
    public var loading = true
    public var problem: Problem?
}

/// Settings: sync status and a manual sync, the relay, the export, leaving
/// the shared space, the name, the sexual-content opt-in, app lock and the
/// content-free notifications. Erasing everything is `HearthModel`'s, since
/// it closes the core.
@MainActor
@Observable
public final class SettingsModel: ShowsProblems {
    public private(set) var state = SettingsState()
    private let core: CoreGateway
    private let preferences: ShellPreferences
    private let lock: AppLock
    private let reload = Reload()

    public init(core: CoreGateway, preferences: ShellPreferences, lock: AppLock) {
        self.core = core
        self.preferences = preferences
        self.lock = lock
    }

    func show(_ problem: Problem?) {
        state.problem = problem
        state.loading = false
    }

    public func dismissProblem() { show(nil) }

    public func refresh() async {
        await reload.run { await attempt { try await load() } }
    }

    private func load() async throws {
        let profile = try await core.profile()
        let sync = try await core.syncStatus()
        let consent = try await core.sexualContentConsent()
        state.profile = profile
        state.sync = sync
        state.consent = consent
        state.appLock = lock.enabled
        state.partnerNews = preferences.partnerNewsNotifications
        state.loading = false
    }

    /// Syncs now. A failure is kept in the sync status by the core, and shown.
    public func syncNow() async {
        state.syncing = true
        await act { _ = try await core.syncNow() }
        await attempt { state.sync = try await core.syncStatus() }
        state.syncing = false
    }

    /// Changes the relay this phone syncs through.
    public func setRelay(_ url: String) async {
        await act {
            try await core.setRelay(url: url)
            try await load()
        }
    }

    /// The person has read the sync notice.
    public func dismissNotice() async {
        await act {
            try await core.dismissSyncNotice()
            try await load()
        }
    }

    public func setDisplayName(_ name: String) async {
        await act {
            try await core.setDisplayName(name: name)
            try await load()
        }
    }

    /// This partner's choice about sexual content; shown only when both said yes.
    public func setSexualContentOptIn(_ optIn: Bool) async {
        await act {
            try await core.setSexualContentOptIn(optIn: optIn)
            try await load()
        }
    }

    /// Turns the app lock on or off. The screen confirms the phone can authenticate before turning it on.
    public func setAppLock(_ enabled: Bool) {
        lock.setEnabled(enabled)
        state.appLock = enabled
    }

    public func setPartnerNews(_ enabled: Bool) {
        preferences.partnerNewsNotifications = enabled
        state.partnerNews = enabled
    }

    /// Builds the export; the screen hands it to the share sheet, then calls `exportHandled`.
    public func export(_ format: ExportFormat) async {
        state.exporting = true
        defer { state.exporting = false }
        await act {
            let text: String
            switch format {
            case .json: text = try await core.exportJson()
            case .markdown: text = try await core.exportMarkdown()
            }
            state.exported = ExportedJournal(format: format, text: text)
        }
    }

    /// Drops the export from memory once the share sheet has it.
    public func exportHandled() { state.exported = nil }

    /// Leaves the shared space: the relay erases it and the partner's phone
    /// learns on its next sync. Both phones keep a read-only copy.
    public func leave() async {
        state.leaving = true
        defer { state.leaving = false }
        await act {
            try await core.leaveSpace()
            try await load()
        }
    }
}
