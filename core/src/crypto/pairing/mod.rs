//! Pairing two phones into one space, as a transport-agnostic state machine.
//!
//! Partner A (the host, who already has the space) shows a
//! [`PairingCode`]; partner B (the joiner) types it. Each side feeds the
//! other's mailbox messages to [`HostPairing::receive`] /
//! [`JoinerPairing::receive`] and posts whatever comes back:
//!
//! ```text
//! host                                     joiner
//! start      -- pake ------------------->            (both at once)
//!            <------------------- pake --  start
//! receive    -- confirm ---------------->
//!            <---------------- confirm --  receive
//! receive    -- sealed offer ----------->            (after checking B's confirm)
//!            <------------ sealed reply --  receive  (after checking A's confirm)
//! receive -> Finished                       receive -> Finished
//! ```
//!
//! SPAKE2 turns the code into a strong shared key; an eavesdropper or the
//! relay gets one online guess. Each side proves it derived the same key
//! with an HMAC over the transcript before anything secret moves, so a
//! wrong code fails on both phones with [`PairingError::WrongCode`] and the
//! code must be burnt at the relay. The host then sends the space id and
//! key, the joiner its device keys, each encrypted with XChaCha20-Poly1305
//! under a key derived from the exchange and signed by the sending device.
//! Both sides end with the same [`PairingOutcome`], including a safety
//! number for the partners to compare.
//!
//! Any error closes the exchange: start again with a new code. The caller
//! should skip its own messages when reading a shared mailbox
//! ([`message_sender`] tells them apart). Code expiry is the relay's to
//! enforce and report.

mod session;
mod wire;

use std::fmt;

use ed25519_dalek::Signature;
use spake2::{Ed25519Group, Spake2};
use zeroize::Zeroizing;

use super::keys::{DeviceKeys, DevicePublicKeys, SpaceKey};
use super::pairing_code::PairingCode;
use super::random::RandomnessUnavailable;
pub use session::SAFETY_NUMBER_DIGITS;
use session::SessionKeys;
pub use wire::PairingRole;
use wire::{HostOffer, JoinerReply, MemberWire, MessageKind, PAIRING_VERSION, PairingMessage};

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

/// Longest member id or space id, in bytes.
pub const MAX_ID_LEN: usize = 128;
/// Longest display name, in bytes of UTF-8.
pub const MAX_DISPLAY_NAME_LEN: usize = 200;

/// How a partner introduces themselves while pairing.
#[derive(Clone, PartialEq, Eq)]
pub struct MemberProfile {
    /// The partner's member id in the space.
    pub member_id: String,
    /// The name the other partner will see.
    pub display_name: String,
}

/// One partner as both phones know them after pairing.
#[derive(Clone, PartialEq, Eq)]
pub struct PairedMember {
    /// The partner's device keys.
    pub device: DevicePublicKeys,
    /// The partner's member id in the space.
    pub member_id: String,
    /// The partner's display name.
    pub display_name: String,
}

/// What an exchange is for: pairing two partners, or linking a new device
/// of one's own to the space (see [`HostPairing::start_link`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    /// Two partners: each side is a different person.
    Pair,
    /// One person's existing device (the host) and their new one (the
    /// joiner), which takes the host's member id and receives the host's
    /// link details.
    Link,
    /// The partner's device (the host) letting a person who lost every
    /// device of theirs back in on a new one (the joiner). Like a link,
    /// the joiner receives the host's details, but it is not the host's
    /// person: which person it is travels in the details.
    Recover,
}

impl Purpose {
    /// Whether the host sends details besides the space.
    pub fn carries_details(self) -> bool {
        matches!(self, Self::Link | Self::Recover)
    }
}

/// What the host of a link sends the new device besides the space key
/// (its person, the device list, later key epochs), as opaque bytes the
/// sync layer writes and reads. Wiped when dropped; never printed.
#[derive(Clone, PartialEq, Eq)]
pub struct LinkDetails(pub Zeroizing<Vec<u8>>);

impl fmt::Debug for LinkDetails {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "LinkDetails({} bytes)", self.0.len())
    }
}

