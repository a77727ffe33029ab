//! The behaviour suite's harness: a relay on a free loopback port with a
//! fresh database (a temporary SQLite file, or a fresh PostgreSQL schema),
//! devices that sign requests with `hearth-protocol`, and a live-stream
//! reader. Every scenario runs once per backend.
#![allow(
    dead_code,
    unused_macros,
    reason = "each test binary uses part of the harness"
)]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "test code: a failed step should fail the test loudly"
)]

use std::collections::VecDeque;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use ed25519_dalek::SigningKey;
use futures_util::StreamExt as _;
use hearth_protocol::auth::{self, Nonce, SignedHeaders};
use hearth_protocol::events::EventReader;
use hearth_protocol::{
    Deletion, DeviceId, DocumentId, ErrorBody, ErrorCode, LiveEvent, NewBlob, PullResponse,
    PushRequest, SpaceId, SpaceInfo, paths,
};
use hearth_relay::{Database, RateLimits, RelayConfig, RunningRelay};
use serde::de::DeserializeOwned;

/// Which storage a scenario runs against.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

pub fn random16() -> [u8; 16] {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).unwrap();
    bytes
}

pub fn unix_now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

/// A phone: an Ed25519 identity key.
#[derive(Debug)]
pub struct Device {
    pub key: SigningKey,
    pub id: DeviceId,
}

impl Device {
    pub fn new() -> Self {
        let mut seed = [0u8; 32];
        getrandom::fill(&mut seed).unwrap();
        let key = SigningKey::from_bytes(&seed);
        let id = DeviceId::from_key(&key.verifying_key());
        Self { key, id }
    }

    /// Signature headers for a request, now, with a fresh nonce.
    pub fn sign(&self, method: &str, path: &str, body: &[u8]) -> SignedHeaders {
        self.sign_at(method, path, body, unix_now())
    }

    /// The body of a forget: a deletion signed by this device.
    pub fn forget_body(&self, space: &SpaceId, doc: &DocumentId) -> Vec<u8> {
        serde_json::to_vec(&Deletion::forget(&self.key, space, doc, unix_now())).unwrap()
    }

    /// The body of an erase: an erasure signed by this device.
    pub fn erase_body(&self, space: &SpaceId) -> Vec<u8> {
        serde_json::to_vec(&Deletion::erase(&self.key, space, unix_now())).unwrap()
    }

    pub fn sign_at(&self, method: &str, path: &str, body: &[u8], when: u64) -> SignedHeaders {
        auth::sign_request(
            &self.key,
            method,
            path,
            body,
            when,
            Nonce::from_bytes(random16()),
        )
    }
}

/// An answer from the relay.
#[derive(Debug)]
pub struct Reply {
    pub status: u16,
    pub headers: reqwest::header::HeaderMap,
    pub body: Vec<u8>,
}

impl Reply {
    #[track_caller]
    pub fn json<T: DeserializeOwned>(&self) -> T {
        serde_json::from_slice(&self.body).unwrap_or_else(|error| {
            panic!(
                "answer {} is not the expected JSON ({error}): {}",
                self.status,
                String::from_utf8_lossy(&self.body)
            )
        })
    }

    /// Asserts a success status and reads the body.
    #[track_caller]
    pub fn ok<T: DeserializeOwned>(&self, status: u16) -> T {
        assert_eq!(
            self.status,
            status,
            "unexpected answer: {}",
            String::from_utf8_lossy(&self.body)
        );
        self.json()
    }

    /// Asserts a refusal with this status and code, and returns its body.
    #[track_caller]
    pub fn refused(&self, status: u16, code: ErrorCode) -> ErrorBody {
        let body: ErrorBody = self.json();
        assert_eq!(
            (self.status, body.code),
            (status, code),
            "unexpected answer: {}",
            String::from_utf8_lossy(&self.body)
        );
        assert!(!body.message.is_empty());
        body
    }
}

/// A relay under test.
#[derive(Debug)]
pub struct Harness {
    pub relay: Option<RunningRelay>,
    pub config: RelayConfig,
    pub client: reqwest::Client,
    pub base: String,
    pub backend: Backend,
    dir: tempfile::TempDir,
    postgres: Option<(String, String)>,
}

/// The PostgreSQL URL to test against, or `None` (with a notice) to skip.
fn postgres_url() -> Option<String> {
    match std::env::var("HEARTH_TEST_POSTGRES_URL") {
        Ok(url) if !url.is_empty() => Some(url),
        _ => {
            if std::env::var("HEARTH_REQUIRE_POSTGRES").as_deref() == Ok("1") {
                panic!(
                    "HEARTH_REQUIRE_POSTGRES=1 but HEARTH_TEST_POSTGRES_URL is unset; run: eval \"$(bash scripts/postgres start)\""
                );
            }
            eprintln!(
                "notice: HEARTH_TEST_POSTGRES_URL is unset, skipping the PostgreSQL run (eval \"$(bash scripts/postgres start)\" to include it)"
            );
            None
        }
    }
}

