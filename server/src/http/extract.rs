//! Extractors that turn a request into checked values or a precise
//! [`ApiError`]: signed bodies, path ids, query strings, JSON bodies.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Arc;

use axum::body::{Body, Bytes};
use axum::extract::{FromRequest, FromRequestParts, Path, Query, Request};
use axum::http::request::Parts;
use axum::http::{HeaderMap, Uri, header};
use hearth_protocol::auth::{self, AuthError, SignedHeaders};
use hearth_protocol::{DeviceId, DocumentId, ErrorCode, Nameplate, PairingSide, SpaceId};
use http_body_util::{BodyExt as _, LengthLimitError, Limited};
use serde::de::DeserializeOwned;

use super::SharedState;
use crate::error::ApiError;
use crate::metrics::Metrics;
use crate::store::nonce_key;

/// A request whose signature, timestamp and nonce checked out.
#[derive(Debug)]
pub(crate) struct Signed {
    /// The device that signed it.
    pub device: DeviceId,
    /// The exact body it signed.
    pub body: Bytes,
}

impl FromRequest<SharedState> for Signed {
    type Rejection = ApiError;

    /// Everything that can be checked without the body is checked before
    /// it is read: the headers' form, the clock, the nonce, and (for a
    /// request that carries a body to a space) that the device is in the
    /// space. Only then is the body read, within the relay-wide buffer
    /// budget, and the signature over it checked.
    async fn from_request(request: Request, state: &SharedState) -> Result<Self, ApiError> {
        let (parts, body) = request.into_parts();
        let headers = signed_headers(&parts.headers)?;
        let checked = auth::check_headers_with(&headers, state.clock.unix_now(), |device| {
            state.keys.key_of(device)
        })?;
        let fresh = state
            .store
            .claim_nonce(
                nonce_key(&checked.device, &checked.nonce),
                checked.nonce_expiry(),
            )
            .await?;
        if !fresh {
            return Err(ApiError::new(
                ErrorCode::ReplayedRequest,
                "this signed request was already received; sign every request with a fresh nonce",
            ));
        }
        let declared = declared_length(&parts.headers);
        let has_body = declared != Some(0)
            && (declared.is_some() || parts.headers.contains_key(header::TRANSFER_ENCODING));
        if has_body && let Some(space) = member_space(&parts) {
            // A stranger's body is never read.
            state.store.head(space, checked.device).await?;
        }
        let limit = state.limits.max_body_bytes;
        let reserve = match declared {
            Some(length) if length > limit as u64 => return Err(body_too_large(limit)),
            Some(length) => usize::try_from(length).unwrap_or(limit),
            None if has_body => limit,
            None => 0,
        };
        let _budget = if reserve > 0 {
            let units = u32::try_from(super::buffer_units(reserve)).unwrap_or(u32::MAX);
            Some(
                Arc::clone(&state.buffered)
                    .try_acquire_many_owned(units)
                    .map_err(|_| {
                        ApiError::new(
                            ErrorCode::Unavailable,
                            "the relay is reading as many request bodies as it holds at once; retry shortly",
                        )
                    })?,
            )
        } else {
            None
        };
        let body = read_body(body, &parts.headers, limit).await?;
        Metrics::add(&state.metrics.body_bytes_read, body.len() as u64);
        let target = parts
            .uri
            .path_and_query()
            .map_or_else(|| parts.uri.path(), |target| target.as_str());
        let verified = checked.verify(&headers, parts.method.as_str(), target, &body)?;
        Ok(Self {
            device: verified.device,
            body,
        })
    }
}

fn signed_headers(headers: &HeaderMap) -> Result<SignedHeaders, AuthError> {
    for name in [
        auth::HEADER_DEVICE,
        auth::HEADER_TIMESTAMP,
        auth::HEADER_NONCE,
        auth::HEADER_SIGNATURE,
    ] {
        if headers
            .get(name)
            .is_some_and(|value| value.to_str().is_err())
        {
            return Err(AuthError::Malformed { header: name });
        }
    }
    SignedHeaders::from_lookup(|name| headers.get(name).and_then(|value| value.to_str().ok()))
}

/// The space of a route that needs its device to be a member: every space
/// route but creating one (`PUT /v1/spaces/{space}`).
fn member_space(parts: &Parts) -> Option<SpaceId> {
    let rest = parts.uri.path().strip_prefix("/v1/spaces/")?;
    let (id, more) = rest.split_once('/').unwrap_or((rest, ""));
    if more.is_empty() && parts.method == axum::http::Method::PUT {
        return None;
    }
    SpaceId::parse(id).ok()
}

fn declared_length(headers: &HeaderMap) -> Option<u64> {
    headers
        .get(header::CONTENT_LENGTH)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.parse::<u64>().ok())
}

fn body_too_large(limit: usize) -> ApiError {
    ApiError::new(
        ErrorCode::BodyTooLarge,
        format!("the body is larger than {limit} bytes; send fewer or smaller blobs per request"),
    )
}

