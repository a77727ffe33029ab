//! Errors: [`RelayError`] when a relay cannot start or stop, and
//! [`ApiError`], the one place refusals and faults become HTTP answers.

use std::time::Duration;

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use hearth_protocol::auth::AuthError;
use hearth_protocol::{Deletion, DocumentId, ErrorBody, ErrorCode, IdError};

use crate::config::ConfigError;
use crate::store::StoreError;

/// Why a relay could not start (or stop cleanly).
#[derive(Debug, thiserror::Error)]
pub enum RelayError {
    /// The listen address could not be bound.
    #[error("cannot listen on {addr}: {source}; pick another address or stop what uses it")]
    Listen {
        /// The address.
        addr: std::net::SocketAddr,
        /// The OS error.
        source: std::io::Error,
    },
    /// The database could not be opened or prepared.
    #[error("cannot open the database: {0}")]
    Database(String),
    /// The configuration is unusable.
    #[error(transparent)]
    Config(#[from] ConfigError),
    /// Requests were still running after the drain time; they were cut.
    #[error(
        "requests were still running after the drain time ({0:?}) and were cut; raise --drain to wait longer"
    )]
    ShutdownTimedOut(Duration),
}

/// A refused or failed request, ready to become a JSON error answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    /// The machine-readable code; it decides the status.
    pub code: ErrorCode,
    /// What went wrong and what to do.
    pub message: String,
    /// Forgotten documents, with `document_forgotten`.
    pub documents: Vec<DocumentId>,
    /// The signed statements that forgot them.
    pub deletions: Vec<Deletion>,
    /// The signed statement that erased the space, with `unknown_space`.
    pub erasure: Option<Box<Deletion>>,
    /// The space's head, with `cursor_past_end`.
    pub head: Option<u64>,
    /// Seconds to wait, with `rate_limited`.
    pub retry_after: Option<u64>,
    /// The storage failed (counted as a storage fault, not a refusal).
    pub fault: bool,
}

/// Marks a response that answers a storage fault (read back for metrics).
#[derive(Debug, Clone, Copy)]
pub(crate) struct StorageFault;

impl ApiError {
    /// An error with a code and a message.
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
            documents: Vec::new(),
            deletions: Vec::new(),
            erasure: None,
            head: None,
            retry_after: None,
            fault: false,
        }
    }

    /// The same error, marked as a storage fault.
    fn fault(mut self) -> Self {
        self.fault = true;
        self
    }

    /// A bad id in the path or body.
    pub fn invalid_id(error: &IdError) -> Self {
        Self::new(ErrorCode::InvalidId, error.to_string())
    }

    /// A bad query string.
    pub fn invalid_query(what: impl Into<String>) -> Self {
        Self::new(ErrorCode::InvalidQuery, what)
    }

    /// A body that is not the expected JSON. Serde's message names the
    /// field and position, never the rejected value's bytes beyond its
    /// type, so it is safe to return.
    pub fn malformed_body(error: &serde_json::Error) -> Self {
        Self::new(
            ErrorCode::MalformedBody,
            format!(
                "the body is not the JSON this endpoint takes ({}, line {} column {}); see docs/protocol.md",
                classify(error),
                error.line(),
                error.column()
            ),
        )
    }

    /// Too many requests from one address.
    pub fn rate_limited(limit: &str, wait: Duration) -> Self {
        let seconds = wait.as_secs().max(1);
        let mut error = Self::new(
            ErrorCode::RateLimited,
            format!("too many {limit} from this address; retry in {seconds} s"),
        );
        error.retry_after = Some(seconds);
        error
    }

    /// The HTTP status of this error.
    pub fn status(&self) -> StatusCode {
        StatusCode::from_u16(self.code.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
    }
}

/// What kind of JSON problem, without echoing input.
fn classify(error: &serde_json::Error) -> &'static str {
    use serde_json::error::Category;
    match error.classify() {
        Category::Io => "the body could not be read",
        Category::Syntax => "invalid JSON",
        Category::Data => "a field is missing, unknown or of the wrong type or shape",
        Category::Eof => "the JSON ends early",
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = self.status();
        let body = ErrorBody {
            code: self.code,
            message: self.message,
            documents: self.documents,
            head: self.head,
            deletions: self.deletions,
            erasure: self.erasure.map(|erasure| *erasure),
        };
        let json = serde_json::to_vec(&body).unwrap_or_else(|_| b"{}".to_vec());
        let mut response = (status, json).into_response();
        let headers = response.headers_mut();
        headers.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        );
        if let Some(seconds) = self.retry_after {
            headers.insert(header::RETRY_AFTER, HeaderValue::from(seconds));
        }
        // Handlers and middleware read the code back from here for metrics.
        response.extensions_mut().insert(self.code);
        if self.fault {
            response.extensions_mut().insert(StorageFault);
        }
        response
    }
}

impl From<AuthError> for ApiError {
    fn from(error: AuthError) -> Self {
        Self::new(error.code(), error.to_string())
    }
}