/// What both phones hold when pairing succeeds; identical on both sides
/// (but for `link`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PairingOutcome {
    /// The space the joiner now belongs to.
    pub space_id: String,
    /// The space key (store it with [`SpaceKey::save`]).
    pub space_key: SpaceKey,
    /// Partner A.
    pub host: PairedMember,
    /// Partner B.
    pub joiner: PairedMember,
    /// Twelve digits in groups of four (`"0123 4567 8901"`), the same on
    /// both phones; partners compare them to be sure they paired with each
    /// other.
    pub safety_number: String,
    /// On the new device of a link, what its host sent; `None` otherwise.
    pub link: Option<LinkDetails>,
}

/// What to do after feeding a message in.
#[derive(Debug)]
pub enum PairingStep {
    /// Post these bytes to the mailbox for the other phone.
    Send(Vec<u8>),
    /// Pairing is complete (boxed: it is much larger than a message).
    Finished(Box<PairingOutcome>),
}

/// Pairing failed; the exchange is closed and nothing secret was accepted.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PairingError {
    /// The phones used different codes (or a confirmation was altered).
    #[error(
        "the code did not match on the two devices; this code no longer works, \
         so get a new one and type it again"
    )]
    WrongCode,
    /// The other phone speaks a pairing version this app does not.
    #[error(
        "the other phone uses pairing version {version}, which this app does not know; \
         update Hearth on both devices"
    )]
    UnsupportedVersion {
        /// Version found in the message.
        version: u8,
    },
    /// A message could not be read.
    #[error("a pairing message could not be read ({what}); start pairing again with a new code")]
    Malformed {
        /// What was wrong.
        what: &'static str,
    },
    /// A message arrived out of order, twice, or from this same phone.
    #[error(
        "a pairing message arrived out of order (expected {expected}); start again with a new code"
    )]
    UnexpectedMessage {
        /// What was expected instead.
        expected: &'static str,
    },
    /// A message decrypted or verified wrongly after the code was confirmed.
    #[error(
        "a pairing message was altered on the way or its sender could not prove its keys; \
         start again with a new code"
    )]
    Tampered,
    /// This exchange already finished or failed.
    #[error("this pairing has already ended; start a new one")]
    Closed,
    /// The other phone presents this phone's own member id: it is not the
    /// partner, and a couple is two people.
    #[error(
        "the other phone says it is you (the same member id), not your partner; \
         nothing was shared: pair with your partner's phone"
    )]
    SameMember,
    /// This phone's own details cannot be sent.
    #[error("cannot start pairing: {what}")]
    InvalidInput {
        /// Which detail and why.
        what: &'static str,
    },
    /// No randomness for a nonce.
    #[error(transparent)]
    Randomness(#[from] RandomnessUnavailable),
}

/// Which side wrote a pairing message, so a caller reading a shared
/// mailbox can skip its own.
pub fn message_sender(message: &[u8]) -> Result<PairingRole, PairingError> {
    PairingMessage::from_bytes(message).map(|m| m.from)
}

/// Partner A's side of pairing.
#[derive(Debug)]
pub struct HostPairing {
    exchange: Exchange,
}

/// Partner B's side of pairing.
#[derive(Debug)]
pub struct JoinerPairing {
    exchange: Exchange,
}

impl HostPairing {
    /// Starts pairing for the space `space_id`; returns the first message
    /// to post.
    pub fn start(
        code: &PairingCode,
        device: &DeviceKeys,
        profile: MemberProfile,
        space_id: String,
        space_key: &SpaceKey,
    ) -> Result<(Self, Vec<u8>), PairingError> {
        Self::begin(code, device, profile, (space_id, space_key), None)
    }

    /// Starts linking a new device to the space `space_id`: like
    /// pairing, but the code works only for this `purpose` (a link of this
    /// same person's device, whose new device takes `profile`'s member id,
    /// or a recovery of the partner's), and `details` travel to it sealed
    /// with the space key.
    pub fn start_link(
        purpose: Purpose,
        code: &PairingCode,
        device: &DeviceKeys,
        profile: MemberProfile,
        (space_id, space_key): (String, &SpaceKey),
        details: LinkDetails,
    ) -> Result<(Self, Vec<u8>), PairingError> {
        if !purpose.carries_details() {
            return Err(PairingError::InvalidInput {
                what: "pairing two partners sends no link details",
            });
        }
        Self::begin(
            code,
            device,
            profile,
            (space_id, space_key),
            Some((purpose, details)),
        )
    }

