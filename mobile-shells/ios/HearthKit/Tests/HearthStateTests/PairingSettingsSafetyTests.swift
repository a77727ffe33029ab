import HearthBindings
import XCTest
@testable import HearthState

@MainActor
final class PairingModelTests: XCTestCase {
    func testShowingACodeWaitsForThePartnerThenBothCompareTheNumber() async {
        let core = FakeCore()
        let model = PairingModel(core: core)
        var paired = 0
        model.onPaired = { paired += 1 }
        model.offer()
        let flow = Task { await model.showCode() }
        await waitUntil("the code shows") { core.waitingForPartner }
        XCTAssertEqual(model.state.step, .showCode(code: "4821-river-lantern-moss", expiresAtMs: 600_000))

        core.partnerTypesCode(PairingResult(partnerName: "Ben", safetyNumber: "1234 5678 9012"))
        await flow.value
        XCTAssertEqual(model.state.step, .compare(partnerName: "Ben", safetyNumber: "1234 5678 9012"))
        XCTAssertEqual(paired, 0, "paired only once the person confirms the numbers")
        model.confirmMatch()
        XCTAssertEqual(model.state.step, .paired)
        XCTAssertEqual(paired, 1)
    }

    func testCancellingStopsWaitingForThePartner() async {
        let core = FakeCore()
        let model = PairingModel(core: core)
        let flow = Task { await model.showCode() }
        await waitUntil("the code shows") { core.waitingForPartner }
        model.cancel()
        XCTAssertEqual(model.state.step, .choose)
        core.partnerTypesCode(PairingResult(partnerName: "Ben", safetyNumber: "1"))
        await flow.value
        XCTAssertEqual(model.state.step, .choose, "a late answer changes nothing here")
    }

    func testACodeThatCannotBeUsedGoesBackToTheChoiceWithTheReason() async {
        let core = FakeCore()
        let model = PairingModel(core: core)
        await model.enterCode("river-lantern")
        XCTAssertEqual(model.state.step, .choose)
        XCTAssertEqual(model.state.problem?.kind, .invalidInput)
        await model.enterCode(" 4821-river-lantern-moss ")
        XCTAssertTrue(core.calls.contains("joinPartner(4821-river-lantern-moss)"), "the code is trimmed")
        XCTAssertEqual(model.state.step, .compare(partnerName: "Ben", safetyNumber: "1234 5678 9012"))
    }

    func testNumbersThatDifferMakeThisPhoneLeaveAtOnce() async {
        let core = FakeCore()
        let model = PairingModel(core: core)
        await model.enterCode("4821-river-lantern-moss")
        await model.reportMismatch()
        XCTAssertTrue(core.calls.contains("leaveSpace()"))
        XCTAssertEqual(model.state.step, .mismatch)
    }
}

@MainActor
final class SettingsSafetyLockSyncTests: XCTestCase {
    func testTheExportIsHandedOverOnceAndNeverPrinted() async {
        let core = FakeCore()
        let preferences = FakePreferences()
        let model = SettingsModel(core: core, preferences: preferences, lock: AppLock(preferences: preferences))
        await model.export(.markdown)
        XCTAssertEqual(model.state.exported?.text, "# Our journal\n")
        XCTAssertFalse("\(model.state.exported!)".contains("Our journal"), "the journal's words stay out of logs")
        model.exportHandled()
        XCTAssertNil(model.state.exported)
    }

    func testAFailedSyncStillShowsTheStatusTheCoreRecorded() async {
        let core = FakeCore()
        core.status.paired = true
        core.status.lastError = "the relay could not be reached"
        core.failures["syncNow"] = HearthError.Sync(reason: "the relay could not be reached")
        let preferences = FakePreferences()
        let model = SettingsModel(core: core, preferences: preferences, lock: AppLock(preferences: preferences))
        await model.syncNow()
        XCTAssertFalse(model.state.syncing)
        XCTAssertEqual(model.state.sync?.lastError, "the relay could not be reached")
        XCTAssertEqual(model.state.problem?.kind, .sync)
    }

    func testTheSafetyCheckSendsOnlyTheAnswersGivenInOrderAndCanBeErased() async {
        let core = FakeCore()
        let model = SafetyModel(core: core)
        await model.refresh()
        XCTAssertEqual(model.state.check?.resources.first?.title, "A helpline", "help is there before any answer")
        model.answer(itemId: "s-now", yes: false)
        model.answer(itemId: "s-afraid", yes: true)
        await model.submit()
        XCTAssertTrue(core.calls.contains("recordSafetyCheck(s-afraid=true s-now=false)"))
        XCTAssertEqual(model.state.outcome?.concern, true)
        XCTAssertEqual(model.state.outcome?.urgent, false)
        XCTAssertTrue(model.state.answers.isEmpty)
        await model.erase()
        XCTAssertNil(model.state.outcome)
        XCTAssertNil(core.heldOutcome)
    }

    func testTheLockShowsAtLaunchAndAfterTheGracePeriodNeverWhenOff() {
        var now = Date(timeIntervalSince1970: 0)
        let preferences = FakePreferences(appLockEnabled: true)
        let lock = AppLock(preferences: preferences, clock: { now }, grace: 30)
        XCTAssertTrue(lock.locked, "locked at launch")
        lock.unlocked()
        lock.onBackground()
        now += 29
        lock.onForeground()
        XCTAssertFalse(lock.locked, "a quick switch does not lock")
        lock.onBackground()
        now += 30
        lock.onForeground()
        XCTAssertTrue(lock.locked)
        lock.setEnabled(false)
        XCTAssertFalse(lock.locked)
    }

    func testBackgroundSyncNotifiesOnlyWhenSomethingArrivedAndItIsAllowed() async {
        let core = FakeCore()
        var result = await backgroundSync(core: core, partnerNewsAllowed: true)
        XCTAssertEqual(result, BackgroundSyncResult(outcome: .nothingToDo, notifyPartnerNews: false))
        core.status.paired = true
        core.report.pulled = 3
        result = await backgroundSync(core: core, partnerNewsAllowed: true)
        XCTAssertEqual(result, BackgroundSyncResult(outcome: .synced, notifyPartnerNews: true))
        result = await backgroundSync(core: core, partnerNewsAllowed: false)
        XCTAssertEqual(result, BackgroundSyncResult(outcome: .synced, notifyPartnerNews: false))
        core.failures["syncNow"] = HearthError.Sync(reason: "offline")
        result = await backgroundSync(core: core, partnerNewsAllowed: true)
        XCTAssertEqual(result, BackgroundSyncResult(outcome: .retryLater, notifyPartnerNews: false))
    }

    func testCoreFailuresKeepTheirReasonOtherFailuresKeepNoText() {
        XCTAssertEqual(Problem(HearthError.NotFound(reason: "gone")), Problem(kind: .notFound, reason: "gone"))
        XCTAssertEqual(Problem(HearthError.Storage(reason: "full")), Problem(kind: .storage, reason: "full"))
        struct Stray: Error {}
        XCTAssertEqual(Problem(Stray()), Problem(kind: .internalFault, reason: nil))
    }
}
