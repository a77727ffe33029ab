import Foundation
import LocalAuthentication

/// The app lock's prompt: Face ID, Touch ID, or the phone's passcode.
enum Unlock {
    /// Whether the phone has Face ID, Touch ID or a passcode to ask for.
    static var available: Bool {
        LAContext().canEvaluatePolicy(.deviceOwnerAuthentication, error: nil)
    }

    /// Asks; returns whether the person proved it is them.
    static func prompt() async -> Bool {
        let context = LAContext()
        return (try? await context.evaluatePolicy(
            .deviceOwnerAuthentication,
            localizedReason: String(localized: "Unlock Hearth")
        )) ?? false
    }
}
