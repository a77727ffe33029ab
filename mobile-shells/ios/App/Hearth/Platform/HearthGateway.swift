import Foundation
import HearthBindings
import HearthState

/// The one place the iOS shell touches the generated `Hearth`: each
/// `CoreGateway` method is one call. Calls run in a detached task, off the
/// main actor, because the core's synchronous calls block on SQLite; every
/// call is awaited, so a method the bindings make `async` needs no change.
///
/// `release` runs on close instead of dropping `hearth` directly: the
/// process shares one handle between the app and background refresh.
final class HearthGateway: CoreGateway, @unchecked Sendable {
    private let hearth: Hearth
    private let release: @Sendable () -> Void

    init(hearth: Hearth, release: @escaping @Sendable () -> Void) {
        self.hearth = hearth
        self.release = release
    }

    private func core<T>(_ call: @escaping @Sendable (Hearth) async throws -> T) async throws -> T {
        let hearth = self.hearth
        return try await Task.detached(priority: .userInitiated) { try await call(hearth) }.value
    }

    // MARK: profile
    func profile() async throws -> Profile { try await core { try await $0.profile() } }
    func setDisplayName(name: String) async throws { try await core { try await $0.setDisplayName(name: name) } }

    // MARK: journal
    func writeEntry(entry: NewEntry) async throws -> Entry { try await core { try await $0.writeEntry(entry: entry) } }
    func editEntry(id: String, update: EntryUpdate) async throws -> Entry { try await core { try await $0.editEntry(id: id, update: update) } }
    func deleteEntry(id: String) async throws { try await core { try await $0.deleteEntry(id: id) } }
    func setEntryVisibility(id: String, visibility: Visibility) async throws -> Entry {
        try await core { try await $0.setEntryVisibility(id: id, visibility: visibility) }
    }
    func entry(id: String) async throws -> Entry { try await core { try await $0.entry(id: id) } }
    func listEntries(filter: EntryFilter, limit: UInt32, cursor: String?) async throws -> EntryPage {
        try await core { try await $0.listEntries(filter: filter, limit: limit, cursor: cursor) }
    }
    func searchEntries(text: String, filter: EntryFilter, limit: UInt32) async throws -> [SearchHit] {
        try await core { try await $0.searchEntries(text: text, filter: filter, limit: limit) }
    }
    func react(entryId: String, reaction: Reaction?) async throws -> Entry { try await core { try await $0.react(entryId: entryId, reaction: reaction) } }
    func addComment(entryId: String, body: String) async throws -> Entry { try await core { try await $0.addComment(entryId: entryId, body: body) } }
    func deleteComment(entryId: String, commentId: String) async throws -> Entry {
        try await core { try await $0.deleteComment(entryId: entryId, commentId: commentId) }
    }
    func exportJson() async throws -> String { try await hearth.exportJson() }
    func exportMarkdown() async throws -> String { try await hearth.exportMarkdown() }

    func subscribe(onEvent: @escaping @Sendable (Event) -> Void) -> Stoppable {
        let subscription = hearth.subscribe(listener: Listener(deliver: onEvent))
        return Handle { subscription.cancel() }
    }

