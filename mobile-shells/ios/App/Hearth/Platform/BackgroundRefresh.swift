import BackgroundTasks
import Foundation

/// Background app refresh: iOS wakes the app now and then (about hourly at
/// best, at the system's discretion) to sync. The core syncs and posts the
/// content-free notification when it is due; this asks for the next wake-up.
enum BackgroundRefresh {
    static let identifier = "app.hearth.sync"

    /// Asks iOS for the next refresh.
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
        guard let model = await ApplePlatform.shared.startModel() else { return }
        _ = await model.backgroundSync()
    }
}