impl Harness {
    /// Starts a relay with rate limits off and `tweak` applied; `None`
    /// when the backend is PostgreSQL and none is configured.
    pub async fn start(backend: Backend, tweak: impl FnOnce(&mut RelayConfig)) -> Option<Self> {
        // HEARTH_TEST_LOG=debug shows the relay's (content-free) log.
        if let Ok(filter) = std::env::var("HEARTH_TEST_LOG") {
            let _ = tracing_subscriber::fmt()
                .with_env_filter(tracing_subscriber::EnvFilter::new(filter))
                .with_test_writer()
                .try_init();
        }
        let dir = tempfile::tempdir().unwrap();
        let (database, postgres) = match backend {
            Backend::Sqlite => (Database::Sqlite(dir.path().join("relay.db")), None),
            Backend::Postgres => {
                let url = postgres_url()?;
                let schema = format!("hearth_t_{}", hex(&random16()[..8]));
                (
                    Database::Postgres {
                        url: url.clone(),
                        schema: Some(schema.clone()),
                        pool_size: 4,
                        ca_file: None,
                    },
                    Some((url, schema)),
                )
            }
        };
        let mut config = RelayConfig {
            listen: "127.0.0.1:0".parse().unwrap(),
            admin_listen: Some("127.0.0.1:0".parse().unwrap()),
            database,
            rates: RateLimits::off(),
            ..RelayConfig::default()
        };
        tweak(&mut config);
        let relay = hearth_relay::start(config.clone()).await.unwrap();
        let base = relay.url();
        // reqwest's TLS is built without a default crypto provider (the
        // core chooses ring explicitly); the tests use the same one.
        let _ = rustls::crypto::ring::default_provider().install_default();
        let client = reqwest::Client::builder().no_proxy().build().unwrap();
        Some(Self {
            relay: Some(relay),
            config,
            client,
            base,
            backend,
            dir,
            postgres,
        })
    }

    /// Stops the relay gracefully and starts it again on the same address
    /// and database.
    pub async fn restart(&mut self) {
        let relay = self.relay.take().unwrap();
        let addr = relay.local_addr();
        relay.shutdown().await.unwrap();
        let mut config = self.config.clone();
        config.listen = addr;
        self.relay = Some(hearth_relay::start(config).await.unwrap());
    }

    /// A second relay process on the same database (PostgreSQL scale-out).
    pub async fn second_relay(&self) -> RunningRelay {
        let mut config = self.config.clone();
        config.listen = "127.0.0.1:0".parse().unwrap();
        hearth_relay::start(config).await.unwrap()
    }

    /// Stops the relay and drops the test's PostgreSQL schema.
    pub async fn finish(mut self) {
        if let Some(relay) = self.relay.take() {
            relay.shutdown().await.unwrap();
        }
        if let Some((url, schema)) = self.postgres.take() {
            postgres_batch(&url, &format!("DROP SCHEMA {schema} CASCADE")).await;
        }
    }

    pub async fn send_to(
        &self,
        base: &str,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: &[u8],
    ) -> Reply {
        let method = reqwest::Method::from_bytes(method.as_bytes()).unwrap();
        let mut request = self
            .client
            .request(method, format!("{base}{path}"))
            .body(body.to_vec());
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        let response = request.send().await.unwrap();
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let body = response.bytes().await.unwrap().to_vec();
        Reply {
            status,
            headers,
            body,
        }
    }

    /// Sends a request with exactly these headers.
    pub async fn raw(
        &self,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: &[u8],
    ) -> Reply {
        self.send_to(&self.base, method, path, headers, body).await
    }

    /// Sends a request signed by `device`.
    pub async fn signed(&self, device: &Device, method: &str, path: &str, body: &[u8]) -> Reply {
        let headers = device.sign(method, path, body);
        self.raw(method, path, &headers.pairs(), body).await
    }

    /// Forgets `doc`, with a deletion signed by `device`.
    pub async fn forget(&self, device: &Device, space: &SpaceId, doc: &DocumentId) -> Reply {
        let body = device.forget_body(space, doc);
        self.signed(device, "DELETE", &paths::document(space, doc), &body)
            .await
    }

    /// Erases `space`, with an erasure signed by `device`.
    pub async fn erase(&self, device: &Device, space: &SpaceId) -> Reply {
        let body = device.erase_body(space);
        self.signed(device, "DELETE", &paths::space(space), &body)
            .await
    }

