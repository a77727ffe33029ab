import Foundation
import HearthBindings
import Observation

/// An exercise being done step by step on this phone.
public struct ExerciseRun: Equatable, Sendable {
    public let exercise: Exercise
    /// The step shown, from 0.
    public var step = 0
    /// All steps done: show the journal prompt.
    public var finished = false

    public var isLastStep: Bool { step >= exercise.steps.count - 1 }
}

/// A turn-based drill across both phones, with the exercise it practises
/// (for its speaker and listener cues).
public struct DrillInProgress: Equatable, Sendable {
    public var session: DrillSession
    public let exercise: Exercise
}

/// The Exercises screen.
public struct ExercisesState: Equatable, Sendable {
    /// The dimension browsed; nil for all.
    public var dimension: Dimension?
    /// The dimensions that have exercises this couple may see, in the core's order.
    public var dimensions: [Dimension] = []
    public var exercises: [Exercise] = []
    public var loading = true
    public var run: ExerciseRun?
    public var drill: DrillInProgress?
    /// Drills not over yet, e.g. one the partner started and waits on.
    public var openDrills: [DrillInProgress] = []
    public var problem: Problem?
}

/// Exercises: browsing by dimension, doing one step by step (logged on this
/// phone, where it shapes the suggestions), and turn-based drills where the
/// core says whose turn it is and which moves are allowed.
@MainActor
@Observable
public final class ExercisesModel: ShowsProblems {
    public private(set) var state = ExercisesState()
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
        // The dimensions on offer follow the catalog the core lets this couple see.
        let all = try await core.exercises(filter: ExerciseFilter(dimension: nil, barrier: nil, kind: nil))
        let offered = Set(all.flatMap(\.dimensions))
        let dimension = state.dimension.flatMap { offered.contains($0) ? $0 : nil }
        var drills: [DrillInProgress] = []
        for session in try await core.openDrills() {
            if let exercise = all.first(where: { $0.id == session.exerciseId }) {
                drills.append(DrillInProgress(session: session, exercise: exercise))
            }
        }
        state.dimension = dimension
        state.dimensions = Dimension.allCases.filter { offered.contains($0) }
        state.exercises = dimension.map { d in all.filter { $0.dimensions.contains(d) } } ?? all
        state.openDrills = drills
        state.loading = false
    }

    /// Shows the exercises serving `dimension` (nil: all).
    public func browse(_ dimension: Dimension?) async {
        state.dimension = dimension
        await refresh()
    }

    /// Starts an exercise on this phone, at its first step.
    public func start(exerciseId: String) async {
        await act {
            let exercise = try await core.exercise(id: exerciseId)
            state.run = ExerciseRun(exercise: exercise)
        }
    }

    public func nextStep() {
        guard var run = state.run else { return }
        if run.isLastStep {
            run.finished = true
        } else {
            run.step += 1
        }
        state.run = run
    }

    public func previousStep() {
        guard var run = state.run else { return }
        run.step = max(run.step - 1, 0)
        run.finished = false
        state.run = run
    }

    /// Ends the run, recording that it was done (or skipped) today.
    public func finish(done: Bool) async {
        guard let run = state.run else { return }
        await act {
            try await core.logExercise(id: run.exercise.id, day: localDay.today(), done: done)
            state.run = nil
        }
    }

    /// Leaves the run without recording anything.
    public func closeRun() { state.run = nil }

    /// Starts a drill, this partner in the first seat; the partner's phone sees it as an open drill.
    public func startDrill(exerciseId: String) async {
        await act {
            let session = try await core.startDrill(exerciseId: exerciseId)
            let exercise = try await core.exercise(id: exerciseId)
            state.drill = DrillInProgress(session: session, exercise: exercise)
            state.run = nil
        }
    }

    /// Opens a drill, e.g. the one the partner started.
    public func openDrill(id: String) async {
        await act {
            let session = try await core.drill(id: id)
            let exercise = try await core.exercise(id: session.exerciseId)
            state.drill = DrillInProgress(session: session, exercise: exercise)
        }
    }

    /// Makes a move; the core refuses one that is not this partner's to make.
    public func move(_ move: TurnMove) async {
        guard let drill = state.drill else { return }
        await act {
            let session = try await core.drillMove(id: drill.session.id, action: move)
            state.drill?.session = session
        }
    }

    public func closeDrill() { state.drill = nil }

    /// Follows a drill move made on the partner's phone.
    public func onEvent(_ event: Event) async {
        guard case .documentChanged(let kind, let id) = event, kind == DocumentKind.drill else { return }
        if state.drill?.session.id == id {
            await attempt {
                let session = try await core.drill(id: id)
                state.drill?.session = session
            }
        }
        await refresh()
    }
}
