import HearthBindings
import HearthState
import SwiftUI

/// Pairing: show a code or type the partner's, then compare the safety
/// number both phones show. Asks for a relay first if none is set.
struct PairingView: View {
    let session: Session
    @State private var code = ""
    @State private var relay = ""

    private var pairing: PairingModel { session.pairing }

    var body: some View {
        NavigationStack {
            Form {
                if let problem = pairing.state.problem {
                    ProblemRow(problem: problem) { pairing.dismissProblem() }
                }
                if let problem = session.settings.state.problem {
                    ProblemRow(problem: problem) { session.settings.dismissProblem() }
                }
                switch pairing.state.step {
                case .choose:
                    Section {
                        Text("One of you shows a code, the other types it in. Do it together, side by side or on a call.")
                    }
                    if session.settings.state.sync != nil && session.settings.state.sync?.relayUrl == nil {
                        Section {
                            TextField("Relay address", text: $relay)
                                .textInputAutocapitalization(.never)
                                .keyboardType(.URL)
                            Button("Use this relay") { Task { await session.settings.setRelay(relay) } }
                                .disabled(relay.isEmpty)
                        } footer: {
                            Text("The relay passes encrypted messages between your phones. Both of you need the same one.")
                        }
                    }
                    Section {
                        Button("Show a code") { Task { await pairing.showCode() } }
                    }
                    Section {
                        TextField("Your partner's code", text: $code)
                            .textInputAutocapitalization(.never)
                            .autocorrectionDisabled()
                        Button("Join") { Task { await pairing.enterCode(code) } }
                            .disabled(code.trimmingCharacters(in: .whitespaces).isEmpty)
                    }
                case .gettingCode, .joining:
                    ProgressView()
                case .showCode(let code, let expiresAtMs):
                    Section {
                        Text("Ask your partner to choose \"Join\" and type this:")
                        Text(code).font(.title2.monospaced()).textSelection(.enabled)
                        Text("This code works until \(formatTime(expiresAtMs)).").font(.footnote)
                        HStack {
                            ProgressView()
                            Text("Waiting for your partner…")
                        }
                        Button("Cancel", role: .cancel) { pairing.cancel() }
                    }
                case .compare(let partnerName, let safetyNumber):
                    Section {
                        Text("You're connected with \(partnerName). Check that both phones show the same number:")
                        Text(safetyNumber).font(.title.monospaced())
                        Text("If the numbers match, nobody is listening in between you.").font(.footnote)
                        Button("They match") { pairing.confirmMatch() }.disabled(pairing.state.busy)
                        Button("They don't match", role: .destructive) { Task { await pairing.reportMismatch() } }
                            .disabled(pairing.state.busy)
                    }
                case .paired:
                    Section {
                        Text("You're paired. What you share now reaches each other's phone.")
                        Button("Continue") { pairing.later() }
                    }
                case .mismatch:
                    Section {
                        Text("The numbers were different, so this phone stepped away and nothing was shared. To try again, both of you erase Hearth in Settings and start over, ideally side by side.")
                        Button("Close") { pairing.later() }
                    }
                }
            }
            .navigationTitle("Pair your phones")
            .toolbar {
                ToolbarItem(placement: .cancellationAction) {
                    Button("Not now") { pairing.later() }
                }
            }
        }
    }
}
