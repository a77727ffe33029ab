//! The floor under `sync_bench --turns`: the same turn-taking workload
//! done with nothing but the work a delivery cannot do without, on the same
//! runtimes and the same libraries, so its CPU per delivery is what Hearth
//! could reach on the machine it runs on if everything else were free.
//! Used by `floor_bench` and by `sync_bench --turns`, which prints its own
//! figures against it; both share the entry texts, the CPU clock, the
//! command line and the phones' runtime here.
//!
//! Per delivery, and nothing more: the writer builds the entry's Automerge
//! document and saves it, commits it durably (SQLite, WAL,
//! `synchronous = FULL`), seals it (XChaCha20-Poly1305), signs it
//! (Ed25519) and posts it on a kept-alive HTTP connection; the relay
//! commits it durably and writes it into the reader's open stream, then
//! answers; the reader verifies the signature, opens it, loads the
//! document and commits it (`synchronous = NORMAL`, as Hearth's merge
//! does). The relay checks no signature of its own (one device's session
//! could be authenticated more cheaply than by a signature per request),
//! and nobody keeps a cursor, an outbox, a projection or a search index:
//! this is a yardstick, not a design.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use automerge::transaction::Transactable as _;
use automerge::{AutoCommit, ROOT, ReadDoc as _, hydrate::Value};
use axum::body::{Body, Bytes};
use axum::extract::{Path, State};
use chacha20poly1305::aead::{Aead, KeyInit};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use ed25519_dalek::{Signer, SigningKey, VerifyingKey};
use rusqlite::Connection;
use tokio::sync::{Notify, mpsc};

/// The length of every entry, in characters.
pub const BODY_CHARS: usize = 400;

/// The relay: one database, and per reader an open stream.
struct Relay {
    db: Mutex<Connection>,
    streams: Mutex<HashMap<String, mpsc::UnboundedSender<Result<Bytes, std::io::Error>>>>,
}

/// The number after `name` on the command line, or `default`.
pub fn arg(name: &str, default: usize) -> usize {
    let args: Vec<String> = std::env::args().collect();
    args.iter()
        .position(|a| a == name)
        .map_or(default, |i| args[i + 1].parse().unwrap())
}

/// The phones' runtime in both benchmarks: two worker threads, one per
/// core of the machine they were measured on.
pub fn phones_runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap()
}

/// A relay's runtime in both benchmarks: one worker, as on a machine of
/// its own, its threads named `name` so a profiler tells them apart from
/// the phones'.
pub fn relay_runtime(name: &str) -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .thread_name(name)
        .enable_all()
        .build()
        .unwrap()
}

/// What a run measured.
pub struct Figures {
    /// Every delivery's latency, from the write to the partner's receipt,
    /// sorted.
    pub latencies: Vec<Duration>,
    /// From the first write to the last receipt.
    pub elapsed: Duration,
    /// The process's CPU time meanwhile, in seconds.
    pub cpu: f64,
}

impl Figures {
    /// The `p`th percentile latency.
    pub fn percentile(&self, p: usize) -> Duration {
        let last = self.latencies.len().saturating_sub(1);
        self.latencies
            .get((self.latencies.len() * p / 100).min(last))
            .copied()
            .unwrap_or_default()
    }

    pub fn per_second(&self) -> f64 {
        self.latencies.len() as f64 / self.elapsed.as_secs_f64()
    }

    /// CPU per delivery, in milliseconds.
    pub fn cpu_ms(&self) -> f64 {
        self.cpu * 1000.0 / self.latencies.len().max(1) as f64
    }
}

