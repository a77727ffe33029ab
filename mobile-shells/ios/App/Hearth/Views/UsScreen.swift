import HearthBindings
import SwiftUI

/// Us: goals, the date jar, notes, programs, the check-in and assessments.
struct UsScreen: View {
    let us: UsView
    let dispatch: (Action) -> Void

    var body: some View {
        List {
            ProblemRow(problem: us.problem, dispatch: dispatch)
            Section("Goals") {
                ForEach(us.goals, id: \.id) { goal in
                    HStack {
                        Text(verbatim: goal.text)
                        Spacer()
                        if us.readyToPick && goal.status == .idea {
                            Button("Pick") { dispatch(.setGoalStatus(id: goal.id, status: .chosen)) }
                        }
                    }
                }
                SendField(placeholder: "An idea for a goal", button: "Add") { dispatch(.addGoal(text: $0)) }
            }
            Section("Date jar") {
                if let drawn = us.drawn {
                    Text(verbatim: drawn.text).font(.headline)
                    Button("We did it") { dispatch(.markDateDone(id: drawn.id)) }
                    Button("Put it back") { dispatch(.dismissDrawn) }
                } else if us.jarEmpty {
                    Text("The jar is empty. Add a few ideas first.")
                } else {
                    Button("Draw an idea") { dispatch(.drawDateIdea) }
                }
                SendField(placeholder: "A date idea", button: "Add") { dispatch(.addDateIdea(text: $0)) }
                if us.dateIdeas.isEmpty {
                    ForEach(us.starterIdeas.prefix(5), id: \.id) { idea in
                        Button("Add: \(idea.text)") { dispatch(.addStarterIdea(id: idea.id)) }
                    }
                }
            }
            Section("Notes") {
                ForEach(us.appreciations, id: \.id) { Text(verbatim: "\($0.author.name): \($0.text)") }
                SendField(placeholder: "Something you appreciate", button: "Send") { dispatch(.appreciate(text: $0)) }
            }
            Section("Programs") {
                ForEach(us.programs, id: \.id) { program in
                    let joined = us.enrolments.contains { $0.programId == program.id && $0.joinedByMe }
                    Button(joined ? "Leave \(program.title)" : "Join \(program.title)") {
                        dispatch(joined ? .leaveProgram(id: program.id) : .joinProgram(id: program.id))
                    }
                }
            }
            Section("Check-in") {
                if let session = us.checkInSession {
                    if session.closing {
                        Text(verbatim: session.guide.closing)
                        Button("We held it") { dispatch(.finishCheckIn(month: nil)) }
                    } else {
                        Text(verbatim: session.guide.sections[Int(session.section)].title).font(.headline)
                        Button("Next") { dispatch(.nextCheckInSection) }
                    }
                } else {
                    Button("Begin the monthly check-in") { dispatch(.beginCheckIn) }
                }
            }
            Section("Assessments") {
                ForEach(us.assessments.summaries, id: \.kind) { summary in
                    HStack {
                        Text(String(describing: summary.kind))
                        Spacer()
                        if summary.mine != nil && !summary.shared {
                            Button("Share") { dispatch(.shareAssessment(kind: summary.kind)) }
                        }
                        Button(summary.mine == nil ? "Take" : "Again") { dispatch(.beginAssessment(kind: summary.kind)) }
                    }
                }
            }
        }
        .navigationTitle("Us")
    }
}
