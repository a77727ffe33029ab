import HearthBindings
import HearthState
import SwiftUI

/// The assessments on the Us screen: each with this partner's result, sharing, and the comparison.
struct AssessmentsSection: View {
    let model: AssessmentsModel

    var body: some View {
        Section {
            ProblemRow(problem: model.state.problem) { model.dismissProblem() }
            ForEach(model.state.summaries, id: \.kind) { summary in
                VStack(alignment: .leading, spacing: 6) {
                    Text(summary.kind.label).font(.headline)
                    HStack {
                        Button(summary.mine == nil ? "Take it" : "Take it again") { model.begin(summary.kind) }
                        if summary.mine != nil {
                            Button("Share") { Task { await model.share(summary.kind) } }
                            Button("Stop sharing") { Task { await model.unshare(summary.kind) } }
                        }
                    }
                    .buttonStyle(.borderless)
                    if summary.partner != nil && summary.comparison == nil {
                        Text("Your partner shared theirs. Share yours to compare.").font(.caption)
                    }
                    if let comparison = summary.comparison {
                        Text("Where you differ most").font(.subheadline)
                        ForEach(comparison.differences.prefix(5), id: \.topic) { difference in
                            Text(verbatim: "\(difference.label): \(difference.mine.formatted(.number.precision(.fractionLength(1)))) / \(difference.partner.formatted(.number.precision(.fractionLength(1))))")
                                .font(.caption)
                        }
                    }
                }
            }
        } header: {
            Text("Assessments")
        } footer: {
            Text("Results stay on this phone until you share them.")
        }
    }
}

/// Taking an assessment, then its result.
struct AssessmentView: View {
    let model: AssessmentsModel

    var body: some View {
        NavigationStack {
            Form {
                ProblemRow(problem: model.state.problem) { model.dismissProblem() }
                if let result = model.state.justTaken {
                    ResultView(result: result)
                    Button("Done") { model.dismissResult() }
                } else if let draft = model.state.draft, let forms = model.state.forms {
                    form(draft, forms)
                    Button("See my result") { Task { await model.submit() } }.disabled(draft.submitting)
                } else {
                    ProgressView()
                }
            }
            .toolbar {
                ToolbarItem(placement: .cancellationAction) {
                    Button("Close") {
                        model.cancel()
                        model.dismissResult()
                    }
                }
            }
        }
    }

    @ViewBuilder
    private func form(_ draft: AssessmentDraft, _ forms: AssessmentForms) -> some View {
        switch draft.kind {
        case .intimacy:
            let form = forms.intimacy
            Section { Text(verbatim: form.intro) } header: { Text(verbatim: form.title) }
            ForEach(model.intimacyItems, id: \.dimension) { item in
                Section {
                    Text(verbatim: item.description).font(.caption)
                    Text(verbatim: form.importanceQuestion)
                    ScalePicker(scale: form.scale, value: draft.importance[item.dimension]) { v in
                        model.answer { $0.importance[item.dimension] = v }
                    }
                    Text(verbatim: form.satisfactionQuestion)
                    ScalePicker(scale: form.scale, value: draft.satisfaction[item.dimension]) { v in
                        model.answer { $0.satisfaction[item.dimension] = v }
                    }
                } header: {
                    Text(item.dimension.label)
                }
            }
        case .loveLanguages:
            let form = forms.loveLanguages
            Section { Text(verbatim: form.intro) } header: { Text(verbatim: form.title) }
            ForEach(form.items, id: \.id) { item in
                Section {
                    Picker(selection: Binding(
                        get: { draft.choices[item.id] },
                        set: { choice in model.answer { $0.choices[item.id] = choice } }
                    )) {
                        Text(verbatim: item.first.text).tag(Optional(Choice.first))
                        Text(verbatim: item.second.text).tag(Optional(Choice.second))
                    } label: {
                        EmptyView()
                    }
                    .pickerStyle(.inline)
                }
            }
        case .attachment:
            let form = forms.attachment
            Section { Text(verbatim: form.intro); Text(verbatim: form.note).font(.caption) } header: { Text(verbatim: form.title) }
            ForEach(form.items, id: \.id) { item in
                Section {
                    Text(verbatim: item.text)
                    ScalePicker(scale: form.scale, value: draft.values[item.id]) { v in model.answer { $0.values[item.id] = v } }
                }
            }
        case .barrierSigns:
            let form = forms.barrierSigns
            Section { Text(verbatim: form.intro) } header: { Text(verbatim: form.title) }
            ForEach(form.items, id: \.id) { item in
                Section {
                    Text(verbatim: item.text)
                    ScalePicker(scale: form.scale, value: draft.values[item.id]) { v in model.answer { $0.values[item.id] = v } }
                }
            }
        case .professionalHelp:
            let form = forms.professionalHelp
            Section { Text(verbatim: form.intro) } header: { Text(verbatim: form.title) }
            ForEach(form.items, id: \.id) { item in
                Section {
                    Text(verbatim: item.text)
                    Picker("", selection: Binding(
                        get: { draft.signals[item.id] },
                        set: { present in model.answer { $0.signals[item.id] = present } }
                    )) {
                        Text("Yes").tag(Optional(true))
                        Text("No").tag(Optional(false))
                    }
                    .pickerStyle(.segmented)
                }
            }
        }
    }
}

private struct ResultView: View {
    let result: AssessmentResult

    var body: some View {
        Section("Your result") {
            switch result {
            case .intimacy(let result):
                ForEach(result.dimensions, id: \.dimension) { score in
                    VStack(alignment: .leading) {
                        Text(score.dimension.label).font(.headline)
                        Text("Importance \(score.importance), satisfaction \(score.satisfaction)").font(.caption)
                        if score.gap > 0 { Text("You'd like more of this.").font(.caption) }
                    }
                }
            case .loveLanguages(let result):
                HStack {
                    Text("Your main language:")
                    ForEach(result.primary, id: \.self) { Text($0.label).bold() }
                }
                ForEach(result.scores, id: \.language) { score in
                    HStack { Text(score.language.label); Spacer(); Text(verbatim: "\(score.score) / \(score.outOf)") }
                }
            case .attachment(let result):
                Text(verbatim: result.reflection)
                Text(verbatim: result.note).font(.caption)
            case .barrierSigns(let result):
                let flagged = result.barriers.filter(\.flagged)
                if flagged.isEmpty { Text("Nothing stands out right now.") }
                ForEach(flagged, id: \.barrier) { Text($0.barrier.label) }
            case .professionalHelp(let result):
                Text(verbatim: result.message)
                if !result.aboutTherapy.isEmpty { Text(verbatim: result.aboutTherapy).font(.caption) }
            }
        }
    }
}
