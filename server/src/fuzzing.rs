//! A relay in a test harness, for the fuzz targets in `fuzz/`: the real
//! router and a real SQLite store in a temporary folder, driven one request
//! at a time without a socket, on a manual clock. Behind the `fuzzing`
//! feature; not an API.

use std::net::SocketAddr;
use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use axum::http::{Request, header};
use http_body_util::BodyExt as _;

use crate::clock::ManualClock;
use crate::config::{Limits, Rate, RateLimits};
use crate::http::{AppState, Peer};
use crate::live::LiveHub;
use crate::store::sqlite::SqliteStore;

/// The relay's clock in the harness (2026-11-26T09:00:00Z); sign with it.
pub const NOW: u64 = 1_795_683_600;

/// What the relay answered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answer {
    /// The HTTP status.
    pub status: u16,
    /// The body, or empty for the live stream (which never ends).
    pub body: Vec<u8>,
}

/// One relay with an empty database.
#[derive(Debug)]
pub struct Harness {
    router: Router,
    runtime: tokio::runtime::Runtime,
    _dir: tempfile::TempDir,
}

impl Harness {
    /// A relay on a fresh SQLite file, no rate limits, small limits.
    ///
    /// # Panics
    /// When the temporary folder, the runtime or the store cannot be made.
    #[allow(clippy::expect_used)] // a harness: a failure here is a broken machine
    #[must_use]
    pub fn new() -> Self {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let store = SqliteStore::open(&dir.path().join("relay.db")).expect("a relay store");
        let limits = Limits {
            max_body_bytes: 64 << 10,
            max_blob_bytes: 16 << 10,
            max_blobs_per_push: 16,
            max_pull_items: 64,
            max_pull_bytes: 64 << 10,
            max_space_bytes: 1 << 20,
            max_space_blobs: 256,
            ..Limits::default()
        };
        let rates = RateLimits {
            requests: Rate::OFF,
            pairing: Rate::OFF,
            spaces: Rate::OFF,
        };
        let state = Arc::new(AppState::new(
            Arc::new(store),
            Arc::new(LiveHub::default()),
            limits,
            rates,
            false,
            Arc::new(ManualClock::at(NOW)),
        ));
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_time()
            .build()
            .expect("a runtime");
        Self {
            router: crate::http::router(state),
            runtime,
            _dir: dir,
        }
    }

    /// Sends one request through the router, as the accept loop would.
    ///
    /// # Panics
    /// When reading the answer's body fails (it is in memory).
    #[allow(clippy::expect_used)] // a harness: a failure here is a bug found
    pub fn send(&self, mut request: Request<Body>) -> Answer {
        let peer = SocketAddr::from(([127, 0, 0, 1], 40_000));
        request.extensions_mut().insert(Peer(peer));
        let mut router = self.router.clone();
        self.runtime.block_on(async move {
            let response = tower_service::Service::call(&mut router, request)
                .await
                .expect("the router never fails");
            let status = response.status().as_u16();
            let streaming = response
                .headers()
                .get(header::CONTENT_TYPE)
                .is_some_and(|v| v.as_bytes().starts_with(b"text/event-stream"));
            if streaming {
                return Answer {
                    status,
                    body: Vec::new(),
                };
            }
            let collected = response
                .into_body()
                .collect()
                .await
                .expect("an answer's body reads");
            Answer {
                status,
                body: collected.to_bytes().to_vec(),
            }
        })
    }
}

impl Default for Harness {
    fn default() -> Self {
        Self::new()
    }
}
