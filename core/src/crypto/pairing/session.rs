//! The cryptography of one pairing exchange: SPAKE2, the transcript, the
//! keys derived from them, key confirmation, sealing the payloads, device
//! proofs and the safety number.

use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use ed25519_dalek::{Signature, VerifyingKey};
use sha2::{Digest, Sha256};
use spake2::{Ed25519Group, Identity, Password, Spake2};
use zeroize::Zeroizing;

use super::wire::PairingRole;
use super::{PairingError, Purpose};
use crate::crypto::kdf::{KEY_LEN, derive_key, hmac_sha256, hmac_sha256_verify};
use crate::crypto::keys::{DeviceKeys, DevicePublicKeys};
use crate::crypto::pairing_code::PairingCode;
use crate::crypto::random::fill_random;

const PROTOCOL: &str = "hearth-pairing-v1";
const TRANSCRIPT_LABEL: &[u8] = b"hearth-pairing-v1 transcript\0";
const CONFIRM_LABEL: &[u8] = b"hearth-pairing-v1 confirm\0";
const PAYLOAD_LABEL: &[u8] = b"hearth-pairing-v1 payload\0";
const PROOF_LABEL: &[u8] = b"hearth-pairing-v1 device proof\0";
const SAFETY_LABEL: &[u8] = b"hearth-pairing-v1 safety number\0";
const NONCE_LEN: usize = 24;

/// Digits in a safety number.
pub const SAFETY_NUMBER_DIGITS: usize = 12;

/// Starts SPAKE2 for `role`. Identities bind the protocol name, the side and
/// the nameplate; the password is the whole code string.
/// A code made to link a device of one's own never pairs a partner (nor the
/// reverse): the purpose is part of the identities, so a code used for the
/// other purpose fails as a wrong code on both sides.
pub(super) fn start_pake(
    code: &PairingCode,
    role: PairingRole,
    purpose: Purpose,
) -> (Spake2<Ed25519Group>, Vec<u8>) {
    let password = Password::new(Zeroizing::new(code.to_string()).as_bytes());
    let prefix = match purpose {
        Purpose::Pair => "",
        Purpose::Link => "link-",
        Purpose::Recover => "recover-",
    };
    let nameplate = code.nameplate();
    let host = Identity::new(format!("{PROTOCOL}/{prefix}host/{nameplate}").as_bytes());
    let joiner = Identity::new(format!("{PROTOCOL}/{prefix}joiner/{nameplate}").as_bytes());
    match role {
        PairingRole::Host => Spake2::<Ed25519Group>::start_a(&password, &host, &joiner),
        PairingRole::Joiner => Spake2::<Ed25519Group>::start_b(&password, &host, &joiner),
    }
}

/// Keys for the rest of the exchange, held by one side.
pub(super) struct SessionKeys {
    role: PairingRole,
    transcript: [u8; 32],
    confirm_own: Zeroizing<[u8; KEY_LEN]>,
    confirm_peer: Zeroizing<[u8; KEY_LEN]>,
    seal_own: Zeroizing<[u8; KEY_LEN]>,
    seal_peer: Zeroizing<[u8; KEY_LEN]>,
}

impl SessionKeys {
    /// Finishes SPAKE2 with the peer's message and derives the session keys.
    pub(super) fn finish(
        role: PairingRole,
        nameplate: u32,
        spake: Spake2<Ed25519Group>,
        own_pake: &[u8],
        peer_pake: &[u8],
    ) -> Result<Self, PairingError> {
        let shared = Zeroizing::new(spake.finish(peer_pake).map_err(|e| match e {
            spake2::Error::BadSide => PairingError::UnexpectedMessage {
                expected: "the other phone's key exchange message",
            },
            spake2::Error::CorruptMessage | spake2::Error::WrongLength => PairingError::Malformed {
                what: "the key exchange message is not valid",
            },
        })?);
        let (host_pake, joiner_pake) = match role {
            PairingRole::Host => (own_pake, peer_pake),
            PairingRole::Joiner => (peer_pake, own_pake),
        };
        let transcript = transcript_hash(nameplate, host_pake, joiner_pake);
        let key = |purpose: &str, side: PairingRole| {
            let info = [PROTOCOL.as_bytes(), b" ", purpose.as_bytes(), &[side.tag()]].concat();
            derive_key(&shared, &transcript, &info)
        };
        Ok(Self {
            role,
            transcript,
            confirm_own: key("confirm", role),
            confirm_peer: key("confirm", role.peer()),
            seal_own: key("seal", role),
            seal_peer: key("seal", role.peer()),
        })
    }

    /// The hash of both SPAKE2 messages, which both sides share only if no
    /// one changed them.
    pub(super) fn transcript(&self) -> &[u8; 32] {
        &self.transcript
    }

