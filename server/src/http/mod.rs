//! The HTTP API: routes, shared state, and the layers every request goes
//! through (per-address rate limit, timeout, metrics and a content-free
//! log line). Handlers are thin: check, call the store, announce, answer.
//!
//! The log line is tower-http's trace layer, with a span that names the
//! route template only (its default span would log the URI, which holds
//! space ids). The timeout and body limits stay our own: tower-http's
//! timeout answers an empty-bodied status, while phones act on the
//! protocol's JSON error (`timeout`, 503, retry); and a body is limited
//! only after its signature headers, nonce and membership check out,
//! within a relay-wide buffer budget (`extract.rs`), which a layer in
//! front of the handler cannot know.

mod blobs;
mod extract;
mod ops;
mod pairing;
mod spaces;
mod stream;

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::Router;
use axum::extract::{MatchedPath, Request, State};
use axum::http::{HeaderMap, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};
use hearth_protocol::{ErrorCode, paths};
use serde::Serialize;
use tower_http::trace::TraceLayer;

pub(crate) use self::extract::ClientIp;
use crate::clock::Clock;
use crate::config::{Limits, RateLimits};
use crate::device_keys::DeviceKeys;
use crate::error::{ApiError, StorageFault};
use crate::live::LiveHub;
use crate::metrics::Metrics;
use crate::rate_limit::RateLimiter;
use crate::store::Store;
use crate::streams::StreamSlots;

/// Buffered request bodies are counted in units of this many bytes.
pub(crate) const BUFFER_UNIT: usize = 1024;

/// The units `bytes` takes (at least one).
pub(crate) fn buffer_units(bytes: usize) -> usize {
    bytes.div_ceil(BUFFER_UNIT).max(1)
}

/// Everything a handler needs.
#[derive(Debug)]
pub(crate) struct AppState {
    pub store: Arc<dyn Store>,
    pub hub: Arc<LiveHub>,
    pub limits: Limits,
    pub metrics: Arc<Metrics>,
    pub requests: RateLimiter,
    pub pairings: RateLimiter,
    pub spaces: RateLimiter,
    pub trust_proxy: bool,
    pub keys: DeviceKeys,
    pub streams: Arc<StreamSlots>,
    pub buffered: Arc<tokio::sync::Semaphore>,
    pub clock: Arc<dyn Clock>,
}

impl AppState {
    pub fn new(
        store: Arc<dyn Store>,
        hub: Arc<LiveHub>,
        limits: Limits,
        rates: RateLimits,
        trust_proxy: bool,
        clock: Arc<dyn Clock>,
    ) -> Self {
        Self {
            store,
            hub,
            limits: limits.clone(),
            metrics: Arc::new(Metrics::default()),
            requests: RateLimiter::new(rates.requests),
            pairings: RateLimiter::new(rates.pairing),
            spaces: RateLimiter::new(rates.spaces),
            trust_proxy,
            keys: DeviceKeys::default(),
            streams: Arc::new(StreamSlots::default()),
            buffered: Arc::new(tokio::sync::Semaphore::new(buffer_units(
                limits.max_buffered_bytes,
            ))),
            clock,
        }
    }

    /// Request-body bytes reserved by requests being read right now.
    pub fn buffered_bytes(&self) -> usize {
        let total = buffer_units(self.limits.max_buffered_bytes);
        total.saturating_sub(self.buffered.available_permits()) * BUFFER_UNIT
    }

    /// Forgets refilled rate-limit buckets.
    pub fn prune_rate_limits(&self) {
        self.requests.prune();
        self.pairings.prune();
        self.spaces.prune();
    }
}

pub(crate) type SharedState = Arc<AppState>;

/// The connection's peer address, set by the accept loop.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Peer(pub SocketAddr);

