import Foundation
import HearthBindings
import XCTest
@testable import HearthState

/// The day the tests live in.
let day = "2025-03-14"
let me = Person(id: "m-ana", name: "Ana", isMe: true)
let partner = Person(id: "m-ben", name: "Ben", isMe: false)

func question() -> Question {
    Question(id: "q0007", dimension: .emotional, depth: .light, text: "What made you smile this week?")
}

func daily(mine: String? = nil, partner: PartnerAnswer = .notYet) -> DailyQuestion {
    DailyQuestion(day: day, question: question(), answers: AnswerView(mine: mine, partner: partner))
}

func exercise(_ id: String, dimensions: [Dimension] = [.emotional], drill: Drill? = nil) -> Exercise {
    Exercise(
        id: id, title: "Exercise \(id)", summary: "A summary.", dimensions: dimensions, barriers: [], techniques: [],
        kind: drill == nil ? .conversation : .skillDrill, mode: .together, minutes: 10,
        steps: ["Sit facing each other.", "Take turns.", "Thank each other."], prompt: "What did you notice?",
        sensitive: false, personal: false, drill: drill
    )
}

func drillSession(_ id: String, exerciseId: String, turn: UInt32 = 1) -> DrillSession {
    DrillSession(
        id: id, exerciseId: exerciseId, mySeat: .first,
        view: DrillView(turn: turn, totalTurns: 4, role: .speaker, phase: .speaking, moves: [.doneSpeaking]),
        skippedMoves: 0, finished: false
    )
}

func program() -> Program {
    Program(
        id: "p-30", title: "Thirty days", summary: "Small daily acts.", sensitive: false, phases: [],
        days: (1...3).map { n in
            ProgramDay(day: UInt32(n), title: "Day \(n)", task: "Task of day \(n)", minutes: 5, dimension: .emotional, exercise: nil)
        }
    )
}

func enrolment(nextDay: UInt32?) -> Enrolment {
    Enrolment(
        programId: "p-30", title: "Thirty days", joinedByMe: true, joinedByPartner: true,
        progress: Progress(
            totalDays: 3, doneByMe: 1, doneByPartner: 1, doneByBoth: 1, nextDay: nextDay, partnerNextDay: 2,
            phase: 1, finished: false, welcomeBack: false
        )
    )
}

func forms() -> AssessmentForms {
    let agree = Scale(min: 1, max: 5, lowLabel: "Not at all", highLabel: "Very much")
    return AssessmentForms(
        intimacy: IntimacyAssessment(
            id: "intimacy", title: "Intimacy today", intro: "Rate each.", importanceQuestion: "How important?",
            satisfactionQuestion: "How satisfied?", scale: agree,
            items: [Dimension.emotional, .sexual, .dream].map { IntimacyItem(dimension: $0, description: "About it") }
        ),
        loveLanguages: LoveLanguageAssessment(id: "love", title: "Love languages", intro: "Pick.", items: [
            ChoiceItem(
                id: "l1",
                first: ChoiceOption(text: "A hug", language: .physicalTouch),
                second: ChoiceOption(text: "Kind words", language: .wordsOfAffirmation)
            ),
        ]),
        attachment: AttachmentAssessment(
            id: "attachment", title: "Attachment", intro: "How true?", note: "A reflection.", scale: agree, items: [], reflections: []
        ),
        barrierSigns: BarrierSignsAssessment(id: "barriers", title: "Barriers", intro: "How true?", scale: agree, items: []),
        professionalHelp: ProfessionalHelpAssessment(
            id: "help", title: "Help", intro: "Yes or no.", items: [SignalItem(id: "s1", text: "We fight in circles.")],
            suggest: "Talk to someone.", noSignals: "Nothing now.", aboutTherapy: "About therapy."
        )
    )
}

func safetyCheck() -> SafetyCheck {
    SafetyCheck(
        title: "Are you safe?", intro: "A few questions.", privacyNote: "This stays on this phone.",
        noConcern: "Nothing raised.", concern: "Please look at these.", urgent: "Get help now.",
        items: [
            SafetyItem(id: "s-afraid", text: "Are you afraid?", urgent: false),
            SafetyItem(id: "s-now", text: "In danger now?", urgent: true),
        ],
        resources: [HelpResource(id: "r-line", title: "A helpline", text: "Call it.", urgent: true)]
    )
}