impl From<StoreError> for ApiError {
    fn from(error: StoreError) -> Self {
        use ErrorCode as C;
        match error {
            StoreError::UnknownSpace => Self::new(
                C::UnknownSpace,
                "no space has this id; create it first with PUT on the space",
            ),
            StoreError::Erased(erasure) => {
                let mut error = Self::new(
                    C::UnknownSpace,
                    "a device of this space erased it; the signed erasure is attached",
                );
                error.erasure = Some(erasure);
                error
            }
            StoreError::NotAMember => Self::new(
                C::NotAMember,
                "the signing device is not in this space; ask a device in it to add this one",
            ),
            StoreError::DeviceRemoved => Self::new(
                C::DeviceRemoved,
                "this device was removed from the space by another device of its person and can no longer read or write in it; pair again to come back",
            ),
            StoreError::NotYourDevice => Self::new(
                C::NotYourDevice,
                "that device belongs to the other person in the space; only a device of the same person can remove it",
            ),
            StoreError::UnknownDevice => Self::new(
                C::UnknownDevice,
                "the space has no device with this id; check the id in the device list",
            ),
            StoreError::SpaceExists => Self::new(
                C::SpaceExists,
                "a space with this id exists and the signing device is not in it; choose a new random id",
            ),
            StoreError::SpaceFull { max } => Self::new(
                C::SpaceFull,
                format!("the space already has {max} devices, the most allowed"),
            ),
            StoreError::QuotaExceeded { what, limit } => Self::new(
                C::SpaceQuotaExceeded,
                format!(
                    "the space would hold more than {limit} {what}, its quota at this relay; nothing was stored: delete or compact documents, or ask the relay's operator for more room"
                ),
            ),
            StoreError::CoupleComplete => Self::new(
                C::CoupleComplete,
                "the space already holds the devices of two people, and a couple is two people; a new device must belong to one of them",
            ),
            StoreError::DocumentsForgotten(documents, deletions) => {
                let mut error = Self::new(
                    C::DocumentForgotten,
                    "the push names forgotten documents and nothing was stored; drop their blobs and retry the rest",
                );
                error.documents = documents;
                error.deletions = deletions;
                error
            }
            StoreError::BlobIdReused(_) => Self::new(
                C::BlobIdReused,
                "a blob id was used before for different content; give each blob a fresh random id",
            ),
            StoreError::CursorPastEnd { head } => {
                let mut error = Self::new(
                    C::CursorPastEnd,
                    format!(
                        "the sequence number is past the space's last one ({head}); the relay may have lost data, so pull from 0 and push again"
                    ),
                );
                error.head = Some(head);
                error
            }
            StoreError::NothingToCompact => Self::new(
                C::NothingToCompact,
                "the document has no blobs at or below that sequence number",
            ),
            StoreError::PairingUnknown => Self::new(
                C::PairingUnknown,
                "no pairing has this number; check it, or open a new pairing",
            ),
            StoreError::PairingExpired => Self::new(
                C::PairingExpired,
                "this pairing's ten minutes are over; open a new pairing",
            ),
            StoreError::PairingClosed => Self::new(
                C::PairingClosed,
                "this pairing was closed and cannot be used again; open a new pairing",
            ),
            StoreError::PairingFull => Self::new(
                C::PairingFull,
                "two phones already joined this pairing; open a new pairing",
            ),
            StoreError::PairingSideUnknown => Self::new(
                C::PairingSideUnknown,
                "this side has not joined the pairing; claim it first",
            ),
            StoreError::PairingMessageLimit { max } => Self::new(
                C::PairingMessageLimit,
                format!("each side may post at most {max} messages to a pairing"),
            ),
            StoreError::NameplatesExhausted => Self::new(
                C::NameplatesExhausted,
                "no free pairing number was found; try again in a minute",
            ),
            fault @ (StoreError::FileInUse
            | StoreError::File(_)
            | StoreError::Sqlite(_)
            | StoreError::Postgres(_)
            | StoreError::Backend(_)
            | StoreError::Pool(_)
            | StoreError::Closed) => {
                tracing::error!(fault = %describe_fault(&fault), "storage fault");
                Self::new(
                    C::Unavailable,
                    "the relay's storage is unavailable; retry with backoff",
                )
                .fault()
            }
            StoreError::Corrupt(what) => {
                tracing::error!(fault = what, "stored data has an unexpected shape");
                Self::new(C::Internal, "the relay hit an internal fault; retry later").fault()
            }
        }
    }
}

/// A storage fault for the log: kinds and codes, never bound values (a
/// PostgreSQL error's detail can quote key values).
fn describe_fault(fault: &StoreError) -> String {
    match fault {
        StoreError::Sqlite(error) => crate::store::sqlite::describe(error),
        StoreError::Postgres(error) => match error.as_db_error() {
            Some(db) => format!("postgres {} ({:?})", db.code().code(), db.severity()),
            None if error.is_closed() => "postgres connection closed".to_owned(),
            // Client-side errors name parameters, columns and types, never
            // their values.
            None => match std::error::Error::source(error) {
                Some(source) => format!("postgres: {error}: {source}"),
                None => format!("postgres: {error}"),
            },
        },
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forgotten_documents_are_listed_in_the_answer() {
        let doc = DocumentId::parse("d1").unwrap();
        let error = ApiError::from(StoreError::DocumentsForgotten(
            vec![doc.clone()],
            Vec::new(),
        ));
        assert_eq!(error.status(), StatusCode::GONE);
        assert_eq!(error.documents, [doc]);
    }

    #[test]
    fn faults_become_503_without_detail() {
        let error = ApiError::from(StoreError::Backend("disk I/O error".into()));
        assert_eq!(error.status(), StatusCode::SERVICE_UNAVAILABLE);
        assert!(!error.message.contains("disk"));
        assert!(error.fault);
        assert!(
            error
                .into_response()
                .extensions()
                .get::<StorageFault>()
                .is_some()
        );
    }

    #[test]
    fn rate_limits_say_when_to_retry() {
        let error = ApiError::rate_limited("requests", Duration::from_millis(200));
        assert_eq!(error.status(), StatusCode::TOO_MANY_REQUESTS);
        assert_eq!(error.retry_after, Some(1));
        let response = error.into_response();
        assert_eq!(response.headers()[header::RETRY_AFTER], "1");
    }
}