    /// Creates a space whose first device is `device`.
    pub async fn create_space(&self, device: &Device) -> SpaceId {
        let space = SpaceId::from_random_bytes(random16());
        let info: SpaceInfo = self
            .signed(device, "PUT", &paths::space(&space), b"")
            .await
            .ok(201);
        assert_eq!(info.devices, [device.id]);
        space
    }

    /// A space shared by two devices.
    pub async fn couple(&self) -> (SpaceId, Device, Device) {
        let (a, b) = (Device::new(), Device::new());
        let space = self.create_space(&a).await;
        let body = serde_json::to_vec(&hearth_protocol::AddDevice {
            device: b.id,
            member: None,
        })
        .unwrap();
        let info: SpaceInfo = self
            .signed(&a, "POST", &paths::devices(&space), &body)
            .await
            .ok(201);
        assert_eq!(info.devices, [a.id, b.id]);
        (space, a, b)
    }

    /// Pushes (blob id, document id, data) triples.
    pub async fn push(
        &self,
        device: &Device,
        space: &SpaceId,
        blobs: &[(&str, &str, &str)],
    ) -> Reply {
        let body = push_body(blobs);
        self.signed(device, "POST", &paths::blobs(space), &body)
            .await
    }

    pub async fn pull(&self, device: &Device, space: &SpaceId, after: u64, limit: u32) -> Reply {
        self.signed(device, "GET", &paths::pull(space, after, limit), b"")
            .await
    }

    pub async fn pull_all(&self, device: &Device, space: &SpaceId, after: u64) -> PullResponse {
        self.pull(device, space, after, 1000).await.ok(200)
    }

    /// Opens the live stream of `space` for `device`.
    pub async fn events(&self, device: &Device, space: &SpaceId) -> LiveStream {
        self.events_at(&self.base, device, space).await
    }

    pub async fn events_at(&self, base: &str, device: &Device, space: &SpaceId) -> LiveStream {
        self.stream(base, device, &paths::events(space)).await
    }

    /// Opens the live stream of `space` with `items` events.
    pub async fn events_with_items(&self, device: &Device, space: &SpaceId) -> LiveStream {
        self.stream(&self.base, device, &paths::events_with_items(space))
            .await
    }

    async fn stream(&self, base: &str, device: &Device, path: &str) -> LiveStream {
        let headers = device.sign("GET", path, b"");
        let mut request = self.client.get(format!("{base}{path}"));
        for (name, value) in headers.pairs() {
            request = request.header(name, value);
        }
        let response = request.send().await.unwrap();
        assert_eq!(response.status().as_u16(), 200, "live stream refused");
        assert_eq!(
            response.headers()["content-type"],
            "text/event-stream",
            "not an event stream"
        );
        LiveStream {
            body: Box::pin(response.bytes_stream()),
            reader: EventReader::default(),
            pending: VecDeque::new(),
        }
    }

    /// Asserts the relay still answers.
    /// Checks that `space` is still empty, as `device` sees it.
    pub async fn assert_nothing_stored(&self, device: &Device, space: &SpaceId) {
        assert_eq!(
            self.pull_all(device, space, 0).await.head,
            0,
            "something was stored"
        );
    }

    /// The metrics text, read from the admin address.
    pub async fn metrics(&self) -> String {
        let admin = self.relay.as_ref().unwrap().admin_url().unwrap();
        let reply = self.send_to(&admin, "GET", paths::METRICS, &[], b"").await;
        assert_eq!(reply.status, 200);
        String::from_utf8(reply.body).unwrap()
    }

    /// Waits until the metric `name` of the relay whose admin address is
    /// `admin` satisfies `ok`: how a test knows the relay has reached a
    /// state (a read parked, a body being read, a stream gone) without
    /// guessing how long that takes.
    pub async fn until_metric_at(&self, admin: &str, name: &str, ok: impl Fn(f64) -> bool) {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
        loop {
            let reply = self.send_to(admin, "GET", paths::METRICS, &[], b"").await;
            let text = String::from_utf8(reply.body).unwrap();
            let value = text.lines().find_map(|line| {
                line.strip_prefix(name)?
                    .strip_prefix(' ')?
                    .trim()
                    .parse::<f64>()
                    .ok()
            });
            if value.is_some_and(&ok) {
                return;
            }
            assert!(
                std::time::Instant::now() < deadline,
                "{name} never reached the value waited for (last {value:?})"
            );
            tokio::task::yield_now().await;
            tokio::time::sleep(std::time::Duration::from_millis(5)).await;
        }
    }

