//! Property: whatever happens (writes, edits and deletes on both phones,
//! syncs, one at a time or both at once, the relay going down and coming
//! back, phones and relay restarting, phones crashing, the relay losing its
//! database or getting it back from an older backup, and a faulty network
//! that drops requests, loses answers, duplicates, reorders, and withholds
//! pulled items for a while, and a relay that forges deletions until the
//! end), once both phones sync with the relay up and
//! the network mended they hold the same
//! journal, every acknowledged write that was not deleted is on both in
//! exactly one version (an edit that lost a race to the partner's edit is
//! dropped, never doubled), and every deleted entry, with every edit of it,
//! is gone from both.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failure

use std::collections::BTreeSet;

use hearth_core::Error;
use hearth_core::journal::entry::EntryUpdate;
use hearth_core::sync::client::RelayError;
use hearth_protocol::ErrorCode;
use hearth_tests::faults::{Fault, FaultyNetwork};
use hearth_tests::{Phone, Relay, pair, phone};
use proptest::prelude::*;

#[derive(Debug, Clone)]
enum Step {
    Write(usize),
    Edit(usize, usize),
    Delete(usize, usize),
    Sync(usize),
    SyncBoth,
    RelayDown,
    RelayUp,
    RestartPhone(usize),
    /// The phone's process dies: nothing is closed or flushed.
    CrashPhone(usize),
    RestartRelay,
    /// Whoever runs the relay takes a backup of its database.
    Backup,
    /// The relay's database is replaced by the last backup (empty when
    /// none was taken).
    Restore,
    /// The relay's database is lost.
    Wipe,
    /// The network does this to the next request.
    Fault(Fault),
    /// Pulls hand out at most this many items until `Mend`.
    Withhold(usize),
    /// The relay's holder forges an unsigned deletion of every document
    /// the relay holds (until the end, when the relay stops lying).
    Forge,
    /// The network works again.
    Mend,
}

fn step() -> BoxedStrategy<Step> {
    let honest = prop_oneof![
        4 => (0..2usize).prop_map(Step::Write),
        3 => (0..2usize, 0..64usize).prop_map(|(p, i)| Step::Edit(p, i)),
        1 => (0..2usize, 0..64usize).prop_map(|(p, i)| Step::Delete(p, i)),
        4 => (0..2usize).prop_map(Step::Sync),
        2 => Just(Step::SyncBoth),
        1 => Just(Step::RelayDown),
        1 => Just(Step::RelayUp),
        1 => (0..2usize).prop_map(Step::RestartPhone),
        1 => (0..2usize).prop_map(Step::CrashPhone),
        1 => Just(Step::RestartRelay),
        1 => Just(Step::Backup),
        1 => Just(Step::Restore),
        1 => Just(Step::Wipe),
        2 => prop_oneof![
            Just(Fault::Drop),
            Just(Fault::LoseReply),
            Just(Fault::Duplicate),
            Just(Fault::Reorder),
        ]
        .prop_map(Step::Fault),
        1 => (0..3usize).prop_map(Step::Withhold),
        1 => Just(Step::Mend),
    ];
    prop_oneof![26 => honest, 1 => Just(Step::Forge)].boxed()
}

/// One entry through its edits: every id it had (an edited shared entry
/// gets a new id), its author, and whether a deletion of it returned Ok.
struct Lineage {
    ids: Vec<String>,
    author: usize,
    deleted: bool,
}

/// Drops `phone`'s open profile without closing it, as a killed process
/// would leave it, and opens it again.
fn crash(phone: &mut Phone) {
    let placeholder = Phone::on_system_clock("placeholder");
    let dead = std::mem::replace(&mut phone.hearth, placeholder.hearth);
    std::mem::forget(dead);
    std::mem::forget(placeholder.dir);
    phone.restart();
}

/// Writes an unsigned tombstone for every document the relay holds, as a
/// relay's holder could, after the space's head.
fn forge_deletions(relay: &Relay) {
    let conn = relay_db(relay);
    let spaces: Vec<(i64, i64)> = conn
        .prepare("SELECT key, head FROM spaces")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    for (key, head) in spaces {
        let docs: Vec<String> = conn
            .prepare("SELECT DISTINCT doc FROM blobs WHERE space = ?1")
            .unwrap()
            .query_map([key], |r| r.get(0))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        let mut seq = head;
        for doc in docs {
            seq += 1;
            conn.execute(
                "INSERT OR IGNORE INTO tombstones (space, doc, seq) VALUES (?1, ?2, ?3)",
                rusqlite::params![key, doc, seq],
            )
            .unwrap();
        }
        conn.execute(
            "UPDATE spaces SET head = ?2 WHERE key = ?1",
            rusqlite::params![key, seq],
        )
        .unwrap();
    }
}

