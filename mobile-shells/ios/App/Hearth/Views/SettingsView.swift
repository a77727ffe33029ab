import HearthBindings
import HearthState
import SwiftUI
import UniformTypeIdentifiers

/// Settings: name, sync status and relay, pairing, app lock, notifications,
/// the sexual-content opt-in, export, safety and support, leaving and
/// erasing everything.
struct SettingsView: View {
    let session: Session
    let model: HearthModel
    let openSafety: () -> Void
    @State private var name = ""
    @State private var relay = ""
    @State private var confirmLeave = false
    @State private var confirmErase = false

    private var settings: SettingsModel { session.settings }

    var body: some View {
        NavigationStack {
            Form {
                ProblemRow(problem: settings.state.problem) { settings.dismissProblem() }
                Section("You") {
                    TextField("Your first name", text: $name)
                    Button("Save") { Task { await settings.setDisplayName(name) } }
                        .disabled(name.isEmpty || name == settings.state.profile?.me.name)
                }
                syncSection
                privacySection
                Section {
                    Button("Open", action: openSafety)
                } header: {
                    Text("Safety and support")
                } footer: {
                    Text("A private check and places to find help. Nothing here leaves this phone.")
                }
                Section {
                    Button("Export as text") { Task { await settings.export(.markdown) } }
                    Button("Export as JSON") { Task { await settings.export(.json) } }
                } header: {
                    Text("Export your journal")
                } footer: {
                    Text("Save a copy of the journal wherever you choose.")
                }
                .disabled(settings.state.exporting)
                leaveEraseSection
            }
            .navigationTitle("Settings")
            .onAppear {
                name = settings.state.profile?.me.name ?? ""
                relay = settings.state.sync?.relayUrl ?? ""
            }
            .fileExporter(
                isPresented: Binding(get: { settings.state.exported != nil }, set: { if !$0 { settings.exportHandled() } }),
                document: settings.state.exported.map { ExportDocument($0) },
                contentType: settings.state.exported?.format == .json ? .json : .plainText,
                defaultFilename: settings.state.exported?.format == .json ? "hearth-journal.json" : "hearth-journal.md"
            ) { _ in
                settings.exportHandled()
            }
            .confirmationDialog("Leave your shared space?", isPresented: $confirmLeave, titleVisibility: .visible) {
                Button("Leave the shared space", role: .destructive) { Task { await settings.leave() } }
            } message: {
                Text("The relay erases your shared space and your phones stop syncing. Both of you keep a read-only copy.")
            }
            .confirmationDialog("Erase everything on this phone?", isPresented: $confirmErase, titleVisibility: .visible) {
                Button("Erase everything", role: .destructive) { Task { await model.eraseEverything() } }
            } message: {
                Text("Leaves your shared space, then deletes every entry, answer and key from this phone. This can't be undone, so export first if you want a copy.")
            }
        }
    }

    private var syncSection: some View {
        Section("Sync") {
            if let sync = settings.state.sync {
                if sync.closed {
                    Text("Your shared space is closed. Your journal is read-only here; you can still read and export it.")
                } else if sync.paired, let partner = settings.state.profile?.partner {
                    Text("Paired with \(partner.name)")
                } else {
                    Text("Not paired yet.")
                    Button("Pair now") { session.pairing.offer() }
                }
                if let last = sync.lastSyncedAtMs { Text("Last synced \(formatTime(last))").font(.caption) }
                if sync.pending > 0 { Text("\(sync.pending) changes waiting to be sent").font(.caption) }
                if let error = sync.lastError { Text(verbatim: error).font(.caption).foregroundStyle(.red) }
                if let notice = sync.notice {
                    Text(verbatim: notice)
                    Button("OK") { Task { await settings.dismissNotice() } }
                }
                if sync.paired && !sync.closed {
                    Button("Sync now") { Task { await settings.syncNow() } }.disabled(settings.state.syncing)
                }
            }
            TextField("Relay address", text: $relay)
                .textInputAutocapitalization(.never)
                .keyboardType(.URL)
            Button("Use this relay") { Task { await settings.setRelay(relay) } }
                .disabled(relay.isEmpty || relay == settings.state.sync?.relayUrl)
        }
    }

    private var privacySection: some View {
        Section("Privacy") {
            Toggle(isOn: Binding(get: { settings.state.appLock }, set: { settings.setAppLock($0) })) {
                VStack(alignment: .leading) {
                    Text("App lock")
                    Text(Unlock.available
                        ? "Ask for Face ID, Touch ID or your passcode when Hearth opens."
                        : "Set a passcode on this phone to use the app lock.").font(.caption)
                }
            }
            .disabled(!Unlock.available && !settings.state.appLock)
            Toggle(isOn: Binding(
                get: { settings.state.partnerNews },
                set: { on in
                    if on {
                        Task {
                            let allowed = await PartnerNews.requestPermission()
                            settings.setPartnerNews(allowed)
                        }
                    } else {
                        settings.setPartnerNews(false)
                    }
                }
            )) {
                VStack(alignment: .leading) {
                    Text("Tell me when something new arrives")
                    Text("The notification never shows what your partner wrote.").font(.caption)
                }
            }
            Toggle(isOn: Binding(
                get: { settings.state.consent?.mine ?? false },
                set: { optIn in Task { await settings.setSexualContentOptIn(optIn) } }
            )) {
                VStack(alignment: .leading) {
                    Text("Sexual content")
                    Text(consentText).font(.caption)
                }
            }
        }
    }

    private var consentText: LocalizedStringKey {
        guard let consent = settings.state.consent else {
            return "Exercises and programs about sex appear only when you both turn this on."
        }
        if consent.mine && consent.partner { return "You both turned this on. Either of you can turn it off at any time." }
        if consent.mine { return "You're in. They appear once your partner turns it on too." }
        return "Exercises and programs about sex appear only when you both turn this on."
    }

    private var leaveEraseSection: some View {
        Section("Leave or erase") {
            if let sync = settings.state.sync, sync.paired, !sync.closed {
                Button("Leave the shared space") { confirmLeave = true }.disabled(settings.state.leaving)
            }
            Button("Erase everything", role: .destructive) { confirmErase = true }
        }
    }
}

/// The export as a file for the system's save sheet; it never lands in the app's own files.
private struct ExportDocument: FileDocument {
    static var readableContentTypes: [UTType] { [.plainText, .json] }
    let text: String

    init(_ exported: ExportedJournal) { text = exported.text }

    init(configuration: ReadConfiguration) throws {
        text = String(decoding: configuration.file.regularFileContents ?? Data(), as: UTF8.self)
    }

    func fileWrapper(configuration: WriteConfiguration) throws -> FileWrapper {
        FileWrapper(regularFileWithContents: Data(text.utf8))
    }
}
