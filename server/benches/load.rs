//! Load test: starts the `hearth-relay` binary on loopback and simulates
//! couples (two devices each) that push ~600-byte blobs and receive the
//! partner's through the live stream and a pull. Prints deliveries/s,
//! delivery latency percentiles, and the relay process's peak RSS and CPU;
//! then the RSS of 10,000 idle live connections.
//!
//! ```sh
//! cargo bench -p hearth-relay --bench load
//! cargo bench -p hearth-relay --bench load -- --couples 200 --entries 20 --rate 5000
//! eval "$(bash scripts/postgres start)"; cargo bench -p hearth-relay --bench load   # adds PostgreSQL
//! ```
//!
//! Latency is measured from the moment a blob was *scheduled* to be pushed
//! (so a relay that falls behind cannot hide its queue) to the moment the
//! partner's pull returned it. The schedule's timestamp travels inside the
//! opaque blob, as a client's ciphertext would.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::cast_precision_loss,
    reason = "a measuring tool: a failed step should stop it loudly"
)]

use std::collections::HashSet;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use ed25519_dalek::SigningKey;
use futures_util::StreamExt as _;
use hearth_protocol::auth::{self, Nonce};
use hearth_protocol::events::EventReader;
use hearth_protocol::{
    AddDevice, DeviceId, LiveEvent, LogItem, NewBlob, PullResponse, PushRequest, PushResponse,
    SpaceId, paths,
};
use tokio::sync::Semaphore;

const BLOB_BYTES: usize = 600;
const SCENARIO_TIMEOUT: Duration = Duration::from_secs(180);

fn random<const N: usize>() -> [u8; N] {
    let mut bytes = [0u8; N];
    getrandom::fill(&mut bytes).unwrap();
    bytes
}

fn unix_now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

struct Device {
    key: SigningKey,
    id: DeviceId,
}

impl Device {
    fn new() -> Self {
        let key = SigningKey::from_bytes(&random::<32>());
        let id = DeviceId::from_key(&key.verifying_key());
        Self { key, id }
    }
}

#[derive(Clone)]
struct Client {
    http: reqwest::Client,
    base: String,
}

impl Client {
    fn new(base: String) -> Self {
        let http = reqwest::Client::builder()
            .no_proxy()
            .tcp_nodelay(true)
            .pool_max_idle_per_host(usize::MAX)
            .build()
            .unwrap();
        Self { http, base }
    }

    fn request(
        &self,
        device: &Device,
        method: reqwest::Method,
        path: &str,
        body: Vec<u8>,
    ) -> reqwest::RequestBuilder {
        let headers = auth::sign_request(
            &device.key,
            method.as_str(),
            path,
            &body,
            unix_now(),
            Nonce::from_bytes(random()),
        );
        let mut request = self
            .http
            .request(method, format!("{}{path}", self.base))
            .body(body);
        for (name, value) in headers.pairs() {
            request = request.header(name, value);
        }
        request
    }

    async fn call<T: serde::de::DeserializeOwned>(
        &self,
        device: &Device,
        method: reqwest::Method,
        path: &str,
        body: Vec<u8>,
    ) -> T {
        let response = self
            .request(device, method, path, body)
            .send()
            .await
            .unwrap();
        let status = response.status();
        let bytes = response.bytes().await.unwrap();
        assert!(
            status.is_success(),
            "relay answered {status}: {}",
            String::from_utf8_lossy(&bytes)
        );
        serde_json::from_slice(&bytes).unwrap()
    }

    /// Opens a live stream (carrying items if `inline`); returns once the
    /// first event arrived.
    async fn live(&self, device: &Device, space: &SpaceId, inline: bool) -> LiveStream {
        let path = if inline {
            paths::events_with_items(space)
        } else {
            paths::events(space)
        };
        let response = self
            .request(device, reqwest::Method::GET, &path, Vec::new())
            .send()
            .await
            .unwrap();
        assert!(response.status().is_success(), "live stream refused");
        let mut stream = LiveStream {
            body: Box::pin(response.bytes_stream()),
            reader: EventReader::default(),
            pending: Vec::new(),
        };
        stream.next().await.expect("no first event");
        stream
    }
}

