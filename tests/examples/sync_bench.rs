//! The sync benchmark: phones and a relay on loopback, in one process.
//!
//! ```sh
//! cargo run --release -p hearth-tests --example sync_bench
//! cargo run --release -p hearth-tests --example sync_bench -- --couples 50 --entries 5
//! cargo run --release -p hearth-tests --example sync_bench -- --turns --couples 200 --entries 20
//! ```
//!
//! Figures: with both phones live, the time from a write on one phone to
//! the entry arriving on the other (p50/p99), for one couple and for many
//! couples writing at once (deliveries/s); bytes on the wire per
//! ~400-character entry, counted by a TCP proxy in front of the relay;
//! catch-up of 1,000 entries after a week offline. `--turns` runs only the
//! turn-taking workload: in each couple the partners take turns, each entry
//! written as soon as the partner has seen the previous one (deliveries/s,
//! latency p50/p99, CPU per delivery), then the same workload as
//! `floor_bench` does it, with only a delivery's unavoidable work, and
//! Hearth's CPU per delivery as a multiple of that floor's (a ratio that
//! moves less from run to run than either figure; `--no-floor` leaves the
//! floor out, for profilers and system-call counts). The relay's rate
//! limits and its cap on live streams per address are off: every client
//! here shares one loopback address.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a benchmark: fail loudly

mod floor;

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use hearth_core::events::{Event, Listener};
use hearth_core::journal::entry::NewEntry;
use hearth_core::{Hearth, OpenOptions};
use hearth_relay::{Database, Limits, RateLimits, RelayConfig};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;

use floor::{BODY_CHARS, body, cpu_seconds};

fn main() {
    let couples = floor::arg("--couples", 200);
    let entries = floor::arg("--entries", 10);
    floor::phones_runtime().block_on(bench(couples, entries));
}

async fn bench(couples: usize, entries: usize) {
    let dir = tempfile::tempdir().unwrap();
    // The relay gets a runtime of its own, as it would on its own machine.
    let db = dir.path().join("relay.db");
    let (tx, rx) = std::sync::mpsc::channel();
    let (stop_relay, relay_stopped) = tokio::sync::oneshot::channel::<()>();
    let relay_thread = std::thread::spawn(move || {
        floor::relay_runtime("relay-runtime").block_on(async move {
            let relay = hearth_relay::start(RelayConfig {
                listen: "127.0.0.1:0".parse().unwrap(),
                database: Database::Sqlite(db),
                rates: RateLimits::off(),
                // Every phone here shares one loopback address.
                limits: Limits {
                    max_streams_per_address: 100_000,
                    ..Limits::default()
                },
                ..RelayConfig::default()
            })
            .await
            .unwrap();
            tx.send(relay.local_addr()).unwrap();
            let _ = relay_stopped.await;
            relay.shutdown().await.unwrap();
        });
    });
    let relay_addr = rx.recv().unwrap();
    let url = format!("http://{relay_addr}");
    println!("sync benchmark: phones and relay on loopback, 2 worker threads");

    cost_breakdown(&url, dir.path()).await;
    if std::env::args().any(|a| a == "--only-cost") {
        return;
    }
    if std::env::args().any(|a| a == "--turns") {
        turn_taking(&url, dir.path(), couples, entries).await;
        let _ = stop_relay.send(());
        relay_thread.join().unwrap();
        return;
    }
    one_couple_live(&url, dir.path()).await;
    bytes_per_entry(relay_addr, dir.path()).await;
    catch_up(&url, dir.path()).await;
    many_couples_live(&url, dir.path(), couples, entries).await;
    let _ = stop_relay.send(());
    relay_thread.join().unwrap();
}

/// A phone in its own directory under `root`.
fn phone(root: &std::path::Path, name: &str, relay: &str) -> Arc<Hearth> {
    let hearth = Hearth::open(
        tempfile::tempdir_in(root).unwrap().keep(),
        OpenOptions {
            display_name: Some(name.into()),
            ..Default::default()
        },
    )
    .unwrap();
    hearth.set_relay(relay).unwrap();
    Arc::new(hearth)
}

async fn pair(a: &Hearth, b: &Hearth) {
    let invite = a.start_pairing().await.unwrap();
    let (x, y) = tokio::join!(a.finish_pairing(), b.join_partner(&invite.code));
    x.unwrap();
    y.unwrap();
    a.sync_now().await.unwrap();
    b.sync_now().await.unwrap();
}

/// Records when each entry arrives.
struct Arrivals(Mutex<Vec<(String, Instant)>>);

