import HearthBindings
import XCTest
@testable import HearthState

@MainActor
final class ExercisesModelTests: XCTestCase {
    func testTheDimensionsOnOfferAreThoseOfTheVisibleExercises() async {
        let core = FakeCore()
        let model = ExercisesModel(core: core, localDay: LocalDay { day })
        await model.refresh()
        XCTAssertEqual(model.state.dimensions, [.emotional, .experiential])
        await model.browse(.experiential)
        XCTAssertEqual(model.state.exercises.map(\.id), ["e-walk"])
    }

    func testAnExerciseRunsStepByStepAndFinishingLogsItForToday() async {
        let core = FakeCore()
        let model = ExercisesModel(core: core, localDay: LocalDay { day })
        await model.start(exerciseId: "e-listen")
        model.previousStep()
        XCTAssertEqual(model.state.run?.step, 0)
        model.nextStep()
        model.nextStep()
        XCTAssertEqual(model.state.run?.isLastStep, true)
        model.nextStep()
        XCTAssertEqual(model.state.run?.finished, true)
        await model.finish(done: true)
        XCTAssertTrue(core.calls.contains("logExercise(e-listen, \(day), true)"))
        XCTAssertNil(model.state.run)
    }

    func testADrillMovesOnOnlyWithTheMovesTheCoreAllows() async {
        let core = FakeCore()
        core.catalog.append(exercise("e-mirror", drill: Drill(rounds: 2, speaker: "Say what is on your mind.", listener: "Sum up what you heard.")))
        let model = ExercisesModel(core: core, localDay: LocalDay { day })
        await model.startDrill(exerciseId: "e-mirror")
        XCTAssertEqual(model.state.drill?.exercise.drill?.speaker, "Say what is on your mind.")

        await model.move(.heard)
        XCTAssertEqual(model.state.problem?.kind, .notAllowed)
        XCTAssertEqual(model.state.drill?.session.view.phase, .speaking)

        await model.move(.doneSpeaking)
        XCTAssertNil(model.state.problem)
        XCTAssertEqual(model.state.drill?.session.view.phase, .reflecting)
    }

    func testAMoveOnThePartnersPhoneUpdatesTheOpenDrill() async {
        let core = FakeCore()
        core.drills["d-ben"] = drillSession("d-ben", exerciseId: "e-listen")
        let model = ExercisesModel(core: core, localDay: LocalDay { day })
        await model.refresh()
        XCTAssertEqual(model.state.openDrills.map(\.session.id), ["d-ben"])
        await model.openDrill(id: "d-ben")

        core.drills["d-ben"] = drillSession("d-ben", exerciseId: "e-listen", turn: 2)
        await model.onEvent(.documentChanged(kind: "drill", id: "d-ben"))
        XCTAssertEqual(model.state.drill?.session.view.turn, 2)
    }
}

@MainActor
final class UsModelsTests: XCTestCase {
    func testADraftSendsOnlyDimensionsRatedOnBothQuestionsInTheCoresOrder() {
        var draft = AssessmentDraft(kind: .intimacy)
        draft.importance = [.dream: 4, .emotional: 5, .spiritual: 2]
        draft.satisfaction = [.emotional: 3, .dream: 4]
        XCTAssertEqual(draft.answers(), .intimacy(ratings: [
            DimensionRating(dimension: .emotional, importance: 5, satisfaction: 3),
            DimensionRating(dimension: .dream, importance: 4, satisfaction: 4),
        ]))
    }

    func testTheSexualItemIsAskedOnlyWhenBothPartnersOptedIn() async {
        let core = FakeCore()
        let model = AssessmentsModel(core: core)
        await model.refresh()
        XCTAssertEqual(model.intimacyItems.map(\.dimension), [.emotional, .dream])
        core.consent = SexualContentConsent(mine: true, partner: true)
        await model.refresh()
        XCTAssertTrue(model.intimacyItems.contains { $0.dimension == .sexual })
    }

    func testAnIncompleteAssessmentStaysOpenAndACompleteOneShowsItsResult() async {
        let core = FakeCore()
        let model = AssessmentsModel(core: core)
        await model.refresh()
        model.begin(.intimacy)
        model.answer { $0.importance[.emotional] = 5; $0.satisfaction[.emotional] = 2 }
        await model.submit()
        XCTAssertEqual(model.state.problem?.kind, .invalidInput)
        XCTAssertNotNil(model.state.draft)

        model.answer { $0.importance[.dream] = 3; $0.satisfaction[.dream] = 3 }
        await model.submit()
        XCTAssertNil(model.state.draft)
        XCTAssertNotNil(model.state.justTaken)
        XCTAssertNotNil(model.state.summaries.first { $0.kind == .intimacy }?.mine)
    }

    func testTheDateJarDrawsMarksDoneAndSaysWhenItIsEmpty() async {
        let core = FakeCore()
        let model = UsModel(core: core, localDay: LocalDay { day })
        await model.drawDateIdea()
        XCTAssertTrue(model.state.jarEmpty)

        await model.addDateIdea("Picnic on the roof")
        await model.drawDateIdea()
        let drawn = model.state.drawn
        XCTAssertEqual(drawn?.text, "Picnic on the roof")
        await model.markDateDone(id: drawn?.id ?? "")
        XCTAssertTrue(core.calls.contains("markDateDone(\(drawn?.id ?? ""), \(day))"))
        XCTAssertNil(model.state.drawn)
    }

    func testTheCheckInWalksItsSectionsAndRecordsTheDay() async {
        let core = FakeCore()
        let model = UsModel(core: core, localDay: LocalDay { day })
        await model.beginCheckIn()
        model.nextCheckInSection()
        model.nextCheckInSection()
        model.nextCheckInSection()
        XCTAssertEqual(model.state.checkInSession?.section, 2, "it stops at the closing words")
        XCTAssertEqual(model.state.checkInSession?.closing, true)
        await model.finishCheckIn()
        XCTAssertTrue(core.calls.contains("recordCheckIn(\(day))"))
        XCTAssertEqual(model.state.checkIn?.lastHeld, day)
        XCTAssertNil(model.state.checkInSession)
    }
}
