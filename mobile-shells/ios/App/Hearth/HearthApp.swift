import HearthState
import SwiftUI

/// The Hearth app. `HearthModel` is its one observable object: it owns the
/// core handle (through its Session) and every screen's state; the views
/// render it and call its actions.
@main
struct HearthApp: App {
    @State private var model = HearthModel(
        opener: AppleCoreOpener.shared,
        preferences: DefaultsPreferences(),
        defaultRelayUrl: AppConfig.defaultRelayURL
    )

    var body: some Scene {
        WindowGroup {
            RootView(model: model)
                .task { await model.start() }
        }
        .backgroundTask(.appRefresh(BackgroundRefresh.identifier)) {
            await BackgroundRefresh.run()
        }
    }
}

/// Build settings read from Info.plist.
enum AppConfig {
    /// The relay set on first launch (HEARTH_RELAY_URL in project.yml); nil to ask.
    static var defaultRelayURL: String? {
        let value = Bundle.main.object(forInfoDictionaryKey: "HearthDefaultRelayURL") as? String
        return value?.isEmpty == false ? value : nil
    }
}