    /// Pairing with no `details`, linking with them.
    fn begin(
        code: &PairingCode,
        device: &DeviceKeys,
        profile: MemberProfile,
        (space_id, space_key): (String, &SpaceKey),
        details: Option<(Purpose, LinkDetails)>,
    ) -> Result<(Self, Vec<u8>), PairingError> {
        check_id(&space_id, "the space id is empty or too long")?;
        let (purpose, details) = match details {
            Some((purpose, details)) => (purpose, Some(details)),
            None => (Purpose::Pair, None),
        };
        let (mut exchange, first) = Exchange::start(
            PairingRole::Host,
            purpose,
            code,
            device,
            profile,
            Some((space_id, space_key.clone())),
        )?;
        exchange.details = details;
        Ok((Self { exchange }, first))
    }

    /// Feeds in one message from the joiner.
    pub fn receive(&mut self, message: &[u8]) -> Result<PairingStep, PairingError> {
        self.exchange.receive(message)
    }
}

impl JoinerPairing {
    /// Starts pairing with the code the partner typed; returns the first
    /// message to post.
    pub fn start(
        code: &PairingCode,
        device: &DeviceKeys,
        profile: MemberProfile,
    ) -> Result<(Self, Vec<u8>), PairingError> {
        let (exchange, first) = Exchange::start(
            PairingRole::Joiner,
            Purpose::Pair,
            code,
            device,
            profile,
            None,
        )?;
        Ok((Self { exchange }, first))
    }

    /// Starts linking this new device to its person's space, with the code
    /// the host device shows; `label` names this device for the others
    /// ("laptop"). For a [`Purpose::Link`] the outcome's
    /// `joiner.member_id` is the person's member id, learned from the
    /// host; for a [`Purpose::Recover`] the person is in the details.
    pub fn start_link(
        purpose: Purpose,
        code: &PairingCode,
        device: &DeviceKeys,
        label: String,
    ) -> Result<(Self, Vec<u8>), PairingError> {
        if !purpose.carries_details() {
            return Err(PairingError::InvalidInput {
                what: "pairing two partners sends no link details",
            });
        }
        // The new device has no member id of its own yet: its device id
        // stands in, and the host ignores it.
        let profile = MemberProfile {
            member_id: device.device_id(),
            display_name: label,
        };
        let (exchange, first) =
            Exchange::start(PairingRole::Joiner, purpose, code, device, profile, None)?;
        Ok((Self { exchange }, first))
    }

    /// Feeds in one message from the host.
    pub fn receive(&mut self, message: &[u8]) -> Result<PairingStep, PairingError> {
        self.exchange.receive(message)
    }
}

/// The shared state machine behind both sides.
struct Exchange {
    role: PairingRole,
    purpose: Purpose,
    /// What a link's host sends besides the space.
    details: Option<LinkDetails>,
    nameplate: u32,
    device: DeviceKeys,
    profile: MemberProfile,
    /// The host's space; `None` on the joiner.
    space: Option<(String, SpaceKey)>,
    stage: Stage,
}

enum Stage {
    AwaitingPake {
        spake: Box<Spake2<Ed25519Group>>,
        own_pake: Vec<u8>,
    },
    AwaitingConfirm(SessionKeys),
    AwaitingPayload(SessionKeys),
    Closed,
}

impl Exchange {
    fn start(
        role: PairingRole,
        purpose: Purpose,
        code: &PairingCode,
        device: &DeviceKeys,
        profile: MemberProfile,
        space: Option<(String, SpaceKey)>,
    ) -> Result<(Self, Vec<u8>), PairingError> {
        check_id(&profile.member_id, "the member id is empty or too long")?;
        if profile.display_name.len() > MAX_DISPLAY_NAME_LEN {
            return Err(PairingError::InvalidInput {
                what: "the display name is longer than 200 bytes",
            });
        }
        let (spake, own_pake) = session::start_pake(code, role, purpose);
        let first = PairingMessage::new(role, MessageKind::Pake, &own_pake).to_bytes()?;
        let exchange = Self {
            role,
            purpose,
            details: None,
            nameplate: code.nameplate(),
            device: device.clone(),
            profile,
            space,
            stage: Stage::AwaitingPake {
                spake: Box::new(spake),
                own_pake,
            },
        };
        Ok((exchange, first))
    }

