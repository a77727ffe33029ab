//! A faulty network in front of a relay: an HTTP proxy on 127.0.0.1 that
//! forwards each request to the relay unless a fault is armed, in which
//! case it drops the request, loses the relay's answer, sends the request
//! twice and hands out every pulled item twice, holds the request back
//! until another one has gone by (a reorder), or withholds pulled items
//! for a while (a page cut short). Phones point at the proxy; the relay
//! behind it restarts, loses its database, comes back from backups.

use std::collections::VecDeque;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderMap, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use tokio::sync::Notify;

/// What the network does to the next request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    /// Nothing: the request goes through (to aim a later fault).
    Pass,
    /// The request never reaches the relay.
    Drop,
    /// The relay acts on the request; its answer never comes back.
    LoseReply,
    /// The request reaches the relay twice; a pull's answer carries every
    /// item twice.
    Duplicate,
    /// The request waits until another request has gone by (or a moment
    /// has passed), so it reaches the relay after a later one.
    Reorder,
}

#[derive(Debug)]
struct Shared {
    upstream: String,
    client: reqwest::Client,
    armed: Mutex<VecDeque<Fault>>,
    /// Pulls answered with at most this many items while set.
    withhold: Mutex<Option<usize>>,
    injected: AtomicU64,
    /// Requests that reached the proxy, faulty or not.
    requests: AtomicU64,
    passed: Notify,
}

/// The proxy.
#[derive(Debug)]
pub struct FaultyNetwork {
    pub addr: SocketAddr,
    shared: Arc<Shared>,
    task: tokio::task::JoinHandle<()>,
}

