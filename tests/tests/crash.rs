//! Crash tests: a phone process (`crash_phone`) is killed with SIGKILL at
//! a random moment while it writes, and while it applies a pulled batch;
//! its profile is reopened each time and must open, hold every write it
//! acknowledged, have projections and a search index that agree with its
//! documents, and converge with the partner at the next sync. The relay
//! is killed the same way under concurrent pushers: no acknowledged blob
//! is lost and none changes its sequence number.
//!
//! `CRASH_KILLS` sets the kills of each kind (3 by default, for CI);
//! `scripts/crash-soak` runs many more. Each run prints its random seed;
//! `CRASH_SEED` replays one.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failure

use std::collections::{BTreeMap, BTreeSet};
use std::io::{BufRead as _, BufReader};
use std::process::{Child, ChildStdout, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use hearth_core::crypto::{DeviceKeys, SpaceKey, relay_member_tag};
use hearth_core::journal::query::EntryFilter;
use hearth_core::sync::client::RelayClient;
use hearth_core::{Hearth, OpenOptions};
use hearth_protocol::{BlobId, DeviceId, DocumentId, LogItem, MemberTag, NewBlob, SpaceId};
use hearth_tests::{Phone, Relay, pair, phone, settle};
use rusqlite::Connection;
use tempfile::TempDir;

const BIN: &str = env!("CARGO_BIN_EXE_crash_phone");

fn kills() -> usize {
    std::env::var("CRASH_KILLS")
        .ok()
        .and_then(|k| k.parse().ok())
        .unwrap_or(3)
}

/// A small random source (xorshift), seeded from the clock or `CRASH_SEED`.
struct Dice(u64);

impl Dice {
    fn new(test: &str) -> Self {
        let seed = std::env::var("CRASH_SEED")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or_else(|| {
                let nanos = std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .unwrap()
                    .subsec_nanos();
                u64::from(nanos) | 1
            });
        eprintln!("{test}: CRASH_SEED={seed}");
        Self(seed)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n.max(1)
    }
}

/// A child process and its output, line by line.
struct Process {
    child: Child,
    lines: std::io::Lines<BufReader<ChildStdout>>,
}

impl Process {
    fn spawn(args: &[&str]) -> Self {
        let mut child = Command::new(BIN)
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap();
        let lines = BufReader::new(child.stdout.take().unwrap()).lines();
        Self { child, lines }
    }

    fn next_line(&mut self) -> String {
        self.lines.next().expect("the process ended early").unwrap()
    }

    /// SIGKILL, then every whole line it printed before dying.
    fn kill(mut self) -> Vec<String> {
        self.child.kill().unwrap();
        self.child.wait().unwrap();
        self.lines.by_ref().map_while(Result::ok).collect()
    }
}

impl Drop for Process {
    /// A failed test leaves no process behind.
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Robin (in this process) paired with Sam, whose profile folder is
/// returned closed, for `crash_phone` to open.
async fn couple() -> (Relay, Phone, TempDir) {
    let relay = Relay::start_unlimited().await;
    let a = phone("Robin", &relay);
    let b = phone("Sam", &relay);
    pair(&a, &b).await;
    let Phone { hearth, dir, .. } = b;
    drop(hearth);
    (relay, a, dir)
}

/// Sam's profile, reopened in this process after a kill.
fn reopen(dir: TempDir) -> Phone {
    let hearth = Hearth::open(
        dir.path(),
        OpenOptions {
            display_name: Some("Sam".into()),
            ..Default::default()
        },
    )
    .expect("the profile opens after a kill");
    Phone {
        hearth,
        dir,
        name: "Sam".into(),
        clock: None,
    }
}

fn close(phone: Phone) -> TempDir {
    let Phone { hearth, dir, .. } = phone;
    drop(hearth);
    dir
}

/// The store is whole and its projections and search index agree with
/// its documents.
fn check_store(phone: &Phone) {
    let conn = Connection::open(phone.path().join("hearth.db")).unwrap();
    let ok: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(ok, "ok");
    let ids = |sql: &str| -> BTreeSet<String> {
        let mut stmt = conn.prepare(sql).unwrap();
        stmt.query_map([], |r| r.get(0))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap()
    };
    assert_eq!(
        ids("SELECT id FROM documents WHERE kind = 'entry'"),
        ids("SELECT id FROM entries WHERE visibility = 'shared'"),
        "every entry document has its row, and no row lacks its document"
    );
    let rowids: BTreeMap<String, i64> = {
        let mut stmt = conn.prepare("SELECT id, rowid FROM entries").unwrap();
        stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap()
    };
    let entries = phone.entries();
    let matching = |word: &str| -> BTreeSet<i64> {
        let mut stmt = conn
            .prepare("SELECT rowid FROM entries_fts WHERE entries_fts MATCH ?1")
            .unwrap();
        stmt.query_map([word], |r| r.get(0))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap()
    };
    // Rows still marked for the index hold no words in it yet; a search
    // then indexes exactly them.
    let marked: BTreeSet<i64> = {
        let mut stmt = conn
            .prepare("SELECT rowid FROM entries WHERE unindexed = 1")
            .unwrap();
        stmt.query_map([], |r| r.get(0))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap()
    };
    for word in ["crashword", "partner"] {
        assert!(
            matching(word).is_disjoint(&marked),
            "a row marked for the index already has words in it"
        );
    }
    phone
        .hearth
        .search_entries("crashword", &EntryFilter::default(), 1)
        .unwrap();
    for word in ["crashword", "partner"] {
        let want: BTreeSet<i64> = entries
            .iter()
            .filter(|e| e.body.contains(word))
            .map(|e| rowids[&e.id])
            .collect();
        assert_eq!(matching(word), want, "the search index agrees on {word:?}");
    }
}

/// Every acknowledged write is there, and found by search.
fn check_acked(phone: &Phone, acked: &[(String, String)]) {
    for (id, word) in acked {
        let entry = phone
            .hearth
            .entry(id)
            .unwrap_or_else(|e| panic!("acknowledged entry {word} lost: {e}"));
        assert!(entry.body.contains(word.as_str()));
        let hits = phone
            .hearth
            .search_entries(word, &EntryFilter::default(), 5)
            .unwrap();
        assert!(
            hits.iter().any(|h| h.entry.id == *id),
            "entry {word} not found by search"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_phone_killed_while_it_writes_keeps_every_acknowledged_write() {
    let mut dice = Dice::new("writes");
    let (_relay, a, mut dir) = couple().await;
    let mut acked: Vec<(String, String)> = Vec::new();
    let mut round = 0;
    for _ in 0..kills() {
        let path = dir.path().to_str().unwrap().to_owned();
        round += 1;
        let mut child = Process::spawn(&["write", &path, &round.to_string()]);
        // Kill after a random number of acknowledged writes, a random
        // moment into the next one.
        for _ in 0..=dice.below(12) {
            let line = child.next_line();
            acked.push(parse_ack(&line));
        }
        tokio::time::sleep(Duration::from_micros(dice.below(4000))).await;
        acked.extend(child.kill().iter().map(|l| parse_ack(l)));
        let b = reopen(dir);
        check_store(&b);
        check_acked(&b, &acked);
        dir = close(b);
    }
    let b = reopen(dir);
    settle(&a, &b).await;
    check_acked(&a, &acked);
    assert_eq!(a.shared_view(), b.shared_view());
    check_store(&b);
    eprintln!(
        "writes: {} kills, {} acknowledged writes kept",
        kills(),
        acked.len()
    );
}

fn parse_ack(line: &str) -> (String, String) {
    let mut words = line.split(' ');
    assert_eq!(words.next(), Some("acked"), "{line}");
    (
        words.next().unwrap().to_owned(),
        words.next().unwrap().to_owned(),
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_phone_killed_while_it_applies_a_pulled_batch_opens_and_converges() {
    let mut dice = Dice::new("pulls");
    let (_relay, a, mut dir) = couple().await;
    let mut written = 0;
    for _ in 0..kills() {
        // A batch to pull: Robin's entries since the last round.
        for _ in 0..40 {
            written += 1;
            a.write(&format!(
                "partner words p{written}q, long enough to take a while to index"
            ));
        }
        a.hearth.sync_now().await.unwrap();
        let path = dir.path().to_str().unwrap().to_owned();
        let mut child = Process::spawn(&["sync", &path]);
        assert_eq!(child.next_line(), "opened");
        tokio::time::sleep(Duration::from_millis(dice.below(250))).await;
        child.kill();
        let b = reopen(dir);
        check_store(&b);
        dir = close(b);
    }
    let b = reopen(dir);
    settle(&a, &b).await;
    assert_eq!(b.entries().len(), written);
    assert_eq!(a.shared_view(), b.shared_view());
    check_store(&b);
    eprintln!("pulls: {} kills, {written} entries converged", kills());
}

/// Where a crash test's relay keeps its log.
#[derive(Debug, Clone)]
enum RelayDb {
    /// A SQLite file.
    Sqlite(String),
    /// A PostgreSQL URL and a schema of this test's own.
    Postgres(String, String),
}

/// A relay process on `db`, and its address.
fn start_relay(db: &RelayDb) -> (Process, String) {
    let mut relay = match db {
        RelayDb::Sqlite(file) => Process::spawn(&["relay", file, "127.0.0.1:0"]),
        RelayDb::Postgres(url, schema) => Process::spawn(&["relay", url, "127.0.0.1:0", schema]),
    };
    let line = relay.next_line();
    let addr = line.strip_prefix("listening ").unwrap().to_owned();
    (relay, format!("http://{addr}"))
}

/// What a pusher was told: blob id, its seq, its document, its bytes.
type Acked = Arc<Mutex<Vec<(String, u64, String, Vec<u8>)>>>;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_relay_killed_under_concurrent_pushers_loses_no_acknowledged_blob() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("relay.db").to_str().unwrap().to_owned();
    relay_kills(RelayDb::Sqlite(file), "relay").await;
}

/// The same on PostgreSQL, when the suite has a server
/// (`HEARTH_TEST_POSTGRES_URL`, as `scripts/postgres start` sets and CI
/// requires with `HEARTH_REQUIRE_POSTGRES=1`).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_postgres_relay_killed_under_concurrent_pushers_loses_no_acknowledged_blob() {
    let Ok(url) = std::env::var("HEARTH_TEST_POSTGRES_URL") else {
        assert!(
            std::env::var("HEARTH_REQUIRE_POSTGRES").is_err(),
            "HEARTH_REQUIRE_POSTGRES=1 but HEARTH_TEST_POSTGRES_URL is unset"
        );
        eprintln!("notice: HEARTH_TEST_POSTGRES_URL is unset, skipping the PostgreSQL relay kills");
        return;
    };
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .subsec_nanos();
    let schema = format!("hearth_crash_{}_{nanos}", std::process::id());
    relay_kills(RelayDb::Postgres(url, schema), "postgres relay").await;
}

async fn relay_kills(db: RelayDb, name: &str) {
    let mut dice = Dice::new(name);
    let (mut relay, mut url) = start_relay(&db);
    let space = SpaceId::parse("crash-space").unwrap();
    let devices: Vec<DeviceKeys> = (0..3).map(|_| DeviceKeys::generate().unwrap()).collect();
    let client = RelayClient::new(&url).unwrap();
    // Two people: Robin with two devices, Sam with one.
    let key = SpaceKey::generate().unwrap();
    let tag = |who: &str| Some(MemberTag::parse(&relay_member_tag(&key, who)).unwrap());
    client
        .create_space(&devices[0], &space, tag("robin"))
        .await
        .unwrap();
    for (other, who) in devices[1..].iter().zip(["robin", "sam"]) {
        let id = DeviceId::parse(&other.device_id()).unwrap();
        client
            .add_device(&devices[0], &space, id, tag(who))
            .await
            .unwrap();
    }
    let devices: Vec<Arc<DeviceKeys>> = devices.into_iter().map(Arc::new).collect();
    let acked: Acked = Arc::default();
    for round in 1..=kills() as u64 {
        let before = acked.lock().unwrap().len();
        let pushers: Vec<_> = devices
            .iter()
            .enumerate()
            .map(|(d, keys)| {
                let (keys, url, space, acked) =
                    (keys.clone(), url.clone(), space.clone(), acked.clone());
                tokio::spawn(push_until_refused(keys, url, space, acked, round, d))
            })
            .collect();
        // Kill once a random number of pushes were acknowledged.
        let wanted = before + 1 + dice.below(30) as usize;
        while acked.lock().unwrap().len() < wanted {
            assert!(
                !pushers.iter().all(tokio::task::JoinHandle::is_finished),
                "the pushers stopped before the kill"
            );
            tokio::task::yield_now().await;
            tokio::time::sleep(Duration::from_millis(1)).await;
        }
        tokio::time::sleep(Duration::from_micros(dice.below(3000))).await;
        relay.kill();
        for pusher in pushers {
            pusher.await.unwrap();
        }
        (relay, url) = start_relay(&db);
        let so_far = acked.lock().unwrap().clone();
        check_log(&url, &devices[0], &space, &so_far).await;
    }
    relay.kill();
    eprintln!(
        "{name}: {} kills, {} acknowledged blobs kept at their seqs",
        kills(),
        acked.lock().unwrap().len()
    );
}

async fn push_until_refused(
    keys: Arc<DeviceKeys>,
    url: String,
    space: SpaceId,
    acked: Acked,
    round: u64,
    device: usize,
) {
    let client = RelayClient::new(&url).unwrap();
    for n in 0u64.. {
        let mut blobs = Vec::new();
        for i in 0..4u8 {
            // Unique in this run: round, device, push, blob.
            let mut id = [0u8; 16];
            id[..8].copy_from_slice(&n.to_le_bytes());
            id[8..14].copy_from_slice(&round.to_le_bytes()[..6]);
            id[14] = device as u8;
            id[15] = i;
            let doc =
                DocumentId::parse(&format!("doc-{device}-{}", (n + u64::from(i)) % 7)).unwrap();
            let data = format!("round {round} device {device} push {n} blob {i}").into_bytes();
            blobs.push(NewBlob {
                id: BlobId::from_random_bytes(id),
                doc,
                data,
            });
        }
        let Ok(pushed) = client.push(&keys, &space, blobs.clone()).await else {
            return;
        };
        let mut acked = acked.lock().unwrap();
        for (blob, receipt) in blobs.into_iter().zip(pushed.receipts) {
            assert_eq!(receipt.id, blob.id);
            acked.push((
                blob.id.as_str().to_owned(),
                receipt.seq,
                blob.doc.as_str().to_owned(),
                blob.data,
            ));
        }
    }
}

/// Every acknowledged blob is in the restarted relay's log, at its seq,
/// with its bytes; seqs are unique.
async fn check_log(
    url: &str,
    keys: &DeviceKeys,
    space: &SpaceId,
    acked: &[(String, u64, String, Vec<u8>)],
) {
    let client = RelayClient::new(url).unwrap();
    let mut log: BTreeMap<String, (u64, String, Vec<u8>)> = BTreeMap::new();
    let mut seqs = BTreeSet::new();
    let mut after = 0;
    loop {
        let page = client.pull(keys, space, after, 1000).await.unwrap();
        for item in &page.items {
            if let LogItem::Blob(blob) = item {
                assert!(seqs.insert(blob.seq), "seq {} twice", blob.seq);
                log.insert(
                    blob.id.as_str().to_owned(),
                    (blob.seq, blob.doc.as_str().to_owned(), blob.data.clone()),
                );
            }
        }
        after = page.next_cursor(after);
        if !page.more {
            break;
        }
    }
    for (id, seq, doc, data) in acked {
        let Some((got_seq, got_doc, got_data)) = log.get(id) else {
            panic!("acknowledged blob {id} (seq {seq}) lost");
        };
        assert_eq!(got_seq, seq, "blob {id} changed its seq");
        assert_eq!(got_doc, doc);
        assert_eq!(got_data, data);
    }
}
