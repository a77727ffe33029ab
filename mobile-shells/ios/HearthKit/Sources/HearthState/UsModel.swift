import Foundation
import HearthBindings
import Observation

/// A check-in being held: the guide and the section the couple is on.
public struct CheckInSession: Equatable, Sendable {
    public let guide: CheckInGuide
    public var section = 0

    /// Past the last section: show the closing words.
    public var closing: Bool { section >= guide.sections.count }
}

/// The Us screen, apart from assessments: goals, the date jar, the check-in, notes and programs.
public struct UsState: Equatable, Sendable {
    public var goals: [Goal] = []
    /// Both partners have offered ideas, so the couple can pick goals.
    public var readyToPick = false
    public var dateIdeas: [DateIdea] = []
    /// The idea drawn from the jar, until dismissed.
    public var drawn: DateIdea?
    /// The jar had nothing left to draw.
    public var jarEmpty = false
    public var checkIn: CheckInDue?
    public var checkInSession: CheckInSession?
    public var appreciations: [Appreciation] = []
    /// Programs on offer (the core leaves out those not consented to).
    public var programs: [Program] = []
    public var enrolments: [Enrolment] = []
    public var loading = true
    public var problem: Problem?
}

/// What the couple builds together: goals from a brainstorm both add to, a
/// jar of date ideas, the monthly check-in, appreciation notes and programs.
@MainActor
@Observable
public final class UsModel: ShowsProblems {
    public private(set) var state = UsState()
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

    public func refresh() async {
        await reload.run { await attempt { try await load() } }
    }

    private func load() async throws {
        let day = localDay.today()
        let goals = try await core.goals()
        let ready = try await core.readyToPickGoals()
        let ideas = try await core.dateIdeas()
        let checkIn = try await core.nextCheckIn(day: day)
        let notes = try await core.appreciations()
        let programs = try await core.programs()
        let enrolments = try await core.enrolments(day: day)
        state.goals = goals
        state.readyToPick = ready
        state.dateIdeas = ideas
        state.checkIn = checkIn
        state.appreciations = notes
        state.programs = programs
        state.enrolments = enrolments
        state.loading = false
    }

    /// Adds an idea to the goals brainstorm.
    public func addGoal(_ text: String) async {
        await act {
            _ = try await core.addGoal(text: text)
            try await load()
        }
    }

    /// Picks a goal, marks it done, or sets it aside.
    public func setGoalStatus(id: String, status: GoalStatus) async {
        await act {
            _ = try await core.setGoalStatus(id: id, status: status)
            try await load()
        }
    }

    public func addDateIdea(_ text: String) async {
        await act {
            _ = try await core.addDateIdea(text: text)
            try await load()
        }
    }

    /// Draws an idea not done yet, at random (the core draws).
    public func drawDateIdea() async {
        await act {
            let idea = try await core.drawDateIdea()
            state.drawn = idea
            state.jarEmpty = idea == nil
        }
    }

    public func dismissDrawn() {
        state.drawn = nil
        state.jarEmpty = false
    }

    public func markDateDone(id: String) async {
        await act {
            try await core.markDateDone(id: id, day: localDay.today())
            if state.drawn?.id == id { state.drawn = nil }
            try await load()
        }
    }

    /// Opens the check-in guide at its first section.
    public func beginCheckIn() async {
        await act {
            let guide = try await core.checkInGuide()
            state.checkInSession = CheckInSession(guide: guide)
        }
    }

    public func nextCheckInSection() {
        guard var session = state.checkInSession else { return }
        session.section = min(session.section + 1, session.guide.sections.count)
        state.checkInSession = session
    }

    public func previousCheckInSection() {
        guard var session = state.checkInSession else { return }
        session.section = max(session.section - 1, 0)
        state.checkInSession = session
    }

    /// Records that the check-in was held today and closes the guide.
    public func finishCheckIn() async {
        await act {
            state.checkIn = try await core.recordCheckIn(day: localDay.today())
            state.checkInSession = nil
        }
    }

    public func closeCheckIn() { state.checkInSession = nil }

    /// Writes an appreciation note to the partner.
    public func appreciate(_ text: String) async {
        await act {
            _ = try await core.appreciate(text: text)
            try await load()
        }
    }

    public func joinProgram(id: String) async {
        await act {
            _ = try await core.joinProgram(id: id, day: localDay.today())
            try await load()
        }
    }

    /// Leaves a program; the days done stay recorded.
    public func leaveProgram(id: String) async {
        await act {
            try await core.leaveProgram(id: id, day: localDay.today())
            try await load()
        }
    }
}
