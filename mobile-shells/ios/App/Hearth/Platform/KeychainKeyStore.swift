import Foundation
import HearthBindings
import Security

/// The core's `KeyStore` on the iOS Keychain: one generic-password item per
/// entry (this device's keys, the couple's space key), under this app's
/// service. Items are readable after the first unlock since boot (so
/// background refresh can sync) and never leave this phone: not synced to
/// iCloud Keychain, not restored to another device.
final class KeychainKeyStore: KeyStore {
    private let service: String

    init(service: String = "app.hearth.keys") {
        self.service = service
    }

    private func query(_ name: String) -> [String: Any] {
        [
            kSecClass as String: kSecClassGenericPassword,
            kSecAttrService as String: service,
            kSecAttrAccount as String: name,
            kSecAttrSynchronizable as String: false,
        ]
    }

    func load(name: String) throws -> Data? {
        var query = query(name)
        query[kSecReturnData as String] = true
        query[kSecMatchLimit as String] = kSecMatchLimitOne
        var result: AnyObject?
        let status = SecItemCopyMatching(query as CFDictionary, &result)
        switch status {
        case errSecSuccess:
            guard let data = result as? Data else { throw KeyStoreError.Failed(reason: "the Keychain item '\(name)' holds no data") }
            return data
        case errSecItemNotFound:
            return nil
        default:
            throw Self.error(status, name)
        }
    }

    /// Replaces the item in one Keychain call when it exists, so a crash
    /// leaves either the old secret or the new one.
    func store(name: String, secret: Data) throws {
        let update: [String: Any] = [kSecValueData as String: secret]
        var status = SecItemUpdate(query(name) as CFDictionary, update as CFDictionary)
        if status == errSecItemNotFound {
            var add = query(name)
            add[kSecValueData as String] = secret
            add[kSecAttrAccessible as String] = kSecAttrAccessibleAfterFirstUnlockThisDeviceOnly
            status = SecItemAdd(add as CFDictionary, nil)
        }
        guard status == errSecSuccess else { throw Self.error(status, name) }
    }

    func delete(name: String) throws {
        let status = SecItemDelete(query(name) as CFDictionary)
        guard status == errSecSuccess || status == errSecItemNotFound else { throw Self.error(status, name) }
    }

    /// Deletes every item of this app's service: part of erasing everything.
    func eraseAll() throws {
        let query: [String: Any] = [
            kSecClass as String: kSecClassGenericPassword,
            kSecAttrService as String: service,
        ]
        let status = SecItemDelete(query as CFDictionary)
        guard status == errSecSuccess || status == errSecItemNotFound else { throw Self.error(status, "all entries") }
    }

    /// The Keychain's status as a KeyStoreError; never the secret.
    private static func error(_ status: OSStatus, _ name: String) -> KeyStoreError {
        if status == errSecInteractionNotAllowed {
            return .Unavailable(reason: "the Keychain cannot be read until the phone is unlocked")
        }
        let message = SecCopyErrorMessageString(status, nil) as String? ?? "status \(status)"
        return .Failed(reason: "the Keychain refused '\(name)': \(message)")
    }
}
