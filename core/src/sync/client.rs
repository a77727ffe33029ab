//! The relay client: one method per relay endpoint, every space request
//! signed by this device's key (see `hearth_protocol::auth`). It knows
//! nothing of documents or encryption; it moves opaque bytes.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use hearth_protocol::auth::{self, Nonce};
use hearth_protocol::pairing::SIDE_HEADER;
use hearth_protocol::{
    AddDevice, BlobId, CompactRequest, CompactResponse, CreateSpace, Deletion, DocumentId,
    ErrorBody, ErrorCode, ForgetResponse, MemberTag, Nameplate, NewBlob, NewSnapshot,
    PairingClaimed, PairingMessages, PairingOpened, PairingSide, PostPairingMessage, PullResponse,
    PushRequest, PushResponse, SpaceId, SpaceInfo, paths,
};
use reqwest::{Method, Response, StatusCode};
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::crypto::DeviceKeys;

/// How long one request may take (a pairing read waits up to 20 s inside).
const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

/// Why a relay request failed.
#[derive(Debug, thiserror::Error)]
pub enum RelayError {
    /// The relay could not be reached, or the connection failed.
    #[error("could not reach the relay ({0})")]
    Unreachable(String),
    /// The relay refused the request.
    #[error("the relay refused the request: {message} ({code:?})")]
    Refused {
        /// The machine-readable reason.
        code: ErrorCode,
        /// The relay's words.
        message: String,
        /// Documents named by `document_forgotten`.
        documents: Vec<DocumentId>,
        /// The head named by `cursor_past_end`.
        head: Option<u64>,
        /// The signed statements that came with `document_forgotten`.
        deletions: Vec<Deletion>,
        /// The signed erasure that came with `unknown_space`.
        erasure: Option<Box<Deletion>>,
    },
    /// The relay answered something this app cannot read.
    #[error("the relay's answer could not be read ({0})")]
    Garbled(String),
}

impl RelayError {
    /// The relay's error code, when it refused.
    pub fn code(&self) -> Option<ErrorCode> {
        match self {
            RelayError::Refused { code, .. } => Some(*code),
            _ => None,
        }
    }
}

/// A client of one relay.
#[derive(Debug, Clone)]
pub struct RelayClient {
    http: reqwest::Client,
    base: String,
}

impl RelayClient {
    /// A client of the relay at `base` (e.g. `https://relay.example` or
    /// `http://127.0.0.1:8787`).
    pub fn new(base: &str) -> Result<Self, RelayError> {
        let tls = rustls::ClientConfig::builder_with_provider(std::sync::Arc::new(
            rustls::crypto::ring::default_provider(),
        ))
        .with_safe_default_protocol_versions()
        .map_err(|e| RelayError::Unreachable(e.to_string()))?
        .with_root_certificates(rustls::RootCertStore {
            roots: webpki_roots::TLS_SERVER_ROOTS.to_vec(),
        })
        .with_no_client_auth();
        let http = reqwest::Client::builder()
            .tls_backend_preconfigured(tls)
            .connect_timeout(Duration::from_secs(10))
            .build()
            .map_err(|e| RelayError::Unreachable(e.to_string()))?;
        Ok(Self {
            http,
            base: base.trim_end_matches('/').to_owned(),
        })
    }

    /// Sends a request; signs it when `keys` is given.
    async fn send(
        &self,
        method: Method,
        path: &str,
        body: Option<Vec<u8>>,
        keys: Option<&DeviceKeys>,
        side: Option<&PairingSide>,
        timeout: Duration,
    ) -> Result<Response, RelayError> {
        let body = body.unwrap_or_default();
        let mut request = self
            .http
            .request(method.clone(), format!("{}{path}", self.base))
            .timeout(timeout);
        if let Some(keys) = keys {
            let now = unix_now();
            let mut nonce = [0u8; auth::NONCE_LEN];
            crate::crypto::fill_random(&mut nonce)
                .map_err(|e| RelayError::Unreachable(e.to_string()))?;
            let signed = auth::sign_request(
                keys.signing_key(),
                method.as_str(),
                path,
                &body,
                now,
                Nonce::from_bytes(nonce),
            );
            for (name, value) in signed.pairs() {
                request = request.header(name, value);
            }
        }
        if let Some(side) = side {
            request = request.header(SIDE_HEADER, side.as_str());
        }
        if !body.is_empty() {
            request = request
                .header(reqwest::header::CONTENT_TYPE, "application/json")
                .body(body);
        }
        let response = request
            .send()
            .await
            .map_err(|e| RelayError::Unreachable(plain(&e)))?;
        if response.status().is_success() {
            return Ok(response);
        }
        let status = response.status();
        let bytes = response
            .bytes()
            .await
            .map_err(|e| RelayError::Unreachable(plain(&e)))?;
        Err(match serde_json::from_slice::<ErrorBody>(&bytes) {
            Ok(body) => RelayError::Refused {
                code: body.code,
                message: body.message,
                documents: body.documents,
                head: body.head,
                deletions: body.deletions,
                erasure: body.erasure.map(Box::new),
            },
            Err(_) if status == StatusCode::SERVICE_UNAVAILABLE || status.is_server_error() => {
                RelayError::Unreachable(format!("the relay answered {status}"))
            }
            Err(_) => RelayError::Garbled(format!("status {status}")),
        })
    }