fn drop_forged_deletions(relay: &Relay) {
    relay_db(relay)
        .execute("DELETE FROM tombstones WHERE deletion IS NULL", [])
        .unwrap();
}

fn relay_db(relay: &Relay) -> rusqlite::Connection {
    let conn = rusqlite::Connection::open(relay.database_path()).unwrap();
    conn.busy_timeout(std::time::Duration::from_secs(10))
        .unwrap();
    conn
}

/// Syncs `phone`: it must succeed when the relay is up and no fault hit
/// one of its requests, and must fail when the relay is down.
async fn sync(phone: &Phone, net: &FaultyNetwork, up: bool) {
    let before = net.injected();
    let result = phone.hearth.sync_now().await;
    if !up {
        assert!(result.is_err(), "a sync succeeded with the relay down");
    } else if net.injected() == before
        && let Err(e) = result
    {
        assert!(not_admitted_yet(&e), "{e:?}");
    }
}

/// The one failure a sync may meet with the relay up and the network
/// working: the relay lost the space, the partner's phone gave it back
/// but has not admitted this device yet (at once, or at its next sync
/// when a fault cut its admission short).
fn not_admitted_yet(e: &Error) -> bool {
    matches!(e, Error::Relay(RelayError::Refused { code, .. }) if *code == ErrorCode::NotAMember)
}

async fn run(steps: Vec<Step>) {
    let mut relay = Relay::start().await;
    let net = FaultyNetwork::start(&relay.url()).await;
    let mut phones = [phone("Robin", &relay), phone("Sam", &relay)];
    pair(&phones[0], &phones[1]).await;
    for p in &phones {
        p.hearth.set_relay(&net.url()).unwrap();
    }
    let mut backup: Vec<u8> = Vec::new();
    let mut up = true;
    // Entries whose write returned Ok, through their edits; and the ids
    // whose deletion returned Ok.
    let mut written: Vec<Lineage> = Vec::new();
    let mut deleted: BTreeSet<String> = BTreeSet::new();
    let mut n = 0;
    for step in steps {
        match step {
            Step::Write(p) => {
                n += 1;
                let entry = phones[p].write(&format!("entry {n} by phone {p}"));
                written.push(Lineage {
                    ids: vec![entry.id],
                    author: p,
                    deleted: false,
                });
            }
            Step::Edit(p, i) => {
                let len = written.len().max(1);
                if let Some(lineage) = written.get_mut(i % len) {
                    n += 1;
                    // The newest id this phone knows: it may not have
                    // pulled the partner's edit yet, or the entry may be
                    // deleted here already.
                    for id in lineage.ids.clone().iter().rev() {
                        let edited = phones[p].hearth.edit_entry(
                            id,
                            EntryUpdate {
                                body: format!("edit {n} by phone {p}"),
                                ..Default::default()
                            },
                        );
                        if let Ok(entry) = edited {
                            if entry.id != *id {
                                lineage.ids.push(entry.id);
                            }
                            break;
                        }
                    }
                }
            }
            Step::Delete(p, i) => {
                let len = written.len().max(1);
                if let Some(lineage) = written.get_mut(i % len)
                    && lineage.author == p
                {
                    for id in lineage.ids.clone().iter().rev() {
                        if phones[p].hearth.delete_entry(id).is_ok() {
                            lineage.deleted = true;
                            deleted.insert(id.clone());
                            break;
                        }
                    }
                }
            }
            Step::Sync(p) => sync(&phones[p], &net, up).await,
            Step::SyncBoth => {
                let before = net.injected();
                let (a, b) = tokio::join!(phones[0].hearth.sync_now(), phones[1].hearth.sync_now());
                if !up {
                    assert!(
                        a.is_err() && b.is_err(),
                        "a sync succeeded with the relay down"
                    );
                } else if net.injected() == before {
                    for result in [a, b] {
                        if let Err(e) = result {
                            assert!(not_admitted_yet(&e), "{e:?}");
                        }
                    }
                }
            }
            Step::RelayDown => {
                if up {
                    relay.stop().await;
                    up = false;
                }
            }
            Step::RelayUp => {
                if !up {
                    relay.restart().await;
                    up = true;
                }
            }
            Step::RestartPhone(p) => phones[p].restart(),
            Step::CrashPhone(p) => crash(&mut phones[p]),
            Step::RestartRelay => {
                relay.restart().await;
                up = true;
            }
            Step::Backup => {
                if up {
                    backup = relay.backup();
                }
            }
            Step::Restore => {
                relay.restore(&backup).await;
                up = true;
            }
            Step::Wipe => {
                relay.restore(&[]).await;
                up = true;
            }
            Step::Fault(fault) => net.arm(fault),
            Step::Withhold(items) => net.withhold(items),
            Step::Mend => net.release(),
            Step::Forge => forge_deletions(&relay),
        }
    }
    net.release();
    if !up {
        relay.restart().await;
    }
    // The relay stops lying: its forged deletions go (a genuine one
    // carries its signature). Until now they had to delete nothing.
    drop_forged_deletions(&relay);
    // The first round may find a phone not admitted yet: the partner's
    // phone gave a lost space back, and a fault cut its admission of this
    // one short, which its own next sync finishes. After that, every sync
    // succeeds.
    for round in 0..3 {
        for phone in &phones {
            match phone.hearth.sync_now().await {
                Ok(_) => {}
                Err(e) if round == 0 && not_admitted_yet(&e) => {}
                Err(e) => panic!("a final sync failed on {}: {e:?}", phone.name),
            }
        }
    }
    let (a, b) = (&phones[0], &phones[1]);
    assert_eq!(a.shared_view(), b.shared_view());
    for phone in [a, b] {
        let ids: BTreeSet<String> = phone.entries().into_iter().map(|e| e.id).collect();
        for id in &deleted {
            assert!(
                !ids.contains(id),
                "a deleted entry came back on {}",
                phone.name
            );
        }
        for lineage in &written {
            let present = lineage.ids.iter().filter(|id| ids.contains(*id)).count();
            if lineage.deleted {
                assert_eq!(present, 0, "an edit undid a deletion on {}", phone.name);
            } else {
                assert_eq!(
                    present, 1,
                    "an acknowledged write was lost or doubled on {}",
                    phone.name
                );
            }
        }
        assert_eq!(phone.hearth.sync_status().unwrap().pending, 0);
    }
}

