//! Request signing: the one definition both the sync client and the relay
//! use, so a request signed by one is verified by the other byte for byte.
//!
//! A device signs, with its Ed25519 identity key, this canonical text
//! (lines joined by `\n`, no trailing newline):
//!
//! ```text
//! hearth-relay-request-v1
//! METHOD                   upper case, e.g. POST
//! /path?query              exactly as sent on the request line
//! BODY-DIGEST              SHA-256 of the body bytes, unpadded base64url
//! TIMESTAMP                unix seconds, decimal
//! NONCE                    16 random bytes, unpadded base64url (22 chars)
//! DEVICE                   the signer's public key, unpadded base64url
//! ```
//!
//! and sends the result in four headers ([`HEADER_DEVICE`],
//! [`HEADER_TIMESTAMP`], [`HEADER_NONCE`], [`HEADER_SIGNATURE`]). The relay
//! accepts a timestamp within [`TIMESTAMP_WINDOW_SECS`] of its clock and
//! each (device, nonce) pair once.

use std::fmt;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use ed25519_dalek::{Signature, Signer as _, SigningKey, VerifyingKey};
use sha2::{Digest as _, Sha256};

use crate::error::ErrorCode;
use crate::ids::DeviceId;

/// Header carrying the signing device's public key.
pub const HEADER_DEVICE: &str = "hearth-device";
/// Header carrying the signing time in unix seconds.
pub const HEADER_TIMESTAMP: &str = "hearth-timestamp";
/// Header carrying the request's random nonce.
pub const HEADER_NONCE: &str = "hearth-nonce";
/// Header carrying the Ed25519 signature over the canonical text.
pub const HEADER_SIGNATURE: &str = "hearth-signature";

/// How far a request's timestamp may be from the relay's clock, either way.
pub const TIMESTAMP_WINDOW_SECS: u64 = 300;
/// Length of a nonce in bytes.
pub const NONCE_LEN: usize = 16;

/// Separates this use of the device key from every other (blob signatures,
/// pairing), so a signature made here can never be replayed there.
const DOMAIN: &str = "hearth-relay-request-v1";

/// A request nonce: 16 bytes the client takes from the OS generator.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Nonce([u8; NONCE_LEN]);

impl Nonce {
    /// Wraps 16 random bytes.
    #[must_use]
    pub fn from_bytes(bytes: [u8; NONCE_LEN]) -> Self {
        Self(bytes)
    }

    /// The raw bytes.
    #[must_use]
    pub fn as_bytes(&self) -> &[u8; NONCE_LEN] {
        &self.0
    }

    fn encode(&self) -> String {
        URL_SAFE_NO_PAD.encode(self.0)
    }

    fn parse(text: &str) -> Option<Self> {
        let mut bytes = [0u8; NONCE_LEN];
        match URL_SAFE_NO_PAD.decode_slice(text, &mut bytes) {
            Ok(NONCE_LEN) if text.len() == 22 => Some(Self(bytes)),
            _ => None,
        }
    }
}

impl fmt::Debug for Nonce {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // A nonce is not secret, but it is request metadata nobody needs.
        f.write_str("Nonce(..)")
    }
}

/// The four signature headers of one request, as header values.
#[derive(Clone, PartialEq, Eq)]
pub struct SignedHeaders {
    /// Value of [`HEADER_DEVICE`].
    pub device: String,
    /// Value of [`HEADER_TIMESTAMP`].
    pub timestamp: String,
    /// Value of [`HEADER_NONCE`].
    pub nonce: String,
    /// Value of [`HEADER_SIGNATURE`].
    pub signature: String,
}

