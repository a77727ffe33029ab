import BackgroundTasks
import Foundation
import HearthState

/// Background app refresh: iOS wakes the app now and then (about hourly at
/// best, at the system's discretion) to sync. The decisions are the state
/// module's `backgroundSync`; this opens Hearth, posts the content-free
/// notification when told to, and asks for the next wake-up.
enum BackgroundRefresh {
    static let identifier = "app.hearth.sync"

    /// Asks iOS for the next refresh (called when the app goes to the background).
    static func schedule() {
        let request = BGAppRefreshTaskRequest(identifier: identifier)
        request.earliestBeginDate = Date(timeIntervalSinceNow: 60 * 60)
        try? BGTaskScheduler.shared.submit(request)
    }

    static func cancel() {
        BGTaskScheduler.shared.cancel(taskRequestWithIdentifier: identifier)
    }

    /// One refresh.
    static func run() async {
        schedule()
        let opener = AppleCoreOpener.shared
        guard opener.isSetUp(), let core = try? await opener.open(displayName: nil) else { return }
        defer { core.close() }
        let result = await backgroundSync(core: core, partnerNewsAllowed: DefaultsPreferences().partnerNewsNotifications)
        if result.notifyPartnerNews { PartnerNews.post() }
    }
}
