import HearthBindings
import HearthState
import SwiftUI

/// Us: the check-in, assessments and how they compare, goals, the date jar,
/// appreciation notes and programs.
struct UsView: View {
    let session: Session
    @State private var goal = ""
    @State private var idea = ""
    @State private var note = ""

    private var model: UsModel { session.us }

    var body: some View {
        NavigationStack {
            List {
                ProblemRow(problem: model.state.problem) { model.dismissProblem() }
                checkInSection
                AssessmentsSection(model: session.assessments)
                goalsSection
                dateJarSection
                notesSection
                programsSection
            }
            .navigationTitle("Us")
            .refreshable {
                await model.refresh()
                await session.assessments.refresh()
            }
            .sheet(isPresented: Binding(get: { model.state.checkInSession != nil }, set: { if !$0 { model.closeCheckIn() } })) {
                if let checkIn = model.state.checkInSession {
                    CheckInView(session: checkIn, model: model)
                }
            }
            .sheet(isPresented: Binding(
                get: { session.assessments.state.draft != nil || session.assessments.state.justTaken != nil },
                set: { if !$0 { session.assessments.cancel(); session.assessments.dismissResult() } }
            )) {
                AssessmentView(model: session.assessments)
            }
        }
    }

    private var checkInSection: some View {
        Section("Monthly check-in") {
            if let due = model.state.checkIn {
                Text(due.isDue ? "Your check-in is due." : "Next check-in: \(due.dueOn)")
                if let last = due.lastHeld { Text("Last held: \(last)").font(.caption) }
            }
            Button("Begin") { Task { await model.beginCheckIn() } }
        }
    }

    private var goalsSection: some View {
        Section {
            ForEach(model.state.goals, id: \.id) { goal in
                VStack(alignment: .leading) {
                    Text(verbatim: goal.text)
                    HStack { Text(verbatim: goal.author.name); Text(goal.status.label) }.font(.caption)
                    HStack {
                        switch goal.status {
                        case .idea:
                            if model.state.readyToPick {
                                Button("Pick this") { Task { await model.setGoalStatus(id: goal.id, status: .chosen) } }
                            }
                        case .chosen:
                            Button("We did it") { Task { await model.setGoalStatus(id: goal.id, status: .done) } }
                            Button("Set aside") { Task { await model.setGoalStatus(id: goal.id, status: .setAside) } }
                        case .setAside:
                            Button("Pick again") { Task { await model.setGoalStatus(id: goal.id, status: .chosen) } }
                        case .done:
                            EmptyView()
                        }
                    }
                    .buttonStyle(.borderless)
                }
            }
            if !model.state.readyToPick && !model.state.goals.isEmpty {
                Text("Waiting for ideas from both of you before you pick.").font(.caption)
            }
            TextField("A goal for the two of you", text: $goal)
            Button("Add") {
                let text = goal
                goal = ""
                Task { await model.addGoal(text) }
            }
            .disabled(goal.trimmingCharacters(in: .whitespaces).isEmpty)
        } header: {
            Text("Goals")
        } footer: {
            Text("Each of you adds ideas. Once you both have, pick the ones to work on together.")
        }
    }

    private var dateJarSection: some View {
        Section("Date jar") {
            Text("\(model.state.dateIdeas.filter { $0.doneOn == nil }.count) ideas in the jar")
            if let drawn = model.state.drawn {
                Text(verbatim: drawn.text).font(.headline)
                Button("We did this") { Task { await model.markDateDone(id: drawn.id) } }
                Button("Draw another") { Task { await model.drawDateIdea() } }
                Button("Close") { model.dismissDrawn() }
            } else {
                if model.state.jarEmpty { Text("The jar is empty. Add a few ideas.").font(.caption) }
                Button("Draw an idea") { Task { await model.drawDateIdea() } }
            }
            TextField("An idea for a date", text: $idea)
            Button("Add") {
                let text = idea
                idea = ""
                Task { await model.addDateIdea(text) }
            }
            .disabled(idea.trimmingCharacters(in: .whitespaces).isEmpty)
        }
    }

    private var notesSection: some View {
        Section("Appreciation") {
            ForEach(model.state.appreciations.prefix(10), id: \.id) { note in
                VStack(alignment: .leading) {
                    Text(verbatim: note.text)
                    Text(verbatim: "\(note.author.name) · \(formatTime(note.createdAtMs))").font(.caption)
                }
            }
            TextField("Something you value in your partner", text: $note)
            Button("Add") {
                let text = note
                note = ""
                Task { await model.appreciate(text) }
            }
            .disabled(note.trimmingCharacters(in: .whitespaces).isEmpty)
        }
    }

    private var programsSection: some View {
        Section("Programs") {
            ForEach(model.state.programs, id: \.id) { program in
                let enrolment = model.state.enrolments.first { $0.programId == program.id }
                VStack(alignment: .leading, spacing: 4) {
                    Text(verbatim: program.title).font(.headline)
                    Text(verbatim: program.summary).font(.caption)
                    if let progress = enrolment?.progress {
                        Text("You: \(progress.doneByMe) · Partner: \(progress.doneByPartner) · of \(progress.totalDays) days").font(.caption)
                    }
                    if enrolment?.joinedByMe == true {
                        Button("Leave") { Task { await model.leaveProgram(id: program.id) } }.buttonStyle(.borderless)
                    } else {
                        Button("Join") { Task { await model.joinProgram(id: program.id) } }.buttonStyle(.borderless)
                    }
                }
            }
        }
    }
}

/// The monthly check-in, section by section.
private struct CheckInView: View {
    let session: CheckInSession
    let model: UsModel

    var body: some View {
        let guide = session.guide
        NavigationStack {
            ScrollView {
                VStack(alignment: .leading, spacing: 16) {
                    if session.section == 0 {
                        Text(verbatim: guide.intro)
                        Text("How to listen").font(.headline)
                        ForEach(guide.listeningRules, id: \.self) { Text(verbatim: "• \($0)") }
                    }
                    if session.closing {
                        Text(verbatim: guide.closing).font(.title3)
                        Button("We held our check-in") { Task { await model.finishCheckIn() } }.buttonStyle(.borderedProminent)
                    } else {
                        let section = guide.sections[session.section]
                        Text("Step \(session.section + 1) of \(guide.sections.count)").font(.caption)
                        Text(verbatim: section.title).font(.headline)
                        Text(verbatim: section.prompt).font(.title3)
                        Text("While you listen: \(section.listenerHint)").font(.footnote)
                    }
                    HStack {
                        Button("Back") { model.previousCheckInSection() }.disabled(session.section == 0)
                        if !session.closing {
                            Button("Next") { model.nextCheckInSection() }.buttonStyle(.borderedProminent)
                        }
                    }
                }
                .padding()
            }
            .navigationTitle(guide.title)
            .toolbar { ToolbarItem(placement: .cancellationAction) { Button("Close") { model.closeCheckIn() } } }
        }
    }
}
