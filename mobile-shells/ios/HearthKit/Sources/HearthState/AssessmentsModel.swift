import Foundation
import HearthBindings
import Observation

/// One assessment: this partner's latest result, the partner's shared one, and how they compare.
public struct AssessmentSummary: Equatable, Sendable {
    public let kind: AssessmentKind
    public let mine: AssessmentResult?
    public let partner: AssessmentResult?
    /// Once both shared a result: the topics, widest difference first.
    public let comparison: Comparison?
}

/// Answers given so far while taking an assessment. Which are missing or
/// out of range is the core's call when the draft is submitted.
public struct AssessmentDraft: Equatable, Sendable {
    public let kind: AssessmentKind
    public var importance: [Dimension: UInt32] = [:]
    public var satisfaction: [Dimension: UInt32] = [:]
    public var choices: [String: Choice] = [:]
    /// Scale values by item id (attachment, barrier signs).
    public var values: [String: UInt32] = [:]
    /// Yes or no by item id (professional help).
    public var signals: [String: Bool] = [:]
    public var submitting = false

    public init(kind: AssessmentKind) {
        self.kind = kind
    }

    /// The answers as the core takes them, in a stable order. A dimension
    /// counts once both its values are given.
    public func answers() -> AssessmentAnswers {
        switch kind {
        case .intimacy:
            return .intimacy(ratings: Dimension.allCases.compactMap { dimension in
                guard let importance = importance[dimension], let satisfaction = satisfaction[dimension] else { return nil }
                return DimensionRating(dimension: dimension, importance: importance, satisfaction: satisfaction)
            })
        case .loveLanguages:
            return .loveLanguages(answers: choices.keys.sorted().compactMap { id in
                choices[id].map { ChoiceAnswer(itemId: id, choice: $0) }
            })
        case .attachment:
            return .attachment(answers: itemAnswers())
        case .barrierSigns:
            return .barrierSigns(answers: itemAnswers())
        case .professionalHelp:
            return .professionalHelp(answers: signals.keys.sorted().compactMap { id in
                signals[id].map { SignalAnswer(itemId: id, present: $0) }
            })
        }
    }

    private func itemAnswers() -> [ItemAnswer] {
        values.keys.sorted().compactMap { id in values[id].map { ItemAnswer(itemId: id, value: $0) } }
    }
}

/// The assessments part of the Us screen.
public struct AssessmentsState: Equatable, Sendable {
    public var forms: AssessmentForms?
    public var consent: SexualContentConsent?
    /// One per kind, in the core's order.
    public var summaries: [AssessmentSummary] = []
    public var draft: AssessmentDraft?
    /// The result just taken, shown until dismissed.
    public var justTaken: AssessmentResult?
    public var loading = true
    public var problem: Problem?
}

/// Assessments: taking one (scored and kept on this phone by the core),
/// sharing or withdrawing a result, and the comparison once both partners
/// shared theirs.
@MainActor
@Observable
public final class AssessmentsModel: ShowsProblems {
    public private(set) var state = AssessmentsState()
    private let core: CoreGateway
    private let reload = Reload()

    public init(core: CoreGateway) {
        self.core = core
    }

    func show(_ problem: Problem?) {
        state.problem = problem
        state.loading = false
    }

    public func dismissProblem() { show(nil) }

    public func refresh() async {
        await reload.run { await attempt { try await load() } }
    }

    private func load() async throws {
        let forms: AssessmentForms
        if let known = state.forms {
            forms = known
        } else {
            forms = try await core.assessmentForms()
        }
        let consent = try await core.sexualContentConsent()
        var summaries: [AssessmentSummary] = []
        for kind in AssessmentKind.allCases {
            let mine = try await core.myAssessment(kind: kind)
            let partner = try await core.partnerAssessment(kind: kind)
            let comparison = try await core.compareAssessments(kind: kind)
            summaries.append(AssessmentSummary(kind: kind, mine: mine, partner: partner, comparison: comparison))
        }
        state.forms = forms
        state.consent = consent
        state.summaries = summaries
        state.loading = false
    }

    /// The intimacy items to ask about: the sexual one only while both
    /// partners have opted in (the core lets it be skipped either way).
    public var intimacyItems: [IntimacyItem] {
        let both = state.consent.map { $0.mine && $0.partner } ?? false
        return (state.forms?.intimacy.items ?? []).filter { $0.dimension != .sexual || both }
    }

    /// Starts taking an assessment.
    public func begin(_ kind: AssessmentKind) {
        state.draft = AssessmentDraft(kind: kind)
        state.justTaken = nil
    }

    /// Records an answer in the draft.
    public func answer(_ change: (inout AssessmentDraft) -> Void) {
        guard var draft = state.draft else { return }
        change(&draft)
        state.draft = draft
    }

    public func cancel() { state.draft = nil }

    /// Scores the draft. The core keeps the result on this phone until it is shared.
    public func submit() async {
        guard let draft = state.draft else { return }
        state.draft?.submitting = true
        defer { state.draft?.submitting = false }
        await act {
            let result = try await core.takeAssessment(answers: draft.answers())
            state.draft = nil
            state.justTaken = result
            try await load()
        }
    }

    public func dismissResult() { state.justTaken = nil }

    /// Shares this partner's latest result of `kind` with the other.
    public func share(_ kind: AssessmentKind) async {
        await act {
            try await core.shareAssessment(kind: kind)
            try await load()
        }
    }

    /// Withdraws this partner's shared results of `kind`.
    public func unshare(_ kind: AssessmentKind) async {
        await act {
            try await core.unshareAssessment(kind: kind)
            try await load()
        }
    }
}
