//! The relay's error answers: an HTTP status and a JSON body whose `code`
//! a client can act on without reading the sentence.

use serde::{Deserialize, Serialize};

use crate::deletion::Deletion;
use crate::ids::DocumentId;

/// A machine-readable reason for a refused request.
///
/// Serialised in `snake_case`, e.g. `"document_forgotten"`. A client built
/// against an older protocol reads codes it does not know as
/// [`ErrorCode::Unrecognized`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// 400: the body is not the JSON this endpoint takes.
    MalformedBody,
    /// 400: an id in the path or body has the wrong shape.
    InvalidId,
    /// 400: a query parameter is missing or has the wrong shape.
    InvalidQuery,
    /// 400: one push names the same blob id twice.
    DuplicateBlobId,
    /// 400: a forget or erase does not carry a deletion signed by the
    /// requesting device for this space (and document).
    InvalidDeletion,
    /// 413: the request body is larger than the relay accepts.
    BodyTooLarge,
    /// 413: one blob is larger than the relay accepts.
    BlobTooLarge,
    /// 413: a push holds more blobs than the relay accepts.
    TooManyBlobs,
    /// 413: the push would take the space past its byte or blob quota.
    SpaceQuotaExceeded,
    /// 401: the request carries no signature.
    MissingSignature,
    /// 401: a signature header is not in its documented form.
    MalformedSignature,
    /// 401: the signing time is outside the accepted window.
    StaleTimestamp,
    /// 401: the signature does not match the request.
    BadSignature,
    /// 401: this exact signed request was already received.
    ReplayedRequest,
    /// 403: the signing device is not a member of the space.
    NotAMember,
    /// 403: a device of the same person removed the signing device from
    /// the space; it is refused for good.
    DeviceRemoved,
    /// 403: the device to remove belongs to the other person.
    NotYourDevice,
    /// 404: the space has no such device.
    UnknownDevice,
    /// 404: no space has this id.
    UnknownSpace,
    /// 409: a space with this id exists and the signer is not in it.
    SpaceExists,
    /// 409: the space already holds as many devices as allowed.
    SpaceFull,
    /// 409: the space already holds the devices of two people.
    CoupleComplete,
    /// 409: a blob id was used before for different content.
    BlobIdReused,
    /// 409: the cursor or compaction point is past the space's last seq.
    CursorPastEnd,
    /// 409: the document has no blobs at or below the compaction point.
    NothingToCompact,
    /// 410: the document was forgotten; no more writes are accepted.
    DocumentForgotten,
    /// 404: no pairing mailbox has this nameplate.
    PairingUnknown,
    /// 410: the pairing mailbox's ten minutes are over.
    PairingExpired,
    /// 410: a side closed the pairing mailbox; it cannot be used again.
    PairingClosed,
    /// 409: two sides already claimed this pairing mailbox.
    PairingFull,
    /// 403: this side has not claimed the pairing mailbox.
    PairingSideUnknown,
    /// 409: this side already posted as many messages as allowed.
    PairingMessageLimit,
    /// 503: no free nameplate was found; try again shortly.
    NameplatesExhausted,
    /// 429: too many requests from this address; wait `Retry-After`.
    RateLimited,
    /// 429: this device (or address) holds as many live streams as allowed.
    TooManyStreams,
    /// 404: no such endpoint.
    NotFound,
    /// 405: the endpoint does not take this method.
    MethodNotAllowed,
    /// 503: the request took longer than the relay allows.
    Timeout,
    /// 503: the relay's storage is unavailable; retry later.
    Unavailable,
    /// 500: an unexpected fault in the relay; retry later.
    Internal,
    /// A code this version of the protocol does not know.
    #[serde(other)]
    Unrecognized,
}