    async fn call<T: DeserializeOwned>(
        &self,
        method: Method,
        path: &str,
        body: Option<&impl Serialize>,
        keys: Option<&DeviceKeys>,
        side: Option<&PairingSide>,
    ) -> Result<T, RelayError> {
        let body = body
            .map(serde_json::to_vec)
            .transpose()
            .map_err(|e| RelayError::Garbled(e.to_string()))?;
        let response = self
            .send(method, path, body, keys, side, REQUEST_TIMEOUT)
            .await?;
        let bytes = response
            .bytes()
            .await
            .map_err(|e| RelayError::Unreachable(plain(&e)))?;
        serde_json::from_slice(&bytes).map_err(|e| RelayError::Garbled(e.to_string()))
    }

    /// Creates the couple's space with this device, of person `member`,
    /// as its first member (nothing happens if it already exists with this
    /// device in it).
    pub async fn create_space(
        &self,
        keys: &DeviceKeys,
        space: &SpaceId,
        member: Option<MemberTag>,
    ) -> Result<SpaceInfo, RelayError> {
        self.call(
            Method::PUT,
            &paths::space(space),
            Some(&CreateSpace { member }),
            Some(keys),
            None,
        )
        .await
    }

    /// The space as the relay sees it (fails with `not_a_member` until this
    /// device is in it).
    pub async fn space_info(
        &self,
        keys: &DeviceKeys,
        space: &SpaceId,
    ) -> Result<SpaceInfo, RelayError> {
        self.call(
            Method::GET,
            &paths::space(space),
            None::<&()>,
            Some(keys),
            None,
        )
        .await
    }

    /// Adds a device of person `member` (the partner's) to the space; the
    /// relay refuses a third person.
    pub async fn add_device(
        &self,
        keys: &DeviceKeys,
        space: &SpaceId,
        device: hearth_protocol::DeviceId,
        member: Option<MemberTag>,
    ) -> Result<SpaceInfo, RelayError> {
        self.call(
            Method::POST,
            &paths::devices(space),
            Some(&AddDevice { device, member }),
            Some(keys),
            None,
        )
        .await
    }

    /// Removes `device`, another device of this device's person (a lost
    /// phone), from the space: the relay refuses it from then on
    /// (`device_removed`). Removing it again is answered the same.
    pub async fn remove_device(
        &self,
        keys: &DeviceKeys,
        space: &SpaceId,
        device: &hearth_protocol::DeviceId,
    ) -> Result<(), RelayError> {
        self.send(
            Method::DELETE,
            &paths::device(space, device),
            None,
            Some(keys),
            None,
            REQUEST_TIMEOUT,
        )
        .await
        .map(|_| ())
    }

    /// Erases the space and everything in it, with a signed erasure the
    /// relay keeps and shows the other phone.
    pub async fn erase_space(&self, keys: &DeviceKeys, space: &SpaceId) -> Result<(), RelayError> {
        let erasure = Deletion::erase(keys.signing_key(), space, unix_now());
        let body = serde_json::to_vec(&erasure).map_err(|e| RelayError::Garbled(e.to_string()))?;
        self.send(
            Method::DELETE,
            &paths::space(space),
            Some(body),
            Some(keys),
            None,
            REQUEST_TIMEOUT,
        )
        .await
        .map(drop)
    }

    /// Pushes a batch of blobs (all or nothing).
    pub async fn push(
        &self,
        keys: &DeviceKeys,
        space: &SpaceId,
        blobs: Vec<NewBlob>,
    ) -> Result<PushResponse, RelayError> {
        self.call(
            Method::POST,
            &paths::blobs(space),
            Some(&PushRequest { blobs }),
            Some(keys),
            None,
        )
        .await
    }

