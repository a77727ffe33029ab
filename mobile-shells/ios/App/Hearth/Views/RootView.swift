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
                WelcomeScreen(problem: problem, dispatch: dispatch)
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
    let dispatch: (Action) -> Void
    @State private var name = ""

    var body: some View {
        VStack(alignment: .leading, spacing: 16) {
            Text("Welcome to Hearth").font(.largeTitle)
            Text("A private place for the two of you: questions, exercises and a journal you both write.")
            TextField("Your first name", text: $name).textFieldStyle(.roundedBorder)
            if let problem { Text(verbatim: problem.reason).foregroundStyle(.red) }
            Button("Start") { dispatch(.begin(name: name)) }
                .buttonStyle(.borderedProminent)
                .disabled(name.trimmingCharacters(in: .whitespaces).isEmpty)
        }
        .padding()
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