impl SignedHeaders {
    /// The headers as (name, value) pairs, ready to add to a request.
    #[must_use]
    pub fn pairs(&self) -> [(&'static str, &str); 4] {
        [
            (HEADER_DEVICE, &self.device),
            (HEADER_TIMESTAMP, &self.timestamp),
            (HEADER_NONCE, &self.nonce),
            (HEADER_SIGNATURE, &self.signature),
        ]
    }

    /// Collects the headers from a request through `lookup` (header name to
    /// value).
    ///
    /// # Errors
    /// [`AuthError::Missing`] naming the first absent header.
    pub fn from_lookup<'a>(
        lookup: impl Fn(&'static str) -> Option<&'a str>,
    ) -> Result<Self, AuthError> {
        let get = |name: &'static str| {
            lookup(name)
                .map(str::to_owned)
                .ok_or(AuthError::Missing { header: name })
        };
        Ok(Self {
            device: get(HEADER_DEVICE)?,
            timestamp: get(HEADER_TIMESTAMP)?,
            nonce: get(HEADER_NONCE)?,
            signature: get(HEADER_SIGNATURE)?,
        })
    }
}

impl fmt::Debug for SignedHeaders {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Never print the signature: it must not reach any log.
        f.debug_struct("SignedHeaders")
            .field("device", &self.device)
            .field("timestamp", &self.timestamp)
            .finish_non_exhaustive()
    }
}

/// What a valid signature proved about a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct VerifiedRequest {
    /// The device that signed it.
    pub device: DeviceId,
    /// Its nonce, which the relay must accept only once.
    pub nonce: Nonce,
    /// Its signing time in unix seconds.
    pub timestamp: u64,
}

impl VerifiedRequest {
    /// The unix time after which the request is stale anyway, so its nonce
    /// no longer needs remembering.
    #[must_use]
    pub fn nonce_expiry(&self) -> u64 {
        self.timestamp.saturating_add(TIMESTAMP_WINDOW_SECS)
    }
}

/// Why a request's signature was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AuthError {
    /// A signature header is missing: the request is unsigned.
    #[error("the request is not signed: header {header} is missing; sign it with the device key")]
    Missing {
        /// The first missing header.
        header: &'static str,
    },
    /// A signature header is present but not in its documented form.
    #[error("header {header} is malformed; see docs/protocol.md for its form")]
    Malformed {
        /// The malformed header.
        header: &'static str,
    },
    /// The timestamp is outside the accepted window.
    #[error(
        "the request was signed {skew_secs} s away from the relay's clock (at most {TIMESTAMP_WINDOW_SECS} s allowed); check the device clock and sign again"
    )]
    Stale {
        /// Signing time minus relay time, in seconds.
        skew_secs: i64,
    },
    /// The signature does not match the request and the device key.
    #[error(
        "the signature does not match this request and device key; sign the exact method, path, body, timestamp and nonce"
    )]
    BadSignature,
}

impl AuthError {
    /// The machine-readable code the relay answers with.
    #[must_use]
    pub fn code(&self) -> ErrorCode {
        match self {
            Self::Missing { .. } => ErrorCode::MissingSignature,
            Self::Malformed { .. } => ErrorCode::MalformedSignature,
            Self::Stale { .. } => ErrorCode::StaleTimestamp,
            Self::BadSignature => ErrorCode::BadSignature,
        }
    }
}

fn canonical(
    method: &str,
    path_and_query: &str,
    body: &[u8],
    timestamp: &str,
    nonce: &str,
    device: &str,
) -> Vec<u8> {
    let digest = URL_SAFE_NO_PAD.encode(Sha256::digest(body));
    let mut text = String::with_capacity(
        DOMAIN.len() + method.len() + path_and_query.len() + 43 + 20 + 22 + 43 + 6,
    );
    for (i, part) in [
        DOMAIN,
        method,
        path_and_query,
        &digest,
        timestamp,
        nonce,
        device,
    ]
    .into_iter()
    .enumerate()
    {
        if i > 0 {
            text.push('\n');
        }
        if i == 1 {
            text.push_str(&part.to_ascii_uppercase());
        } else {
            text.push_str(part);
        }
    }
    text.into_bytes()
}