/// Waits (by yielding the main actor) until `condition` holds.
@MainActor
func waitUntil(_ what: String, file: StaticString = #filePath, line: UInt = #line, _ condition: () -> Bool) async {
    for _ in 0..<1_000 {
        if condition() { return }
        await Task.yield()
    }
    XCTFail("timed out waiting until \(what)", file: file, line: line)
}

final class Handle: Stoppable {
    private let onStop: () -> Void
    init(_ onStop: @escaping () -> Void) { self.onStop = onStop }
    func stop() { onStop() }
}

/// An in-memory core for the state tests. It keeps a journal and a few
/// guidance items, pages and searches like the core, refuses what the core
/// refuses in the cases the tests exercise, emits events after writes, and
/// records every call so a test can see what the state holders asked for.
final class FakeCore: CoreGateway, @unchecked Sendable {
    private(set) var calls: [String] = []
    private var listeners: [UUID: @Sendable (Event) -> Void] = [:]
    private(set) var closed = false
    private var nextId = 1

    var partnerPerson: Person?
    var entries: [Entry] = []
    var todayValue = Today(question: daily(), programs: [], suggestion: nil, checkInDue: false)
    var programList = [program()]
    var catalog = [HearthStateTests.exercise("e-listen"), HearthStateTests.exercise("e-walk", dimensions: [.experiential])]
    var drills: [String: DrillSession] = [:]
    var consent = SexualContentConsent(mine: false, partner: false)
    var goalList: [Goal] = []
    var ideas: [DateIdea] = []
    var mine: AssessmentResult?
    var status = SyncStatus(
        paired: false, relayUrl: nil, lastSyncedAtMs: nil, pending: 0, lastError: nil, rejectedBlobs: 0, notice: nil, closed: false
    )
    var report = SyncReport(pushed: 0, pulled: 0, rejected: 0, forgotten: 0, compacted: 0)
    var heldOutcome: SafetyOutcome?
    var lastHeld: String?
    /// When set, the next call of that name throws it once.
    var failures: [String: Error] = [:]
    var liveStarted = 0
    var liveStopped = 0
    private var partnerJoins: CheckedContinuation<PairingResult, Error>?

    var listening: Bool { !listeners.isEmpty }

    private func call(_ name: String, _ args: Any...) throws {
        calls.append("\(name)(\(args.map { "\($0)" }.joined(separator: ", ")))")
        if let failure = failures.removeValue(forKey: name) { throw failure }
    }

    /// Plays a change arriving from the partner's phone.
    func emit(_ event: Event) {
        for listener in listeners.values { listener(event) }
    }

    /// Plays the partner typing the code this phone shows.
    func partnerTypesCode(_ result: PairingResult) {
        partnerJoins?.resume(returning: result)
        partnerJoins = nil
    }

    var waitingForPartner: Bool { partnerJoins != nil }

    // MARK: profile

    func profile() async throws -> Profile {
        try call("profile")
        return Profile(me: me, partner: partnerPerson, deviceId: "d-1", spaceId: "s-1")
    }

    func setDisplayName(name: String) async throws { try call("setDisplayName", name) }

    // MARK: journal

    func writeEntry(entry: NewEntry) async throws -> Entry {
        try call("writeEntry", entry.body)
        if entry.body.trimmingCharacters(in: .whitespaces).isEmpty {
            throw HearthError.InvalidInput(reason: "an entry needs some text: write something first")
        }
        nextId += 1
        let written = Entry(
            id: "e\(nextId)", visibility: entry.visibility, author: me, createdAtMs: Int64(nextId), updatedAtMs: Int64(nextId),
            editedBy: nil, title: entry.title, body: entry.body, emotions: entry.emotions, link: entry.link, reactions: [], comments: []
        )
        entries.insert(written, at: 0)
        emit(.entryChanged(id: written.id))
        return written
    }

    func editEntry(id: String, update: EntryUpdate) async throws -> Entry {
        try call("editEntry", id)
        return try change(id) { $0.title = update.title; $0.body = update.body; $0.emotions = update.emotions }
    }

    func deleteEntry(id: String) async throws {
        try call("deleteEntry", id)
        entries.removeAll { $0.id == id }
        emit(.entryRemoved(id: id))
    }

    func setEntryVisibility(id: String, visibility: Visibility) async throws -> Entry {
        try call("setEntryVisibility", id, visibility)
        guard let index = entries.firstIndex(where: { $0.id == id }) else { throw HearthError.NotFound(reason: "no entry \(id)") }
        nextId += 1
        entries[index].id = "e\(nextId)"
        entries[index].visibility = visibility
        return entries[index]
    }

