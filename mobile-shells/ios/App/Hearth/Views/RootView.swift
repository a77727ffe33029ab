import HearthBindings
import HearthState
import SwiftUI
import UniformTypeIdentifiers

/// The root: the phase the core is at, the lock screen while locked, and
/// the five tabs. Covers the content when the app is not active, so the app
/// switcher's snapshot shows nothing.
struct RootView: View {
    let model: AppModel?
    @Bindable var platform: ApplePlatform
    @Environment(\.scenePhase) private var scenePhase

    var body: some View {
        ZStack {
            if let model, let view = model.view {
                content(view, dispatch: model.dispatch)
            } else if model == nil {
                Text("Hearth could not start. Restart the app; if it keeps happening, free some space on the phone.")
                    .padding()
            } else {
                ProgressView()
            }
            if scenePhase != .active {
                Rectangle().fill(.background).ignoresSafeArea()
                Label("Hearth", systemImage: "flame").font(.title)
            }
        }
        .fileExporter(
            isPresented: Binding(get: { platform.pendingExport != nil }, set: { if !$0 { platform.pendingExport = nil } }),
            document: platform.pendingExport.map(ExportDocument.init),
            contentType: .plainText,
            defaultFilename: platform.pendingExport?.fileName
        ) { _ in platform.pendingExport = nil }
        .fileImporter(isPresented: $platform.choosingExport, allowedContentTypes: [.json]) { result in
            guard case .success(let url) = result else { return }
            let open = url.startAccessingSecurityScopedResource()
            defer { if open { url.stopAccessingSecurityScopedResource() } }
            if let data = try? Data(contentsOf: url) {
                model?.dispatch(.restoreFromExport(bytes: data))
            }
        }
    }

    @ViewBuilder
    private func content(_ view: AppView, dispatch: @escaping (Action) -> Void) -> some View {
        if view.lock.locked {
            LockScreen(lock: view.lock, dispatch: dispatch)
        } else {
            switch view.phase {
            case .starting:
                ProgressView()
            case .welcome(let problem):
                WelcomeScreen(problem: problem, joining: view.joining, dispatch: dispatch)
            case .failed(let problem):
                VStack(spacing: 16) {
                    Text(verbatim: problem.reason)
                    Button("Try again") { dispatch(.retry) }
                }
                .padding()
            case .ready:
                if let screens = view.screens {
                    Tabs(tab: view.tab, screens: screens, dispatch: dispatch)
                        .sheet(isPresented: .constant(screens.pairing != nil)) {
                            if let pairing = screens.pairing {
                                PairingScreen(pairing: pairing, dispatch: dispatch)
                            }
                        }
                }
            }
        }
    }
}

private struct LockScreen: View {
    let lock: LockView
    let dispatch: (Action) -> Void

    var body: some View {
        VStack(spacing: 16) {
            Image(systemName: "lock").font(.largeTitle)
            Text("Hearth is locked").font(.title2)
            if lock.deviceLockGone {
                Text("This phone no longer has a passcode, so it cannot confirm it is you. You can turn Hearth's lock off and open it.")
                    .multilineTextAlignment(.center)
                Button("Turn the lock off") { dispatch(.turnOffLockWithoutDevice) }
            } else {
                Button("Unlock") { dispatch(.unlock) }
            }
        }
        .padding()
    }
}

private struct WelcomeScreen: View {
    let problem: Problem?
    let joining: Bool
    let dispatch: (Action) -> Void

    /// How this device comes in: a new person, another device of a person
    /// with one left, or a person who lost every device of theirs.
    private enum WayIn { case new, link, rejoin }

    @State private var name = ""
    @State private var way = WayIn.new
    @State private var code = ""
    @State private var relay = ""
    @State private var label = ""

