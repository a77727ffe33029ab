import Foundation
import HearthBindings
import Observation

/// A program the couple is in, with this partner's next day (nil once every day is done).
public struct ProgramStep: Equatable, Sendable {
    public let enrolment: Enrolment
    public let day: ProgramDay?
}

/// The one suggestion Today shows, with the core's reason for it.
public enum Suggestion: Equatable, Sendable {
    /// An exercise picked for this couple.
    case tryExercise(Exercise, reason: String)
    /// After a safety concern: the help resources, and nothing that pushes closeness.
    case seeHelp(reason: String)
}

/// The Today screen.
public struct TodayState: Equatable, Sendable {
    /// The day shown, `YYYY-MM-DD`.
    public var day = ""
    public var loading = true
    /// The question of the day, with this partner's answer and the partner's as far as it may be seen.
    public var question: DailyQuestion?
    public var savingAnswer = false
    public var steps: [ProgramStep] = []
    public var suggestion: Suggestion?
    public var checkInDue = false
    public var problem: Problem?
}

/// Today: the question of the day and its reveal, today's program steps, one
/// suggested exercise and whether the monthly check-in is due. What is shown
/// (and what is held back after a safety concern) is the core's `today`;
/// this only fetches the titles and texts the ids point to.
@MainActor
@Observable
public final class TodayModel: ShowsProblems {
    public private(set) var state = TodayState()
    private let core: CoreGateway
    private let localDay: LocalDay
    private let reload = Reload()

    public init(core: CoreGateway, localDay: LocalDay) {
        self.core = core
        self.localDay = localDay
    }

    func show(_ problem: Problem?) {
        state.problem = problem
        state.loading = false
    }

    public func dismissProblem() { show(nil) }

    /// Reads everything Today shows.
    public func refresh() async {
        await reload.run { await attempt { try await load() } }
    }

    private func load() async throws {
        let day = localDay.today()
        let today = try await core.today(day: day)
        var programs: [Program] = []
        if !today.programs.isEmpty {
            programs = try await core.programs()
        }
        let steps = today.programs.map { enrolment in
            let program = programs.first { $0.id == enrolment.programId }
            let next = enrolment.progress.nextDay
            return ProgramStep(enrolment: enrolment, day: program?.days.first { $0.day == next })
        }
        var suggestion: Suggestion?
        if let recommendation = today.suggestion {
            switch recommendation.target {
            case .exercise(let exerciseId):
                let exercise = try await core.exercise(id: exerciseId)
                suggestion = .tryExercise(exercise, reason: recommendation.reason)
            case .helpResources:
                suggestion = .seeHelp(reason: recommendation.reason)
            }
        }
        state.day = day
        state.loading = false
        state.question = today.question
        state.steps = steps
        state.suggestion = suggestion
        state.checkInDue = today.checkInDue
    }

    /// Answers (or re-answers) the question of the day shown.
    public func answer(_ text: String) async {
        let day = state.day.isEmpty ? localDay.today() : state.day
        state.savingAnswer = true
        defer { state.savingAnswer = false }
        await act { state.question = try await core.answerDailyQuestion(day: day, text: text) }
    }

    /// Marks this partner's day `number` of a program done today.
    public func completeStep(programId: String, number: UInt32) async {
        await act {
            _ = try await core.completeProgramDay(id: programId, number: number, day: localDay.today())
            try await load()
        }
    }
}