/// One keep-alive HTTP/1 connection, used for one request at a time (a
/// phone's push lane or pull lane): no pool, no URL parsing per request.
/// Like a phone, it reconnects when the relay has closed an idle
/// connection, and then sends again (pushes are idempotent, pulls read).
struct Lane {
    addr: String,
    sender:
        Option<hyper::client::conn::http1::SendRequest<http_body_util::Full<axum::body::Bytes>>>,
}

impl Lane {
    fn new(base: &str) -> Self {
        Self {
            addr: base.trim_start_matches("http://").to_owned(),
            sender: None,
        }
    }

    async fn connect(
        &self,
    ) -> hyper::client::conn::http1::SendRequest<http_body_util::Full<axum::body::Bytes>> {
        let stream = tokio::net::TcpStream::connect(&self.addr).await.unwrap();
        stream.set_nodelay(true).unwrap();
        let (sender, connection) =
            hyper::client::conn::http1::handshake(hyper_util::rt::TokioIo::new(stream))
                .await
                .unwrap();
        tokio::spawn(connection);
        sender
    }

    async fn call<T: serde::de::DeserializeOwned>(
        &mut self,
        device: &Device,
        method: &str,
        path: &str,
        body: Vec<u8>,
    ) -> T {
        let body = axum::body::Bytes::from(body);
        let mut attempt = 0;
        loop {
            attempt += 1;
            let mut sender = match self.sender.take() {
                Some(sender) if !sender.is_closed() => sender,
                _ => self.connect().await,
            };
            let headers = auth::sign_request(
                &device.key,
                method,
                path,
                &body,
                unix_now(),
                Nonce::from_bytes(random()),
            );
            let mut request = hyper::Request::builder()
                .method(method)
                .uri(path)
                .header("host", "relay");
            for (name, value) in headers.pairs() {
                request = request.header(name, value);
            }
            let request = request
                .body(http_body_util::Full::new(body.clone()))
                .unwrap();
            let sent = match sender.ready().await {
                Ok(()) => sender.send_request(request).await,
                Err(error) => Err(error),
            };
            let response = match sent {
                Ok(response) => response,
                Err(_) if attempt < 3 => continue,
                Err(error) => panic!("the relay dropped the connection: {error}"),
            };
            let status = response.status();
            let bytes = http_body_util::BodyExt::collect(response.into_body())
                .await
                .unwrap()
                .to_bytes();
            assert!(
                status.is_success(),
                "relay answered {status}: {}",
                String::from_utf8_lossy(&bytes)
            );
            self.sender = Some(sender);
            return serde_json::from_slice(&bytes).unwrap();
        }
    }
}

type Body =
    std::pin::Pin<Box<dyn futures_util::Stream<Item = reqwest::Result<axum::body::Bytes>> + Send>>;

struct LiveStream {
    body: Body,
    reader: EventReader,
    pending: Vec<LiveEvent>,
}

impl LiveStream {
    async fn next(&mut self) -> Option<LiveEvent> {
        loop {
            if !self.pending.is_empty() {
                return Some(self.pending.remove(0));
            }
            match self.body.next().await {
                Some(Ok(chunk)) => self.pending = self.reader.feed(&chunk),
                _ => return None,
            }
        }
    }
}

/// The relay under test, as a separate process so its memory and CPU are
/// its own.
struct RelayProcess {
    child: Child,
    base: String,
    /// The admin address's base URL (metrics).
    admin: String,
    _dir: tempfile::TempDir,
}

/// A free loopback port (a race with other processes is possible but rare).
fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