/// Runs the turn-taking workload with only a delivery's unavoidable work:
/// `couples` couples, `entries` entries per partner. The phones run on the
/// caller's runtime; the relay gets one of its own (one worker, as in
/// sync_bench), stopped before this returns.
pub async fn turn_taking(couples: usize, entries: usize) -> Figures {
    // reqwest is built without a TLS provider of its own (as Hearth's is)
    // and the floor's clients take the process's default.
    let _ = rustls::crypto::ring::default_provider().install_default();
    let dir = tempfile::tempdir().unwrap();
    let relay = Arc::new(Relay {
        db: Mutex::new(database(&dir.path().join("relay.db"), "FULL")),
        streams: Mutex::new(HashMap::new()),
    });
    let (tx, rx) = std::sync::mpsc::channel();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let served = relay.clone();
    let relay_thread = std::thread::spawn(move || {
        relay_runtime("floor-relay").block_on(async move {
            let app = axum::Router::new()
                .route("/push/{reader}", axum::routing::post(push))
                .route("/events/{reader}", axum::routing::get(events))
                .with_state(served.clone());
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
            tx.send(listener.local_addr().unwrap()).unwrap();
            let server = axum::serve(listener, app).with_graceful_shutdown(async move {
                let _ = stopped.await;
                // Open streams end, so the server can.
                served.streams.lock().unwrap().clear();
            });
            server.await.unwrap();
        });
    });
    let url = format!("http://{}", rx.recv().unwrap());

    let mut phones = Vec::new();
    for c in 0..couples {
        let a = Phone::new(dir.path(), &format!("a{c}"), 1);
        let b = Phone::new(dir.path(), &format!("b{c}"), 2);
        // Each listens for what the other writes.
        let a_inbox = a.listen(&url, b.verifying).await;
        let b_inbox = b.listen(&url, a.verifying).await;
        phones.push((Arc::new(a), Arc::new(b), a_inbox, b_inbox));
    }

    let cpu_before = cpu_seconds();
    let start = Instant::now();
    let mut done = Vec::new();
    for (c, (a, b, a_inbox, b_inbox)) in phones.into_iter().enumerate() {
        let url = url.clone();
        done.push(tokio::spawn(async move {
            let mut latencies = Vec::new();
            for e in 0..entries {
                for (writer, reader, to) in [(&a, &b_inbox, &b.name), (&b, &a_inbox, &a.name)] {
                    let at = Instant::now();
                    let seen = reader.seen();
                    writer.write_and_push(&url, to, &body(c * 10_000 + e)).await;
                    reader.wait_past(seen).await;
                    latencies.push(at.elapsed());
                }
            }
            latencies
        }));
    }
    let mut latencies = Vec::new();
    for d in done {
        latencies.extend(d.await.unwrap());
    }
    let elapsed = start.elapsed();
    let cpu = cpu_seconds() - cpu_before;
    let _ = stop.send(());
    tokio::task::spawn_blocking(move || relay_thread.join().unwrap())
        .await
        .unwrap();
    latencies.sort();
    Figures {
        latencies,
        elapsed,
        cpu,
    }
}

/// One phone: its database, keys and HTTP client.
struct Phone {
    name: String,
    db: Mutex<Connection>,
    signing: SigningKey,
    verifying: VerifyingKey,
    cipher: XChaCha20Poly1305,
    http: reqwest::Client,
}

impl Phone {
    fn new(root: &std::path::Path, name: &str, seed: u8) -> Self {
        let signing = SigningKey::from_bytes(&[seed; 32]);
        let path = root.join(format!("{name}.db"));
        let db = database(&path, "FULL");
        Self {
            name: name.into(),
            db: Mutex::new(db),
            verifying: signing.verifying_key(),
            signing,
            // Both partners hold the space key.
            cipher: XChaCha20Poly1305::new(&[9u8; 32].into()),
            http: reqwest::Client::new(),
        }
    }

    /// The writer's half of a delivery.
    async fn write_and_push(&self, url: &str, to: &str, body: &str) {
        let mut doc = AutoCommit::new();
        let root: HashMap<&str, Value> = HashMap::from([
            ("kind", "entry".into()),
            ("v", 2_i64.into()),
            ("author", "member-a".into()),
            ("created_at", 1_790_000_000_000_i64.into()),
            ("updated_at", 1_790_000_000_000_i64.into()),
            ("body", body.into()),
            ("emotions", HashMap::<&str, Value>::new().into()),
            ("reactions", HashMap::<&str, Value>::new().into()),
            ("comments", HashMap::<&str, Value>::new().into()),
        ]);
        doc.init_root_from_hydrate(&root.into()).unwrap();
        doc.commit();
        let saved = doc.save();
        // The durable local write, off the async worker as Hearth's is.
        tokio::task::block_in_place(|| {
            self.db
                .lock()
                .unwrap()
                .prepare_cached("INSERT INTO items (data) VALUES (?1)")
                .unwrap()
                .execute([&saved])
                .unwrap();
        });
        let mut nonce = [0u8; 24];
        getrandom::fill(&mut nonce).unwrap();
        let sealed = self
            .cipher
            .encrypt(XNonce::from_slice(&nonce), saved.as_slice())
            .unwrap();
        // Signed: the nonce and the sealed bytes.
        let mut blob = Vec::with_capacity(88 + sealed.len());
        blob.extend_from_slice(&[0; 64]);
        blob.extend_from_slice(&nonce);
        blob.extend_from_slice(&sealed);
        let signature = self.signing.sign(&blob[64..]);
        blob[..64].copy_from_slice(&signature.to_bytes());
        let answer = self
            .http
            .post(format!("{url}/push/{to}"))
            .body(blob)
            .send()
            .await
            .unwrap();
        assert!(answer.status().is_success());
    }