    func entry(id: String) async throws -> Entry {
        try call("entry", id)
        guard let found = entries.first(where: { $0.id == id }) else { throw HearthError.NotFound(reason: "no entry \(id)") }
        return found
    }

    func listEntries(filter: EntryFilter, limit: UInt32, cursor: String?) async throws -> EntryPage {
        try call("listEntries", limit)
        let from = cursor.flatMap { Int($0) } ?? 0
        let matching = entries.filter { filter.visibility == nil || $0.visibility == filter.visibility }
        let page = Array(matching.dropFirst(from).prefix(Int(limit)))
        let end = from + page.count
        return EntryPage(entries: page, next: end < matching.count ? String(end) : nil)
    }

    func searchEntries(text: String, filter: EntryFilter, limit: UInt32) async throws -> [SearchHit] {
        try call("searchEntries", text)
        return entries.filter { $0.body.localizedCaseInsensitiveContains(text) }.map { SearchHit(entry: $0, excerpt: "[\(text)]") }
    }

    func react(entryId: String, reaction: Reaction?) async throws -> Entry {
        try call("react", entryId)
        return try change(entryId) { entry in
            entry.reactions = entry.reactions.filter { !$0.by.isMe } + (reaction.map { [EntryReaction(by: me, reaction: $0)] } ?? [])
        }
    }

    func addComment(entryId: String, body: String) async throws -> Entry {
        try call("addComment", entryId, body)
        nextId += 1
        let comment = Comment(id: "c\(nextId)", author: me, createdAtMs: 0, body: body)
        return try change(entryId) { $0.comments.append(comment) }
    }

    func deleteComment(entryId: String, commentId: String) async throws -> Entry {
        try call("deleteComment", entryId, commentId)
        return try change(entryId) { $0.comments.removeAll { $0.id == commentId } }
    }

    private func change(_ id: String, _ edit: (inout Entry) -> Void) throws -> Entry {
        guard let index = entries.firstIndex(where: { $0.id == id }) else { throw HearthError.NotFound(reason: "no entry \(id)") }
        edit(&entries[index])
        emit(.entryChanged(id: id))
        return entries[index]
    }

    func exportJson() async throws -> String {
        try call("exportJson")
        return "{\"entries\":\(entries.count)}"
    }

    func exportMarkdown() async throws -> String {
        try call("exportMarkdown")
        return "# Our journal\n"
    }

    func subscribe(onEvent: @escaping @Sendable (Event) -> Void) -> Stoppable {
        let id = UUID()
        listeners[id] = onEvent
        return Handle { [weak self] in self?.listeners[id] = nil }
    }

    // MARK: guidance

    func setSexualContentOptIn(optIn: Bool) async throws {
        try call("setSexualContentOptIn", optIn)
        consent.mine = optIn
    }

    func sexualContentConsent() async throws -> SexualContentConsent {
        try call("sexualContentConsent")
        return consent
    }

    func today(day: String) async throws -> Today {
        try call("today", day)
        return todayValue
    }

    func dailyQuestion(day: String) async throws -> DailyQuestion {
        try call("dailyQuestion", day)
        return todayValue.question
    }

    func answerDailyQuestion(day: String, text: String) async throws -> DailyQuestion {
        try call("answerDailyQuestion", day, text)
        if text.trimmingCharacters(in: .whitespaces).isEmpty { throw HearthError.InvalidInput(reason: "an answer needs some text") }
        // The partner had answered: answering reveals their words, as the core does.
        if case .hidden = todayValue.question.answers.partner {
            todayValue.question.answers.partner = .shown(text: "Our walk by the river.")
        }
        todayValue.question.answers.mine = text
        return todayValue.question
    }

    func exercises(filter: ExerciseFilter) async throws -> [Exercise] {
        try call("exercises")
        return catalog.filter { filter.dimension == nil || $0.dimensions.contains(filter.dimension!) }
    }

    func exercise(id: String) async throws -> Exercise {
        try call("exercise", id)
        guard let found = catalog.first(where: { $0.id == id }) else { throw HearthError.NotFound(reason: "no exercise \(id)") }
        return found
    }

    func logExercise(id: String, day: String, done: Bool) async throws { try call("logExercise", id, day, done) }

    func startDrill(exerciseId: String) async throws -> DrillSession {
        try call("startDrill", exerciseId)
        nextId += 1
        let session = drillSession("d\(nextId)", exerciseId: exerciseId)
        drills[session.id] = session
        return session
    }

    func drill(id: String) async throws -> DrillSession {
        try call("drill", id)
        guard let session = drills[id] else { throw HearthError.NotFound(reason: "no drill \(id)") }
        return session
    }