impl Listener for Arrivals {
    fn on_event(&self, event: Event) {
        if let Event::EntryChanged { id } = event {
            self.0.lock().unwrap().push((id, Instant::now()));
        }
    }
}

/// One phone's arrivals, with a wake-up for whoever waits for one.
#[derive(Default)]
struct Inbox {
    seen: Mutex<std::collections::HashMap<String, Instant>>,
    arrived: tokio::sync::Notify,
}

impl Listener for Inbox {
    fn on_event(&self, event: Event) {
        if let Event::EntryChanged { id } = event {
            self.seen
                .lock()
                .unwrap()
                .entry(id)
                .or_insert_with(Instant::now);
            self.arrived.notify_waiters();
        }
    }
}

impl Inbox {
    /// When the entry `id` arrived, waiting for it up to `limit`.
    async fn wait_for(&self, id: &str, limit: Duration) -> Option<Instant> {
        let deadline = tokio::time::Instant::now() + limit;
        loop {
            let arrived = self.arrived.notified();
            tokio::pin!(arrived);
            arrived.as_mut().enable();
            if let Some(at) = self.seen.lock().unwrap().get(id) {
                return Some(*at);
            }
            if tokio::time::timeout_at(deadline, arrived).await.is_err() {
                return None;
            }
        }
    }
}

/// The turn-taking workload: in every couple the partners take turns, and
/// each entry is written as soon as the partner has seen the previous one.
async fn turn_taking(url: &str, root: &std::path::Path, couples: usize, entries: usize) {
    let mut phones = Vec::new();
    for c in 0..couples {
        let a = phone(root, &format!("A{c}"), url);
        let b = phone(root, &format!("B{c}"), url);
        pair(&a, &b).await;
        let (ia, ib) = (Arc::new(Inbox::default()), Arc::new(Inbox::default()));
        let subscriptions = (a.subscribe(ia.clone()), b.subscribe(ib.clone()));
        phones.push((a, b, ia, ib, subscriptions));
    }
    let (stop, rx) = watch::channel(false);
    let mut live = Vec::new();
    for (a, b, ..) in &phones {
        live.push(go_live(a.clone(), rx.clone()));
        live.push(go_live(b.clone(), rx.clone()));
    }
    tokio::time::sleep(Duration::from_secs(2)).await;

    let peak = ThreadPeak::start();
    let cpu_before = cpu_seconds();
    let io_before = Written::now();
    let start = Instant::now();
    let mut couples_done = Vec::new();
    for (c, (a, b, ia, ib, _)) in phones.iter().enumerate() {
        let (a, b, ia, ib) = (a.clone(), b.clone(), ia.clone(), ib.clone());
        couples_done.push(tokio::spawn(async move {
            let mut latencies = Vec::new();
            let mut lost = 0;
            for e in 0..entries {
                for (writer, reader) in [(&a, &ib), (&b, &ia)] {
                    let at = Instant::now();
                    let entry = writer
                        .write_entry(NewEntry {
                            body: body(c * 10_000 + e),
                            ..Default::default()
                        })
                        .unwrap();
                    match reader.wait_for(&entry.id, Duration::from_secs(30)).await {
                        Some(seen) => latencies.push(seen - at),
                        None => lost += 1,
                    }
                }
            }
            (latencies, lost)
        }));
    }
    let mut latencies = Vec::new();
    let mut lost = 0;
    for done in couples_done {
        let (l, n) = done.await.unwrap();
        latencies.extend(l);
        lost += n;
    }
    let elapsed = start.elapsed();
    let cpu = cpu_seconds() - cpu_before;
    let written = Written::now().and_then(|now| now.since(io_before));
    stop.send(true).unwrap();
    for t in live {
        t.await.unwrap();
    }
    println!(
        "turn-taking, {couples} couples x {entries} entries per partner: {} delivered ({lost} not within 30 s) in {:.2} s = {:.0} deliveries/s; latency p50 {} p99 {} (targets at 200 couples: >= 2,000/s, p99 <= 100 ms; at 50: p99 <= 30 ms)",
        latencies.len(),
        elapsed.as_secs_f64(),
        latencies.len() as f64 / elapsed.as_secs_f64(),
        ms(percentile(&latencies, 50)),
        ms(percentile(&latencies, 99))
    );
    println!(
        "  CPU (both phones of every couple and the relay, one process): {:.2} s = {:.2} ms per delivery",
        cpu,
        cpu * 1000.0 / latencies.len().max(1) as f64
    );
    if let Some(Written { calls, bytes }) = written {
        let delivered = latencies.len().max(1) as f64;
        println!(
            "  writes (files and sockets, one process): {:.1} calls and {:.1} KB per delivery (steadier than time on a shared machine)",
            calls as f64 / delivered,
            bytes as f64 / 1024.0 / delivered
        );
    }
    println!(
        "  threads in the process: at most {} while {} profiles were open (target: bounded whatever the number of profiles)",
        peak.stop(),
        couples * 2
    );
    drop(phones);
    if std::env::args().any(|a| a == "--no-floor") {
        return;
    }
    let floor = floor::turn_taking(couples, entries).await;
    println!(
        "  the floor (the same workload with only a delivery's unavoidable work, as floor_bench does it): {:.0} deliveries/s, latency p50 {} p99 {}, CPU {:.2} ms per delivery; Hearth's CPU per delivery is {:.2}x the floor's",
        floor.per_second(),
        ms(floor.percentile(50)),
        ms(floor.percentile(99)),
        floor.cpu_ms(),
        cpu * 1000.0 / latencies.len().max(1) as f64 / floor.cpu_ms()
    );
}