impl RelayProcess {
    fn start(database: &BenchDatabase) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let port = free_port();
        let admin_port = free_port();
        let mut command = Command::new(env!("CARGO_BIN_EXE_hearth-relay"));
        command
            .args(["--listen", &format!("127.0.0.1:{port}")])
            .args(["--admin-listen", &format!("127.0.0.1:{admin_port}")])
            .args([
                "--rate-requests",
                "off",
                "--rate-spaces",
                "off",
                "--rate-pairing",
                "off",
            ])
            .args(["--max-connections", "19000"])
            // Every simulated phone connects from 127.0.0.1.
            .args(["--max-streams-per-address", "1000000"]);
        // HEARTH_BENCH_RELAY_LOG=FILTER:PATH keeps the relay's log (for
        // example `hearth_relay=debug:/tmp/relay.log`, which times every
        // request inside the relay).
        match std::env::var("HEARTH_BENCH_RELAY_LOG")
            .ok()
            .and_then(|spec| {
                spec.split_once(':')
                    .map(|(f, p)| (f.to_owned(), p.to_owned()))
            }) {
            Some((filter, path)) => {
                let file = std::fs::File::create(path).unwrap();
                command.args(["--log", &filter]).stdout(file);
            }
            None => {
                command.args(["--log", "warn"]).stdout(Stdio::null());
            }
        }
        match database {
            BenchDatabase::Sqlite => {
                command.args(["--database", dir.path().join("relay.db").to_str().unwrap()]);
            }
            BenchDatabase::Postgres(url) => {
                let schema = format!("hearth_bench_{}", hex(&random::<6>()));
                command.args(["--database", url, "--pg-schema", &schema, "--pg-pool", "16"]);
            }
        }
        let child = command.spawn().expect("could not start hearth-relay");
        Self {
            child,
            base: format!("http://127.0.0.1:{port}"),
            admin: format!("http://127.0.0.1:{admin_port}"),
            _dir: dir,
        }
    }

    async fn wait_ready(&self) {
        let http = reqwest::Client::builder().no_proxy().build().unwrap();
        for _ in 0..200 {
            if let Ok(response) = http.get(format!("{}/readyz", self.base)).send().await
                && response.status().is_success()
            {
                return;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("the relay did not become ready");
    }

    fn status_kb(&self, field: &str) -> u64 {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id())).unwrap();
        status
            .lines()
            .find_map(|line| line.strip_prefix(field))
            .and_then(|rest| rest.split_whitespace().next())
            .and_then(|kb| kb.parse().ok())
            .unwrap_or(0)
    }

    fn rss_mb(&self) -> f64 {
        self.status_kb("VmRSS:") as f64 / 1024.0
    }

    fn peak_rss_mb(&self) -> f64 {
        self.status_kb("VmHWM:") as f64 / 1024.0
    }

    fn cpu_seconds(&self) -> f64 {
        cpu_seconds(&format!("/proc/{}/stat", self.child.id()))
    }

    /// Stops the relay the way a service manager would (SIGTERM).
    fn stop(mut self) {
        let _ = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status();
        let _ = self.child.wait();
    }
}

impl Drop for RelayProcess {
    /// A bench that fails midway must not leave a relay running.
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// utime + stime of a process, in seconds (USER_HZ is 100 on Linux).
fn cpu_seconds(stat_path: &str) -> f64 {
    let stat = std::fs::read_to_string(stat_path).unwrap_or_default();
    // Fields after the ")" closing the command name; utime and stime are
    // fields 14 and 15 of the whole line.
    let after = stat.rsplit_once(')').map_or("", |(_, rest)| rest);
    let fields: Vec<&str> = after.split_whitespace().collect();
    let ticks = |i: usize| {
        fields
            .get(i)
            .and_then(|f| f.parse::<u64>().ok())
            .unwrap_or(0)
    };
    (ticks(11) + ticks(12)) as f64 / 100.0
}

fn hex(bytes: &[u8]) -> String {
    hex::encode(bytes)
}

#[derive(Clone)]
enum BenchDatabase {
    Sqlite,
    Postgres(String),
}

impl BenchDatabase {
    fn name(&self) -> &'static str {
        match self {
            Self::Sqlite => "SQLite",
            Self::Postgres(_) => "PostgreSQL",
        }
    }
}

struct Couple {
    space: SpaceId,
    devices: [Arc<Device>; 2],
}