    func drillMove(id: String, action: TurnMove) async throws -> DrillSession {
        try call("drillMove", id, action)
        guard var session = drills[id] else { throw HearthError.NotFound(reason: "no drill \(id)") }
        guard session.view.moves.contains(action) else { throw HearthError.NotAllowed(reason: "it is not your turn") }
        session.view.phase = .reflecting
        session.view.moves = []
        drills[id] = session
        return session
    }

    func openDrills() async throws -> [DrillSession] {
        try call("openDrills")
        return drills.values.filter { !$0.finished }.sorted { $0.id < $1.id }
    }

    func assessmentForms() async throws -> AssessmentForms {
        try call("assessmentForms")
        return forms()
    }

    func takeAssessment(answers: AssessmentAnswers) async throws -> AssessmentResult {
        try call("takeAssessment")
        if case .intimacy(let ratings) = answers, ratings.count < 2 {
            throw HearthError.InvalidInput(reason: "1 item(s) are not answered yet; answer all of them to see a result")
        }
        let result = AssessmentResult.intimacy(result: IntimacyResult(dimensions: []))
        mine = result
        return result
    }

    func myAssessment(kind: AssessmentKind) async throws -> AssessmentResult? {
        try call("myAssessment", kind)
        return kind == .intimacy ? mine : nil
    }

    func partnerAssessment(kind: AssessmentKind) async throws -> AssessmentResult? {
        try call("partnerAssessment", kind)
        return nil
    }

    func shareAssessment(kind: AssessmentKind) async throws { try call("shareAssessment", kind) }
    func unshareAssessment(kind: AssessmentKind) async throws { try call("unshareAssessment", kind) }

    func compareAssessments(kind: AssessmentKind) async throws -> Comparison? {
        try call("compareAssessments", kind)
        return nil
    }

    func programs() async throws -> [Program] {
        try call("programs")
        return programList
    }

    func joinProgram(id: String, day: String) async throws -> Enrolment {
        try call("joinProgram", id, day)
        return enrolment(nextDay: 1)
    }

    func leaveProgram(id: String, day: String) async throws { try call("leaveProgram", id, day) }

    func completeProgramDay(id: String, number: UInt32, day: String) async throws -> Enrolment {
        try call("completeProgramDay", id, number, day)
        return enrolment(nextDay: number + 1)
    }

    func enrolments(day: String) async throws -> [Enrolment] {
        try call("enrolments", day)
        return todayValue.programs
    }

    func checkInGuide() async throws -> CheckInGuide {
        try call("checkInGuide")
        let sections = [CheckInTopic.feelings, .wish].map { CheckInSection(topic: $0, title: "\($0)", prompt: "Say it.", listenerHint: "Listen.") }
        return CheckInGuide(title: "Check-in", intro: "Once a month.", minutes: 30, listeningRules: ["Do not interrupt."], sections: sections, closing: "Thank you.")
    }

    func recordCheckIn(day: String) async throws -> CheckInDue {
        try call("recordCheckIn", day)
        lastHeld = day
        return try await nextCheckIn(day: day)
    }

    func nextCheckIn(day: String) async throws -> CheckInDue {
        CheckInDue(dueOn: "2025-04-14", isDue: lastHeld == nil, lastHeld: lastHeld)
    }

    func addGoal(text: String) async throws -> Goal {
        try call("addGoal", text)
        nextId += 1
        let goal = Goal(id: "g\(nextId)", author: me, text: text, status: .idea, createdAtMs: 0)
        goalList.append(goal)
        return goal
    }

    func goals() async throws -> [Goal] {
        try call("goals")
        return goalList
    }

    func readyToPickGoals() async throws -> Bool {
        goalList.contains { $0.author.isMe } && goalList.contains { !$0.author.isMe }
    }

    func setGoalStatus(id: String, status: GoalStatus) async throws -> Goal {
        try call("setGoalStatus", id, status)
        guard let index = goalList.firstIndex(where: { $0.id == id }) else { throw HearthError.NotFound(reason: "no goal \(id)") }
        goalList[index].status = status
        return goalList[index]
    }

    func addDateIdea(text: String) async throws -> DateIdea {
        try call("addDateIdea", text)
        nextId += 1
        let idea = DateIdea(id: "i\(nextId)", author: me, text: text, doneOn: nil)
        ideas.append(idea)
        return idea
    }

    func dateIdeas() async throws -> [DateIdea] { ideas }