    /// This side's key-confirmation MAC.
    pub(super) fn confirm_tag(&self) -> [u8; 32] {
        hmac_sha256(
            &self.confirm_own,
            &[CONFIRM_LABEL, &[self.role.tag()], &self.transcript],
        )
    }

    /// Checks the peer's MAC. A mismatch means the two phones did not use
    /// the same code (or a message was altered, which looks the same).
    pub(super) fn check_peer_confirm(&self, tag: &[u8]) -> Result<(), PairingError> {
        let parts: [&[u8]; 3] = [CONFIRM_LABEL, &[self.role.peer().tag()], &self.transcript];
        if hmac_sha256_verify(&self.confirm_peer, &parts, tag) {
            Ok(())
        } else {
            Err(PairingError::WrongCode)
        }
    }

    /// Encrypts this side's payload: nonce, then ciphertext with tag.
    pub(super) fn seal(&self, payload: &[u8]) -> Result<Vec<u8>, PairingError> {
        let mut nonce = [0u8; NONCE_LEN];
        fill_random(&mut nonce)?;
        let aad = self.payload_aad(self.role);
        let ciphertext = cipher(&self.seal_own)
            .encrypt(
                XNonce::from_slice(&nonce),
                Payload {
                    msg: payload,
                    aad: &aad,
                },
            )
            .map_err(|_| PairingError::Malformed {
                what: "the details to send are too large",
            })?;
        Ok([&nonce[..], &ciphertext].concat())
    }

    /// Decrypts the peer's payload.
    pub(super) fn open(&self, sealed: &[u8]) -> Result<Zeroizing<Vec<u8>>, PairingError> {
        if sealed.len() < NONCE_LEN {
            return Err(PairingError::Malformed {
                what: "the sealed details are truncated",
            });
        }
        let (nonce, ciphertext) = sealed.split_at(NONCE_LEN);
        let aad = self.payload_aad(self.role.peer());
        cipher(&self.seal_peer)
            .decrypt(
                XNonce::from_slice(nonce),
                Payload {
                    msg: ciphertext,
                    aad: &aad,
                },
            )
            .map(Zeroizing::new)
            .map_err(|_| PairingError::Tampered)
    }

    fn payload_aad(&self, sender: PairingRole) -> Vec<u8> {
        [PAYLOAD_LABEL, &[sender.tag()], &self.transcript].concat()
    }

    /// This device's proof that it holds its signing key, tied to this
    /// exchange.
    pub(super) fn device_proof(&self, device: &DeviceKeys) -> Signature {
        device.sign(&proof_message(
            self.role,
            &self.transcript,
            &device.public(),
        ))
    }

    /// Checks the peer device's proof.
    pub(super) fn check_peer_proof(
        &self,
        peer: &DevicePublicKeys,
        proof: &Signature,
    ) -> Result<(), PairingError> {
        let message = proof_message(self.role.peer(), &self.transcript, peer);
        VerifyingKey::verify_strict(peer.signing_key(), &message, proof)
            .map_err(|_| PairingError::Tampered)
    }
}

fn cipher(key: &[u8; KEY_LEN]) -> XChaCha20Poly1305 {
    XChaCha20Poly1305::new(chacha20poly1305::Key::from_slice(key))
}

fn transcript_hash(nameplate: u32, host_pake: &[u8], joiner_pake: &[u8]) -> [u8; 32] {
    let mut hash = Sha256::new();
    hash.update(TRANSCRIPT_LABEL);
    hash.update(nameplate.to_be_bytes());
    for message in [host_pake, joiner_pake] {
        hash.update((message.len() as u64).to_be_bytes());
        hash.update(message);
    }
    hash.finalize().into()
}

fn proof_message(role: PairingRole, transcript: &[u8; 32], device: &DevicePublicKeys) -> Vec<u8> {
    [PROOF_LABEL, &[role.tag()], transcript, &device.to_bytes()].concat()
}

/// The number both phones show: 12 digits in groups of four, from the
/// transcript and both devices' public keys. Any other exchange or device
/// pair gives another number (up to a 1 in 10^12 coincidence).
pub(super) fn safety_number(
    transcript: &[u8; 32],
    host: &DevicePublicKeys,
    joiner: &DevicePublicKeys,
) -> String {
    let digest = Sha256::new()
        .chain_update(SAFETY_LABEL)
        .chain_update(transcript)
        .chain_update(host.to_bytes())
        .chain_update(joiner.to_bytes())
        .finalize();
    let mut first = [0u8; 8];
    first.copy_from_slice(&digest[..8]);
    // 2^64 is about 1.8e7 times 10^12, so the modulo bias is negligible.
    let value = u64::from_be_bytes(first) % 1_000_000_000_000;
    let digits = format!("{value:012}");
    format!("{} {} {}", &digits[..4], &digits[4..8], &digits[8..])
}