async fn create_couples(client: &Client, count: usize) -> Vec<Couple> {
    let gate = Arc::new(Semaphore::new(64));
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..count {
        let (client, gate) = (client.clone(), gate.clone());
        tasks.spawn(async move {
            let _slot = gate.acquire().await.unwrap();
            let (a, b) = (Device::new(), Device::new());
            let space = SpaceId::from_random_bytes(random());
            let _: hearth_protocol::SpaceInfo = client
                .call(&a, reqwest::Method::PUT, &paths::space(&space), Vec::new())
                .await;
            let body = serde_json::to_vec(&AddDevice {
                device: b.id,
                member: None,
            })
            .unwrap();
            let _: hearth_protocol::SpaceInfo = client
                .call(&a, reqwest::Method::POST, &paths::devices(&space), body)
                .await;
            Couple {
                space,
                devices: [Arc::new(a), Arc::new(b)],
            }
        });
    }
    let mut couples = Vec::with_capacity(count);
    while let Some(couple) = tasks.join_next().await {
        couples.push(couple.unwrap());
    }
    couples
}

/// What the devices count while they run.
#[derive(Default)]
struct Counters {
    /// Per delivery: from the scheduled push to the live event that led
    /// to the pull.
    heard_us: Mutex<Vec<u64>>,
    pulls: AtomicU64,
    pull_us: AtomicU64,
    pushes: AtomicU64,
    push_us: AtomicU64,
}

struct Outcome {
    deliveries: usize,
    expected: usize,
    elapsed: Duration,
    latencies_us: Vec<u64>,
    pulls: u64,
    pushes: u64,
    mean_push_ms: f64,
    mean_pull_ms: f64,
    heard_us: Vec<u64>,
    relay_cpu_s: f64,
    loadgen_cpu_s: f64,
}

/// One device: pushes its entries on schedule and collects the partner's.
#[allow(clippy::too_many_arguments, reason = "a bench's wiring")]
async fn run_device(
    client: Client,
    device: Arc<Device>,
    space: SpaceId,
    entries: usize,
    interval: Option<Duration>,
    offset: Duration,
    epoch: Instant,
    mut stream: LiveStream,
    counters: Arc<Counters>,
) -> Vec<u64> {
    let own = Arc::new(Mutex::new(HashSet::<u64>::new()));
    let mut push_lane = Lane::new(&client.base);
    let mut pull_lane = Lane::new(&client.base);
    let pusher = {
        let (device, space, own, counters) =
            (device.clone(), space.clone(), own.clone(), counters.clone());
        tokio::spawn(async move {
            let path = paths::blobs(&space);
            // Paced, entry n is due at its slot; a phone that is still
            // waiting on a push when more entries fall due sends them
            // together next, as an outbox would. Unpaced, each entry is
            // due the moment the previous push is answered.
            let due = |n: usize| {
                interval.map(|interval| epoch + offset + interval * u32::try_from(n).unwrap())
            };
            // Every device starts at the epoch, paced or not: stamps and the
            // elapsed time are measured from it.
            tokio::time::sleep_until(tokio::time::Instant::from_std(epoch)).await;
            let mut n = 0;
            while n < entries {
                if let Some(first) = due(n) {
                    tokio::time::sleep_until(tokio::time::Instant::from_std(first)).await;
                }
                let now = Instant::now();
                let mut blobs = Vec::new();
                while n < entries && (blobs.is_empty() || due(n).is_some_and(|at| at <= now)) {
                    let scheduled = due(n).unwrap_or(now);
                    let mut data = vec![0x5a; BLOB_BYTES];
                    let stamp = u64::try_from(scheduled.duration_since(epoch).as_nanos()).unwrap();
                    data[..8].copy_from_slice(&stamp.to_le_bytes());
                    blobs.push(NewBlob {
                        id: hearth_protocol::BlobId::from_random_bytes(random()),
                        doc: hearth_protocol::DocumentId::from_random_bytes(random()),
                        data,
                    });
                    n += 1;
                }
                let body = serde_json::to_vec(&PushRequest { blobs }).unwrap();
                let started = Instant::now();
                let pushed: PushResponse = push_lane.call(&device, "POST", &path, body).await;
                counters.pushes.fetch_add(1, Ordering::Relaxed);
                counters.push_us.fetch_add(
                    u64::try_from(started.elapsed().as_micros()).unwrap(),
                    Ordering::Relaxed,
                );
                own.lock()
                    .unwrap()
                    .extend(pushed.receipts.iter().map(|receipt| receipt.seq));
            }
        })
    };
    let mut latencies = Vec::with_capacity(entries);
    let mut cursor = 0u64;
    let delivered = |item: &LogItem, at: Duration, heard: Duration, latencies: &mut Vec<u64>| {
        if let LogItem::Blob(blob) = item
            && blob.device != device.id
        {
            let stamp = u64::from_le_bytes(blob.data[..8].try_into().unwrap());
            let sent = Duration::from_nanos(stamp);
            latencies.push(u64::try_from(at.saturating_sub(sent).as_micros()).unwrap());
            counters
                .heard_us
                .lock()
                .unwrap()
                .push(u64::try_from(heard.saturating_sub(sent).as_micros()).unwrap());
        }
    };
    while latencies.len() < entries {
        let event = stream.next().await.expect("the live stream ended early");
        let heard = epoch.elapsed();
        // A phone knows the seqs of its own pushes.
        let only_own =
            |from: u64, to: u64| (from + 1..=to).all(|seq| own.lock().unwrap().contains(&seq));
        let head = match event {
            LiveEvent::Items { after, head, items }
                if after >= cursor && only_own(cursor, after) =>
            {
                for item in &items {
                    delivered(item, heard, heard, &mut latencies);
                }
                cursor = head;
                continue;
            }
            LiveEvent::Items { head, .. } | LiveEvent::Head { head } => head,
            other => panic!("unexpected live event {other:?}"),
        };
        if head <= cursor {
            continue;
        }
        // Nothing to pull when the new seqs are all the phone's own.
        if only_own(cursor, head) {
            cursor = head;
            continue;
        }
        loop {
            let started = Instant::now();
            let page: PullResponse = pull_lane
                .call(
                    &device,
                    "GET",
                    &paths::pull(&space, cursor, 1000),
                    Vec::new(),
                )
                .await;
            counters.pulls.fetch_add(1, Ordering::Relaxed);
            counters.pull_us.fetch_add(
                u64::try_from(started.elapsed().as_micros()).unwrap(),
                Ordering::Relaxed,
            );
            let now = epoch.elapsed();
            for item in &page.items {
                delivered(item, now, heard, &mut latencies);
            }
            cursor = page.next_cursor(cursor);
            if !page.more {
                break;
            }
        }
    }
    pusher.await.unwrap();
    latencies
}

