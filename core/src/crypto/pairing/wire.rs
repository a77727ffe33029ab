//! What travels through the relay mailbox during pairing. Every message is
//! JSON with a version, the sending side and a kind; binary fields are
//! base64url. The secret parts travel inside `sealed` messages only.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::{Deserialize, Serialize};
use zeroize::Zeroize;

use super::PairingError;
use crate::crypto::keys::DevicePublicKeys;

/// Pairing protocol version carried in every message.
pub(super) const PAIRING_VERSION: u8 = 1;

/// Largest message accepted, far above what a real one needs.
pub(super) const MAX_MESSAGE_LEN: usize = 8 * 1024;

/// Which phone is speaking.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PairingRole {
    /// Partner A: already has the space, shows the code.
    Host,
    /// Partner B: types the code and joins the space.
    Joiner,
}

impl PairingRole {
    /// The other phone.
    pub(super) fn peer(self) -> Self {
        match self {
            Self::Host => Self::Joiner,
            Self::Joiner => Self::Host,
        }
    }

    /// One byte naming the role inside hashed and signed data.
    pub(super) fn tag(self) -> u8 {
        match self {
            Self::Host => b'H',
            Self::Joiner => b'J',
        }
    }
}

/// The three kinds of message each side sends, in this order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub(super) enum MessageKind {
    /// The SPAKE2 message.
    Pake,
    /// The key-confirmation MAC.
    Confirm,
    /// The encrypted offer (host) or reply (joiner).
    Sealed,
}

impl MessageKind {
    pub(super) fn describe(self) -> &'static str {
        match self {
            Self::Pake => "the other phone's key exchange message",
            Self::Confirm => "the other phone's confirmation",
            Self::Sealed => "the other phone's details",
        }
    }
}

/// One mailbox message.
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct PairingMessage {
    pub v: u8,
    pub from: PairingRole,
    pub kind: MessageKind,
    /// base64url of the kind's bytes.
    pub body: String,
}

/// Reads only the version, so a newer format is reported as such even if
/// the rest of it changed.
#[derive(Deserialize)]
struct VersionProbe {
    v: u8,
}

impl PairingMessage {
    pub(super) fn new(from: PairingRole, kind: MessageKind, body: &[u8]) -> Self {
        Self {
            v: PAIRING_VERSION,
            from,
            kind,
            body: URL_SAFE_NO_PAD.encode(body),
        }
    }

    pub(super) fn to_bytes(&self) -> Result<Vec<u8>, PairingError> {
        serde_json::to_vec(self).map_err(|_| PairingError::Malformed {
            what: "a pairing message could not be encoded",
        })
    }

    pub(super) fn from_bytes(bytes: &[u8]) -> Result<Self, PairingError> {
        if bytes.len() > MAX_MESSAGE_LEN {
            return Err(PairingError::Malformed {
                what: "the message is too large",
            });
        }
        let probe: VersionProbe =
            serde_json::from_slice(bytes).map_err(|_| PairingError::Malformed {
                what: "the message is not a Hearth pairing message",
            })?;
        if probe.v != PAIRING_VERSION {
            return Err(PairingError::UnsupportedVersion { version: probe.v });
        }
        serde_json::from_slice(bytes).map_err(|_| PairingError::Malformed {
            what: "the message has missing or unknown fields",
        })
    }

    pub(super) fn body_bytes(&self) -> Result<Vec<u8>, PairingError> {
        URL_SAFE_NO_PAD
            .decode(&self.body)
            .map_err(|_| PairingError::Malformed {
                what: "the message body is not base64url",
            })
    }
}

/// A partner as described inside the sealed payloads.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct MemberWire {
    pub device: DevicePublicKeys,
    pub member_id: String,
    pub display_name: String,
    /// The device's Ed25519 signature over the pairing transcript and its
    /// own public keys: proof it holds the key it claims.
    pub proof: String,
}

/// What the host sends once the joiner has proven it knows the code.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct HostOffer {
    pub v: u8,
    pub space_id: String,
    /// Raw bytes (a JSON array of numbers) rather than base64, so no
    /// intermediate string copy of the key is left behind when parsing.
    pub space_key: [u8; 32],
    pub host: MemberWire,
    /// A link's details for the new device, base64url (a mailbox message
    /// is small: raw bytes as JSON numbers would take four times the
    /// room); absent when pairing partners.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub link: Option<String>,
}

impl Drop for HostOffer {
    fn drop(&mut self) {
        self.space_key.zeroize();
        if let Some(link) = self.link.as_mut() {
            link.zeroize();
        }
    }
}

/// What the joiner sends once the host has proven it knows the code.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct JoinerReply {
    pub v: u8,
    pub joiner: MemberWire,
}