proptest! {
    // 24 schedules by default, always the same ones (a fixed seed), so
    // `cargo test` gives the same answer every time; PROPTEST_CASES=N (as
    // scripts/soak sets) runs N new random ones.
    #![proptest_config(ProptestConfig {
        failure_persistence: None,
        rng_seed: match std::env::var("PROPTEST_CASES") {
            Ok(_) => proptest::test_runner::RngSeed::Random,
            Err(_) => proptest::test_runner::RngSeed::Fixed(7),
        },
        ..ProptestConfig::with_cases(
            std::env::var("PROPTEST_CASES").ok().and_then(|c| c.parse().ok()).unwrap_or(24)
        )
    })]

    #[test]
    fn both_phones_converge_and_nothing_acknowledged_is_lost(
        steps in proptest::collection::vec(step(), 1..40)
    ) {
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap()
            .block_on(run(steps));
    }
}

/// Found by `scripts/soak`: the relay loses the space and the answer to the
/// phone that creates it again never arrives. That phone must still admit
/// its partner, or the partner is shut out of a space only it is in.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_lost_answer_to_giving_the_space_back_still_admits_the_partner() {
    run(vec![
        Step::Fault(Fault::Duplicate),
        Step::Restore,
        Step::Fault(Fault::LoseReply),
        Step::Sync(0),
    ])
    .await;
}

/// Found by `scripts/soak`: as above, but the phone that gives the space
/// back is the second to sync at the end, so the first is refused once
/// until the second finishes admitting it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_partner_admitted_late_after_a_lost_answer_syncs_once_it_is_in() {
    run(vec![
        Step::Fault(Fault::Duplicate),
        Step::Fault(Fault::LoseReply),
        Step::Restore,
        Step::Sync(1),
    ])
    .await;
}

/// Found by `scripts/soak --forge`, about 1 run in 8: the relay wiped, given
/// back by Robin, then restored from a backup of the space it had before,
/// all within one second. Its incarnation was its creation time, the same
/// second for both, so Robin took the old log for the new one and never
/// sent its edit again; Sam's later edit then lost to it and both phones
/// ended apart. The relay now numbers each creation at random (the
/// deterministic check is the relay's
/// `a_space_created_again_has_a_new_incarnation_at_once`); this runs the
/// schedule 8 times (before the fix, each of four tries of 24 runs failed
/// by its 16th run).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_backup_of_the_space_before_it_was_given_back_is_told_apart() {
    use Step::{
        Backup, Edit, Fault as Next, Forge, Mend, RelayUp, RestartPhone, RestartRelay, Restore,
        Sync, SyncBoth, Wipe, Withhold, Write,
    };
    for _ in 0..8 {
        run(vec![
            Write(0),
            Next(Fault::Reorder),
            Sync(0),
            Forge,
            Edit(0, 24),
            Sync(1),
            Backup,
            Restore,
            SyncBoth,
            Next(Fault::Reorder),
            Edit(1, 17),
            Sync(0),
            RelayUp,
            Next(Fault::LoseReply),
            Sync(1),
            Forge,
            Wipe,
            Withhold(0),
            Mend,
            Sync(0),
            Sync(0),
            Wipe,
            Edit(1, 54),
            Edit(1, 54),
            RestartRelay,
            RestartPhone(1),
            Restore,
            RestartRelay,
        ])
        .await;
    }
}