    var body: some View {
        VStack(alignment: .leading, spacing: 16) {
            Text("Welcome to Hearth").font(.largeTitle)
            Text("A private place for the two of you: questions, exercises and a journal you both write.")
            switch way {
            case .new where !joining:
                TextField("Your first name", text: $name).textFieldStyle(.roundedBorder)
                if let problem { Text(verbatim: problem.reason).foregroundStyle(.red) }
                Button("Start") { dispatch(.begin(name: name)) }
                    .buttonStyle(.borderedProminent)
                    .disabled(name.trimmingCharacters(in: .whitespaces).isEmpty)
                Button("I already use Hearth on another device") { way = .link }
                Button("I lost my devices, and my partner still has Hearth") { way = .rejoin }
                Button("Restore from an export") { dispatch(.chooseExportToRestore) }
            default:
                joinForm(rejoin: way == .rejoin)
            }
        }
        .padding()
    }

    @ViewBuilder
    private func joinForm(rejoin: Bool) -> some View {
        Text(rejoin
            ? "Ask your partner to open Settings on their device and choose to let you back in. Type the code and the relay it shows. Your lost devices are then removed from your shared space."
            : "On your other device, open Settings and choose \"Add another device of yours\". Type the code and the relay it shows.")
        TextField(rejoin ? "Code from your partner's device" : "Code from your other device", text: $code)
            .textFieldStyle(.roundedBorder)
        TextField("Relay", text: $relay).textFieldStyle(.roundedBorder)
        TextField("A name for this device (optional)", text: $label).textFieldStyle(.roundedBorder)
        if let problem { Text(verbatim: problem.reason).foregroundStyle(.red) }
        if joining {
            ProgressView()
        } else {
            Button(rejoin ? "Join again on this device" : "Add this device") {
                let trimmed = label.trimmingCharacters(in: .whitespaces)
                let name: String? = trimmed.isEmpty ? nil : trimmed
                let (c, r) = (code.trimmingCharacters(in: .whitespaces), relay.trimmingCharacters(in: .whitespaces))
                dispatch(rejoin
                    ? .rejoinThisDevice(code: c, relayUrl: r, label: name)
                    : .linkThisDevice(code: c, relayUrl: r, label: name))
            }
            .buttonStyle(.borderedProminent)
            .disabled(code.isEmpty || relay.isEmpty)
            Button("I'm new to Hearth") { way = .new }
        }
    }
}

private struct Tabs: View {
    let tab: Tab
    let screens: Screens
    let dispatch: (Action) -> Void

    var body: some View {
        TabView(selection: Binding(get: { tab }, set: { dispatch(.navigate(tab: $0)) })) {
            NavigationStack { TodayScreen(screens: screens, dispatch: dispatch) }
                .tabItem { Label("Today", systemImage: "sun.max") }.tag(Tab.today)
            NavigationStack { JournalScreen(journal: screens.journal, dispatch: dispatch) }
                .tabItem { Label("Journal", systemImage: "book") }.tag(Tab.journal)
            NavigationStack { ExercisesScreen(exercises: screens.exercises, dispatch: dispatch) }
                .tabItem { Label("Exercises", systemImage: "figure.2") }.tag(Tab.exercises)
            NavigationStack { UsScreen(us: screens.us, dispatch: dispatch) }
                .tabItem { Label("Us", systemImage: "heart") }.tag(Tab.us)
            NavigationStack { SettingsScreen(screens: screens, dispatch: dispatch) }
                .tabItem { Label("Settings", systemImage: "gear") }.tag(Tab.settings)
        }
    }
}

/// An export handed to the system's file exporter; nothing stays in the app.
struct ExportDocument: FileDocument {
    static var readableContentTypes: [UTType] { [.plainText] }
    let text: String

    init(_ file: ExportFile) { text = file.text }
    init(configuration: ReadConfiguration) throws { text = "" }

    func fileWrapper(configuration: WriteConfiguration) throws -> FileWrapper {
        FileWrapper(regularFileWithContents: Data(text.utf8))
    }
}
