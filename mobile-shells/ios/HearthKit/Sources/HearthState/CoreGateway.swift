import Foundation
import HearthBindings

/// The core as the state holders see it: one method per call of the
/// generated `Hearth` they use, with the same names and argument labels and
/// the core's own records and enums. The app implements it in one file
/// (`HearthGateway`, on the generated bindings); the tests with a fake.
/// Every decision stays in the core: a method here forwards, it never
/// decides.
///
/// Every call is `async` so the implementation can run the core's blocking
/// calls off the main actor, and so a call the bindings make `async` later
/// needs no change here. Failures are the generated `HearthError`.
public protocol CoreGateway: AnyObject, Sendable {
    // MARK: profile
    func profile() async throws -> Profile
    func setDisplayName(name: String) async throws

    // MARK: journal
    func writeEntry(entry: NewEntry) async throws -> Entry
    func editEntry(id: String, update: EntryUpdate) async throws -> Entry
    func deleteEntry(id: String) async throws
    func setEntryVisibility(id: String, visibility: Visibility) async throws -> Entry
    func entry(id: String) async throws -> Entry
    func listEntries(filter: EntryFilter, limit: UInt32, cursor: String?) async throws -> EntryPage
    func searchEntries(text: String, filter: EntryFilter, limit: UInt32) async throws -> [SearchHit]
    func react(entryId: String, reaction: Reaction?) async throws -> Entry
    func addComment(entryId: String, body: String) async throws -> Entry
    func deleteComment(entryId: String, commentId: String) async throws -> Entry
    func exportJson() async throws -> String
    func exportMarkdown() async throws -> String
    /// Calls `onEvent` for each change (on the core's thread) until the result is stopped.
    func subscribe(onEvent: @escaping @Sendable (Event) -> Void) -> Stoppable

    // MARK: guidance
    func setSexualContentOptIn(optIn: Bool) async throws
    func sexualContentConsent() async throws -> SexualContentConsent
    func today(day: String) async throws -> Today
    func dailyQuestion(day: String) async throws -> DailyQuestion
    func answerDailyQuestion(day: String, text: String) async throws -> DailyQuestion
    func exercises(filter: ExerciseFilter) async throws -> [Exercise]
    func exercise(id: String) async throws -> Exercise
    func logExercise(id: String, day: String, done: Bool) async throws
    func startDrill(exerciseId: String) async throws -> DrillSession
    func drill(id: String) async throws -> DrillSession
    func drillMove(id: String, action: TurnMove) async throws -> DrillSession
    func openDrills() async throws -> [DrillSession]
    /// The questionnaires of the five assessments.
    func assessmentForms() async throws -> AssessmentForms
    func takeAssessment(answers: AssessmentAnswers) async throws -> AssessmentResult
    func myAssessment(kind: AssessmentKind) async throws -> AssessmentResult?
    func partnerAssessment(kind: AssessmentKind) async throws -> AssessmentResult?
    func shareAssessment(kind: AssessmentKind) async throws
    func unshareAssessment(kind: AssessmentKind) async throws
    func compareAssessments(kind: AssessmentKind) async throws -> Comparison?
    func programs() async throws -> [Program]
    func joinProgram(id: String, day: String) async throws -> Enrolment
    func leaveProgram(id: String, day: String) async throws
    func completeProgramDay(id: String, number: UInt32, day: String) async throws -> Enrolment
    func enrolments(day: String) async throws -> [Enrolment]
    func checkInGuide() async throws -> CheckInGuide
    func recordCheckIn(day: String) async throws -> CheckInDue
    func nextCheckIn(day: String) async throws -> CheckInDue
    func addGoal(text: String) async throws -> Goal
    func goals() async throws -> [Goal]
    func readyToPickGoals() async throws -> Bool
    func setGoalStatus(id: String, status: GoalStatus) async throws -> Goal
    func addDateIdea(text: String) async throws -> DateIdea
    func dateIdeas() async throws -> [DateIdea]
    func drawDateIdea() async throws -> DateIdea?
    func markDateDone(id: String, day: String) async throws
    func appreciate(text: String) async throws -> Appreciation
    func appreciations() async throws -> [Appreciation]
    func safetyCheck() async throws -> SafetyCheck
    func recordSafetyCheck(answers: [SafetyAnswer]) async throws -> SafetyOutcome
    func safetyOutcome() async throws -> SafetyOutcome?
    func clearSafetyCheck() async throws

    // MARK: sync
    func setRelay(url: String) async throws
    func startPairing() async throws -> PairingInvite
    func finishPairing() async throws -> PairingResult
    func joinPartner(code: String) async throws -> PairingResult
    func syncNow() async throws -> SyncReport
    func syncStatus() async throws -> SyncStatus
    func dismissSyncNotice() async throws
    func leaveSpace() async throws
    /// Keeps this phone in sync while the app is in front, until the result is stopped.
    func startLiveSync() async throws -> Stoppable

    /// Lets go of the core handle.
    func close()
}

/// Something running that can be stopped: an event subscription, live sync.
public protocol Stoppable: AnyObject {
    func stop()
}

/// The five questionnaires, as the core's content records.
public struct AssessmentForms: Equatable, Sendable {
    public var intimacy: IntimacyAssessment
    public var loveLanguages: LoveLanguageAssessment
    public var attachment: AttachmentAssessment
    public var barrierSigns: BarrierSignsAssessment
    public var professionalHelp: ProfessionalHelpAssessment

    public init(
        intimacy: IntimacyAssessment,
        loveLanguages: LoveLanguageAssessment,
        attachment: AttachmentAssessment,
        barrierSigns: BarrierSignsAssessment,
        professionalHelp: ProfessionalHelpAssessment
    ) {
        self.intimacy = intimacy
        self.loveLanguages = loveLanguages
        self.attachment = attachment
        self.barrierSigns = barrierSigns
        self.professionalHelp = professionalHelp
    }
}

/// Opens the core on this phone. The app implements it with its data folder
/// and the Keychain; the tests with a fake.
public protocol CoreOpener: AnyObject, Sendable {
    /// Whether Hearth was set up on this phone (its data folder exists).
    func isSetUp() -> Bool
    /// Opens Hearth, creating the data folder and this device's keys on
    /// first use; `displayName` names this partner the first time.
    func open(displayName: String?) async throws -> CoreGateway
    /// Erases the data folder and every key this app keeps in the Keychain.
    /// Called with the gateway closed.
    func erase() async throws
}

/// Today's date in the person's own calendar, `YYYY-MM-DD`.
public struct LocalDay: Sendable {
    private let read: @Sendable () -> String

    public init(_ read: @escaping @Sendable () -> String) {
        self.read = read
    }

    public func today() -> String { read() }

    /// The phone's calendar and time zone.
    public static let system = LocalDay {
        let parts = Calendar.current.dateComponents([.year, .month, .day], from: Date())
        return String(format: "%04d-%02d-%02d", parts.year ?? 1970, parts.month ?? 1, parts.day ?? 1)
    }
}