impl FaultyNetwork {
    /// Starts a proxy in front of the relay at `upstream` (a base URL).
    pub async fn start(upstream: &str) -> Self {
        // Plain HTTP only; reqwest still wants a TLS provider named.
        let tls = rustls::ClientConfig::builder_with_provider(Arc::new(
            rustls::crypto::ring::default_provider(),
        ))
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_root_certificates(rustls::RootCertStore::empty())
        .with_no_client_auth();
        let client = reqwest::Client::builder()
            .tls_backend_preconfigured(tls)
            .build()
            .unwrap();
        let shared = Arc::new(Shared {
            upstream: upstream.to_owned(),
            client,
            armed: Mutex::default(),
            withhold: Mutex::default(),
            injected: AtomicU64::default(),
            requests: AtomicU64::default(),
            passed: Notify::new(),
        });
        let app = axum::Router::new()
            .fallback(forward)
            .with_state(shared.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let task = tokio::spawn(async move {
            axum::serve(listener, app).await.unwrap();
        });
        Self { addr, shared, task }
    }

    /// Its base URL, for the phones.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Arms `fault` for the next request that goes through.
    pub fn arm(&self, fault: Fault) {
        self.shared.armed.lock().unwrap().push_back(fault);
    }

    /// From now on, pulls hand out at most `items` items per page (and say
    /// there are no more), until [`FaultyNetwork::release`].
    pub fn withhold(&self, items: usize) {
        *self.shared.withhold.lock().unwrap() = Some(items);
    }

    /// Ends withholding, and disarms every fault not yet used.
    pub fn release(&self) {
        *self.shared.withhold.lock().unwrap() = None;
        self.shared.armed.lock().unwrap().clear();
    }

    /// How many requests have reached the proxy so far.
    pub fn requests(&self) -> u64 {
        self.shared.requests.load(Ordering::SeqCst)
    }

    /// How many faults have hit a request so far (withheld pages count).
    pub fn injected(&self) -> u64 {
        self.shared.injected.load(Ordering::SeqCst)
    }
}

impl Drop for FaultyNetwork {
    fn drop(&mut self) {
        self.task.abort();
    }
}

fn bad_gateway() -> Response {
    (StatusCode::BAD_GATEWAY, "fault injected").into_response()
}

async fn send(
    client: &reqwest::Client,
    url: &str,
    method: &Method,
    headers: &HeaderMap,
    body: &Bytes,
) -> Option<(StatusCode, HeaderMap, Bytes)> {
    let method = reqwest::Method::from_bytes(method.as_str().as_bytes()).ok()?;
    let mut request = client.request(method, url).body(body.to_vec());
    for (name, value) in headers {
        if name != "host" && name != "content-length" {
            request = request.header(name.as_str(), value.as_bytes());
        }
    }
    let response = request.send().await.ok()?;
    let status = StatusCode::from_u16(response.status().as_u16()).ok()?;
    let mut out = HeaderMap::new();
    for (name, value) in response.headers() {
        if name == "content-type"
            && let (Ok(name), Ok(value)) = (
                axum::http::HeaderName::from_bytes(name.as_str().as_bytes()),
                axum::http::HeaderValue::from_bytes(value.as_bytes()),
            )
        {
            out.insert(name, value);
        }
    }
    let bytes = response.bytes().await.ok()?;
    Some((status, out, bytes))
}

async fn forward(State(shared): State<Arc<Shared>>, request: Request) -> Response {
    shared.requests.fetch_add(1, Ordering::SeqCst);
    let (parts, body) = request.into_parts();
    let Ok(body) = axum::body::to_bytes(body, 16 * 1024 * 1024).await else {
        return bad_gateway();
    };
    let path = parts
        .uri
        .path_and_query()
        .map_or("/", |p| p.as_str())
        .to_owned();
    let url = format!("{}{path}", shared.upstream);
    let is_pull = parts.method == Method::GET && parts.uri.path().ends_with("/blobs");
    let fault = shared
        .armed
        .lock()
        .unwrap()
        .pop_front()
        .filter(|f| *f != Fault::Pass);
    if fault.is_some() {
        shared.injected.fetch_add(1, Ordering::SeqCst);
    }
    let client = &shared.client;
    if fault == Some(Fault::Drop) {
        return bad_gateway();
    }
    if fault == Some(Fault::Reorder) {
        let _ = tokio::time::timeout(Duration::from_millis(150), shared.passed.notified()).await;
    }
    let answer = send(client, &url, &parts.method, &parts.headers, &body).await;
    shared.passed.notify_waiters();
    if fault == Some(Fault::Duplicate) {
        let _ = send(client, &url, &parts.method, &parts.headers, &body).await;
    }
    let Some((status, headers, mut bytes)) = answer else {
        return bad_gateway();
    };
    if fault == Some(Fault::LoseReply) {
        return bad_gateway();
    }
    if is_pull && status.is_success() {
        let withhold = *shared.withhold.lock().unwrap();
        if let Some(kept) = rewrite_page(&bytes, fault == Some(Fault::Duplicate), withhold) {
            if withhold.is_some() {
                shared.injected.fetch_add(1, Ordering::SeqCst);
            }
            bytes = kept;
        }
    }
    let mut response = Response::new(Body::from(bytes));
    *response.status_mut() = status;
    *response.headers_mut() = headers;
    response
}

/// A pull's page with every item twice, or cut to `keep` items.
fn rewrite_page(bytes: &[u8], twice: bool, keep: Option<usize>) -> Option<Bytes> {
    if !twice && keep.is_none() {
        return None;
    }
    let mut page: serde_json::Value = serde_json::from_slice(bytes).ok()?;
    let items = page.get_mut("items")?.as_array_mut()?;
    if let Some(keep) = keep
        && items.len() > keep
    {
        items.truncate(keep);
        page["more"] = serde_json::Value::Bool(false);
    }
    if twice {
        let items = page.get_mut("items")?.as_array_mut()?;
        let doubled: Vec<serde_json::Value> = items
            .iter()
            .flat_map(|item| [item.clone(), item.clone()])
            .collect();
        *items = doubled;
    }
    Some(Bytes::from(serde_json::to_vec(&page).ok()?))
}