impl ErrorCode {
    /// Every code, for documentation and tests.
    pub const ALL: [ErrorCode; 41] = [
        ErrorCode::MalformedBody,
        ErrorCode::InvalidId,
        ErrorCode::InvalidQuery,
        ErrorCode::DuplicateBlobId,
        ErrorCode::InvalidDeletion,
        ErrorCode::BodyTooLarge,
        ErrorCode::BlobTooLarge,
        ErrorCode::TooManyBlobs,
        ErrorCode::SpaceQuotaExceeded,
        ErrorCode::MissingSignature,
        ErrorCode::MalformedSignature,
        ErrorCode::StaleTimestamp,
        ErrorCode::BadSignature,
        ErrorCode::ReplayedRequest,
        ErrorCode::NotAMember,
        ErrorCode::DeviceRemoved,
        ErrorCode::NotYourDevice,
        ErrorCode::UnknownDevice,
        ErrorCode::UnknownSpace,
        ErrorCode::SpaceExists,
        ErrorCode::SpaceFull,
        ErrorCode::CoupleComplete,
        ErrorCode::BlobIdReused,
        ErrorCode::CursorPastEnd,
        ErrorCode::NothingToCompact,
        ErrorCode::DocumentForgotten,
        ErrorCode::PairingUnknown,
        ErrorCode::PairingExpired,
        ErrorCode::PairingClosed,
        ErrorCode::PairingFull,
        ErrorCode::PairingSideUnknown,
        ErrorCode::PairingMessageLimit,
        ErrorCode::NameplatesExhausted,
        ErrorCode::RateLimited,
        ErrorCode::TooManyStreams,
        ErrorCode::NotFound,
        ErrorCode::MethodNotAllowed,
        ErrorCode::Timeout,
        ErrorCode::Unavailable,
        ErrorCode::Internal,
        ErrorCode::Unrecognized,
    ];

    /// The code as it appears in JSON, e.g. `"document_forgotten"`.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::MalformedBody => "malformed_body",
            Self::InvalidId => "invalid_id",
            Self::InvalidQuery => "invalid_query",
            Self::DuplicateBlobId => "duplicate_blob_id",
            Self::InvalidDeletion => "invalid_deletion",
            Self::BodyTooLarge => "body_too_large",
            Self::BlobTooLarge => "blob_too_large",
            Self::TooManyBlobs => "too_many_blobs",
            Self::SpaceQuotaExceeded => "space_quota_exceeded",
            Self::MissingSignature => "missing_signature",
            Self::MalformedSignature => "malformed_signature",
            Self::StaleTimestamp => "stale_timestamp",
            Self::BadSignature => "bad_signature",
            Self::ReplayedRequest => "replayed_request",
            Self::NotAMember => "not_a_member",
            Self::DeviceRemoved => "device_removed",
            Self::NotYourDevice => "not_your_device",
            Self::UnknownDevice => "unknown_device",
            Self::UnknownSpace => "unknown_space",
            Self::SpaceExists => "space_exists",
            Self::SpaceFull => "space_full",
            Self::CoupleComplete => "couple_complete",
            Self::BlobIdReused => "blob_id_reused",
            Self::CursorPastEnd => "cursor_past_end",
            Self::NothingToCompact => "nothing_to_compact",
            Self::DocumentForgotten => "document_forgotten",
            Self::PairingUnknown => "pairing_unknown",
            Self::PairingExpired => "pairing_expired",
            Self::PairingClosed => "pairing_closed",
            Self::PairingFull => "pairing_full",
            Self::PairingSideUnknown => "pairing_side_unknown",
            Self::PairingMessageLimit => "pairing_message_limit",
            Self::NameplatesExhausted => "nameplates_exhausted",
            Self::RateLimited => "rate_limited",
            Self::TooManyStreams => "too_many_streams",
            Self::NotFound => "not_found",
            Self::MethodNotAllowed => "method_not_allowed",
            Self::Timeout => "timeout",
            Self::Unavailable => "unavailable",
            Self::Internal => "internal",
            Self::Unrecognized => "unrecognized",
        }
    }

    /// The HTTP status the relay sends with this code.
    #[must_use]
    pub fn status(self) -> u16 {
        match self {
            Self::MalformedBody
            | Self::InvalidId
            | Self::InvalidQuery
            | Self::DuplicateBlobId
            | Self::InvalidDeletion => 400,
            Self::MissingSignature
            | Self::MalformedSignature
            | Self::StaleTimestamp
            | Self::BadSignature
            | Self::ReplayedRequest => 401,
            Self::NotAMember
            | Self::DeviceRemoved
            | Self::NotYourDevice
            | Self::PairingSideUnknown => 403,
            Self::UnknownSpace | Self::UnknownDevice | Self::PairingUnknown | Self::NotFound => 404,
            Self::MethodNotAllowed => 405,
            Self::SpaceExists
            | Self::SpaceFull
            | Self::CoupleComplete
            | Self::BlobIdReused
            | Self::CursorPastEnd
            | Self::NothingToCompact
            | Self::PairingFull
            | Self::PairingMessageLimit => 409,
            Self::DocumentForgotten | Self::PairingExpired | Self::PairingClosed => 410,
            Self::BodyTooLarge
            | Self::BlobTooLarge
            | Self::TooManyBlobs
            | Self::SpaceQuotaExceeded => 413,
            Self::RateLimited | Self::TooManyStreams => 429,
            Self::Internal | Self::Unrecognized => 500,
            Self::Timeout | Self::Unavailable | Self::NameplatesExhausted => 503,
        }
    }
}

