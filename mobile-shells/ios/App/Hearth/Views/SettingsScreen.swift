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
            DevicesSection(devices: settings.devices, canLink: screens.paired && !screens.closed, dispatch: dispatch)
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
                if screens.closed {
                    Button("Start a new shared space") { dispatch(.startNewSpace) }
                }
                Button("Erase everything on this phone", role: .destructive) { dispatch(.eraseEverything(leaveFirst: true)) }
            }
        }
        .navigationTitle("Settings")
    }
}

/// Every device of both partners with its safety number; adding another
/// device of this person (a code and the relay, then the number both
/// devices show); removing one of this person's other devices.
struct DevicesSection: View {
    let devices: DevicesView
    let canLink: Bool
    let dispatch: (Action) -> Void

    var body: some View {
        Section("Devices") {
            ForEach(devices.devices, id: \.deviceId) { device in
                VStack(alignment: .leading) {
                    Text(verbatim: title(device))
                    Text(verbatim: device.safetyNumber).font(.caption.monospaced())
                }
                .swipeActions {
                    if device.mine && !device.thisDevice && !devices.removing {
                        Button("Remove", role: .destructive) { dispatch(.removeDevice(deviceId: device.deviceId)) }
                    }
                }
            }
            switch devices.linking {
            case .idle:
                if canLink { Button("Add another device of yours") { dispatch(.linkDevice) } }
                if canLink, let partner {
                    Text("For when \(partner) has lost every device with Hearth on it. With a device left, \(partner) adds the new one from there instead.")
                        .font(.caption)
                    Button("Let \(partner) back in on a new device") { dispatch(.letPartnerBackIn) }
                }
            case .gettingCode:
                ProgressView()
            case .showCode(let code, _, let relayUrl):
                if devices.forPartner {
                    let name = partner ?? "your partner"
                    Text("On \(name)'s new device, choose \"I lost my devices, and my partner still has Hearth\", then type this code and this relay. Do this only with \(name) beside you or on a call: once the new device is in, \(name)'s other devices are removed.")
                } else {
                    Text("On the new device, choose \"I already use Hearth on another device\", then type this code and this relay:")
                }
                Text(verbatim: code).font(.title3.monospaced())
                Text(verbatim: relayUrl).font(.caption.monospaced())
                Button("Cancel") { dispatch(.cancelLinking) }
            case .compare(_, _, let safetyNumber):
                Text("The new device is connected. Check that it shows the same number:")
                Text(verbatim: safetyNumber).font(.title2.monospaced())
                Button("They match") { dispatch(.confirmLinkMatch) }
                Button("They don't match", role: .destructive) { dispatch(.reportLinkMismatch) }
            case .linked:
                Text("The new device is in your shared space.")
                Button("OK") { dispatch(.cancelLinking) }
            case .removed:
                Text("The numbers were different, so that device was removed again.")
                Button("OK") { dispatch(.cancelLinking) }
            }
        }
    }

    /// The partner's name, from their devices.
    private var partner: String? { devices.devices.first { !$0.mine }?.memberName }

    private func title(_ device: DeviceInfo) -> String {
        let whose = device.thisDevice ? "This device" : device.mine ? "Your device" : "\(device.memberName)'s device"
        guard let label = device.label else { return whose }
        return "\(whose) · \(label)"
    }
}