    /// Blobs and tombstones after `after`, in sequence order.
    pub async fn pull(
        &self,
        keys: &DeviceKeys,
        space: &SpaceId,
        after: u64,
        limit: u32,
    ) -> Result<PullResponse, RelayError> {
        self.call(
            Method::GET,
            &paths::pull(space, after, limit),
            None::<&()>,
            Some(keys),
            None,
        )
        .await
    }

    /// Tombstones a document: its blobs go and later pushes to it fail.
    /// The request carries a signed deletion, which the relay hands to
    /// the partner's phone with the tombstone.
    pub async fn forget(
        &self,
        keys: &DeviceKeys,
        space: &SpaceId,
        doc: &DocumentId,
    ) -> Result<ForgetResponse, RelayError> {
        let deletion = Deletion::forget(keys.signing_key(), space, doc, unix_now());
        self.call(
            Method::DELETE,
            &paths::document(space, doc),
            Some(&deletion),
            Some(keys),
            None,
        )
        .await
    }

    /// Replaces a document's blobs up to `upto` with one snapshot.
    pub async fn compact(
        &self,
        keys: &DeviceKeys,
        space: &SpaceId,
        doc: &DocumentId,
        upto: u64,
        id: BlobId,
        data: Vec<u8>,
    ) -> Result<CompactResponse, RelayError> {
        let request = CompactRequest {
            upto,
            snapshot: NewSnapshot { id, data },
        };
        self.call(
            Method::POST,
            &paths::compact(space, doc),
            Some(&request),
            Some(keys),
            None,
        )
        .await
    }

    /// Opens the live stream (server-sent events): new heads, and the new
    /// items themselves when they are small.
    pub async fn events(&self, keys: &DeviceKeys, space: &SpaceId) -> Result<Response, RelayError> {
        // The stream stays open; only connecting is bounded.
        self.send(
            Method::GET,
            &paths::events_with_items(space),
            None,
            Some(keys),
            None,
            Duration::from_secs(60 * 60 * 24 * 365),
        )
        .await
    }

    /// Opens a pairing mailbox, holding its first side.
    pub async fn open_pairing(&self, side: &PairingSide) -> Result<PairingOpened, RelayError> {
        self.call(Method::POST, paths::PAIRING, None::<&()>, None, Some(side))
            .await
    }

    /// Takes the second side of a mailbox.
    pub async fn claim_pairing(
        &self,
        nameplate: &Nameplate,
        side: &PairingSide,
    ) -> Result<PairingClaimed, RelayError> {
        self.call(
            Method::POST,
            &paths::pairing_claim(nameplate),
            None::<&()>,
            None,
            Some(side),
        )
        .await
    }

    /// Posts a pairing message.
    pub async fn post_pairing(
        &self,
        nameplate: &Nameplate,
        side: &PairingSide,
        body: Vec<u8>,
    ) -> Result<(), RelayError> {
        let _: hearth_protocol::PairingMessagePosted = self
            .call(
                Method::POST,
                &paths::pairing_messages(nameplate),
                Some(&PostPairingMessage { body }),
                None,
                Some(side),
            )
            .await?;
        Ok(())
    }

    /// The other side's messages after `after`, waiting up to `wait_secs`.
    pub async fn read_pairing(
        &self,
        nameplate: &Nameplate,
        side: &PairingSide,
        after: u64,
        wait_secs: u64,
    ) -> Result<PairingMessages, RelayError> {
        self.call(
            Method::GET,
            &paths::pairing_read(nameplate, after, wait_secs),
            None::<&()>,
            None,
            Some(side),
        )
        .await
    }

    /// Closes (burns) a mailbox.
    pub async fn close_pairing(
        &self,
        nameplate: &Nameplate,
        side: &PairingSide,
    ) -> Result<(), RelayError> {
        self.send(
            Method::DELETE,
            &paths::pairing(nameplate),
            None,
            None,
            Some(side),
            REQUEST_TIMEOUT,
        )
        .await
        .map(drop)
    }
}

fn unix_now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

/// A transport error in plain words, without the URL (which can hold ids).
fn plain(e: &reqwest::Error) -> String {
    if e.is_timeout() {
        "the request timed out".into()
    } else if e.is_connect() {
        "the connection was refused or the network is down".into()
    } else if e.is_body() || e.is_decode() {
        "the connection broke while reading the answer".into()
    } else {
        "the request failed on the way".into()
    }
}
