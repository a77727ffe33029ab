import HearthBindings
import HearthState
import SwiftUI

/// Safety and support: the check and the help resources. Everything here
/// stays on this phone; the core never syncs it, and this screen never
/// notifies, logs or exports it.
struct SafetyView: View {
    let model: SafetyModel
    @Environment(\.dismiss) private var dismiss

    var body: some View {
        NavigationStack {
            Form {
                ProblemRow(problem: model.state.problem) { model.dismissProblem() }
                if let check = model.state.check {
                    Section { Text(verbatim: check.privacyNote).font(.footnote) }
                    if let outcome = model.state.outcome, !model.state.retaking {
                        Section {
                            Text(verbatim: outcome.message)
                            ForEach(outcome.resources, id: \.id) { ResourceRow(resource: $0) }
                            Button("Answer again") { model.retake() }
                            Button("Erase my answers", role: .destructive) { Task { await model.erase() } }
                        }
                    } else {
                        Section {
                            Text(verbatim: check.intro)
                            ForEach(check.items, id: \.id) { item in
                                VStack(alignment: .leading) {
                                    Text(verbatim: item.text)
                                    Picker("", selection: Binding(
                                        get: { model.state.answers[item.id] },
                                        set: { yes in if let yes { model.answer(itemId: item.id, yes: yes) } }
                                    )) {
                                        Text("Yes").tag(Optional(true))
                                        Text("No").tag(Optional(false))
                                    }
                                    .pickerStyle(.segmented)
                                }
                            }
                            Button("Done") { Task { await model.submit() } }.disabled(model.state.answers.isEmpty)
                        }
                        Section("Where to find help") {
                            ForEach(check.resources, id: \.id) { ResourceRow(resource: $0) }
                        }
                    }
                } else {
                    ProgressView()
                }
            }
            .navigationTitle(model.state.check?.title ?? "")
            .toolbar { ToolbarItem(placement: .cancellationAction) { Button("Close") { dismiss() } } }
            .task { await model.refresh() }
        }
    }
}

private struct ResourceRow: View {
    let resource: HelpResource

    var body: some View {
        VStack(alignment: .leading, spacing: 4) {
            Text(verbatim: resource.title).font(.headline)
            Text(verbatim: resource.text)
        }
    }
}