/// Reads a body of at most `limit` bytes.
pub(crate) async fn read_body(
    body: Body,
    headers: &HeaderMap,
    limit: usize,
) -> Result<Bytes, ApiError> {
    let too_large = || body_too_large(limit);
    let declared = declared_length(headers);
    if declared.is_some_and(|length| length > limit as u64) {
        return Err(too_large());
    }
    match Limited::new(body, limit).collect().await {
        Ok(collected) => Ok(collected.to_bytes()),
        Err(error) if error.downcast_ref::<LengthLimitError>().is_some() => Err(too_large()),
        Err(_) => Err(ApiError::new(
            ErrorCode::MalformedBody,
            "the body could not be read to its end; send it again",
        )),
    }
}

/// Parses a JSON body.
pub(crate) fn json<T: DeserializeOwned>(body: &[u8]) -> Result<T, ApiError> {
    serde_json::from_slice(body).map_err(|error| ApiError::malformed_body(&error))
}

/// Parses a query string.
pub(crate) fn query<T: DeserializeOwned>(uri: &Uri) -> Result<T, ApiError> {
    Query::<T>::try_from_uri(uri)
        .map(|Query(value)| value)
        .map_err(|_| {
            ApiError::invalid_query(
                "a query parameter is missing or not a non-negative whole number; see docs/protocol.md",
            )
        })
}

async fn path_params(parts: &mut Parts) -> Result<HashMap<String, String>, ApiError> {
    Path::<HashMap<String, String>>::from_request_parts(parts, &())
        .await
        .map(|Path(params)| params)
        .map_err(|_| {
            ApiError::new(
                ErrorCode::InvalidId,
                "the path holds characters that are not valid UTF-8",
            )
        })
}

fn param<'a>(params: &'a HashMap<String, String>, name: &str) -> &'a str {
    params.get(name).map_or("", String::as_str)
}

/// The `{space}` of a space route.
#[derive(Debug)]
pub(crate) struct SpacePath(pub SpaceId);

impl<S: Send + Sync> FromRequestParts<S> for SpacePath {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, ApiError> {
        let params = path_params(parts).await?;
        SpaceId::parse(param(&params, "space"))
            .map(Self)
            .map_err(|error| ApiError::invalid_id(&error))
    }
}

/// The `{space}` and `{doc}` of a document route.
#[derive(Debug)]
pub(crate) struct DocumentPath(pub SpaceId, pub DocumentId);

impl<S: Send + Sync> FromRequestParts<S> for DocumentPath {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, ApiError> {
        let params = path_params(parts).await?;
        let space = SpaceId::parse(param(&params, "space"))
            .map_err(|error| ApiError::invalid_id(&error))?;
        let doc = DocumentId::parse(param(&params, "doc"))
            .map_err(|error| ApiError::invalid_id(&error))?;
        Ok(Self(space, doc))
    }
}

/// The `{space}` and `{device}` of a device route.
#[derive(Debug)]
pub(crate) struct DevicePath(pub SpaceId, pub DeviceId);

impl<S: Send + Sync> FromRequestParts<S> for DevicePath {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, ApiError> {
        let params = path_params(parts).await?;
        let space = SpaceId::parse(param(&params, "space"))
            .map_err(|error| ApiError::invalid_id(&error))?;
        let device = DeviceId::parse(param(&params, "device"))
            .map_err(|error| ApiError::invalid_id(&error))?;
        Ok(Self(space, device))
    }
}

/// The `{nameplate}` of a pairing route.
#[derive(Debug)]
pub(crate) struct NameplatePath(pub Nameplate);

impl<S: Send + Sync> FromRequestParts<S> for NameplatePath {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, ApiError> {
        let params = path_params(parts).await?;
        Nameplate::parse(param(&params, "nameplate"))
            .map(Self)
            .map_err(|error| ApiError::invalid_id(&error))
    }
}

/// The caller's pairing side, from its header.
#[derive(Debug)]
pub(crate) struct Side(pub PairingSide);

impl<S: Send + Sync> FromRequestParts<S> for Side {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, ApiError> {
        let header = hearth_protocol::pairing::SIDE_HEADER;
        let value = parts.headers.get(header).ok_or_else(|| {
            ApiError::new(
                ErrorCode::InvalidId,
                format!("send your random pairing side in the {header} header"),
            )
        })?;
        let text = value.to_str().unwrap_or("\u{0}");
        PairingSide::parse(text)
            .map(Self)
            .map_err(|error| ApiError::invalid_id(&error))
    }
}

/// The client's address, as the rate limits see it.
#[derive(Debug, Clone, Copy)]
pub(crate) struct ClientIp(pub IpAddr);

impl<S: Send + Sync> FromRequestParts<S> for ClientIp {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, ApiError> {
        parts
            .extensions
            .get::<ClientIp>()
            .copied()
            .ok_or_else(|| ApiError::new(ErrorCode::Internal, "the client address is unknown"))
    }
}
