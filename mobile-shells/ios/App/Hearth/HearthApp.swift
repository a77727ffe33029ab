import HearthBindings
import HearthState
import SwiftUI

/// The Hearth app. `AppModel` is its one observable object: the core's
/// view of every screen, and `dispatch` for what the person does.
@main
struct HearthApp: App {
    @State private var model = ApplePlatform.shared.startModel()
    @Environment(\.scenePhase) private var scenePhase

    var body: some Scene {
        WindowGroup {
            RootView(model: model, platform: ApplePlatform.shared)
                // At cold launch scenePhase starts `.active` without a change.
                .task { if scenePhase == .active { model?.dispatch(.foreground) } }
        }
        .onChange(of: scenePhase) { _, phase in
            switch phase {
            case .active: model?.dispatch(.foreground)
            case .background: model?.dispatch(.background)
            default: break
            }
        }
        .backgroundTask(.appRefresh(BackgroundRefresh.identifier)) {
            await BackgroundRefresh.run()
        }
    }
}

/// Build settings read from Info.plist.
enum BuildSettings {
    /// The relay set on first launch (HEARTH_RELAY_URL in project.yml); nil to ask.
    static var defaultRelayURL: String? {
        let value = Bundle.main.object(forInfoDictionaryKey: "HearthDefaultRelayURL") as? String
        return value?.isEmpty == false ? value : nil
    }
}
