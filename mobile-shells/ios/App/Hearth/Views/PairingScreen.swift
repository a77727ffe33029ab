import HearthBindings
import SwiftUI

/// Pairing: show a code or type the partner's, then compare the safety number.
struct PairingScreen: View {
    let pairing: PairingView
    let dispatch: (Action) -> Void
    @State private var code = ""
    @State private var relay = ""

    var body: some View {
        NavigationStack {
            Form {
                ProblemRow(problem: pairing.problem, dispatch: dispatch)
                if pairing.needsRelay {
                    TextField("Relay address", text: $relay)
                    Button("Use this relay") { dispatch(.setRelay(url: relay)) }
                }
                switch pairing.step {
                case .choose:
                    Button("Show a code to my partner") { dispatch(.showCode) }
                    TextField("Code from my partner", text: $code)
                    Button("Join") { dispatch(.enterCode(code: code)) }.disabled(code.isEmpty)
                case .gettingCode, .joining:
                    ProgressView()
                case .showCode(let shown, _):
                    Text(verbatim: shown).font(.title).textSelection(.enabled)
                    Text("Your partner types this on their phone.")
                    Button("Cancel") { dispatch(.cancelPairing) }
                case .compare(let partnerName, let safetyNumber):
                    Text("Check that \(partnerName)'s phone shows the same number:")
                    Text(verbatim: safetyNumber).font(.title2.monospaced())
                    Button("They match") { dispatch(.confirmMatch) }
                    Button("They differ", role: .destructive) { dispatch(.reportMismatch) }
                case .paired:
                    Text("You are paired.")
                    Button("Done") { dispatch(.pairLater) }
                case .mismatch:
                    Text("The numbers differed, so this phone left again and nothing was shared. Try again in person.")
                    Button("Start again") { dispatch(.cancelPairing) }
                }
            }
            .navigationTitle("Pair")
            .toolbar { Button("Later") { dispatch(.pairLater) } }
        }
    }
}
