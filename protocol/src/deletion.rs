//! Signed deletions: forgetting a document and erasing a space are
//! statements a member device signs, so a relay cannot make a phone delete
//! anything on its own.
//!
//! The device signs, with Ed25519, this text (six lines joined by `\n`, no
//! trailing newline):
//!
//! ```text
//! hearth-deletion-v1
//! forget_document
//! q83vEjRWeJCrze8SNFZ4kA
//! Zm9vYmFy
//! 1800000000
//! GX9rI-FshTLGq8g4-s1ep4m-DHaykgM0A5v6iz02jWE
//! ```
//!
//! the domain tag, the [`DeletionAction`], the space id, the (hashed)
//! document id or `-` for an erasure, the signing time in unix seconds and
//! the signing device. The relay checks the statement against the request
//! that carries it, stores it, and hands it out with the tombstone, the
//! `410 document_forgotten`, the `404 unknown_space` and the `erased`
//! event it answers for. A phone deletes only what a statement signed by a
//! device of its own space names ([`Deletion::verify`] checks the
//! signature; the phone checks the device).
//!
//! ```
//! use ed25519_dalek::SigningKey;
//! use hearth_protocol::{Deletion, DocumentId, SpaceId};
//!
//! let key = SigningKey::from_bytes(&[7; 32]);
//! let space = SpaceId::from_random_bytes([1; 16]);
//! let doc = DocumentId::parse("d1").unwrap();
//! let deletion = Deletion::forget(&key, &space, &doc, 1_800_000_000);
//! assert!(deletion.verify().is_ok());
//! assert!(deletion.names_document(&space, &doc));
//! ```

use ed25519_dalek::{Signature, Signer as _, SigningKey};
use serde::{Deserialize, Serialize};

use crate::ids::{DeviceId, DocumentId, SpaceId};

/// The domain tag that starts every signed deletion.
pub const DELETION_DOMAIN: &str = "hearth-deletion-v1";

/// What a deletion does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DeletionAction {
    /// Forget one document: its blobs go, later writes to it are refused.
    ForgetDocument,
    /// Erase the whole space (a partner left).
    EraseSpace,
}

impl DeletionAction {
    /// The action as signed and as it appears in JSON.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::ForgetDocument => "forget_document",
            Self::EraseSpace => "erase_space",
        }
    }
}

/// A deletion signed by a device: the body of a forget or erase request,
/// and what the relay hands out with every answer that claims a deletion.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Deletion {
    /// What is deleted.
    pub action: DeletionAction,
    /// The space.
    pub space: SpaceId,
    /// The document, for [`DeletionAction::ForgetDocument`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub doc: Option<DocumentId>,
    /// When it was signed, unix seconds.
    pub at: u64,
    /// The signing device.
    pub device: DeviceId,
    /// The Ed25519 signature over [`Deletion::signed_text`].
    #[serde(with = "crate::base64url")]
    pub signature: Vec<u8>,
}

/// Why a deletion statement is not valid.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DeletionError {
    /// The signing device id is not a valid key.
    #[error("the signing device is not a valid key")]
    BadDevice,
    /// The signature does not verify.
    #[error("the deletion's signature does not match")]
    BadSignature,
    /// The action and the document do not go together.
    #[error("the deletion names a document it cannot name")]
    Inconsistent,
}

impl Deletion {
    /// A signed statement forgetting `doc` of `space`.
    #[must_use]
    pub fn forget(key: &SigningKey, space: &SpaceId, doc: &DocumentId, at: u64) -> Self {
        Self::sign(
            key,
            DeletionAction::ForgetDocument,
            space,
            Some(doc.clone()),
            at,
        )
    }

    /// A signed statement erasing `space`.
    #[must_use]
    pub fn erase(key: &SigningKey, space: &SpaceId, at: u64) -> Self {
        Self::sign(key, DeletionAction::EraseSpace, space, None, at)
    }

    fn sign(
        key: &SigningKey,
        action: DeletionAction,
        space: &SpaceId,
        doc: Option<DocumentId>,
        at: u64,
    ) -> Self {
        let mut deletion = Self {
            action,
            space: space.clone(),
            doc,
            at,
            device: DeviceId::from_key(&key.verifying_key()),
            signature: Vec::new(),
        };
        deletion.signature = key.sign(deletion.signed_text().as_bytes()).to_vec();
        deletion
    }

