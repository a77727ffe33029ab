import HearthBindings
import HearthState
import SwiftUI

/// Exercises: browse by dimension, run one step by step, or a drill turn by
/// turn across both phones.
struct ExercisesView: View {
    let session: Session
    let goToJournal: () -> Void

    private var model: ExercisesModel { session.exercises }

    var body: some View {
        NavigationStack {
            List {
                ProblemRow(problem: model.state.problem) { model.dismissProblem() }
                ScrollView(.horizontal, showsIndicators: false) {
                    HStack {
                        dimensionButton(nil)
                        ForEach(model.state.dimensions, id: \.self) { dimensionButton($0) }
                    }
                }
                if !model.state.openDrills.isEmpty {
                    Section("Waiting for you") {
                        ForEach(model.state.openDrills, id: \.session.id) { open in
                            Button {
                                Task { await model.openDrill(id: open.session.id) }
                            } label: {
                                VStack(alignment: .leading) {
                                    Text(verbatim: open.exercise.title)
                                    Text("Turn \(open.session.view.turn) of \(open.session.view.totalTurns)").font(.caption)
                                }
                            }
                        }
                    }
                }
                ForEach(model.state.exercises, id: \.id) { exercise in
                    ExerciseRow(exercise: exercise, model: model)
                }
            }
            .navigationTitle("Exercises")
            .refreshable { await model.refresh() }
            .sheet(isPresented: Binding(get: { model.state.run != nil }, set: { if !$0 { model.closeRun() } })) {
                if let run = model.state.run {
                    RunView(run: run, model: model) {
                        session.journal.compose(link: EntryLink(kind: .exercise, id: run.exercise.id), prompt: run.exercise.prompt)
                        Task { await model.finish(done: true) }
                        goToJournal()
                    }
                }
            }
            .sheet(isPresented: Binding(get: { model.state.drill != nil }, set: { if !$0 { model.closeDrill() } })) {
                if let drill = model.state.drill {
                    DrillView(drill: drill, partnerName: session.settings.state.profile?.partner?.name, model: model)
                }
            }
        }
    }

    @ViewBuilder
    private func dimensionButton(_ dimension: Dimension?) -> some View {
        let title: LocalizedStringKey = dimension?.label ?? "All"
        if model.state.dimension == dimension {
            Button(title) { Task { await model.browse(dimension) } }.buttonStyle(.borderedProminent)
        } else {
            Button(title) { Task { await model.browse(dimension) } }.buttonStyle(.bordered)
        }
    }
}

private struct ExerciseRow: View {
    let exercise: Exercise
    let model: ExercisesModel

    var body: some View {
        VStack(alignment: .leading, spacing: 6) {
            Text(verbatim: exercise.title).font(.headline)
            Text(verbatim: exercise.summary)
            Text(exercise.mode == .together ? "Together · about \(exercise.minutes) min" : "On your own · about \(exercise.minutes) min")
                .font(.caption).foregroundStyle(.secondary)
            HStack {
                Button("Start") { Task { await model.start(exerciseId: exercise.id) } }
                    .buttonStyle(.borderedProminent)
                if exercise.drill != nil && exercise.mode == .together {
                    Button("Take turns on both phones") { Task { await model.startDrill(exerciseId: exercise.id) } }
                        .buttonStyle(.bordered)
                }
            }
        }
        .padding(.vertical, 4)
    }
}

private struct RunView: View {
    let run: ExerciseRun
    let model: ExercisesModel
    let writeAboutIt: () -> Void

    var body: some View {
        NavigationStack {
            VStack(alignment: .leading, spacing: 16) {
                if run.finished {
                    Text("Well done. A thought to take with you:")
                    Text(verbatim: run.exercise.prompt).font(.title3)
                    Button("Write about it", action: writeAboutIt).buttonStyle(.borderedProminent)
                    Button("Done") { Task { await model.finish(done: true) } }
                } else {
                    Text("Step \(run.step + 1) of \(run.exercise.steps.count)").font(.caption)
                    Text(verbatim: run.exercise.steps.indices.contains(run.step) ? run.exercise.steps[run.step] : "").font(.title3)
                    HStack {
                        Button("Back") { model.previousStep() }.disabled(run.step == 0)
                        Button(run.isLastStep ? "Finish" : "Next") { model.nextStep() }.buttonStyle(.borderedProminent)
                    }
                    Button("Skip for today") { Task { await model.finish(done: false) } }.font(.footnote)
                }
                Spacer()
            }
            .padding()
            .navigationTitle(run.exercise.title)
            .toolbar { ToolbarItem(placement: .cancellationAction) { Button("Close") { model.closeRun() } } }
        }
    }
}

private struct DrillView: View {
    let drill: DrillInProgress
    let partnerName: String?
    let model: ExercisesModel

    var body: some View {
        let session = drill.session
        let view = session.view
        NavigationStack {
            VStack(alignment: .leading, spacing: 16) {
                ProblemRow(problem: model.state.problem) { model.dismissProblem() }
                Text("Turn \(view.turn) of \(view.totalTurns)").font(.caption)
                Text(view.phase.label).font(.title3)
                if !session.finished {
                    Text(view.role == .speaker ? "Your turn to speak." : "Your turn to listen.")
                    if let cue = view.role == .speaker ? drill.exercise.drill?.speaker : drill.exercise.drill?.listener {
                        Text(verbatim: cue)
                    }
                    if view.moves.isEmpty {
                        Text("Waiting for \(partnerName ?? String(localized: "your partner"))…")
                    }
                }
                ForEach(view.moves, id: \.self) { move in
                    Button(move.label) { Task { await model.move(move) } }.buttonStyle(.bordered)
                }
                if session.skippedMoves > 0 {
                    Text("A move made on both phones at the same moment was set aside.").font(.footnote)
                }
                Spacer()
            }
            .padding()
            .navigationTitle(drill.exercise.title)
            .toolbar { ToolbarItem(placement: .cancellationAction) { Button("Close") { model.closeDrill() } } }
        }
    }
}
