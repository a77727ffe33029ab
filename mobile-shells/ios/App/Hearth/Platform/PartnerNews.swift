import Foundation
import UserNotifications

/// The one notification Hearth posts: that something new came from the
/// partner. `post()` takes no arguments on purpose: it cannot carry a title,
/// a word of an entry, a name or a count.
enum PartnerNews {
    /// Asks iOS for permission (when the person turns the notification on).
    static func requestPermission() async -> Bool {
        (try? await UNUserNotificationCenter.current().requestAuthorization(options: [.alert, .badge, .sound])) ?? false
    }

    static func post() {
        let content = UNMutableNotificationContent()
        content.body = String(localized: "Something new from your partner")
        content.sound = .default
        // Replaces the previous one instead of stacking: there is only ever one thing to say.
        let request = UNNotificationRequest(identifier: "partner-news", content: content, trigger: nil)
        UNUserNotificationCenter.current().add(request)
    }
}