    fn receive(&mut self, bytes: &[u8]) -> Result<PairingStep, PairingError> {
        // Any error leaves the stage Closed: a failed exchange never resumes.
        let stage = std::mem::replace(&mut self.stage, Stage::Closed);
        let (next, step) = self.advance(stage, bytes)?;
        self.stage = next;
        Ok(step)
    }

    fn advance(&self, stage: Stage, bytes: &[u8]) -> Result<(Stage, PairingStep), PairingError> {
        let expected = match &stage {
            Stage::AwaitingPake { .. } => MessageKind::Pake,
            Stage::AwaitingConfirm(_) => MessageKind::Confirm,
            Stage::AwaitingPayload(_) => MessageKind::Sealed,
            Stage::Closed => return Err(PairingError::Closed),
        };
        let message = PairingMessage::from_bytes(bytes)?;
        if message.from != self.role.peer() || message.kind != expected {
            return Err(PairingError::UnexpectedMessage {
                expected: expected.describe(),
            });
        }
        let body = message.body_bytes()?;
        match stage {
            Stage::AwaitingPake { spake, own_pake } => {
                let keys =
                    SessionKeys::finish(self.role, self.nameplate, *spake, &own_pake, &body)?;
                let confirm = self.message(MessageKind::Confirm, &keys.confirm_tag())?;
                Ok((Stage::AwaitingConfirm(keys), PairingStep::Send(confirm)))
            }
            Stage::AwaitingConfirm(keys) => {
                keys.check_peer_confirm(&body)?;
                let payload = self.own_payload(&keys)?;
                let sealed = self.message(MessageKind::Sealed, &keys.seal(&payload)?)?;
                Ok((Stage::AwaitingPayload(keys), PairingStep::Send(sealed)))
            }
            Stage::AwaitingPayload(keys) => {
                let payload = keys.open(&body)?;
                let outcome = self.outcome(&keys, &payload)?;
                Ok((Stage::Closed, PairingStep::Finished(Box::new(outcome))))
            }
            Stage::Closed => Err(PairingError::Closed),
        }
    }

    fn message(&self, kind: MessageKind, body: &[u8]) -> Result<Vec<u8>, PairingError> {
        PairingMessage::new(self.role, kind, body).to_bytes()
    }

    fn own_member(&self, keys: &SessionKeys) -> MemberWire {
        MemberWire {
            device: self.device.public(),
            member_id: self.profile.member_id.clone(),
            display_name: self.profile.display_name.clone(),
            proof: URL_SAFE_NO_PAD.encode(keys.device_proof(&self.device).to_bytes()),
        }
    }

    /// The JSON this side sends once the peer has confirmed the code.
    fn own_payload(&self, keys: &SessionKeys) -> Result<Zeroizing<Vec<u8>>, PairingError> {
        let member = self.own_member(keys);
        let encoded = match &self.space {
            Some((space_id, space_key)) => serde_json::to_vec(&HostOffer {
                v: PAIRING_VERSION,
                space_id: space_id.clone(),
                space_key: *space_key.as_bytes(),
                host: member,
                link: self.details.as_ref().map(|d| URL_SAFE_NO_PAD.encode(&*d.0)),
            }),
            None => serde_json::to_vec(&JoinerReply {
                v: PAIRING_VERSION,
                joiner: member,
            }),
        };
        encoded
            .map(Zeroizing::new)
            .map_err(|_| PairingError::InvalidInput {
                what: "this device's details could not be encoded",
            })
    }