/// The most threads the process had while it ran, sampled every 5 ms.
struct ThreadPeak {
    stop: Arc<std::sync::atomic::AtomicBool>,
    sampler: std::thread::JoinHandle<u64>,
}

impl ThreadPeak {
    fn start() -> Self {
        let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
        let flag = stop.clone();
        let sampler = std::thread::spawn(move || {
            let mut most = 0;
            while !flag.load(Ordering::Relaxed) {
                most = most.max(threads());
                std::thread::sleep(Duration::from_millis(5));
            }
            most
        });
        Self { stop, sampler }
    }

    fn stop(self) -> u64 {
        self.stop.store(true, Ordering::Relaxed);
        self.sampler.join().unwrap()
    }
}

/// The process's thread count, from /proc (0 where there is none).
fn threads() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("Threads:"))
                .and_then(|n| n.trim().parse().ok())
        })
        .unwrap_or(0)
}

fn go_live(hearth: Arc<Hearth>, stop: watch::Receiver<bool>) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut stop = stop;
        let _ = hearth
            .sync_live(async move {
                let _ = stop.wait_for(|s| *s).await;
            })
            .await;
    })
}

/// CPU per step of one delivery, one couple, no live mode: the write, the
/// writer's sync (push), the reader's sync (pull and merge).
async fn cost_breakdown(url: &str, root: &std::path::Path) {
    let a = phone(root, "Robin", url);
    let b = phone(root, "Sam", url);
    pair(&a, &b).await;
    let n = if std::env::args().any(|a| a == "--only-cost") {
        2000
    } else {
        200
    };
    let (mut write, mut push, mut pull) = (0.0, 0.0, 0.0);
    for i in 0..n {
        let t = cpu_seconds();
        a.write_entry(NewEntry {
            body: body(i),
            ..Default::default()
        })
        .unwrap();
        let t1 = cpu_seconds();
        a.sync_now().await.unwrap();
        let t2 = cpu_seconds();
        b.sync_now().await.unwrap();
        let t3 = cpu_seconds();
        write += t1 - t;
        push += t2 - t1;
        pull += t3 - t2;
    }
    let per = |s: f64| s * 1000.0 / n as f64;
    println!(
        "CPU per delivery, one couple, relay included: write {:.2} ms, writer's sync {:.2} ms, reader's sync {:.2} ms = {:.2} ms (target <= 0.8 ms)",
        per(write),
        per(push),
        per(pull),
        per(write + push + pull)
    );
}

