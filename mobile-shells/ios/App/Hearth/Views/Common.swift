import HearthBindings
import SwiftUI

/// A problem, in the core's words (which say what to do and hold no content).
struct ProblemRow: View {
    let problem: Problem?
    let dispatch: (Action) -> Void

    var body: some View {
        if let problem {
            HStack(alignment: .top) {
                Text(verbatim: problem.reason).foregroundStyle(.red).font(.callout)
                Spacer()
                Button("OK") { dispatch(.dismissProblem) }
            }
        }
    }
}

/// A one-line text field with a button that sends what was typed.
struct SendField: View {
    let placeholder: LocalizedStringKey
    let button: LocalizedStringKey
    let send: (String) -> Void
    @State private var text = ""

    var body: some View {
        HStack {
            TextField(placeholder, text: $text)
            Button(button) {
                send(text)
                text = ""
            }
            .disabled(text.trimmingCharacters(in: .whitespaces).isEmpty)
        }
    }
}

extension Dimension {
    var label: LocalizedStringKey {
        switch self {
        case .emotional: "Feelings"
        case .physical: "Touch"
        case .sexual: "Sex"
        case .intellectual: "Ideas"
        case .experiential: "Shared time"
        case .spiritual: "Meaning"
        case .conflict: "Disagreeing well"
        case .dream: "Dreams"
        case .selfhood: "Yourself"
        }
    }
}