/// Builds the router.
pub(crate) fn router(state: SharedState) -> Router {
    // Requests that answer promptly get the timeout; the live stream
    // waits by design and is bounded by shutdown instead.
    let prompt = Router::new()
        .route(
            "/v1/spaces/{space}",
            put(spaces::create).get(spaces::read).delete(spaces::erase),
        )
        .route("/v1/spaces/{space}/devices", post(spaces::add_device))
        .route(
            "/v1/spaces/{space}/devices/{device}",
            axum::routing::delete(spaces::remove_device),
        )
        .route(
            "/v1/spaces/{space}/blobs",
            post(blobs::push).get(blobs::pull),
        )
        .route(
            "/v1/spaces/{space}/documents/{doc}",
            axum::routing::delete(blobs::forget),
        )
        .route(
            "/v1/spaces/{space}/documents/{doc}/compact",
            post(blobs::compact),
        )
        .route(paths::PAIRING, post(pairing::open))
        .route(
            "/v1/pairing/{nameplate}",
            axum::routing::delete(pairing::close),
        )
        .route("/v1/pairing/{nameplate}/claim", post(pairing::claim))
        .route(
            "/v1/pairing/{nameplate}/messages",
            post(pairing::post).get(pairing::read),
        )
        .route_layer(middleware::from_fn_with_state(Arc::clone(&state), deadline));
    let waiting = Router::new().route("/v1/spaces/{space}/events", get(stream::events));
    prompt
        .merge(waiting)
        .route_layer(middleware::from_fn_with_state(
            Arc::clone(&state),
            rate_limit,
        ))
        .merge(probes())
        .route_layer(middleware::from_fn_with_state(Arc::clone(&state), observe))
        .method_not_allowed_fallback(method_not_allowed)
        .fallback(not_found)
        .layer(trace_layer())
        .with_state(state)
}

/// The admin address's router: metrics and the probes, for the operator
/// only (it is not rate-limited and its requests are not counted).
pub(crate) fn admin_router(state: SharedState) -> Router {
    Router::new()
        .route(paths::METRICS, get(ops::metrics))
        .merge(probes())
        .fallback(not_found)
        .with_state(state)
}

/// Liveness and readiness, served on both addresses.
fn probes() -> Router<SharedState> {
    Router::new()
        .route(paths::HEALTH, get(ops::health))
        .route(paths::READY, get(ops::ready))
}

/// tower-http's trace layer as the relay configures it.
type RequestTrace = TraceLayer<
    tower_http::classify::SharedClassifier<tower_http::classify::ServerErrorsAsFailures>,
    fn(&Request) -> tracing::Span,
    (),
    fn(&Response, Duration, &tracing::Span),
    (),
    (),
    (),
>;

/// One debug line per answered request: method, route template, status
/// and latency; never the URI, ids, addresses or bodies. The line is
/// logged from this crate, so `--log hearth_relay=debug` shows it.
fn trace_layer() -> RequestTrace {
    TraceLayer::new_for_http()
        .make_span_with(request_span as fn(&Request) -> tracing::Span)
        .on_request(())
        .on_response(answered as fn(&Response, Duration, &tracing::Span))
        .on_body_chunk(())
        .on_eos(())
        // Faults are logged where they happen, without values (error.rs).
        .on_failure(())
}

fn answered(response: &Response, took: Duration, _span: &tracing::Span) {
    tracing::debug!(
        status = response.status().as_u16(),
        micros = u64::try_from(took.as_micros()).unwrap_or(u64::MAX),
        "answered"
    );
}

fn request_span(request: &Request) -> tracing::Span {
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map_or("unmatched", MatchedPath::as_str);
    tracing::debug_span!("request", method = %request.method(), route)
}

/// Sets the client address, then counts and logs the answered request.
async fn observe(State(state): State<SharedState>, mut request: Request, next: Next) -> Response {
    let started = Instant::now();
    let ip = client_ip(&request, state.trust_proxy);
    request.extensions_mut().insert(ClientIp(ip));
    let route = request.extensions().get::<MatchedPath>().cloned();
    let method = request.method().clone();
    let response = next.run(request).await;
    let route = route.as_ref().map_or("unmatched", MatchedPath::as_str);
    finish(&state, route, method.as_str(), &response, started);
    response
}

