import Foundation
import HearthBindings
@testable import HearthState
import XCTest

/// The adapter's seams over the real library: views arrive, actions reach
/// the core, effects reach the platform. The rules are tested in Rust.
@MainActor
final class AppModelTests: XCTestCase {
    final class RecordingPlatform: Platform, @unchecked Sendable {
        private let lock = NSLock()
        private var asked: [String] = []
        var requests: [String] { lock.withLock { asked } }
        private func record(_ what: String) { lock.withLock { asked.append(what) } }

        func deviceCanAuthenticate() -> Bool { true }
        func requestUnlock() { record("unlock") }
        func requestNotificationPermission() { record("notifications") }
        func notifyPartnerNews() { record("news") }
        func saveExport(file: ExportFile) { record("export \(file.fileName)") }
        func chooseExportToRestore() { record("choose export") }
        func scheduleBackgroundSync(enabled: Bool) { record("background \(enabled)") }
        func erased() { record("erased") }
    }

    private func profileDir() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent(UUID().uuidString).path
    }

    func testANewProfileAsksForANameThenShowsItsScreens() async throws {
        let model = try AppModel(dataDir: profileDir(), platform: RecordingPlatform(), keyStore: nil, defaultRelay: nil)
        await model.settle()
        model.dispatch(.begin(name: "Sam"))
        await model.settle()
        try await Task.sleep(nanoseconds: 50_000_000)
        XCTAssertEqual(model.view?.screens?.profile.me.name, "Sam")
        await model.stop()
        await model.stop()
    }

    func testEffectsReachThePlatform() async throws {
        let platform = RecordingPlatform()
        let model = try AppModel(dataDir: profileDir(), platform: platform, keyStore: nil, defaultRelay: nil)
        model.dispatch(.begin(name: "Sam"))
        model.dispatch(.setPartnerNews(enabled: true))
        await model.settle()
        XCTAssertTrue(platform.requests.contains("notifications"))
        await model.stop()
    }
}
