import Foundation
import HearthBindings
import Observation

/// Hearth opened on this phone: the core handle and every screen's state
/// holder. Change events from the core (made here or pulled from the
/// partner's phone) are routed to the screens that show what changed.
/// Closing it stops live sync, ends the subscription and closes the core.
@MainActor
@Observable
public final class Session {
    public let today: TodayModel
    public let journal: JournalModel
    public let exercises: ExercisesModel
    public let assessments: AssessmentsModel
    public let us: UsModel
    public let settings: SettingsModel
    public let safety: SafetyModel
    public let pairing: PairingModel

    let core: CoreGateway
    @ObservationIgnored private var subscription: Stoppable?
    @ObservationIgnored private var live: Stoppable?
    @ObservationIgnored private var liveStarting = false
    @ObservationIgnored private var foreground = false

    public init(core: CoreGateway, localDay: LocalDay, preferences: ShellPreferences, lock: AppLock) {
        self.core = core
        today = TodayModel(core: core, localDay: localDay)
        journal = JournalModel(core: core)
        exercises = ExercisesModel(core: core, localDay: localDay)
        assessments = AssessmentsModel(core: core)
        us = UsModel(core: core, localDay: localDay)
        settings = SettingsModel(core: core, preferences: preferences, lock: lock)
        safety = SafetyModel(core: core)
        pairing = PairingModel(core: core)
        // Set once every stored property is, since the closures refer to self.
        pairing.onPaired = { [weak self] in self?.paired() }
        subscription = core.subscribe { [weak self] event in
            // Events arrive on the core's thread; each is handled on the main actor.
            Task { @MainActor [weak self] in await self?.route(event) }
        }
    }

    /// Loads every screen; sets `defaultRelayUrl` if no relay was chosen
    /// yet, so pairing works out of the box.
    public func start(defaultRelayUrl: String?) async {
        if let url = defaultRelayUrl {
            do {
                if try await core.syncStatus().relayUrl == nil { try await core.setRelay(url: url) }
            } catch {
                // Settings shows the sync status, where the core keeps what went wrong.
            }
        }
        await refreshAll()
    }

    /// Reloads every screen (the day may have changed, say).
    public func refreshAll() async {
        await today.refresh()
        await journal.refresh()
        await exercises.refresh()
        await assessments.refresh()
        await us.refresh()
        await settings.refresh()
        await safety.refresh()
    }

    /// The app is in front: keep in sync live while paired.
    public func onForeground() async {
        foreground = true
        await startLive()
    }

    /// The app went to the background: stop live sync (background refresh takes over).
    public func onBackground() {
        foreground = false
        live?.stop()
        live = nil
    }

    private func startLive() async {
        guard live == nil, !liveStarting else { return }
        liveStarting = true
        defer { liveStarting = false }
        guard let status = try? await core.syncStatus(), status.paired, !status.closed, foreground else { return }
        let started = try? await core.startLiveSync()
        // The app may have gone to the background meanwhile.
        if foreground {
            live = started
        } else {
            started?.stop()
        }
    }

    private func paired() {
        Task { @MainActor [weak self] in
            guard let self else { return }
            await self.refreshAll()
            if self.foreground { await self.startLive() }
        }
    }

    /// Sends a change to the screens that show it.
    public func route(_ event: Event) async {
        switch event {
        case .entryChanged, .entryRemoved:
            await journal.onEvent(event)
        case .documentChanged(let kind, _):
            switch kind {
            case DocumentKind.answer:
                await today.refresh()
            case DocumentKind.drill:
                await exercises.onEvent(event)
            case DocumentKind.enrolment, DocumentKind.checkIns:
                await today.refresh()
                await us.refresh()
            case DocumentKind.goal, DocumentKind.dateIdea, DocumentKind.appreciation:
                await us.refresh()
            case DocumentKind.assessment:
                await assessments.refresh()
            case DocumentKind.member:
                // A partner's name or consent: what may be shown changes everywhere.
                await refreshAll()
            default:
                break
            }
        case .syncStatusChanged:
            await settings.refresh()
            if foreground { await startLive() }
        }
    }

    /// Stops live sync and the subscription, and lets go of the core.
    public func close() {
        onBackground()
        subscription?.stop()
        subscription = nil
        core.close()
    }
}
