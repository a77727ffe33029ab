import HearthBindings
import XCTest
@testable import HearthState

@MainActor
final class TodayModelTests: XCTestCase {
    func testTodayShowsTheQuestionTheNextTaskAndTheSuggestionWithItsReason() async {
        let core = FakeCore()
        core.todayValue.programs = [enrolment(nextDay: 2)]
        core.todayValue.suggestion = Recommendation(target: .exercise(exerciseId: "e-walk"), score: 1, reason: "You both want more shared activities.")
        core.todayValue.checkInDue = true
        let model = TodayModel(core: core, localDay: LocalDay { day })
        await model.refresh()

        XCTAssertFalse(model.state.loading)
        XCTAssertTrue(core.calls.contains("today(\(day))"))
        XCTAssertEqual(model.state.question?.question.text, "What made you smile this week?")
        XCTAssertEqual(model.state.steps.first?.day?.task, "Task of day 2")
        guard case .tryExercise(let exercise, let reason) = model.state.suggestion else { return XCTFail("no exercise suggested") }
        XCTAssertEqual(exercise.id, "e-walk")
        XCTAssertEqual(reason, "You both want more shared activities.")
        XCTAssertTrue(model.state.checkInDue)
    }

    func testAfterASafetyConcernTheSuggestionPointsToHelp() async {
        let core = FakeCore()
        core.todayValue.suggestion = Recommendation(target: .helpResources, score: 9, reason: "Support is here.")
        let model = TodayModel(core: core, localDay: LocalDay { day })
        await model.refresh()
        XCTAssertEqual(model.state.suggestion, .seeHelp(reason: "Support is here."))
        XCTAssertFalse(core.calls.contains { $0.hasPrefix("exercise(") })
    }

    func testAnsweringRevealsThePartnersAnswerAsTheCoreReturnsIt() async {
        let core = FakeCore()
        core.todayValue.question = daily(partner: .hidden)
        let model = TodayModel(core: core, localDay: LocalDay { day })
        await model.refresh()
        XCTAssertEqual(model.state.question?.answers.partner, .hidden)

        await model.answer("Seeing you laugh at breakfast.")
        XCTAssertEqual(model.state.question?.answers.mine, "Seeing you laugh at breakfast.")
        XCTAssertEqual(model.state.question?.answers.partner, .shown(text: "Our walk by the river."))
        XCTAssertFalse(model.state.savingAnswer)
    }

    func testAnEmptyAnswerIsRefusedWithTheCoresReason() async {
        let core = FakeCore()
        let model = TodayModel(core: core, localDay: LocalDay { day })
        await model.refresh()
        await model.answer("  ")
        XCTAssertEqual(model.state.problem, Problem(kind: .invalidInput, reason: "an answer needs some text"))
        XCTAssertNil(model.state.question?.answers.mine)
        model.dismissProblem()
        XCTAssertNil(model.state.problem)
    }
}

@MainActor
final class JournalModelTests: XCTestCase {
    private func write(_ core: FakeCore, _ body: String, _ visibility: Visibility = .shared) async throws -> Entry {
        try await core.writeEntry(entry: NewEntry(title: nil, body: body, emotions: [], link: nil, visibility: visibility))
    }

    func testPagesLoadNewestFirstAndTheNextPageAppendsWithoutRepeats() async throws {
        let core = FakeCore()
        for n in 0..<45 { _ = try await write(core, "Entry number \(n)") }
        let model = JournalModel(core: core)
        await model.refresh()
        XCTAssertEqual(model.state.entries.count, 30)
        XCTAssertEqual(model.state.entries.first?.body, "Entry number 44")
        XCTAssertNotNil(model.state.next)

        await model.loadMore()
        XCTAssertEqual(model.state.entries.count, 45)
        XCTAssertEqual(Set(model.state.entries.map(\.id)).count, 45)
        XCTAssertNil(model.state.next)
    }

    func testANewPrivateEntryGoesToTheCorePrivateWithEmotionsInVocabularyOrder() async {
        let core = FakeCore()
        let model = JournalModel(core: core)
        await model.refresh()
        model.compose(link: EntryLink(kind: .exercise, id: "e-listen"), prompt: "What did you notice?")
        model.updateDraft(EntryDraft(title: "  ", body: "We listened.", emotions: [.tender, .calm], isPrivate: true))
        await model.save()

        let written = core.entries.first
        XCTAssertEqual(written?.visibility, .private)
        XCTAssertNil(written?.title, "a blank title is no title")
        XCTAssertEqual(written?.emotions, [.calm, .tender])
        XCTAssertEqual(written?.link, EntryLink(kind: .exercise, id: "e-listen"))
        XCTAssertNil(model.state.composer)
        XCTAssertEqual(model.state.entries.map(\.id), [written?.id].compactMap { $0 })
    }

    func testARefusedEntryKeepsTheEditorOpenWithTheReason() async {
        let core = FakeCore()
        let model = JournalModel(core: core)
        model.compose()
        model.updateDraft(EntryDraft(body: "   "))
        await model.save()
        XCTAssertNotNil(model.state.composer)
        XCTAssertEqual(model.state.composer?.saving, false)
        XCTAssertEqual(model.state.problem?.kind, .invalidInput)
        XCTAssertTrue(core.entries.isEmpty)
    }

    func testMakingAnEntryPrivateFollowsItToItsNewId() async throws {
        let core = FakeCore()
        let entry = try await write(core, "Something to keep to myself")
        let model = JournalModel(core: core)
        await model.refresh()
        await model.open(id: entry.id)
        await model.setPrivate(id: entry.id, isPrivate: true)
        let open = try XCTUnwrap(model.state.open)
        XCTAssertNotEqual(open.id, entry.id)
        XCTAssertEqual(open.visibility, .private)
        XCTAssertEqual(model.state.entries.map(\.id), [open.id])
    }

    func testAnEntryFromThePartnerAppearsAndOneTheyDeletedDisappears() async throws {
        let core = FakeCore()
        let mine = try await write(core, "Mine")
        let model = JournalModel(core: core)
        await model.refresh()
        await model.open(id: mine.id)

        var theirs = mine
        theirs.id = "from-ben"
        theirs.author = partner
        core.entries.insert(theirs, at: 0)
        await model.onEvent(.entryChanged(id: "from-ben"))
        XCTAssertEqual(model.state.entries.map(\.id), ["from-ben", mine.id])

        core.entries.removeAll { $0.id == mine.id }
        await model.onEvent(.entryRemoved(id: mine.id))
        XCTAssertEqual(model.state.entries.map(\.id), ["from-ben"])
        XCTAssertNil(model.state.open, "a deleted entry does not stay open")
    }

    func testReactionsAndCommentsReplaceTheEntryInTheList() async throws {
        let core = FakeCore()
        let entry = try await write(core, "Dinner at the new place")
        let model = JournalModel(core: core)
        await model.refresh()
        await model.react(entryId: entry.id, reaction: .heart)
        await model.comment(entryId: entry.id, body: "Let's go back soon.")
        XCTAssertEqual(model.state.entries.first?.reactions.map(\.reaction), [.heart])
        XCTAssertEqual(model.state.entries.first?.comments.map(\.body), ["Let's go back soon."])
    }
}
