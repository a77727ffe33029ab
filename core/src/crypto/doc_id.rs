//! Document ids as the relay sees them.
//!
//! Local document ids can say what a document is or when it was written
//! (`answer-2024-05-01`), so the relay only ever gets a keyed hash of them:
//! stable for both partners, meaningless to anyone without the space key.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

use zeroize::Zeroizing;

use super::kdf::{KEY_LEN, derive_key, hmac_sha256};
use super::keys::SpaceKey;

/// Bytes of the HMAC kept: 128 bits, ample against collisions among one
/// couple's documents.
const RELAY_DOC_ID_BYTES: usize = 16;

/// Length of a relay document id in characters.
pub const RELAY_DOC_ID_LEN: usize = 22;

const KEY_INFO: &[u8] = b"hearth-relay-doc-id-v1 hmac key";
const MEMBER_KEY_INFO: &[u8] = b"hearth-relay-member-tag-v1 hmac key";

/// The opaque id the relay stores `local_doc_id` under: HMAC-SHA256 with a
/// key derived from the space key, truncated to 16 bytes, base64url without
/// padding (22 characters).
pub fn relay_doc_id(space_key: &SpaceKey, local_doc_id: &str) -> String {
    DocIdKey::new(space_key).relay_doc_id(local_doc_id)
}

/// The key of [`relay_doc_id`], derived once: a sync pass names many
/// documents, and the derivation costs more than the hash it keys.
pub struct DocIdKey(Zeroizing<[u8; KEY_LEN]>);

impl DocIdKey {
    /// The document-id key of `space_key`'s space.
    pub fn new(space_key: &SpaceKey) -> Self {
        Self(derive_key(space_key.as_bytes(), b"", KEY_INFO))
    }

    /// [`relay_doc_id`] of `local_doc_id`.
    pub fn relay_doc_id(&self, local_doc_id: &str) -> String {
        let tag = hmac_sha256(&self.0, &[local_doc_id.as_bytes()]);
        URL_SAFE_NO_PAD.encode(&tag[..RELAY_DOC_ID_BYTES])
    }
}

impl std::fmt::Debug for DocIdKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("DocIdKey(..)")
    }
}

/// The opaque tag the relay knows a person of the couple by: like
/// [`relay_doc_id`], under its own key, so the relay can count two people
/// in a space without learning who they are.
pub fn relay_member_tag(space_key: &SpaceKey, member_id: &str) -> String {
    let key = derive_key(space_key.as_bytes(), b"", MEMBER_KEY_INFO);
    let tag = hmac_sha256(&key, &[member_id.as_bytes()]);
    URL_SAFE_NO_PAD.encode(&tag[..RELAY_DOC_ID_BYTES])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_kept_key_names_documents_as_the_space_key_does() {
        let key = SpaceKey::from_bytes([3; 32]);
        let kept = DocIdKey::new(&key);
        for id in ["entry-1", "answer-2024-05-01", ""] {
            assert_eq!(kept.relay_doc_id(id), relay_doc_id(&key, id));
        }
        assert_ne!(
            DocIdKey::new(&SpaceKey::from_bytes([4; 32])).relay_doc_id("entry-1"),
            kept.relay_doc_id("entry-1")
        );
    }

    #[test]
    fn member_tags_are_not_document_ids() {
        let key = SpaceKey::from_bytes([3; 32]);
        assert_ne!(relay_member_tag(&key, "m1"), relay_doc_id(&key, "m1"));
        assert_eq!(relay_member_tag(&key, "m1").len(), RELAY_DOC_ID_LEN);
    }

    #[test]
    fn stable_for_the_couple_and_opaque() {
        let key = SpaceKey::from_bytes([3; 32]);
        let same_key = SpaceKey::from_bytes([3; 32]);
        let id = relay_doc_id(&key, "answer-2024-05-01");
        assert_eq!(id, relay_doc_id(&same_key, "answer-2024-05-01"));
        assert_eq!(id.len(), RELAY_DOC_ID_LEN);
        assert!(!id.contains("2024"));
        assert!(
            id.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        );
    }

    #[test]
    fn differs_across_documents_and_spaces() {
        let key = SpaceKey::from_bytes([3; 32]);
        let other_space = SpaceKey::from_bytes([4; 32]);
        assert_ne!(relay_doc_id(&key, "entry-1"), relay_doc_id(&key, "entry-2"));
        assert_ne!(
            relay_doc_id(&key, "entry-1"),
            relay_doc_id(&other_space, "entry-1")
        );
    }
}
