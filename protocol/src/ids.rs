//! Identifiers on the wire: spaces, documents, blobs, pairing sides,
//! nameplates and devices.
//!
//! Space, document and blob ids and pairing sides are opaque strings the
//! client chooses; the relay only checks their shape so they are safe as
//! path segments, database keys and log-free labels. A device is named by
//! its Ed25519 public key.

use std::fmt;
use std::str::FromStr;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use ed25519_dalek::VerifyingKey;
use serde::{Deserialize, Serialize};

/// The longest opaque id the relay accepts, in characters.
pub const MAX_ID_LEN: usize = 64;

/// Why a string is not a valid id. It never repeats the rejected text,
/// because ids may arrive in hostile requests and errors end up in logs.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IdError {
    /// The id was empty.
    #[error("the {kind} is empty; send 1 to {max} characters of A-Z, a-z, 0-9, '_' or '-'")]
    Empty {
        /// Which kind of id was rejected.
        kind: &'static str,
        /// The longest accepted length.
        max: usize,
    },
    /// The id was shorter than allowed.
    #[error("the {kind} is {len} characters long; at least {min} are needed")]
    TooShort {
        /// Which kind of id was rejected.
        kind: &'static str,
        /// Its length.
        len: usize,
        /// The shortest accepted length.
        min: usize,
    },
    /// The id was longer than allowed.
    #[error("the {kind} is {len} characters long; at most {max} are allowed")]
    TooLong {
        /// Which kind of id was rejected.
        kind: &'static str,
        /// Its length.
        len: usize,
        /// The longest accepted length.
        max: usize,
    },
    /// The id held a character outside its alphabet.
    #[error("the {kind} holds a character outside {alphabet}")]
    BadCharacter {
        /// Which kind of id was rejected.
        kind: &'static str,
        /// The characters that are allowed.
        alphabet: &'static str,
    },
    /// A device id was not 43 characters of unpadded base64url.
    #[error("the device id is not an Ed25519 public key in unpadded base64url (43 characters)")]
    BadDeviceKey,
}

const OPAQUE_ALPHABET: &str = "A-Z, a-z, 0-9, '_' and '-'";

fn check_opaque(kind: &'static str, text: &str) -> Result<(), IdError> {
    if text.is_empty() {
        return Err(IdError::Empty {
            kind,
            max: MAX_ID_LEN,
        });
    }
    if text.len() > MAX_ID_LEN {
        return Err(IdError::TooLong {
            kind,
            len: text.len(),
            max: MAX_ID_LEN,
        });
    }
    if !text
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
    {
        return Err(IdError::BadCharacter {
            kind,
            alphabet: OPAQUE_ALPHABET,
        });
    }
    Ok(())
}