    /// [`Harness::until_metric_at`] on the harness's own relay.
    pub async fn until_metric(&self, name: &str, ok: impl Fn(f64) -> bool) {
        let admin = self.relay.as_ref().unwrap().admin_url().unwrap();
        self.until_metric_at(&admin, name, ok).await;
    }

    /// Makes the relay's tables unreadable behind its back (a broken or
    /// wrongly migrated database): renames its `spaces` table.
    pub async fn break_database(&self) {
        let rename = "ALTER TABLE spaces RENAME TO spaces_broken";
        match &self.postgres {
            Some((url, schema)) => {
                postgres_batch(url, &format!("SET search_path = {schema}; {rename}")).await;
            }
            None => {
                let path = self.dir.path().join("relay.db");
                rusqlite::Connection::open(path)
                    .unwrap()
                    .execute_batch(rename)
                    .unwrap();
            }
        }
    }

    /// Runs `sql` on the relay's database behind its back (a holder of the
    /// database tampering with it).
    pub async fn tamper(&self, sql: &str) {
        match &self.postgres {
            Some((url, schema)) => {
                postgres_batch(url, &format!("SET search_path = {schema}; {sql}")).await;
            }
            None => {
                let path = self.dir.path().join("relay.db");
                rusqlite::Connection::open(path)
                    .unwrap()
                    .execute_batch(sql)
                    .unwrap();
            }
        }
    }

    pub async fn assert_alive(&self) {
        let reply = self.raw("GET", paths::HEALTH, &[], b"").await;
        assert_eq!(reply.status, 200);
        assert_eq!(reply.body, b"ok\n");
    }
}

/// Runs `sql` on its own connection to the test database.
async fn postgres_batch(url: &str, sql: &str) {
    let (client, connection) = tokio_postgres::connect(url, tokio_postgres::NoTls)
        .await
        .unwrap();
    let driver = tokio::spawn(connection);
    client.batch_execute(sql).await.unwrap();
    drop(client);
    let _ = driver.await;
}

/// A push body from (blob id, document id, data) triples.
pub fn push_body(blobs: &[(&str, &str, &str)]) -> Vec<u8> {
    serde_json::to_vec(&PushRequest {
        blobs: blobs
            .iter()
            .map(|(id, doc, data)| NewBlob {
                id: id.parse().unwrap(),
                doc: doc.parse().unwrap(),
                data: data.as_bytes().to_vec(),
            })
            .collect(),
    })
    .unwrap()
}

/// The JSON body of a compaction up to `upto` with snapshot `id`.
pub fn compact_body(upto: u64, id: &str, data: &[u8]) -> Vec<u8> {
    serde_json::to_vec(&hearth_protocol::CompactRequest {
        upto,
        snapshot: hearth_protocol::NewSnapshot {
            id: id.parse().unwrap(),
            data: data.to_vec(),
        },
    })
    .unwrap()
}

pub fn hex(bytes: &[u8]) -> String {
    hex::encode(bytes)
}

type ByteStream =
    std::pin::Pin<Box<dyn futures_util::Stream<Item = reqwest::Result<axum::body::Bytes>> + Send>>;

/// A live stream as a client reads it.
pub struct LiveStream {
    body: ByteStream,
    reader: EventReader,
    pending: VecDeque<LiveEvent>,
}

impl std::fmt::Debug for LiveStream {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LiveStream").finish_non_exhaustive()
    }
}

impl LiveStream {
    /// The next event; `None` when the relay ended the stream. Panics if
    /// nothing arrives within `within`.
    pub async fn next(&mut self, within: Duration) -> Option<LiveEvent> {
        tokio::time::timeout(within, async {
            loop {
                if let Some(event) = self.pending.pop_front() {
                    return Some(event);
                }
                match self.body.next().await {
                    Some(Ok(chunk)) => self.pending.extend(self.reader.feed(&chunk)),
                    Some(Err(_)) | None => return None,
                }
            }
        })
        .await
        .expect("no live event arrived in time")
    }

    /// Waits until a head event of at least `head` arrives.
    pub async fn until_head(&mut self, head: u64, within: Duration) {
        loop {
            match self.next(within).await {
                Some(LiveEvent::Head { head: seen }) if seen >= head => return,
                Some(LiveEvent::Head { .. }) => {}
                other => panic!("expected head {head}, got {other:?}"),
            }
        }
    }
}

/// Runs each named scenario `async fn NAME(backend: Backend)` as two tests,
/// `sqlite::NAME` and `postgres::NAME`.
macro_rules! on_both_backends {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    super::$name(super::Backend::Sqlite).await;
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    super::$name(super::Backend::Postgres).await;
                }
            )*
        }
    };
}