/// The JSON body of every error answer.
///
/// ```json
/// {"code":"document_forgotten","message":"...","documents":["d1"]}
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorBody {
    /// What went wrong, for programs.
    pub code: ErrorCode,
    /// What went wrong and what to do, for people. Never holds content.
    pub message: String,
    /// With `document_forgotten`: every forgotten document the push named,
    /// so the client can drop them and retry the rest.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub documents: Vec<DocumentId>,
    /// With `cursor_past_end`: the space's last sequence number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub head: Option<u64>,
    /// With `document_forgotten`: the signed statements that forgot the
    /// documents (a document without one was not forgotten by a device).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub deletions: Vec<Deletion>,
    /// With `unknown_space`: the signed statement that erased the space,
    /// when the relay erased it (none when it never knew or lost it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub erasure: Option<Deletion>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_snake_case_and_unknown_ones_are_tolerated() {
        let json = serde_json::to_string(&ErrorCode::DocumentForgotten).unwrap();
        assert_eq!(json, "\"document_forgotten\"");
        let later: ErrorCode = serde_json::from_str("\"a_code_from_the_future\"").unwrap();
        assert_eq!(later, ErrorCode::Unrecognized);
    }

    #[test]
    fn as_str_matches_the_json_form() {
        for code in ErrorCode::ALL {
            let json = serde_json::to_string(&code).unwrap();
            assert_eq!(json, format!("\"{}\"", code.as_str()));
        }
    }

    #[test]
    fn optional_fields_are_left_out_when_empty() {
        let body = ErrorBody {
            code: ErrorCode::UnknownSpace,
            message: "no such space".into(),
            documents: Vec::new(),
            head: None,
            deletions: Vec::new(),
            erasure: None,
        };
        assert_eq!(
            serde_json::to_string(&body).unwrap(),
            r#"{"code":"unknown_space","message":"no such space"}"#
        );
    }

    #[test]
    fn every_refusal_is_a_4xx_and_every_fault_a_5xx() {
        assert_eq!(ErrorCode::DocumentForgotten.status(), 410);
        assert_eq!(ErrorCode::PairingExpired.status(), 410);
        assert_eq!(ErrorCode::PairingUnknown.status(), 404);
        assert_eq!(ErrorCode::NotAMember.status(), 403);
        assert_eq!(ErrorCode::MissingSignature.status(), 401);
        assert_eq!(ErrorCode::Internal.status(), 500);
    }
}