/// Defines a validated opaque id: 1..=64 characters of `[A-Za-z0-9_-]`.
macro_rules! opaque_id {
    ($(#[$doc:meta])* $name:ident, $kind:literal) => {
        $(#[$doc])*
        #[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(try_from = "String", into = "String")]
        pub struct $name(String);

        impl $name {
            /// Checks `text` and wraps it.
            ///
            /// # Errors
            /// [`IdError`] when `text` is empty, longer than 64 characters
            /// or holds a character outside `[A-Za-z0-9_-]`.
            pub fn parse(text: &str) -> Result<Self, IdError> {
                check_opaque($kind, text)?;
                Ok(Self(text.to_owned()))
            }

            /// Encodes 16 random bytes (128 bits, chosen by the caller from
            /// the OS generator) as a 22-character id.
            #[must_use]
            pub fn from_random_bytes(bytes: [u8; 16]) -> Self {
                Self(URL_SAFE_NO_PAD.encode(bytes))
            }

            /// The id as sent on the wire.
            #[must_use]
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl TryFrom<String> for $name {
            type Error = IdError;
            fn try_from(text: String) -> Result<Self, IdError> {
                check_opaque($kind, &text)?;
                Ok(Self(text))
            }
        }

        impl From<$name> for String {
            fn from(id: $name) -> String {
                id.0
            }
        }

        impl FromStr for $name {
            type Err = IdError;
            fn from_str(text: &str) -> Result<Self, IdError> {
                Self::parse(text)
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{}({})", stringify!($name), self.0)
            }
        }
    };
}

opaque_id!(
    /// A couple's space: the unit the relay stores, authorises and erases.
    /// Clients pick 128 random bits ([`SpaceId::from_random_bytes`]).
    SpaceId,
    "space id"
);

opaque_id!(
    /// One synced document inside a space. The client hashes its own ids
    /// before sending them, so the relay learns nothing from them.
    DocumentId,
    "document id"
);

opaque_id!(
    /// One person of a couple, as the relay sees them: an opaque keyed hash
    /// the phones make from the member id (`relay_member_tag` in the core),
    /// so the relay can count people in a space (two at most) without
    /// learning who they are.
    MemberTag,
    "member tag"
);

opaque_id!(
    /// One pushed blob. Chosen randomly by the client so a retried push is
    /// recognised and answered with the sequence number it got first.
    BlobId,
    "blob id"
);

opaque_id!(
    /// One side of a pairing mailbox: a random secret each phone picks, so
    /// only the two phones that claimed a nameplate can use it.
    PairingSide,
    "pairing side"
);

/// A pairing mailbox's short number, 4 to 8 decimal digits, as typed by
/// the partner (the first part of a `7-river-lantern-moss` style code).
#[derive(Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Nameplate(String);

impl Nameplate {
    /// The fewest digits a nameplate has.
    pub const MIN_DIGITS: usize = 4;
    /// The most digits a nameplate has.
    pub const MAX_DIGITS: usize = 8;

    /// Checks `text` and wraps it.
    ///
    /// # Errors
    /// [`IdError`] when `text` is not 4 to 8 ASCII digits.
    pub fn parse(text: &str) -> Result<Self, IdError> {
        const KIND: &str = "nameplate";
        if text.len() < Self::MIN_DIGITS {
            return Err(IdError::TooShort {
                kind: KIND,
                len: text.len(),
                min: Self::MIN_DIGITS,
            });
        }
        if text.len() > Self::MAX_DIGITS {
            return Err(IdError::TooLong {
                kind: KIND,
                len: text.len(),
                max: Self::MAX_DIGITS,
            });
        }
        if !text.bytes().all(|b| b.is_ascii_digit()) {
            return Err(IdError::BadCharacter {
                kind: KIND,
                alphabet: "the digits 0-9",
            });
        }
        Ok(Self(text.to_owned()))
    }

    /// The nameplate as typed.
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for Nameplate {
    type Error = IdError;
    fn try_from(text: String) -> Result<Self, IdError> {
        Self::parse(&text)
    }
}

impl From<Nameplate> for String {
    fn from(n: Nameplate) -> String {
        n.0
    }
}

impl FromStr for Nameplate {
    type Err = IdError;
    fn from_str(text: &str) -> Result<Self, IdError> {
        Self::parse(text)
    }
}

impl fmt::Display for Nameplate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for Nameplate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Nameplate({})", self.0)
    }
}

/// A device, named on the wire by its Ed25519 public key in unpadded
/// base64url (43 characters). Holds the 32 key bytes.
///
/// Parsing checks the shape only; [`DeviceId::verifying_key`] checks the
/// bytes are a curve point. That check costs a square root in the field,
/// too much to pay for every id in every pulled page; whoever is about to
/// trust the key (the relay admitting a device, a client verifying a
/// signature) makes it then.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct DeviceId([u8; 32]);

impl DeviceId {
    /// The length of a device id on the wire.
    pub const ENCODED_LEN: usize = 43;

    /// Parses 43 characters of unpadded base64url (32 bytes).
    ///
    /// # Errors
    /// [`IdError::BadDeviceKey`] otherwise.
    pub fn parse(text: &str) -> Result<Self, IdError> {
        if text.len() != Self::ENCODED_LEN {
            return Err(IdError::BadDeviceKey);
        }
        let mut bytes = [0u8; 32];
        match URL_SAFE_NO_PAD.decode_slice(text, &mut bytes) {
            Ok(32) => Ok(Self(bytes)),
            _ => Err(IdError::BadDeviceKey),
        }
    }

    /// Parses a device id into its public key.
    ///
    /// # Errors
    /// [`IdError::BadDeviceKey`] when it is not one.
    pub fn parse_key(text: &str) -> Result<VerifyingKey, IdError> {
        Self::parse(text)?.verifying_key()
    }

    /// Wraps 32 raw key bytes (as stored).
    #[must_use]
    pub fn from_bytes(bytes: [u8; 32]) -> Self {
        Self(bytes)
    }

    /// The device id of a public key.
    #[must_use]
    pub fn from_key(key: &VerifyingKey) -> Self {
        Self(key.to_bytes())
    }

    /// The public key this id names.
    ///
    /// # Errors
    /// [`IdError::BadDeviceKey`] when the bytes are not an Ed25519 point.
    pub fn verifying_key(&self) -> Result<VerifyingKey, IdError> {
        VerifyingKey::from_bytes(&self.0).map_err(|_| IdError::BadDeviceKey)
    }

    /// The raw 32 public-key bytes.
    #[must_use]
    pub fn as_bytes(&self) -> &[u8; 32] {
        &self.0
    }

    /// The id as sent on the wire (43 characters).
    #[must_use]
    pub fn encode(&self) -> String {
        URL_SAFE_NO_PAD.encode(self.0)
    }
}

impl TryFrom<String> for DeviceId {
    type Error = IdError;
    fn try_from(text: String) -> Result<Self, IdError> {
        Self::parse(&text)
    }
}

impl From<DeviceId> for String {
    fn from(id: DeviceId) -> String {
        id.encode()
    }
}

impl FromStr for DeviceId {
    type Err = IdError;
    fn from_str(text: &str) -> Result<Self, IdError> {
        Self::parse(text)
    }
}

impl fmt::Display for DeviceId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.encode())
    }
}