    // MARK: guidance
    func setSexualContentOptIn(optIn: Bool) async throws { try await core { try await $0.setSexualContentOptIn(optIn: optIn) } }
    func sexualContentConsent() async throws -> SexualContentConsent { try await core { try await $0.sexualContentConsent() } }
    func today(day: String) async throws -> Today { try await core { try await $0.today(day: day) } }
    func dailyQuestion(day: String) async throws -> DailyQuestion { try await core { try await $0.dailyQuestion(day: day) } }
    func answerDailyQuestion(day: String, text: String) async throws -> DailyQuestion {
        try await core { try await $0.answerDailyQuestion(day: day, text: text) }
    }
    func exercises(filter: ExerciseFilter) async throws -> [Exercise] { try await core { try await $0.exercises(filter: filter) } }
    func exercise(id: String) async throws -> Exercise { try await core { try await $0.exercise(id: id) } }
    func logExercise(id: String, day: String, done: Bool) async throws { try await core { try await $0.logExercise(id: id, day: day, done: done) } }
    func startDrill(exerciseId: String) async throws -> DrillSession { try await core { try await $0.startDrill(exerciseId: exerciseId) } }
    func drill(id: String) async throws -> DrillSession { try await core { try await $0.drill(id: id) } }
    func drillMove(id: String, action: TurnMove) async throws -> DrillSession { try await core { try await $0.drillMove(id: id, action: action) } }
    func openDrills() async throws -> [DrillSession] { try await core { try await $0.openDrills() } }
    func assessmentForms() async throws -> AssessmentForms {
        let forms = try await core { try await $0.assessments() }
        return AssessmentForms(
            intimacy: forms.intimacy,
            loveLanguages: forms.loveLanguages,
            attachment: forms.attachment,
            barrierSigns: forms.barrierSigns,
            professionalHelp: forms.professionalHelp
        )
    }
    func takeAssessment(answers: AssessmentAnswers) async throws -> AssessmentResult { try await core { try await $0.takeAssessment(answers: answers) } }
    func myAssessment(kind: AssessmentKind) async throws -> AssessmentResult? { try await core { try await $0.myAssessment(kind: kind) } }
    func partnerAssessment(kind: AssessmentKind) async throws -> AssessmentResult? { try await core { try await $0.partnerAssessment(kind: kind) } }
    func shareAssessment(kind: AssessmentKind) async throws { try await core { try await $0.shareAssessment(kind: kind) } }
    func unshareAssessment(kind: AssessmentKind) async throws { try await core { try await $0.unshareAssessment(kind: kind) } }
    func compareAssessments(kind: AssessmentKind) async throws -> Comparison? { try await core { try await $0.compareAssessments(kind: kind) } }
    func programs() async throws -> [Program] { try await core { try await $0.programs() } }
    func joinProgram(id: String, day: String) async throws -> Enrolment { try await core { try await $0.joinProgram(id: id, day: day) } }
    func leaveProgram(id: String, day: String) async throws { try await core { try await $0.leaveProgram(id: id, day: day) } }
    func completeProgramDay(id: String, number: UInt32, day: String) async throws -> Enrolment {
        try await core { try await $0.completeProgramDay(id: id, number: number, day: day) }
    }
    func enrolments(day: String) async throws -> [Enrolment] { try await core { try await $0.enrolments(day: day) } }
    func checkInGuide() async throws -> CheckInGuide { try await core { try await $0.checkInGuide() } }
    func recordCheckIn(day: String) async throws -> CheckInDue { try await core { try await $0.recordCheckIn(day: day) } }
    func nextCheckIn(day: String) async throws -> CheckInDue { try await core { try await $0.nextCheckIn(day: day) } }
    func addGoal(text: String) async throws -> Goal { try await core { try await $0.addGoal(text: text) } }
    func goals() async throws -> [Goal] { try await core { try await $0.goals() } }
    func readyToPickGoals() async throws -> Bool { try await core { try await $0.readyToPickGoals() } }
    func setGoalStatus(id: String, status: GoalStatus) async throws -> Goal { try await core { try await $0.setGoalStatus(id: id, status: status) } }
    func addDateIdea(text: String) async throws -> DateIdea { try await core { try await $0.addDateIdea(text: text) } }
    func dateIdeas() async throws -> [DateIdea] { try await core { try await $0.dateIdeas() } }
    func drawDateIdea() async throws -> DateIdea? { try await core { try await $0.drawDateIdea() } }
    func markDateDone(id: String, day: String) async throws { try await core { try await $0.markDateDone(id: id, day: day) } }
    func appreciate(text: String) async throws -> Appreciation { try await core { try await $0.appreciate(text: text) } }
    func appreciations() async throws -> [Appreciation] { try await core { try await $0.appreciations() } }
    func safetyCheck() async throws -> SafetyCheck { try await core { try await $0.safetyCheck() } }
    func recordSafetyCheck(answers: [SafetyAnswer]) async throws -> SafetyOutcome { try await core { try await $0.recordSafetyCheck(answers: answers) } }
    func safetyOutcome() async throws -> SafetyOutcome? { try await core { try await $0.safetyOutcome() } }
    func clearSafetyCheck() async throws { try await core { try await $0.clearSafetyCheck() } }

    // MARK: sync
    func setRelay(url: String) async throws { try await core { try await $0.setRelay(url: url) } }
    func startPairing() async throws -> PairingInvite { try await core { try await $0.startPairing() } }
    func finishPairing() async throws -> PairingResult { try await core { try await $0.finishPairing() } }
    func joinPartner(code: String) async throws -> PairingResult { try await core { try await $0.joinPartner(code: code) } }
    func syncNow() async throws -> SyncReport { try await core { try await $0.syncNow() } }
    func syncStatus() async throws -> SyncStatus { try await core { try await $0.syncStatus() } }
    func dismissSyncNotice() async throws { try await core { try await $0.dismissSyncNotice() } }
    func leaveSpace() async throws { try await core { try await $0.leaveSpace() } }
    func startLiveSync() async throws -> Stoppable {
        let live = try await core { try await $0.startLiveSync() }
        return Handle { live.stop() }
    }

    func close() { release() }
}

/// Forwards the core's events to a closure.
private final class Listener: EventListener {
    private let deliver: @Sendable (Event) -> Void

    init(deliver: @escaping @Sendable (Event) -> Void) {
        self.deliver = deliver
    }

    func onEvent(event: Event) { deliver(event) }
}

/// Runs a closure when stopped.
final class Handle: Stoppable {
    private let onStop: () -> Void

    init(_ onStop: @escaping () -> Void) {
        self.onStop = onStop
    }

    func stop() { onStop() }
}
