import HearthBindings
import SwiftUI

/// Exercises: suggestions, the library by dimension, a run step by step,
/// and turn-based drills (offered by the core only once paired).
struct ExercisesScreen: View {
    let exercises: ExercisesView
    let dispatch: (Action) -> Void

    var body: some View {
        List {
            ProblemRow(problem: exercises.problem, dispatch: dispatch)
            if !exercises.openDrills.isEmpty {
                Section("Waiting for a turn") {
                    ForEach(exercises.openDrills, id: \.session.id) { drill in
                        Button(drill.exercise.title) { dispatch(.openDrill(id: drill.session.id)) }
                    }
                }
            }
            if !exercises.recommended.isEmpty {
                Section("Suggested") {
                    ForEach(exercises.recommended, id: \.exercise.id) { item in
                        Button { dispatch(.startExercise(id: item.exercise.id)) } label: {
                            VStack(alignment: .leading) {
                                Text(verbatim: item.exercise.title)
                                Text(verbatim: item.reason).font(.caption)
                            }
                        }
                    }
                }
            }
            Picker("Show", selection: Binding(get: { exercises.dimension }, set: { dispatch(.browse(dimension: $0)) })) {
                Text("Everything").tag(Dimension?.none)
                ForEach(exercises.dimensions, id: \.self) { Text($0.label).tag(Optional($0)) }
            }
            ForEach(exercises.exercises, id: \.id) { exercise in
                Button { dispatch(.startExercise(id: exercise.id)) } label: {
                    VStack(alignment: .leading) {
                        Text(verbatim: exercise.title).font(.headline)
                        Text(verbatim: exercise.summary).font(.callout).lineLimit(2)
                    }
                }
            }
        }
        .navigationTitle("Exercises")
        .sheet(isPresented: .constant(exercises.run != nil)) {
            if let run = exercises.run { RunSheet(run: run, dispatch: dispatch) }
        }
        .sheet(isPresented: .constant(exercises.drill != nil && exercises.run == nil)) {
            if let drill = exercises.drill { DrillSheet(drill: drill, dispatch: dispatch) }
        }
    }
}

private struct RunSheet: View {
    let run: ExerciseRun
    let dispatch: (Action) -> Void

    var body: some View {
        NavigationStack {
            VStack(alignment: .leading, spacing: 16) {
                if run.finished {
                    Text(verbatim: run.exercise.prompt)
                    Button("Write about it") { dispatch(.writeAboutExercise(exerciseId: run.exercise.id)) }
                    Button("Done") { dispatch(.finishExercise(done: true)) }
                } else {
                    Text("Step \(run.step + 1) of \(run.exercise.steps.count)").font(.caption)
                    Text(verbatim: run.exercise.steps[Int(run.step)])
                    HStack {
                        Button("Back") { dispatch(.previousStep) }.disabled(run.step == 0)
                        Spacer()
                        Button(run.isLastStep ? "Finish" : "Next") { dispatch(.nextStep) }
                    }
                    if run.canTakeTurns {
                        Button("Take turns on both phones") { dispatch(.startDrill(exerciseId: run.exercise.id)) }
                    }
                }
                Spacer()
            }
            .padding()
            .navigationTitle(run.exercise.title)
            .toolbar { Button("Close") { dispatch(.closeExercise) } }
        }
    }
}

private struct DrillSheet: View {
    let drill: DrillOnScreen
    let dispatch: (Action) -> Void

    var body: some View {
        NavigationStack {
            VStack(alignment: .leading, spacing: 16) {
                Text("Turn \(drill.session.view.turn + 1) of \(drill.session.view.totalTurns)").font(.caption)
                if drill.session.view.moves.isEmpty {
                    Text("Your partner's turn. This updates when they are done.")
                }
                ForEach(drill.session.view.moves, id: \.self) { move in
                    Button(label(move)) { dispatch(.drillMove(action: move)) }
                }
                Spacer()
            }
            .padding()
            .navigationTitle(drill.exercise.title)
            .toolbar { Button("Close") { dispatch(.closeDrill) } }
        }
    }

    private func label(_ move: TurnMove) -> LocalizedStringKey {
        switch move {
        case .doneSpeaking: "I'm done speaking"
        case .doneReflecting: "I've said it back"
        case .heard: "Yes, I feel heard"
        case .notQuite: "Not quite"
        case .pause: "Pause"
        case .ready: "Ready"
        case .stop: "Stop for now"
        }
    }
}
