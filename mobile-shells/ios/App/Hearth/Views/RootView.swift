import HearthBindings
import HearthState
import SwiftUI

/// The root: the lock screen while locked, else the step the model is at
/// (welcome, opening, failure, or the app itself). Covers the content when
/// the app is not active, so the app switcher's snapshot shows nothing.
struct RootView: View {
    let model: HearthModel
    @Environment(\.scenePhase) private var scenePhase

    var body: some View {
        ZStack {
            if model.lock.locked {
                LockView(lock: model.lock)
            } else {
                switch model.phase {
                case .starting:
                    ProgressView()
                case .welcome:
                    WelcomeView(model: model)
                case .failed(let problem):
                    FailedView(problem: problem) { Task { await model.retry() } }
                case .ready(let session):
                    MainView(session: session, model: model)
                }
            }
            if scenePhase != .active {
                PrivacyCover()
            }
        }
        .onChange(of: scenePhase) { _, phase in
            switch phase {
            case .active:
                Task { await model.onForeground() }
            case .background:
                model.onBackground()
                BackgroundRefresh.schedule()
            default:
                break
            }
        }
        .modifier(ErasingAlerts(model: model))
    }
}

/// What the app switcher shows: the name, nothing else.
private struct PrivacyCover: View {
    var body: some View {
        ZStack {
            Rectangle().fill(.background).ignoresSafeArea()
            Label("Hearth", systemImage: "flame").font(.title)
        }
    }
}

private struct LockView: View {
    let lock: AppLock

    var body: some View {
        VStack(spacing: 16) {
            Image(systemName: "lock.fill").font(.largeTitle)
            Text("Hearth is locked").font(.title2)
            Button("Unlock") { Task { await unlock() } }
                .buttonStyle(.borderedProminent)
        }
        .task { await unlock() }
    }

    private func unlock() async {
        if await Unlock.prompt() { lock.unlocked() }
    }
}

private struct WelcomeView: View {
    let model: HearthModel
    @State private var name = ""

    var body: some View {
        VStack(alignment: .leading, spacing: 16) {
            Text("Welcome to Hearth").font(.largeTitle.bold())
            Text("A quiet place for the two of you: a question each day, exercises to try together, and a journal you share.")
            Text("What you write stays on your phones. The relay that carries it between you only ever sees locked boxes.")
                .font(.footnote).foregroundStyle(.secondary)
            TextField("Your first name", text: $name)
                .textFieldStyle(.roundedBorder)
                .textContentType(.givenName)
            if let problem = model.welcomeProblem {
                ProblemText(problem: problem)
            }
            Button("Start") { Task { await model.begin(displayName: name) } }
                .buttonStyle(.borderedProminent)
                .disabled(name.trimmingCharacters(in: .whitespaces).isEmpty)
        }
        .padding(32)
    }
}

private struct FailedView: View {
    let problem: Problem
    let retry: () -> Void

    var body: some View {
        VStack(spacing: 16) {
            Text("Hearth couldn't open").font(.title2)
            ProblemText(problem: problem)
            Button("Try again", action: retry).buttonStyle(.borderedProminent)
        }
        .padding(32)
    }
}

private struct ErasingAlerts: ViewModifier {
    let model: HearthModel

    func body(content: Content) -> some View {
        content
            .overlay {
                if model.erasing == .running {
                    ProgressView("Erasing everything on this phone…")
                        .padding()
                        .background(.regularMaterial, in: RoundedRectangle(cornerRadius: 12))
                }
            }
            .alert("Couldn't reach the relay", isPresented: Binding(
                get: { if case .leaveFailed = model.erasing { return true } else { return false } },
                set: { if !$0 { model.cancelErase() } }
            )) {
                Button("Erase this phone anyway", role: .destructive) { Task { await model.eraseEverything(leaveFirst: false) } }
                Button("Cancel", role: .cancel) { model.cancelErase() }
            } message: {
                Text("Hearth couldn't tell the relay to erase your shared space. You can erase this phone now anyway; the encrypted copy at the relay stays until your partner leaves the space.")
            }
    }
}

/// The app's five places.
enum MainTab: Hashable { case today, journal, exercises, us, settings }

/// The open app: five tabs, with pairing and the safety screen as sheets.
private struct MainView: View {
    let session: Session
    let model: HearthModel
    @State private var tab = MainTab.today
    @State private var safetyOpen = false

    var body: some View {
        TabView(selection: $tab) {
            TodayView(session: session, go: { tab = $0 }, openSafety: { safetyOpen = true })
                .tabItem { Label("Today", systemImage: "sun.max") }.tag(MainTab.today)
            JournalView(model: session.journal)
                .tabItem { Label("Journal", systemImage: "book") }.tag(MainTab.journal)
            ExercisesView(session: session, goToJournal: { tab = .journal })
                .tabItem { Label("Exercises", systemImage: "figure.2") }.tag(MainTab.exercises)
            UsView(session: session)
                .tabItem { Label("Us", systemImage: "heart") }.tag(MainTab.us)
            SettingsView(session: session, model: model, openSafety: { safetyOpen = true })
                .tabItem { Label("Settings", systemImage: "gearshape") }.tag(MainTab.settings)
        }
        .sheet(isPresented: Binding(get: { session.pairing.state.visible }, set: { if !$0 { session.pairing.later() } })) {
            PairingView(session: session)
        }
        .sheet(isPresented: $safetyOpen) {
            SafetyView(model: session.safety)
        }
    }
}
