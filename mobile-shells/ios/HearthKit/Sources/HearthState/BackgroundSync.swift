import Foundation
import HearthBindings

/// How a background sync went, for the system's scheduler.
public enum BackgroundSyncOutcome: Equatable, Sendable {
    /// Not paired, or the space was closed: there is nothing to sync.
    case nothingToDo
    /// Synced.
    case synced
    /// The relay could not be reached or the phone was locked: try again later. Nothing is lost.
    case retryLater
}

/// What a background sync did: the outcome, and whether to post the
/// notification that something new came from the partner. The notification
/// never says what: it has no text of the partner's, no title, no count.
public struct BackgroundSyncResult: Equatable, Sendable {
    public let outcome: BackgroundSyncOutcome
    public let notifyPartnerNews: Bool

    public init(outcome: BackgroundSyncOutcome, notifyPartnerNews: Bool) {
        self.outcome = outcome
        self.notifyPartnerNews = notifyPartnerNews
    }
}

/// One background sync (background app refresh on iOS, WorkManager on
/// Android). Syncs only a paired, open space; asks for the content-free
/// notification only when something arrived and the person allowed it.
public func backgroundSync(core: CoreGateway, partnerNewsAllowed: Bool) async -> BackgroundSyncResult {
    do {
        let status = try await core.syncStatus()
        guard status.paired && !status.closed else {
            return BackgroundSyncResult(outcome: .nothingToDo, notifyPartnerNews: false)
        }
        let report = try await core.syncNow()
        return BackgroundSyncResult(outcome: .synced, notifyPartnerNews: partnerNewsAllowed && report.pulled > 0)
    } catch {
        // The system stopped the task, or sync failed: the core keeps the
        // reason in the sync status, shown in Settings.
        return BackgroundSyncResult(outcome: .retryLater, notifyPartnerNews: false)
    }
}