async fn run_scenario(
    relay: &RelayProcess,
    client: &Client,
    couples: &[Couple],
    entries: usize,
    rate: Option<f64>,
    inline: bool,
) -> Outcome {
    let devices = couples.len() * 2;
    // Paced: each device pushes every `interval`, so all together offer
    // `rate` pushes per second, spread evenly by random offsets.
    let interval = rate.map(|rate| Duration::from_secs_f64(devices as f64 / rate));
    let gate = Arc::new(Semaphore::new(128));
    let mut opening = tokio::task::JoinSet::new();
    for couple in couples {
        for device in &couple.devices {
            let (client, device, space, gate) = (
                client.clone(),
                device.clone(),
                couple.space.clone(),
                gate.clone(),
            );
            opening.spawn(async move {
                let _slot = gate.acquire().await.unwrap();
                let stream = client.live(&device, &space, inline).await;
                (device, space, stream)
            });
        }
    }
    let mut streams = Vec::with_capacity(devices);
    while let Some(opened) = opening.join_next().await {
        streams.push(opened.unwrap());
    }
    let counters = Arc::new(Counters::default());
    let epoch = Instant::now() + Duration::from_millis(200);
    let relay_cpu = relay.cpu_seconds();
    let loadgen_cpu = cpu_seconds("/proc/self/stat");
    let mut running = tokio::task::JoinSet::new();
    for (device, space, stream) in streams {
        let offset = interval.map_or(Duration::ZERO, |interval| {
            interval.mul_f64(f64::from(u32::from_le_bytes(random())) / f64::from(u32::MAX))
        });
        running.spawn(run_device(
            client.clone(),
            device,
            space,
            entries,
            interval,
            offset,
            epoch,
            stream,
            counters.clone(),
        ));
    }
    let mut latencies_us = Vec::with_capacity(devices * entries);
    let collected = tokio::time::timeout(SCENARIO_TIMEOUT, async {
        while let Some(done) = running.join_next().await {
            latencies_us.extend(done.unwrap());
        }
    })
    .await;
    if collected.is_err() {
        eprintln!("warning: scenario timed out; figures cover what arrived");
        running.abort_all();
    }
    let elapsed = epoch.elapsed();
    let relay_cpu_s = relay.cpu_seconds() - relay_cpu;
    let loadgen_cpu_s = cpu_seconds("/proc/self/stat") - loadgen_cpu;
    latencies_us.sort_unstable();
    let pulls = counters.pulls.load(Ordering::Relaxed);
    let pushes = counters.pushes.load(Ordering::Relaxed);
    Outcome {
        deliveries: latencies_us.len(),
        expected: devices * entries,
        elapsed,
        latencies_us,
        pulls,
        pushes,
        mean_push_ms: counters.push_us.load(Ordering::Relaxed) as f64
            / pushes.max(1) as f64
            / 1000.0,
        mean_pull_ms: counters.pull_us.load(Ordering::Relaxed) as f64
            / pulls.max(1) as f64
            / 1000.0,
        heard_us: {
            let mut heard = std::mem::take(&mut *counters.heard_us.lock().unwrap());
            heard.sort_unstable();
            heard
        },
        relay_cpu_s,
        loadgen_cpu_s,
    }
}