    /// The text the device signs.
    #[must_use]
    pub fn signed_text(&self) -> String {
        format!(
            "{DELETION_DOMAIN}\n{}\n{}\n{}\n{}\n{}",
            self.action.as_str(),
            self.space.as_str(),
            self.doc.as_ref().map_or("-", DocumentId::as_str),
            self.at,
            self.device.encode()
        )
    }

    /// Checks the signature against the signing device's key, and that the
    /// action and document go together. Whether that device belongs to the
    /// space is for the caller to check.
    ///
    /// # Errors
    /// [`DeletionError`] when the statement is not valid.
    pub fn verify(&self) -> Result<(), DeletionError> {
        let consistent = match self.action {
            DeletionAction::ForgetDocument => self.doc.is_some(),
            DeletionAction::EraseSpace => self.doc.is_none(),
        };
        if !consistent {
            return Err(DeletionError::Inconsistent);
        }
        let key = self
            .device
            .verifying_key()
            .map_err(|_| DeletionError::BadDevice)?;
        let signature: [u8; 64] = self
            .signature
            .as_slice()
            .try_into()
            .map_err(|_| DeletionError::BadSignature)?;
        key.verify_strict(
            self.signed_text().as_bytes(),
            &Signature::from_bytes(&signature),
        )
        .map_err(|_| DeletionError::BadSignature)
    }

    /// True when this statement (whatever its signature) forgets `doc` of
    /// `space`.
    #[must_use]
    pub fn names_document(&self, space: &SpaceId, doc: &DocumentId) -> bool {
        self.action == DeletionAction::ForgetDocument
            && &self.space == space
            && self.doc.as_ref() == Some(doc)
    }

    /// True when this statement (whatever its signature) erases `space`.
    #[must_use]
    pub fn names_space(&self, space: &SpaceId) -> bool {
        self.action == DeletionAction::EraseSpace && &self.space == space && self.doc.is_none()
    }
}

impl std::fmt::Debug for Deletion {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Deletion")
            .field("action", &self.action)
            .field("space", &self.space)
            .field("doc", &self.doc)
            .field("at", &self.at)
            .field("device", &self.device)
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn space() -> SpaceId {
        SpaceId::from_random_bytes([1; 16])
    }

    #[test]
    fn a_signed_forget_verifies_and_names_its_document() {
        let key = SigningKey::from_bytes(&[7; 32]);
        let doc = DocumentId::parse("d1").unwrap();
        let deletion = Deletion::forget(&key, &space(), &doc, 1_800_000_000);
        assert!(deletion.verify().is_ok());
        assert!(deletion.names_document(&space(), &doc));
        assert!(!deletion.names_document(&space(), &DocumentId::parse("d2").unwrap()));
        assert!(!deletion.names_space(&space()));
        let json = serde_json::to_string(&deletion).unwrap();
        assert_eq!(serde_json::from_str::<Deletion>(&json).unwrap(), deletion);
    }

    #[test]
    fn any_change_breaks_the_signature() {
        let key = SigningKey::from_bytes(&[7; 32]);
        let doc = DocumentId::parse("d1").unwrap();
        let deletion = Deletion::forget(&key, &space(), &doc, 1_800_000_000);
        let mut moved = deletion.clone();
        moved.doc = Some(DocumentId::parse("d2").unwrap());
        assert_eq!(moved.verify(), Err(DeletionError::BadSignature));
        let mut later = deletion.clone();
        later.at += 1;
        assert_eq!(later.verify(), Err(DeletionError::BadSignature));
        let mut other = deletion.clone();
        other.device = DeviceId::from_key(&SigningKey::from_bytes(&[8; 32]).verifying_key());
        assert_eq!(other.verify(), Err(DeletionError::BadSignature));
        let mut erase = deletion;
        erase.action = DeletionAction::EraseSpace;
        assert_eq!(erase.verify(), Err(DeletionError::Inconsistent));
    }

    #[test]
    fn an_erasure_names_only_its_space() {
        let key = SigningKey::from_bytes(&[7; 32]);
        let deletion = Deletion::erase(&key, &space(), 1_800_000_000);
        assert!(deletion.verify().is_ok());
        assert!(deletion.names_space(&space()));
        assert!(!deletion.names_space(&SpaceId::from_random_bytes([2; 16])));
        assert_eq!(
            deletion.signed_text(),
            format!(
                "hearth-deletion-v1\nerase_space\n{}\n-\n1800000000\n{}",
                space().as_str(),
                deletion.device.encode()
            )
        );
    }
}
