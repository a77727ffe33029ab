import HearthBindings
import XCTest
@testable import HearthState

@MainActor
final class HearthModelTests: XCTestCase {
    private let relay = "https://relay.hearth.example"

    private func makeModel(_ opener: FakeOpener, _ preferences: FakePreferences = FakePreferences()) -> HearthModel {
        HearthModel(opener: opener, localDay: LocalDay { day }, preferences: preferences, defaultRelayUrl: relay)
    }

    func testAPhoneWithoutHearthAsksForANameThenOpensWithItAndOffersPairing() async {
        let opener = FakeOpener(setUp: false)
        let model = makeModel(opener)
        await model.start()
        guard case .welcome = model.phase else { return XCTFail("expected the welcome screen, got \(model.phase)") }
        XCTAssertTrue(opener.openedWith.isEmpty, "nothing is opened before the person gives a name")

        await model.begin(displayName: "Ana")
        XCTAssertEqual(opener.openedWith, ["Ana"])
        let session = try? XCTUnwrap(model.session)
        XCTAssertEqual(session?.pairing.state.visible, true)
        XCTAssertEqual(opener.core.status.relayUrl, relay, "the default relay is set so pairing works at once")
        XCTAssertTrue(opener.core.listening)
    }

    func testAPhoneWithHearthOpensWithoutRenamingAndKeepsItsRelay() async {
        let opener = FakeOpener(setUp: true)
        opener.core.status.relayUrl = "https://own.relay.example"
        let model = makeModel(opener)
        await model.start()
        XCTAssertEqual(opener.openedWith, [nil])
        XCTAssertEqual(model.session?.pairing.state.visible, false)
        XCTAssertEqual(opener.core.status.relayUrl, "https://own.relay.example")
    }

    func testALockedKeychainShowsWhyAndCanBeRetried() async {
        let opener = FakeOpener(setUp: true)
        opener.failure = HearthError.KeyStore(reason: "the key store is not available (locked)")
        let model = makeModel(opener)
        await model.start()
        guard case .failed(let problem) = model.phase else { return XCTFail("expected a failure, got \(model.phase)") }
        XCTAssertEqual(problem.kind, .keyStore)

        opener.failure = nil
        await model.retry()
        XCTAssertNotNil(model.session)
    }

    func testARefusedNameGoesBackToTheNameScreenWithTheReason() async {
        let opener = FakeOpener(setUp: false)
        opener.failure = HearthError.InvalidInput(reason: "a name has 1 to 40 characters")
        let model = makeModel(opener)
        await model.begin(displayName: "   ")
        guard case .welcome = model.phase else { return XCTFail("expected the welcome screen, got \(model.phase)") }
        XCTAssertEqual(model.welcomeProblem, Problem(kind: .invalidInput, reason: "a name has 1 to 40 characters"))
    }

    func testErasingEverythingLeavesClosesThenDeletes() async {
        let opener = FakeOpener(setUp: true)
        let core = opener.core
        core.status.paired = true
        let preferences = FakePreferences(appLockEnabled: true)
        let model = makeModel(opener, preferences)
        await model.start()

        await model.eraseEverything()
        XCTAssertTrue(core.calls.contains("leaveSpace()"))
        XCTAssertTrue(core.closed)
        XCTAssertEqual(opener.erased, 1)
        XCTAssertEqual(preferences.cleared, 1)
        XCTAssertFalse(model.lock.enabled)
        XCTAssertEqual(model.erasing, .no)
        guard case .welcome = model.phase else { return XCTFail("expected the welcome screen, got \(model.phase)") }
    }

    func testWhenLeavingFailsNothingIsErasedUntilThePersonSaysSo() async {
        let opener = FakeOpener(setUp: true)
        let core = opener.core
        core.status.paired = true
        core.failures["leaveSpace"] = HearthError.Sync(reason: "the relay could not be reached")
        let model = makeModel(opener)
        await model.start()

        await model.eraseEverything()
        XCTAssertEqual(model.erasing, .leaveFailed(Problem(kind: .sync, reason: "the relay could not be reached")))
        XCTAssertFalse(core.closed)
        XCTAssertEqual(opener.erased, 0)

        await model.eraseEverything(leaveFirst: false)
        XCTAssertEqual(opener.erased, 1)
        guard case .welcome = model.phase else { return XCTFail("expected the welcome screen, got \(model.phase)") }
    }

    func testLiveSyncRunsOnlyInFrontAndPaired() async {
        let opener = FakeOpener(setUp: true)
        let core = opener.core
        let model = makeModel(opener)
        await model.start()
        await model.onForeground()
        XCTAssertEqual(core.liveStarted, 0, "not paired yet")

        core.status.paired = true
        core.emit(.syncStatusChanged)
        await waitUntil("live sync starts") { core.liveStarted == 1 }

        model.onBackground()
        XCTAssertEqual(core.liveStopped, 1)
        await model.onForeground()
        XCTAssertEqual(core.liveStarted, 2)
    }
}
