import Foundation
import HearthBindings
import HearthState

/// One open Hearth per process, shared by the app and background refresh:
/// two handles on the same database in one process would only contend for
/// it. Each user acquires a gateway and closes it when done; the last close
/// lets go of the core.
final class SharedHearth: @unchecked Sendable {
    static let shared = SharedHearth()

    private let lock = NSLock()
    private var hearth: Hearth?
    private var users = 0

    func acquire(dataDir: URL, displayName: String?, keyStore: KeyStore) throws -> CoreGateway {
        lock.lock()
        defer { lock.unlock() }
        let open: Hearth
        if let hearth {
            open = hearth
            if let displayName { try open.setDisplayName(name: displayName) }
        } else {
            open = try Hearth.`open`(dataDir: dataDir.path, displayName: displayName, keyStore: keyStore)
            hearth = open
        }
        users += 1
        return HearthGateway(hearth: open, release: { [weak self] in self?.release() })
    }

    private func release() {
        lock.lock()
        defer { lock.unlock() }
        users = max(users - 1, 0)
        // The generated object frees the core when its last reference goes.
        if users == 0 { hearth = nil }
    }

    var isOpen: Bool {
        lock.lock()
        defer { lock.unlock() }
        return hearth != nil
    }
}

/// Opens Hearth from the app's files and the Keychain, and erases them.
final class AppleCoreOpener: CoreOpener, @unchecked Sendable {
    static let shared = AppleCoreOpener()

    private let keyStore = KeychainKeyStore()

    /// Application Support/Hearth, kept out of iCloud and computer backups.
    private var dataDir: URL {
        let support = FileManager.default.urls(for: .applicationSupportDirectory, in: .userDomainMask)[0]
        return support.appendingPathComponent("Hearth", isDirectory: true)
    }

    func isSetUp() -> Bool {
        var directory: ObjCBool = false
        return FileManager.default.fileExists(atPath: dataDir.path, isDirectory: &directory) && directory.boolValue
    }

    func open(displayName: String?) async throws -> CoreGateway {
        let dir = dataDir
        let keyStore = self.keyStore
        return try await Task.detached {
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            var excluded = dir
            var values = URLResourceValues()
            values.isExcludedFromBackup = true
            try excluded.setResourceValues(values)
            return try SharedHearth.shared.acquire(dataDir: dir, displayName: displayName, keyStore: keyStore)
        }.value
    }

    func erase() async throws {
        guard !SharedHearth.shared.isOpen else {
            throw HearthError.Internal(reason: "Hearth is still open (background refresh may be running); try again in a moment")
        }
        BackgroundRefresh.cancel()
        if FileManager.default.fileExists(atPath: dataDir.path) {
            try FileManager.default.removeItem(at: dataDir)
        }
        try keyStore.eraseAll()
    }
}

/// The shell's own settings (app lock, notifications) in UserDefaults. Never content.
final class DefaultsPreferences: ShellPreferences {
    private let defaults = UserDefaults.standard

    var appLockEnabled: Bool {
        get { defaults.bool(forKey: "appLock") }
        set { defaults.set(newValue, forKey: "appLock") }
    }

    var partnerNewsNotifications: Bool {
        get { defaults.object(forKey: "partnerNews") as? Bool ?? true }
        set { defaults.set(newValue, forKey: "partnerNews") }
    }

    func clear() {
        defaults.removeObject(forKey: "appLock")
        defaults.removeObject(forKey: "partnerNews")
    }
}