/// Signs a request for the relay: the headers to add to it.
///
/// `path_and_query` is the request target exactly as sent, e.g.
/// `/v1/spaces/abc/blobs?after=10&limit=100`; `body` is the exact body
/// bytes (empty for GET); `nonce` comes from the OS random generator.
#[must_use]
pub fn sign_request(
    key: &SigningKey,
    method: &str,
    path_and_query: &str,
    body: &[u8],
    unix_seconds: u64,
    nonce: Nonce,
) -> SignedHeaders {
    let device = DeviceId::from_key(&key.verifying_key()).encode();
    let timestamp = unix_seconds.to_string();
    let nonce = nonce.encode();
    let message = canonical(method, path_and_query, body, &timestamp, &nonce, &device);
    let signature = URL_SAFE_NO_PAD.encode(key.sign(&message).to_bytes());
    SignedHeaders {
        device,
        timestamp,
        nonce,
        signature,
    }
}

/// Checks a request's signature headers against the request and the
/// relay's clock (`now_unix`). Replay protection (each nonce once) is the
/// caller's job, using [`VerifiedRequest::nonce`].
///
/// # Errors
/// [`AuthError`] saying which check failed.
pub fn verify_request(
    headers: &SignedHeaders,
    method: &str,
    path_and_query: &str,
    body: &[u8],
    now_unix: u64,
) -> Result<VerifiedRequest, AuthError> {
    verify_request_with(headers, method, path_and_query, body, now_unix, |device| {
        DeviceId::parse_key(device).ok()
    })
}

/// [`verify_request`], with `key_of` turning the device header into its
/// public key (`None` when it is not one). A relay caches keys this way:
/// unpacking a key is a good part of the cost of a verification.
///
/// # Errors
/// [`AuthError`] saying which check failed.
pub fn verify_request_with(
    headers: &SignedHeaders,
    method: &str,
    path_and_query: &str,
    body: &[u8],
    now_unix: u64,
    key_of: impl FnOnce(&str) -> Option<VerifyingKey>,
) -> Result<VerifiedRequest, AuthError> {
    check_headers_with(headers, now_unix, key_of)?.verify(headers, method, path_and_query, body)
}

/// A request's signature headers checked for form and against the clock,
/// before the body is read; [`CheckedHeaders::verify`] then checks the
/// signature over the body. A relay uses the pause between the two to
/// refuse a stranger or a replay without reading what it sent.
#[derive(Clone, Copy)]
pub struct CheckedHeaders {
    /// The device the request claims to come from (not yet proven).
    pub device: DeviceId,
    /// Its nonce.
    pub nonce: Nonce,
    /// Its signing time in unix seconds.
    pub timestamp: u64,
    key: VerifyingKey,
    signature: [u8; 64],
}

impl fmt::Debug for CheckedHeaders {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Never print the signature: it must not reach any log.
        f.debug_struct("CheckedHeaders")
            .field("device", &self.device)
            .field("timestamp", &self.timestamp)
            .finish_non_exhaustive()
    }
}

impl CheckedHeaders {
    /// The unix time after which the request is stale anyway.
    #[must_use]
    pub fn nonce_expiry(&self) -> u64 {
        self.timestamp.saturating_add(TIMESTAMP_WINDOW_SECS)
    }

    /// Checks the signature over the request, now that its body is known.
    ///
    /// # Errors
    /// [`AuthError::BadSignature`].
    pub fn verify(
        &self,
        headers: &SignedHeaders,
        method: &str,
        path_and_query: &str,
        body: &[u8],
    ) -> Result<VerifiedRequest, AuthError> {
        let message = canonical(
            method,
            path_and_query,
            body,
            &headers.timestamp,
            &headers.nonce,
            &headers.device,
        );
        self.key
            .verify_strict(&message, &Signature::from_bytes(&self.signature))
            .map_err(|_| AuthError::BadSignature)?;
        Ok(VerifiedRequest {
            device: self.device,
            nonce: self.nonce,
            timestamp: self.timestamp,
        })
    }
}

