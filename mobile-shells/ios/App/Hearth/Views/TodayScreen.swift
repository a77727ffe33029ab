import HearthBindings
import SwiftUI

/// Today: the question of the day and its reveal, program steps, one
/// suggestion, the check-in when due. All of it as the core decided.
struct TodayScreen: View {
    let screens: Screens
    let dispatch: (Action) -> Void

    private var today: TodayView { screens.today }

    var body: some View {
        List {
            ProblemRow(problem: today.problem, dispatch: dispatch)
            if let question = today.question {
                Section("Today's question") {
                    Text(verbatim: question.text).font(.headline)
                    if let mine = question.mine {
                        Text("You: \(mine)")
                    } else {
                        TextField("Your answer", text: Binding(
                            get: { question.draft },
                            set: { dispatch(.editAnswer(text: $0)) }
                        ), axis: .vertical)
                        Button("Share my answer") { dispatch(.submitAnswer) }
                            .disabled(question.saving || question.draft.isEmpty)
                        Button("Another question") { dispatch(.swapQuestion) }
                    }
                    partner(question.partner)
                }
            }
            ForEach(today.steps, id: \.enrolment.programId) { step in
                Section(step.enrolment.title) {
                    if let day = step.next {
                        Text(verbatim: day.title).font(.headline)
                        Text(verbatim: day.task)
                        Button("Mark day \(day.day) done") {
                            dispatch(.completeProgramDay(programId: step.enrolment.programId, day: day.day))
                        }
                    } else {
                        Text("You have done every day.")
                    }
                }
            }
            if let suggestion = today.suggestion {
                Section("For you") {
                    switch suggestion {
                    case .tryExercise(let exercise, let reason):
                        Text(verbatim: exercise.title).font(.headline)
                        Text(verbatim: reason).font(.callout)
                        Button("Start") { dispatch(.startExercise(id: exercise.id)) }
                    case .seeProfessional(let reason, let kindOfHelp, let resources):
                        Text(verbatim: reason)
                        Text(verbatim: kindOfHelp).font(.callout)
                        ForEach(resources, id: \.id) { Text(verbatim: "\($0.title): \($0.text)") }
                    case .seeHelp(let reason, let resources):
                        Text(verbatim: reason)
                        ForEach(resources, id: \.id) { Text(verbatim: "\($0.title): \($0.text)") }
                    }
                }
            }
            if today.checkInDue {
                Section { Button("Your monthly check-in is due: begin") { dispatch(.beginCheckIn) } }
            }
            if !screens.paired && !screens.closed {
                Section { Button("Pair with your partner") { dispatch(.offerPairing) } }
            }
        }
        .navigationTitle("Today")
    }

    @ViewBuilder
    private func partner(_ answer: PartnerAnswerView) -> some View {
        switch answer {
        case .unpaired: Text("Pair with your partner to share answers.").foregroundStyle(.secondary)
        case .notYet: Text("Your partner hasn't answered yet.").foregroundStyle(.secondary)
        case .answerToSee: Text("Your partner answered. Answer to see theirs.").foregroundStyle(.secondary)
        case .shown(let name, let text): Text(verbatim: "\(name): \(text)")
        }
    }
}