async fn one_couple_live(url: &str, root: &std::path::Path) {
    let a = phone(root, "Robin", url);
    let b = phone(root, "Sam", url);
    pair(&a, &b).await;
    let arrivals = Arc::new(Arrivals(Mutex::new(Vec::new())));
    let _subscription = b.subscribe(arrivals.clone());
    let (stop, rx) = watch::channel(false);
    let tasks = [go_live(a.clone(), rx.clone()), go_live(b.clone(), rx)];
    tokio::time::sleep(Duration::from_millis(300)).await;

    let mut latencies = Vec::new();
    for i in 0..200 {
        let start = Instant::now();
        let entry = a
            .write_entry(NewEntry {
                body: body(i),
                ..Default::default()
            })
            .unwrap();
        let deadline = start + Duration::from_secs(10);
        loop {
            let found = arrivals
                .0
                .lock()
                .unwrap()
                .iter()
                .find(|(id, _)| *id == entry.id)
                .map(|(_, at)| *at);
            if let Some(at) = found {
                latencies.push(at - start);
                break;
            }
            assert!(Instant::now() < deadline, "entry {i} never arrived");
            tokio::time::sleep(Duration::from_micros(200)).await;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    stop.send(true).unwrap();
    for t in tasks {
        t.await.unwrap();
    }
    println!(
        "one couple live, A writes -> B sees ({} entries): p50 {} p99 {} (targets 20 ms / 100 ms)",
        latencies.len(),
        ms(percentile(&latencies, 50)),
        ms(percentile(&latencies, 99))
    );
}

async fn many_couples_live(url: &str, root: &std::path::Path, couples: usize, entries: usize) {
    let mut pairs = Vec::new();
    let setup = Instant::now();
    for c in 0..couples {
        let a = phone(root, &format!("A{c}"), url);
        let b = phone(root, &format!("B{c}"), url);
        pair(&a, &b).await;
        pairs.push((a, b));
    }
    println!(
        "{couples} couples paired in {:.1} s",
        setup.elapsed().as_secs_f64()
    );
    let (stop, rx) = watch::channel(false);
    let mut tasks = Vec::new();
    let mut subscriptions = Vec::new();
    let arrivals = Arc::new(Arrivals(Mutex::new(Vec::new())));
    for (a, b) in &pairs {
        subscriptions.push(b.subscribe(arrivals.clone()));
        tasks.push(go_live(a.clone(), rx.clone()));
        tasks.push(go_live(b.clone(), rx.clone()));
    }
    tokio::time::sleep(Duration::from_secs(2)).await;

    let written: Arc<Mutex<Vec<(String, Instant)>>> = Arc::default();
    let cpu_before = cpu_seconds();
    let start = Instant::now();
    let mut writers = Vec::new();
    for (c, (a, _)) in pairs.iter().enumerate() {
        let a = a.clone();
        let written = written.clone();
        writers.push(tokio::spawn(async move {
            for e in 0..entries {
                let at = Instant::now();
                let entry = a
                    .write_entry(NewEntry {
                        body: body(c * 1000 + e),
                        ..Default::default()
                    })
                    .unwrap();
                written.lock().unwrap().push((entry.id, at));
                tokio::task::yield_now().await;
            }
        }));
    }
    for w in writers {
        w.await.unwrap();
    }
    let total = couples * entries;
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        let seen = arrivals.0.lock().unwrap().len();
        if seen >= total || Instant::now() > deadline {
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    let elapsed = start.elapsed();
    let cpu = cpu_seconds() - cpu_before;
    let arrived = arrivals.0.lock().unwrap().clone();
    let written = written.lock().unwrap().clone();
    let mut latencies = Vec::new();
    for (id, at) in &written {
        if let Some((_, seen)) = arrived.iter().find(|(i, _)| i == id) {
            latencies.push(*seen - *at);
        }
    }
    stop.send(true).unwrap();
    for t in tasks {
        t.await.unwrap();
    }
    drop(subscriptions);
    println!(
        "{couples} couples live, {entries} entries each: {} of {total} delivered in {:.2} s = {:.0} deliveries/s (target >= 3,000); latency p50 {} p99 {}",
        latencies.len(),
        elapsed.as_secs_f64(),
        latencies.len() as f64 / elapsed.as_secs_f64(),
        ms(percentile(&latencies, 50)),
        ms(percentile(&latencies, 99))
    );
    println!(
        "  CPU (writers, both phones of every couple and the relay, one process): {:.2} s = {:.2} ms per delivery",
        cpu,
        cpu * 1000.0 / latencies.len().max(1) as f64
    );
}

/// What this process has written so far through write calls (WAL frames,
/// database pages, sockets), from `/proc/self/io`; `None` where that file
/// is missing or unreadable.
#[derive(Clone, Copy)]
struct Written {
    calls: u64,
    bytes: u64,
}

impl Written {
    fn now() -> Option<Self> {
        let text = std::fs::read_to_string("/proc/self/io").ok()?;
        let field = |name: &str| {
            text.lines()
                .find_map(|line| line.strip_prefix(name)?.trim().parse::<u64>().ok())
        };
        Some(Self {
            calls: field("syscw:")?,
            bytes: field("wchar:")?,
        })
    }

    fn since(self, before: Option<Self>) -> Option<Self> {
        let before = before?;
        Some(Self {
            calls: self.calls.saturating_sub(before.calls),
            bytes: self.bytes.saturating_sub(before.bytes),
        })
    }
}

/// A TCP proxy in front of the relay that counts bytes each way.
struct Counted {
    up: AtomicU64,
    down: AtomicU64,
}

async fn proxy(relay: std::net::SocketAddr) -> (String, Arc<Counted>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let counted = Arc::new(Counted {
        up: AtomicU64::new(0),
        down: AtomicU64::new(0),
    });
    let c = counted.clone();
    tokio::spawn(async move {
        loop {
            let Ok((client, _)) = listener.accept().await else {
                return;
            };
            let c = c.clone();
            tokio::spawn(async move {
                let Ok(server) = TcpStream::connect(relay).await else {
                    return;
                };
                let (client_read, client_write) = client.into_split();
                let (server_read, server_write) = server.into_split();
                let up = pump(client_read, server_write, c.clone(), true);
                let down = pump(server_read, client_write, c, false);
                let _ = tokio::join!(up, down);
            });
        }
    });
    (format!("http://{addr}"), counted)
}

/// Copies one direction, counting every byte as it passes.
async fn pump(
    mut from: tokio::net::tcp::OwnedReadHalf,
    mut to: tokio::net::tcp::OwnedWriteHalf,
    counted: Arc<Counted>,
    up: bool,
) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut buf = vec![0u8; 64 * 1024];
    loop {
        let n = match from.read(&mut buf).await {
            Ok(0) | Err(_) => return,
            Ok(n) => n,
        };
        let counter = if up { &counted.up } else { &counted.down };
        counter.fetch_add(n as u64, Ordering::Relaxed);
        if to.write_all(&buf[..n]).await.is_err() {
            return;
        }
    }
}

async fn bytes_per_entry(relay: std::net::SocketAddr, root: &std::path::Path) {
    let (url, counted) = proxy(relay).await;
    let a = phone(root, "Robin", &url);
    let b = phone(root, "Sam", &url);
    pair(&a, &b).await;
    let n = 100;
    for i in 0..n {
        a.write_entry(NewEntry {
            body: body(i),
            ..Default::default()
        })
        .unwrap();
    }
    let count = || {
        (
            counted.up.load(Ordering::Relaxed),
            counted.down.load(Ordering::Relaxed),
        )
    };
    let before = count();
    let pushed = a.sync_now().await.unwrap().pushed;
    let after_push = count();
    let pulled = b.sync_now().await.unwrap().pulled;
    let after_pull = count();
    let push_leg = (after_push.0 - before.0) + (after_push.1 - before.1);
    let pull_leg = (after_pull.0 - after_push.0) + (after_pull.1 - after_push.1);
    println!(
        "bytes on the wire per ~{BODY_CHARS}-character entry (TCP bytes both ways, {pushed} pushed and {pulled} pulled in batches): A->relay {:.0}, relay->B {:.0} (target <= 1,500 each); end to end {:.0}",
        push_leg as f64 / n as f64,
        pull_leg as f64 / n as f64,
        (push_leg + pull_leg) as f64 / n as f64
    );
    let before = count();
    a.write_entry(NewEntry {
        body: body(9999),
        ..Default::default()
    })
    .unwrap();
    a.sync_now().await.unwrap();
    b.sync_now().await.unwrap();
    let after = count();
    println!(
        "  one entry on its own (requests, headers, signatures, answers included): {} bytes end to end",
        (after.0 - before.0) + (after.1 - before.1)
    );
}

async fn catch_up(url: &str, root: &std::path::Path) {
    let a = phone(root, "Robin", url);
    let b = phone(root, "Sam", url);
    pair(&a, &b).await;
    // A week of writing on one phone while the other is off.
    for i in 0..1000 {
        a.write_entry(NewEntry {
            body: body(i),
            ..Default::default()
        })
        .unwrap();
    }
    a.sync_now().await.unwrap();
    let start = Instant::now();
    let report = b.sync_now().await.unwrap();
    let elapsed = start.elapsed();
    let page = b.list_entries(&Default::default(), 10, None).unwrap();
    assert!(!page.entries.is_empty());
    println!(
        "catch-up of 1,000 entries after a week offline: {:.2} s for {} items (target <= 2 s)",
        elapsed.as_secs_f64(),
        report.pulled
    );
}

fn percentile(samples: &[Duration], p: usize) -> Duration {
    if samples.is_empty() {
        return Duration::ZERO;
    }
    let mut sorted = samples.to_vec();
    sorted.sort();
    let index = (sorted.len() * p).div_ceil(100).saturating_sub(1);
    sorted[index.min(sorted.len() - 1)]
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}
