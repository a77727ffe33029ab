import HearthBindings
import HearthState
import SwiftUI

/// A problem: the core's reason when it gave one, else a sentence for its kind.
struct ProblemText: View {
    let problem: Problem

    var body: some View {
        // The core's reason is shown as it is, never looked up as a key.
        Group {
            if let reason = problem.reason {
                Text(verbatim: reason)
            } else {
                Text(fallback)
            }
        }
        .foregroundStyle(.red)
        .font(.callout)
    }

    private var fallback: LocalizedStringKey {
        switch problem.kind {
        case .invalidInput: "That can't be saved as it is. Check it and try again."
        case .notFound: "This is no longer here. It may have been deleted on the other phone."
        case .notAllowed: "Only the person who wrote this can do that."
        case .sync: "Syncing didn't work this time. Nothing is lost: your changes wait on this phone and go out later."
        case .keyStore: "Hearth can't reach this phone's Keychain. Unlock your phone and try again."
        case .updateRequired: "This data comes from a newer Hearth. Update the app to open it."
        case .storage: "Hearth couldn't read or write its files. Check that the phone has free space, then restart the app."
        case .internalFault: "Something went wrong inside Hearth. Try again; if it keeps happening, restart the app."
        }
    }
}

/// A problem row with a dismiss button, for the top of a list.
struct ProblemRow: View {
    let problem: Problem?
    let dismiss: () -> Void

    var body: some View {
        if let problem {
            HStack(alignment: .top) {
                ProblemText(problem: problem)
                Spacer()
                Button("OK", action: dismiss)
            }
        }
    }
}

/// Buttons for each value of a scale, the chosen one filled, with its end labels.
struct ScalePicker: View {
    let scale: Scale
    let value: UInt32?
    let pick: (UInt32) -> Void

    var body: some View {
        VStack(alignment: .leading, spacing: 4) {
            HStack {
                ForEach(Array(scale.min...scale.max), id: \.self) { v in
                    if v == value {
                        Button("\(v)") { pick(v) }.buttonStyle(.borderedProminent)
                    } else {
                        Button("\(v)") { pick(v) }.buttonStyle(.bordered)
                    }
                }
            }
            HStack {
                Text(scale.lowLabel)
                Spacer()
                Text(scale.highLabel)
            }
            .font(.caption2).foregroundStyle(.secondary)
        }
    }
}

func formatTime(_ ms: Int64) -> String {
    Date(timeIntervalSince1970: TimeInterval(ms) / 1000).formatted(date: .abbreviated, time: .shortened)
}

extension Dimension {
    var label: LocalizedStringKey {
        switch self {
        case .emotional: "Emotional"
        case .physical: "Affection and touch"
        case .sexual: "Sexual"
        case .intellectual: "Ideas"
        case .experiential: "Doing things together"
        case .spiritual: "Values and meaning"
        case .conflict: "Disagreeing well"
        case .dream: "Shared dreams"
        case .selfhood: "Yourself"
        }
    }
}

extension Emotion {
    /// The word on the emotions chart; the stable name, capitalised.
    var label: LocalizedStringKey { LocalizedStringKey(String(describing: self).capitalized) }
}

extension Reaction {
    var label: LocalizedStringKey {
        switch self {
        case .heart: "Love"
        case .hug: "Hug"
        case .laugh: "Made me laugh"
        case .thanks: "Thank you"
        case .proud: "Proud of you"
        case .hereForYou: "Here for you"
        }
    }
}

extension GoalStatus {
    var label: LocalizedStringKey {
        switch self {
        case .idea: "idea"
        case .chosen: "picked"
        case .done: "reached"
        case .setAside: "set aside"
        }
    }
}

extension AssessmentKind {
    var label: LocalizedStringKey {
        switch self {
        case .intimacy: "Closeness today"
        case .loveLanguages: "Love languages"
        case .attachment: "How you attach"
        case .barrierSigns: "What gets in the way"
        case .professionalHelp: "Is it time for help?"
        }
    }
}

extension LoveLanguage {
    var label: LocalizedStringKey {
        switch self {
        case .physicalTouch: "Touch"
        case .wordsOfAffirmation: "Kind words"
        case .gifts: "Gifts"
        case .actsOfService: "Helping out"
        case .qualityTime: "Time together"
        }
    }
}

extension Barrier {
    var label: LocalizedStringKey {
        switch self {
        case .neglect: "Too little time for each other"
        case .brokenTrust: "Broken trust"
        case .poorCommunication: "Talking past each other"
        case .outsideStress: "Stress from outside"
        case .mismatchedNeeds: "Different needs"
        case .fears: "Fears"
        case .unhelpfulBeliefs: "Unhelpful beliefs"
        case .pastHurt: "Old hurt"
        case .unfairLoad: "An uneven load"
        case .honeymoonEnd: "After the honeymoon"
        case .mentalHealth: "Mental health"
        }
    }
}

extension TurnMove {
    var label: LocalizedStringKey {
        switch self {
        case .doneSpeaking: "I've said it"
        case .doneReflecting: "I've summed it up"
        case .heard: "Yes, that's it"
        case .notQuite: "Not quite"
        case .pause: "I need a break"
        case .ready: "I'm ready to go on"
        case .stop: "Let's stop for today"
        }
    }
}

extension DrillPhase {
    var label: LocalizedStringKey {
        switch self {
        case .speaking: "Speaking"
        case .reflecting: "Summing up"
        case .confirming: "Checking"
        case .paused: "Taking a break"
        case .finished: "Finished"
        case .stopped: "Stopped"
        }
    }
}
