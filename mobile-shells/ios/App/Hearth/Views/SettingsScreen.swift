import HearthBindings
import SwiftUI

/// Settings: sync, pairing, privacy, the safety check, export, leaving, erasing.
struct SettingsScreen: View {
    let screens: Screens
    let dispatch: (Action) -> Void
    @State private var relay = ""

    private var settings: SettingsView { screens.settings }

    var body: some View {
        Form {
            ProblemRow(problem: settings.problem, dispatch: dispatch)
            Section("Sync") {
                if let notice = settings.sync.notice {
                    Text(verbatim: notice)
                    Button("OK") { dispatch(.dismissSyncNotice) }
                }
                if let error = settings.sync.lastError { Text(verbatim: error).foregroundStyle(.red) }
                Text(settings.sync.pending == 1 ? "1 change waiting" : "\(settings.sync.pending) changes waiting")
                Button(settings.syncing ? "Syncing…" : "Sync now") { dispatch(.syncNow) }
                    .disabled(settings.syncing || !screens.paired)
                TextField(settings.sync.relayUrl ?? "Relay address", text: $relay)
                Button("Use this relay") { dispatch(.setRelay(url: relay)) }.disabled(relay.isEmpty)
                if !screens.paired && !screens.closed {
                    Button("Pair with your partner") { dispatch(.offerPairing) }
                }
            }
            Section("Privacy") {
                Toggle("Lock Hearth", isOn: Binding(get: { settings.appLock }, set: { dispatch(.setAppLock(enabled: $0)) }))
                    .disabled(!settings.canLock && !settings.appLock)
                Toggle("Tell me when something new arrives", isOn: Binding(
                    get: { settings.partnerNews },
                    set: { dispatch(.setPartnerNews(enabled: $0)) }
                ))
                if settings.notificationsBlocked {
                    Text("Notifications are off for Hearth in the phone's settings.").font(.caption)
                }
                Toggle("Show sexual content (only when you both say yes)", isOn: Binding(
                    get: { settings.consent.mine },
                    set: { dispatch(.setSexualContentOptIn(optIn: $0)) }
                ))
            }
            Section("Safety") {
                NavigationLink("Safety check and help") { SafetyScreen(safety: screens.safety, dispatch: dispatch) }
            }
            Section("Your data") {
                Button("Export as text") { dispatch(.export(format: .markdown)) }.disabled(settings.exporting)
                Button("Export everything (JSON)") { dispatch(.export(format: .json)) }.disabled(settings.exporting)
                if screens.paired {
                    Button("Leave the shared space", role: .destructive) { dispatch(.leaveSpace) }
                }
                Button("Erase everything on this phone", role: .destructive) { dispatch(.eraseEverything(leaveFirst: true)) }
            }
        }
        .navigationTitle("Settings")
    }
}