fn finish(state: &AppState, route: &str, method: &str, response: &Response, started: Instant) {
    let took = started.elapsed();
    let status = response.status().as_u16();
    if let Some(code) = response.extensions().get::<ErrorCode>() {
        state.metrics.record_refusal(code.as_str());
    }
    if response.extensions().get::<StorageFault>().is_some() {
        state.metrics.storage_faults.inc();
    }
    state.metrics.record_request(route, method, status, took);
}

async fn rate_limit(State(state): State<SharedState>, request: Request, next: Next) -> Response {
    let ip = request
        .extensions()
        .get::<ClientIp>()
        .map_or(IpAddr::from([0, 0, 0, 0]), |ip| ip.0);
    if let Err(wait) = state.requests.check(ip) {
        state.metrics.record_rate_limited("requests");
        return ApiError::rate_limited("requests", wait).into_response();
    }
    next.run(request).await
}

async fn deadline(State(state): State<SharedState>, request: Request, next: Next) -> Response {
    match tokio::time::timeout(state.limits.request_timeout, next.run(request)).await {
        Ok(response) => response,
        Err(_) => ApiError::new(
            ErrorCode::Timeout,
            "the relay could not answer in time; retry (pushes are idempotent)",
        )
        .into_response(),
    }
}

async fn not_found(State(state): State<SharedState>, request: Request) -> Response {
    let started = Instant::now();
    let response = ApiError::new(
        ErrorCode::NotFound,
        "no such endpoint; see docs/protocol.md for the /v1 routes",
    )
    .into_response();
    finish(
        &state,
        "unmatched",
        request.method().as_str(),
        &response,
        started,
    );
    response
}

async fn method_not_allowed(State(state): State<SharedState>, request: Request) -> Response {
    let started = Instant::now();
    let response = ApiError::new(
        ErrorCode::MethodNotAllowed,
        "this endpoint does not take that method; see docs/protocol.md",
    )
    .into_response();
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map_or("unmatched", MatchedPath::as_str);
    finish(&state, route, request.method().as_str(), &response, started);
    response
}

/// The address rate limits apply to: the peer, or with `trust_proxy` the
/// last `X-Forwarded-For` entry (the one our own proxy appended).
fn client_ip(request: &Request, trust_proxy: bool) -> IpAddr {
    let peer = request
        .extensions()
        .get::<Peer>()
        .map_or(IpAddr::from([0, 0, 0, 0]), |peer| peer.0.ip());
    if trust_proxy {
        forwarded_for(request.headers()).unwrap_or(peer)
    } else {
        peer
    }
}

fn forwarded_for(headers: &HeaderMap) -> Option<IpAddr> {
    let last = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .map(str::trim)
        .rfind(|entry| !entry.is_empty())?;
    last.parse().ok()
}

/// A JSON answer.
pub(crate) fn json_response<T: Serialize>(status: StatusCode, value: &T) -> Response {
    match serde_json::to_vec(value) {
        Ok(body) => (
            status,
            [(axum::http::header::CONTENT_TYPE, "application/json")],
            body,
        )
            .into_response(),
        Err(_) => {
            ApiError::new(ErrorCode::Internal, "the answer could not be encoded").into_response()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_last_forwarded_address_wins() {
        let mut headers = HeaderMap::new();
        headers.append(
            "x-forwarded-for",
            "198.51.100.7, 203.0.113.9".parse().unwrap(),
        );
        assert_eq!(
            forwarded_for(&headers),
            Some("203.0.113.9".parse().unwrap())
        );
        headers.append("x-forwarded-for", "2001:db8::5".parse().unwrap());
        assert_eq!(
            forwarded_for(&headers),
            Some("2001:db8::5".parse().unwrap())
        );
        let mut junk = HeaderMap::new();
        junk.append("x-forwarded-for", "not an address".parse().unwrap());
        assert_eq!(forwarded_for(&junk), None);
    }
}