    /// Reads the peer's payload and assembles the outcome.
    fn outcome(&self, keys: &SessionKeys, payload: &[u8]) -> Result<PairingOutcome, PairingError> {
        let unreadable = PairingError::Malformed {
            what: "the other phone's details are not in the expected form",
        };
        let (space_id, space_key, peer, link) = match &self.space {
            Some((space_id, space_key)) => {
                let reply: JoinerReply =
                    serde_json::from_slice(payload).map_err(|_| unreadable.clone())?;
                check_version(reply.v)?;
                (space_id.clone(), space_key.clone(), reply.joiner, None)
            }
            None => {
                let mut offer: HostOffer =
                    serde_json::from_slice(payload).map_err(|_| unreadable)?;
                check_version(offer.v)?;
                check_id(&offer.space_id, "").map_err(|_| PairingError::Malformed {
                    what: "the space id is empty or too long",
                })?;
                let link = match offer.link.take().map(Zeroizing::new) {
                    Some(text) => Some(LinkDetails(Zeroizing::new(
                        URL_SAFE_NO_PAD.decode(text.as_bytes()).map_err(|_| {
                            PairingError::Malformed {
                                what: "the link details are not base64url",
                            }
                        })?,
                    ))),
                    None => None,
                };
                if link.is_some() != self.purpose.carries_details() {
                    return Err(PairingError::Malformed {
                        what: "the other device's offer is not for this kind of pairing",
                    });
                }
                let key = SpaceKey::from_bytes(offer.space_key);
                (offer.space_id.clone(), key, offer.host.clone(), link)
            }
        };
        let mut peer = self.check_peer_member(keys, peer)?;
        let mut own = PairedMember {
            device: self.device.public(),
            member_id: self.profile.member_id.clone(),
            display_name: self.profile.display_name.clone(),
        };
        // A linked device is the host's person: it takes the host's member
        // id (the stand-in it sent is dropped on both sides).
        if self.purpose == Purpose::Link {
            match self.role {
                PairingRole::Host => peer.member_id = own.member_id.clone(),
                PairingRole::Joiner => own.member_id = peer.member_id.clone(),
            }
        }
        let (host, joiner) = match self.role {
            PairingRole::Host => (own, peer),
            PairingRole::Joiner => (peer, own),
        };
        let safety_number = session::safety_number(keys.transcript(), &host.device, &joiner.device);
        Ok(PairingOutcome {
            space_id,
            space_key,
            host,
            joiner,
            safety_number,
            link,
        })
    }

    fn check_peer_member(
        &self,
        keys: &SessionKeys,
        member: MemberWire,
    ) -> Result<PairedMember, PairingError> {
        check_id(&member.member_id, "").map_err(|_| PairingError::Malformed {
            what: "the other phone's member id is empty or too long",
        })?;
        if member.display_name.len() > MAX_DISPLAY_NAME_LEN {
            return Err(PairingError::Malformed {
                what: "the other phone's display name is too long",
            });
        }
        if member.device == self.device.public() {
            // Our own keys coming back: a reflected message, not a partner.
            return Err(PairingError::Tampered);
        }
        if self.purpose == Purpose::Pair && member.member_id == self.profile.member_id {
            return Err(PairingError::SameMember);
        }
        let proof = URL_SAFE_NO_PAD
            .decode(&member.proof)
            .ok()
            .and_then(|bytes| Signature::from_slice(&bytes).ok())
            .ok_or(PairingError::Malformed {
                what: "the other phone's device proof is not a signature",
            })?;
        keys.check_peer_proof(&member.device, &proof)?;
        Ok(PairedMember {
            device: member.device,
            member_id: member.member_id,
            display_name: member.display_name,
        })
    }
}

fn check_id(id: &str, what: &'static str) -> Result<(), PairingError> {
    if id.is_empty() || id.len() > MAX_ID_LEN {
        Err(PairingError::InvalidInput { what })
    } else {
        Ok(())
    }
}

fn check_version(version: u8) -> Result<(), PairingError> {
    if version == PAIRING_VERSION {
        Ok(())
    } else {
        Err(PairingError::UnsupportedVersion { version })
    }
}

impl fmt::Debug for Exchange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let stage = match self.stage {
            Stage::AwaitingPake { .. } => "awaiting key exchange",
            Stage::AwaitingConfirm(_) => "awaiting confirmation",
            Stage::AwaitingPayload(_) => "awaiting details",
            Stage::Closed => "closed",
        };
        f.debug_struct("Exchange")
            .field("role", &self.role)
            .field("nameplate", &self.nameplate)
            .field("stage", &stage)
            .finish_non_exhaustive()
    }
}

impl fmt::Debug for MemberProfile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MemberProfile")
            .field("member_id", &self.member_id)
            .field("display_name", &"<redacted>")
            .finish()
    }
}

impl fmt::Debug for PairedMember {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PairedMember")
            .field("device", &self.device)
            .field("member_id", &self.member_id)
            .field("display_name", &"<redacted>")
            .finish()
    }
}

#[cfg(test)]
mod tests;
