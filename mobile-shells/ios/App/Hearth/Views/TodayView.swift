import HearthBindings
import HearthState
import SwiftUI

/// Today: the question of the day and its reveal, program steps, a
/// suggestion, and the check-in when it is due.
struct TodayView: View {
    let session: Session
    let go: (MainTab) -> Void
    let openSafety: () -> Void
    @State private var draft = ""
    @State private var editing = false

    private var model: TodayModel { session.today }
    private var partnerName: String { session.settings.state.profile?.partner?.name ?? String(localized: "your partner") }

    var body: some View {
        NavigationStack {
            List {
                ProblemRow(problem: model.state.problem) { model.dismissProblem() }
                if let sync = session.settings.state.sync, !sync.paired, !sync.closed {
                    Section("Bring your partner in") {
                        Text("Pair your phones to share the question of the day and your journal.")
                        Button("Pair now") { session.pairing.offer() }
                    }
                }
                if let daily = model.state.question {
                    questionSection(daily)
                }
                ForEach(model.state.steps, id: \.enrolment.programId) { step in
                    stepSection(step)
                }
                if let suggestion = model.state.suggestion {
                    Section("Something to try") {
                        switch suggestion {
                        case .tryExercise(let exercise, let reason):
                            Text(exercise.title).font(.headline)
                            Text(reason).font(.footnote)
                            Button("Start") {
                                Task { await session.exercises.start(exerciseId: exercise.id) }
                                go(.exercises)
                            }
                        case .seeHelp(let reason):
                            Text(reason)
                            Button("See support", action: openSafety)
                        }
                    }
                }
                if model.state.checkInDue {
                    Section("Time for your check-in") {
                        Text("Set aside half an hour to talk about how the month has been for each of you.")
                        Button("Open the check-in") { go(.us) }
                    }
                }
            }
            .navigationTitle("Today")
            .refreshable { await model.refresh() }
            .overlay { if model.state.loading && model.state.question == nil { ProgressView() } }
        }
    }

    @ViewBuilder
    private func questionSection(_ daily: DailyQuestion) -> some View {
        Section("Today's question") {
            Text(daily.question.text).font(.title3)
            if let mine = daily.answers.mine, !editing {
                Text("You said").font(.caption)
                Text(mine)
                Button("Edit") {
                    draft = mine
                    editing = true
                }
            } else {
                TextField("Your answer", text: $draft, axis: .vertical).lineLimit(2...6)
                Button("Save") {
                    Task {
                        await model.answer(draft)
                        editing = false
                    }
                }
                .disabled(draft.trimmingCharacters(in: .whitespaces).isEmpty || model.state.savingAnswer)
            }
            // The reveal: the core says what may be seen of the partner's answer.
            switch daily.answers.partner {
            case .notYet:
                Text("\(partnerName) hasn't answered yet.").font(.footnote)
            case .hidden:
                Text("\(partnerName) has answered. Answer too, and you'll see each other's words.").font(.footnote)
            case .shown(let text):
                Text("\(partnerName) said").font(.caption)
                Text(text)
            }
        }
    }

    @ViewBuilder
    private func stepSection(_ step: ProgramStep) -> some View {
        let progress = step.enrolment.progress
        Section(step.enrolment.title) {
            if progress.welcomeBack {
                Text("Welcome back. Pick up wherever feels right.")
            }
            if let day = step.day {
                Text("Day \(day.day) of \(progress.totalDays): \(day.title)").font(.headline)
                Text(day.task)
                Button("I did this") {
                    Task { await model.completeStep(programId: step.enrolment.programId, number: day.day) }
                }
            } else {
                Text("You've done every day of this program.")
            }
        }
    }
}