    /// Opens this phone's stream; every blob on it is checked, opened,
    /// loaded and stored, then counted.
    async fn listen(&self, url: &str, partner: VerifyingKey) -> Arc<Inbox> {
        let inbox = Arc::new(Inbox::default());
        let mut response = self
            .http
            .get(format!("{url}/events/{}", self.name))
            .send()
            .await
            .unwrap();
        let heard = inbox.clone();
        let cipher = self.cipher.clone();
        let path = self.db.lock().unwrap().path().unwrap().to_owned();
        let merged = Connection::open(path).unwrap();
        merged.pragma_update(None, "synchronous", "NORMAL").unwrap();
        merged.busy_timeout(Duration::from_secs(5)).unwrap();
        tokio::spawn(async move {
            let mut pending: Vec<u8> = Vec::new();
            while let Ok(Some(chunk)) = response.chunk().await {
                pending.extend_from_slice(&chunk);
                while pending.len() >= 4 {
                    let len = u32::from_le_bytes(pending[..4].try_into().unwrap()) as usize;
                    if pending.len() < 4 + len {
                        break;
                    }
                    let blob: Vec<u8> = pending.drain(..4 + len).skip(4).collect();
                    let (signature, rest) = blob.split_at(64);
                    let signature = ed25519_dalek::Signature::from_slice(signature).unwrap();
                    partner.verify_strict(rest, &signature).unwrap();
                    let (nonce, sealed) = rest.split_at(24);
                    let opened = cipher.decrypt(XNonce::from_slice(nonce), sealed).unwrap();
                    let doc = AutoCommit::load(&opened).unwrap();
                    assert!(doc.get(ROOT, "body").unwrap().is_some());
                    merged
                        .prepare_cached("INSERT INTO items (data) VALUES (?1)")
                        .unwrap()
                        .execute([&opened])
                        .unwrap();
                    heard.arrived();
                }
            }
        });
        inbox
    }
}

/// What a reader has seen, and a wake-up for the writer waiting on it.
#[derive(Default)]
struct Inbox {
    count: Mutex<u64>,
    arrived: Notify,
}

impl Inbox {
    fn seen(&self) -> u64 {
        *self.count.lock().unwrap()
    }

    fn arrived(&self) {
        *self.count.lock().unwrap() += 1;
        self.arrived.notify_waiters();
    }

    async fn wait_past(&self, seen: u64) {
        loop {
            let notified = self.arrived.notified();
            tokio::pin!(notified);
            notified.as_mut().enable();
            if self.seen() > seen {
                return;
            }
            notified.await;
        }
    }
}

async fn push(State(relay): State<Arc<Relay>>, Path(reader): Path<String>, blob: Bytes) {
    tokio::task::block_in_place(|| {
        relay
            .db
            .lock()
            .unwrap()
            .prepare_cached("INSERT INTO items (data) VALUES (?1)")
            .unwrap()
            .execute([blob.as_ref()])
            .unwrap();
    });
    let mut framed = Vec::with_capacity(4 + blob.len());
    framed.extend_from_slice(&(blob.len() as u32).to_le_bytes());
    framed.extend_from_slice(&blob);
    if let Some(stream) = relay.streams.lock().unwrap().get(&reader) {
        let _ = stream.send(Ok(Bytes::from(framed)));
    }
}

async fn events(State(relay): State<Arc<Relay>>, Path(reader): Path<String>) -> Body {
    let (tx, rx) = mpsc::unbounded_channel();
    relay.streams.lock().unwrap().insert(reader, tx);
    let stream = futures_util::stream::unfold(rx, |mut rx| async move {
        rx.recv().await.map(|item| (item, rx))
    });
    Body::from_stream(stream)
}

/// A database in WAL mode at the given `synchronous` level, with one table.
fn database(path: &std::path::Path, synchronous: &str) -> Connection {
    let conn = Connection::open(path).unwrap();
    conn.pragma_update(None, "journal_mode", "WAL").unwrap();
    conn.pragma_update(None, "synchronous", synchronous)
        .unwrap();
    conn.busy_timeout(Duration::from_secs(5)).unwrap();
    conn.execute_batch(
        "CREATE TABLE IF NOT EXISTS items (id INTEGER PRIMARY KEY, data BLOB NOT NULL)",
    )
    .unwrap();
    conn
}

/// The text of entry `i`: [`BODY_CHARS`] characters of plain words.
pub fn body(i: usize) -> String {
    let mut text = format!("Entry {i}: ");
    let words = [
        "we", "walked", "by", "the", "river", "and", "talked", "about", "next", "summer",
        "laughing", "at", "small", "things", "grateful", "for", "a", "quiet", "evening",
    ];
    let mut k = i;
    while text.chars().count() < BODY_CHARS {
        k = k.wrapping_mul(2_654_435_761).wrapping_add(12_345);
        text.push_str(words[k % words.len()]);
        text.push(' ');
    }
    text.chars().take(BODY_CHARS).collect()
}

/// CPU time of this process so far (all threads), in seconds.
pub fn cpu_seconds() -> f64 {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: clock_gettime writes one timespec into the pointer given.
    let ok = unsafe { libc::clock_gettime(libc::CLOCK_PROCESS_CPUTIME_ID, &mut ts) };
    if ok != 0 {
        return 0.0;
    }
    ts.tv_sec as f64 + ts.tv_nsec as f64 / 1e9
}
