import Foundation
import HearthBindings
import HearthState
import Observation

/// What the core asks of iOS: the owner prompt, notification permission and
/// display, background refresh, saving an export, and forgetting the
/// Keychain items when everything is erased.
@Observable
final class ApplePlatform: Platform, @unchecked Sendable {
    static let shared = ApplePlatform()

    /// The one model of the process, shared with background refresh.
    @MainActor private(set) var model: AppModel?

    /// An export waiting for the person to pick where it goes.
    @MainActor var pendingExport: ExportFile?

    /// The person is picking an export to restore.
    @MainActor var choosingExport = false

    private let keys = KeychainKeyStore()

    /// Application Support, excluded from backup.
    static var dataDirectory: URL {
        var url = FileManager.default.urls(for: .applicationSupportDirectory, in: .userDomainMask)[0]
            .appendingPathComponent("Hearth", isDirectory: true)
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        var values = URLResourceValues()
        values.isExcludedFromBackup = true
        try? url.setResourceValues(values)
        return url
    }

    @MainActor
    func startModel() -> AppModel? {
        if let model { return model }
        model = try? AppModel(
            dataDir: Self.dataDirectory.appendingPathComponent("data").path,
            platform: self,
            keyStore: keys,
            defaultRelay: BuildSettings.defaultRelayURL
        )
        return model
    }

    func deviceCanAuthenticate() -> Bool { Unlock.available }

    func requestUnlock() {
        Task { @MainActor in
            let ok = await Unlock.prompt()
            self.model?.dispatch(ok ? .unlockSucceeded : .unlockFailed)
        }
    }

    func requestNotificationPermission() {
        Task { @MainActor in
            let granted = await PartnerNews.requestPermission()
            self.model?.dispatch(.notificationPermission(granted: granted))
        }
    }

    func notifyPartnerNews() { PartnerNews.post() }

    func saveExport(file: ExportFile) {
        Task { @MainActor in self.pendingExport = file }
    }

    func chooseExportToRestore() {
        Task { @MainActor in self.choosingExport = true }
    }

    func scheduleBackgroundSync(enabled: Bool) {
        if enabled { BackgroundRefresh.schedule() } else { BackgroundRefresh.cancel() }
    }

    func erased() { try? keys.eraseAll() }
}