/// Every check of [`verify_request_with`] but the signature itself: the
/// headers' form, the device key and the clock.
///
/// # Errors
/// [`AuthError`] saying which check failed.
pub fn check_headers_with(
    headers: &SignedHeaders,
    now_unix: u64,
    key_of: impl FnOnce(&str) -> Option<VerifyingKey>,
) -> Result<CheckedHeaders, AuthError> {
    if headers.device.len() != DeviceId::ENCODED_LEN {
        return Err(AuthError::Malformed {
            header: HEADER_DEVICE,
        });
    }
    let key = key_of(&headers.device).ok_or(AuthError::Malformed {
        header: HEADER_DEVICE,
    })?;
    let malformed_timestamp = AuthError::Malformed {
        header: HEADER_TIMESTAMP,
    };
    if headers.timestamp.is_empty()
        || headers.timestamp.len() > 19
        || !headers.timestamp.bytes().all(|b| b.is_ascii_digit())
    {
        return Err(malformed_timestamp);
    }
    let timestamp: u64 = headers.timestamp.parse().map_err(|_| malformed_timestamp)?;
    let nonce = Nonce::parse(&headers.nonce).ok_or(AuthError::Malformed {
        header: HEADER_NONCE,
    })?;
    let mut signature = [0u8; 64];
    match URL_SAFE_NO_PAD.decode_slice(&headers.signature, &mut signature) {
        Ok(64) if headers.signature.len() == 86 => {}
        _ => {
            return Err(AuthError::Malformed {
                header: HEADER_SIGNATURE,
            });
        }
    }
    // Check the clock before the (costlier) signature: a stale request is
    // refused either way and says what to fix.
    if timestamp.abs_diff(now_unix) > TIMESTAMP_WINDOW_SECS {
        let skew = i128::from(timestamp) - i128::from(now_unix);
        let skew_secs = i64::try_from(skew).unwrap_or(if skew < 0 { i64::MIN } else { i64::MAX });
        return Err(AuthError::Stale { skew_secs });
    }
    Ok(CheckedHeaders {
        device: DeviceId::from_key(&key),
        nonce,
        timestamp,
        key,
        signature,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: u64 = 1_800_000_000;

    fn key(byte: u8) -> SigningKey {
        SigningKey::from_bytes(&[byte; 32])
    }

    fn signed(body: &[u8]) -> SignedHeaders {
        sign_request(
            &key(1),
            "POST",
            "/v1/spaces/s1/blobs",
            body,
            NOW,
            Nonce::from_bytes([9; 16]),
        )
    }

    #[test]
    fn a_signed_request_verifies_and_names_its_device() {
        let headers = signed(b"{}");
        let verified =
            verify_request(&headers, "POST", "/v1/spaces/s1/blobs", b"{}", NOW + 5).unwrap();
        assert_eq!(verified.device, DeviceId::from_key(&key(1).verifying_key()));
        assert_eq!(verified.nonce, Nonce::from_bytes([9; 16]));
        assert_eq!(verified.nonce_expiry(), NOW + TIMESTAMP_WINDOW_SECS);
        assert_eq!(headers.nonce.len(), 22);
        assert_eq!(headers.signature.len(), 86);
    }

    #[test]
    fn any_change_to_the_request_breaks_the_signature() {
        let headers = signed(b"{}");
        let path = "/v1/spaces/s1/blobs";
        let bad = Err(AuthError::BadSignature);
        assert_eq!(verify_request(&headers, "PUT", path, b"{}", NOW), bad);
        assert_eq!(
            verify_request(&headers, "POST", "/v1/spaces/s2/blobs", b"{}", NOW),
            bad
        );
        assert_eq!(verify_request(&headers, "POST", path, b"{ }", NOW), bad);
        let mut other_nonce = headers.clone();
        other_nonce.nonce = URL_SAFE_NO_PAD.encode([8u8; 16]);
        assert_eq!(verify_request(&other_nonce, "POST", path, b"{}", NOW), bad);
        let mut other_time = headers.clone();
        other_time.timestamp = (NOW + 1).to_string();
        assert_eq!(verify_request(&other_time, "POST", path, b"{}", NOW), bad);
        let mut other_device = headers;
        other_device.device = DeviceId::from_key(&key(2).verifying_key()).encode();
        assert_eq!(verify_request(&other_device, "POST", path, b"{}", NOW), bad);
    }

    #[test]
    fn method_case_does_not_matter() {
        let headers = signed(b"");
        assert!(verify_request(&headers, "post", "/v1/spaces/s1/blobs", b"", NOW).is_ok());
    }

    #[test]
    fn timestamps_outside_the_window_are_stale() {
        let headers = signed(b"");
        let path = "/v1/spaces/s1/blobs";
        assert!(verify_request(&headers, "POST", path, b"", NOW + 300).is_ok());
        assert_eq!(
            verify_request(&headers, "POST", path, b"", NOW + 301),
            Err(AuthError::Stale { skew_secs: -301 })
        );
        assert_eq!(
            verify_request(&headers, "POST", path, b"", NOW - 400),
            Err(AuthError::Stale { skew_secs: 400 })
        );
    }

    #[test]
    fn malformed_headers_name_the_header() {
        let good = signed(b"");
        let path = "/v1/spaces/s1/blobs";
        type Spoil = fn(&mut SignedHeaders);
        let cases: [(Spoil, &str); 5] = [
            (|h| h.device = "short".into(), HEADER_DEVICE),
            (|h| h.timestamp = "-5".into(), HEADER_TIMESTAMP),
            (
                |h| h.timestamp = "99999999999999999999".into(),
                HEADER_TIMESTAMP,
            ),
            (|h| h.nonce = "AAAA".into(), HEADER_NONCE),
            (|h| h.signature.truncate(80), HEADER_SIGNATURE),
        ];
        for (spoil, header) in cases {
            let mut h = good.clone();
            spoil(&mut h);
            assert_eq!(
                verify_request(&h, "POST", path, b"", NOW),
                Err(AuthError::Malformed { header })
            );
        }
    }

    #[test]
    fn missing_headers_are_named() {
        let good = signed(b"");
        let found = SignedHeaders::from_lookup(|name| match name {
            HEADER_DEVICE => Some(good.device.as_str()),
            HEADER_TIMESTAMP => Some(good.timestamp.as_str()),
            _ => None,
        });
        assert_eq!(
            found,
            Err(AuthError::Missing {
                header: HEADER_NONCE
            })
        );
        let all = SignedHeaders::from_lookup(|name| {
            good.pairs()
                .into_iter()
                .find(|(n, _)| *n == name)
                .map(|(_, v)| v)
        });
        assert_eq!(all.as_ref(), Ok(&good));
    }

    /// The test vector in docs/protocol.md: any change to the canonical
    /// text breaks it, and with it every deployed client.
    #[test]
    fn the_documented_test_vector_holds() {
        let key = SigningKey::from_bytes(&[0x2a; 32]);
        let target = "/v1/spaces/q83vEjRWeJCrze8SNFZ4kA/blobs?after=0&limit=100";
        let headers = sign_request(
            &key,
            "GET",
            target,
            b"",
            1_800_000_000,
            Nonce::from_bytes([9; 16]),
        );
        assert_eq!(
            headers.device,
            "GX9rI-FshTLGq8g4-s1ep4m-DHaykgM0A5v6iz02jWE"
        );
        assert_eq!(headers.nonce, "CQkJCQkJCQkJCQkJCQkJCQ");
        assert_eq!(
            headers.signature,
            "h3Od_-SfrNjm7xsCvVr0uiDAJmTs_qd9xqR_ly1ovWnCbnqij7qN40baPjL2h_tTbD6IdeqVAN4_QrcGEaQwAg"
        );
        assert!(verify_request(&headers, "GET", target, b"", 1_800_000_000).is_ok());
    }

    #[test]
    fn debug_output_never_shows_the_signature() {
        let headers = signed(b"");
        assert!(!format!("{headers:?}").contains(&headers.signature));
    }
}