impl fmt::Debug for DeviceId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "DeviceId({})", self.encode())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ed25519_dalek::SigningKey;

    #[test]
    fn opaque_ids_accept_the_documented_alphabet_only() {
        assert!(SpaceId::parse("abc_DEF-123").is_ok());
        assert!(BlobId::parse(&"a".repeat(64)).is_ok());
        assert!(matches!(
            BlobId::parse(&"a".repeat(65)),
            Err(IdError::TooLong { len: 65, .. })
        ));
        assert!(matches!(DocumentId::parse(""), Err(IdError::Empty { .. })));
        for bad in ["a b", "a/b", "a.b", "é", "a%2F"] {
            assert!(
                matches!(SpaceId::parse(bad), Err(IdError::BadCharacter { .. })),
                "{bad:?} was accepted"
            );
        }
    }

    #[test]
    fn random_ids_are_22_characters_and_valid() {
        let id = SpaceId::from_random_bytes([0xAB; 16]);
        assert_eq!(id.as_str().len(), 22);
        assert_eq!(SpaceId::parse(id.as_str()), Ok(id));
    }

    #[test]
    fn ids_round_trip_through_json_and_reject_bad_input() {
        let id = DocumentId::parse("doc-1").unwrap();
        let json = serde_json::to_string(&id).unwrap();
        assert_eq!(json, "\"doc-1\"");
        assert_eq!(serde_json::from_str::<DocumentId>(&json).unwrap(), id);
        assert!(serde_json::from_str::<DocumentId>("\"../etc\"").is_err());
    }

    #[test]
    fn device_ids_are_43_character_public_keys() {
        let key = SigningKey::from_bytes(&[7u8; 32]).verifying_key();
        let id = DeviceId::from_key(&key);
        let text = id.encode();
        assert_eq!(text.len(), 43);
        assert_eq!(DeviceId::parse(&text), Ok(id));
        assert_eq!(id.verifying_key(), Ok(key));
        assert_eq!(DeviceId::from_bytes(*id.as_bytes()), id);
        // Well-formed bytes that are no curve point parse, but give no key.
        let not_a_point = (0u8..=255)
            .map(|b| [b; 32])
            .find(|bytes| VerifyingKey::from_bytes(bytes).is_err())
            .unwrap();
        let text = URL_SAFE_NO_PAD.encode(not_a_point);
        let parsed = DeviceId::parse(&text).unwrap();
        assert_eq!(parsed.verifying_key(), Err(IdError::BadDeviceKey));
        assert_eq!(DeviceId::parse_key(&text), Err(IdError::BadDeviceKey));
        assert_eq!(DeviceId::parse(&text[..42]), Err(IdError::BadDeviceKey));
        assert_eq!(
            DeviceId::parse(&format!("{}=", &text[..42])),
            Err(IdError::BadDeviceKey)
        );
    }

    #[test]
    fn nameplates_are_four_to_eight_digits() {
        assert!(Nameplate::parse("4821").is_ok());
        assert!(Nameplate::parse("12345678").is_ok());
        assert!(Nameplate::parse("123").is_err());
        assert!(Nameplate::parse("123456789").is_err());
        assert!(Nameplate::parse("12a4").is_err());
    }
}
