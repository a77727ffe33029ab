import HearthBindings
import SwiftUI

/// The safety check and help. Nothing here leaves this phone.
struct SafetyScreen: View {
    let safety: SafetyView
    let dispatch: (Action) -> Void

    var body: some View {
        Form {
            ProblemRow(problem: safety.problem, dispatch: dispatch)
            Text(verbatim: safety.check.privacyNote).font(.caption)
            if safety.taking {
                ForEach(safety.check.items, id: \.id) { item in
                    Toggle(item.text, isOn: Binding(
                        get: { safety.answers.contains { $0.itemId == item.id && $0.yes } },
                        set: { dispatch(.answerSafety(itemId: item.id, yes: $0)) }
                    ))
                }
                Button("Done") { dispatch(.submitSafetyCheck) }
            } else if let outcome = safety.outcome {
                Text(verbatim: outcome.message)
                ForEach(outcome.resources, id: \.id) { Text(verbatim: "\($0.title): \($0.text)") }
                Button("Take it again") { dispatch(.takeSafetyCheck) }
                Button("Erase it from this phone", role: .destructive) { dispatch(.clearSafetyCheck) }
            }
        }
        .navigationTitle(safety.check.title)
    }
}