fn percentile(sorted: &[u64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let rank = ((p / 100.0) * (sorted.len() - 1) as f64).round() as usize;
    sorted[rank.min(sorted.len() - 1)] as f64 / 1000.0
}

/// How a phone receives its partner's entries.
#[derive(Clone, Copy)]
enum Delivery {
    /// A `head` event, then a pull (the protocol's base flow).
    Pull,
    /// An `items` event carrying them (`?items=1`), pulling only when the
    /// relay sends `head` instead.
    Inline,
}

async fn measure(
    database: &BenchDatabase,
    couples: usize,
    entries: usize,
    rate: Option<f64>,
    delivery: Delivery,
) {
    let relay = RelayProcess::start(database);
    relay.wait_ready().await;
    let client = Client::new(relay.base.clone());
    let set = create_couples(&client, couples).await;
    let inline = matches!(delivery, Delivery::Inline);
    let outcome = run_scenario(&relay, &client, &set, entries, rate, inline).await;
    let seconds = outcome.elapsed.as_secs_f64();
    let deliveries = outcome.deliveries.max(1) as f64;
    let pacing = rate.map_or_else(
        || "unpaced".to_owned(),
        |rate| format!("{rate:.0}/s offered"),
    );
    let flow = if inline { "items" } else { "head+pull" };
    println!(
        "{:<10} {:<9} C={:<5} E={:<3} {:<16} {:>6}/{:<6} in {:>6.2} s  {:>7.0} deliveries/s  latency p50 {:>7.2} ms  p95 {:>7.2} ms  p99 {:>7.2} ms  max {:>7.1} ms  | event heard p50 {:.1} ms p99 {:.1} ms | pulls {:>6} (mean {:.2} ms), pushes {:>6} (mean {:.2} ms) | relay peak RSS {:>6.1} MB, CPU {:>4.0}% ({:.0} us/delivery) | loadgen CPU {:>4.0}% ({:.0} us/delivery)",
        database.name(),
        flow,
        couples,
        entries,
        pacing,
        outcome.deliveries,
        outcome.expected,
        seconds,
        outcome.deliveries as f64 / seconds,
        percentile(&outcome.latencies_us, 50.0),
        percentile(&outcome.latencies_us, 95.0),
        percentile(&outcome.latencies_us, 99.0),
        percentile(&outcome.latencies_us, 100.0),
        percentile(&outcome.heard_us, 50.0),
        percentile(&outcome.heard_us, 99.0),
        outcome.pulls,
        outcome.mean_pull_ms,
        outcome.pushes,
        outcome.mean_push_ms,
        relay.peak_rss_mb(),
        100.0 * outcome.relay_cpu_s / seconds,
        1e6 * outcome.relay_cpu_s / deliveries,
        100.0 * outcome.loadgen_cpu_s / seconds,
        1e6 * outcome.loadgen_cpu_s / deliveries,
    );
    drop(client);
    relay.stop();
}

async fn idle_connections(database: &BenchDatabase, connections: usize) {
    let relay = RelayProcess::start(database);
    relay.wait_ready().await;
    let client = Client::new(relay.base.clone());
    let set = create_couples(&client, connections.div_ceil(2)).await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    let before = relay.rss_mb();
    let gate = Arc::new(Semaphore::new(256));
    let mut opening = tokio::task::JoinSet::new();
    for couple in &set {
        for device in &couple.devices {
            let (client, device, space, gate) = (
                client.clone(),
                device.clone(),
                couple.space.clone(),
                gate.clone(),
            );
            opening.spawn(async move {
                let _slot = gate.acquire().await.unwrap();
                client.live(&device, &space, false).await
            });
        }
    }
    let mut streams = Vec::with_capacity(connections);
    while let Some(stream) = opening.join_next().await {
        streams.push(stream.unwrap());
    }
    tokio::time::sleep(Duration::from_secs(1)).await;
    let after = relay.rss_mb();
    let metrics = client
        .http
        .get(format!("{}/metrics", relay.admin))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let live = metrics
        .lines()
        .find_map(|line| line.strip_prefix("hearth_relay_live_streams "))
        .unwrap_or("?")
        .to_owned();
    println!(
        "{:<10} {} idle live connections (relay reports {live}): relay RSS {after:.1} MB (before {before:.1} MB, {:.1} KB per connection)",
        database.name(),
        streams.len(),
        (after - before) * 1024.0 / streams.len() as f64,
    );
    drop(streams);
    relay.stop();
}

fn argument(args: &[String], name: &str) -> Option<String> {
    args.iter()
        .position(|arg| arg == name)
        .and_then(|i| args.get(i + 1).cloned())
}

fn main() {
    // reqwest is built without a TLS provider of its own; loopback needs none,
    // but building a client still asks for one.
    let _ = rustls::crypto::ring::default_provider().install_default();
    let args: Vec<String> = std::env::args().collect();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    let backend = argument(&args, "--backend").unwrap_or_else(|| "both".to_owned());
    let mut databases = Vec::new();
    if backend != "postgres" {
        databases.push(BenchDatabase::Sqlite);
    }
    if backend != "sqlite" {
        match std::env::var("HEARTH_TEST_POSTGRES_URL") {
            Ok(url) if !url.is_empty() => databases.push(BenchDatabase::Postgres(url)),
            _ => println!(
                "(PostgreSQL skipped: set HEARTH_TEST_POSTGRES_URL, e.g. eval \"$(bash scripts/postgres start)\")"
            ),
        }
    }
    let entries: usize = argument(&args, "--entries").map_or(20, |v| v.parse().unwrap());
    let rate: f64 = argument(&args, "--rate").map_or(5000.0, |v| v.parse().unwrap());
    let couples: Vec<usize> = argument(&args, "--couples").map_or(vec![200, 1000], |v| {
        v.split(',').map(|c| c.parse().unwrap()).collect()
    });
    let idle: usize = argument(&args, "--idle").map_or(10_000, |v| v.parse().unwrap());
    let flows: Vec<Delivery> = match argument(&args, "--flow").as_deref() {
        Some("pull") => vec![Delivery::Pull],
        Some("items") => vec![Delivery::Inline],
        _ => vec![Delivery::Pull, Delivery::Inline],
    };
    println!(
        "hearth-relay load test: {BLOB_BYTES}-byte entries; latency = from an entry's scheduled push to its arrival at the partner (pull, or items event)"
    );
    runtime.block_on(async {
        for database in &databases {
            for &c in couples.iter().filter(|&&c| c > 0) {
                for delivery in flows.iter().copied() {
                    measure(database, c, entries, Some(rate), delivery).await;
                    measure(database, c, entries, None, delivery).await;
                }
            }
        }
        if idle > 0 {
            idle_connections(&BenchDatabase::Sqlite, idle).await;
        }
    });
}