    func drawDateIdea() async throws -> DateIdea? {
        try call("drawDateIdea")
        return ideas.first { $0.doneOn == nil }
    }

    func markDateDone(id: String, day: String) async throws {
        try call("markDateDone", id, day)
        if let index = ideas.firstIndex(where: { $0.id == id }) { ideas[index].doneOn = day }
    }

    func appreciate(text: String) async throws -> Appreciation {
        try call("appreciate", text)
        return Appreciation(id: "a1", author: me, text: text, createdAtMs: 0)
    }

    func appreciations() async throws -> [Appreciation] { [] }

    func safetyCheck() async throws -> SafetyCheck {
        try call("safetyCheck")
        return HearthStateTests.safetyCheck()
    }

    func recordSafetyCheck(answers: [SafetyAnswer]) async throws -> SafetyOutcome {
        try call("recordSafetyCheck", answers.map { "\($0.itemId)=\($0.yes)" }.joined(separator: " "))
        let check = HearthStateTests.safetyCheck()
        let concern = answers.contains { $0.yes }
        let urgent = answers.contains { answer in answer.yes && check.items.contains { $0.id == answer.itemId && $0.urgent } }
        let outcome = SafetyOutcome(concern: concern, urgent: urgent, message: concern ? check.concern : check.noConcern, resources: check.resources)
        heldOutcome = outcome
        return outcome
    }

    func safetyOutcome() async throws -> SafetyOutcome? { heldOutcome }

    func clearSafetyCheck() async throws {
        try call("clearSafetyCheck")
        heldOutcome = nil
    }

    // MARK: sync

    func setRelay(url: String) async throws {
        try call("setRelay", url)
        status.relayUrl = url
    }

    func startPairing() async throws -> PairingInvite {
        try call("startPairing")
        return PairingInvite(code: "4821-river-lantern-moss", expiresAtMs: 600_000)
    }

    func finishPairing() async throws -> PairingResult {
        try call("finishPairing")
        let result = try await withCheckedThrowingContinuation { partnerJoins = $0 }
        becomePaired(result)
        return result
    }

    func joinPartner(code: String) async throws -> PairingResult {
        try call("joinPartner", code)
        guard code.first?.isNumber == true else {
            throw HearthError.InvalidInput(reason: "this code cannot be used: it should start with its number")
        }
        let result = PairingResult(partnerName: partner.name, safetyNumber: "1234 5678 9012")
        becomePaired(result)
        return result
    }

    private func becomePaired(_ result: PairingResult) {
        partnerPerson = Person(id: partner.id, name: result.partnerName, isMe: false)
        status.paired = true
        emit(.syncStatusChanged)
    }

    func syncNow() async throws -> SyncReport {
        try call("syncNow")
        status.lastSyncedAtMs = 1_000
        return report
    }

    func syncStatus() async throws -> SyncStatus {
        try call("syncStatus")
        return status
    }

    func dismissSyncNotice() async throws {
        try call("dismissSyncNotice")
        status.notice = nil
    }

    func leaveSpace() async throws {
        try call("leaveSpace")
        status.closed = true
    }

    func startLiveSync() async throws -> Stoppable {
        try call("startLiveSync")
        liveStarted += 1
        return Handle { [weak self] in self?.liveStopped += 1 }
    }

    func close() { closed = true }
}

final class FakePreferences: ShellPreferences {
    var appLockEnabled: Bool
    var partnerNewsNotifications: Bool
    private(set) var cleared = 0

    init(appLockEnabled: Bool = false, partnerNewsNotifications: Bool = true) {
        self.appLockEnabled = appLockEnabled
        self.partnerNewsNotifications = partnerNewsNotifications
    }

    func clear() {
        appLockEnabled = false
        partnerNewsNotifications = true
        cleared += 1
    }
}

/// Opens a `FakeCore`; remembers the name it was opened with and whether it was erased.
final class FakeOpener: CoreOpener, @unchecked Sendable {
    var setUp: Bool
    var core = FakeCore()
    private(set) var openedWith: [String?] = []
    private(set) var erased = 0
    var failure: Error?

    init(setUp: Bool) { self.setUp = setUp }

    func isSetUp() -> Bool { setUp }

    func open(displayName: String?) async throws -> CoreGateway {
        openedWith.append(displayName)
        if let failure { throw failure }
        setUp = true
        return core
    }

    func erase() async throws {
        XCTAssertTrue(core.closed, "erase must run with the core closed")
        erased += 1
        setUp = false
        core = FakeCore()
    }
}
