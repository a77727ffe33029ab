//! Property: whatever happens (writes, edits and deletes on both phones,
//! syncs, the relay going down and coming back, phones and relay
//! restarting), once both phones sync with the relay up they hold the same
//! journal, every acknowledged write that was not deleted is on both in
//! exactly one version (an edit that lost a race to the partner's edit is
//! dropped, never doubled), and every deleted entry, with every edit of it,
//! is gone from both.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failure

use std::collections::BTreeSet;

use hearth_core::journal::entry::EntryUpdate;
use hearth_tests::{Relay, pair, phone};
use proptest::prelude::*;

#[derive(Debug, Clone)]
enum Step {
    Write(usize),
    Edit(usize, usize),
    Delete(usize, usize),
    Sync(usize),
    RelayDown,
    RelayUp,
    RestartPhone(usize),
    RestartRelay,
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        4 => (0..2usize).prop_map(Step::Write),
        3 => (0..2usize, 0..64usize).prop_map(|(p, i)| Step::Edit(p, i)),
        1 => (0..2usize, 0..64usize).prop_map(|(p, i)| Step::Delete(p, i)),
        4 => (0..2usize).prop_map(Step::Sync),
        1 => Just(Step::RelayDown),
        1 => Just(Step::RelayUp),
        1 => (0..2usize).prop_map(Step::RestartPhone),
        1 => Just(Step::RestartRelay),
    ]
}

/// One entry through its edits: every id it had (an edited shared entry
/// gets a new id), its author, and whether a deletion of it returned Ok.
struct Lineage {
    ids: Vec<String>,
    author: usize,
    deleted: bool,
}

async fn run(steps: Vec<Step>) {
    let mut relay = Relay::start().await;
    let mut phones = [phone("Robin", &relay), phone("Sam", &relay)];
    pair(&phones[0], &phones[1]).await;
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
            Step::Sync(p) => {
                let result = phones[p].hearth.sync_now().await;
                if up {
                    result.unwrap();
                } else {
                    assert!(result.is_err(), "a sync succeeded with the relay down");
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
            Step::RestartRelay => {
                relay.restart().await;
                up = true;
            }
        }
    }
    if !up {
        relay.restart().await;
    }
    for _ in 0..3 {
        phones[0].hearth.sync_now().await.unwrap();
        phones[1].hearth.sync_now().await.unwrap();
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
    // 24 schedules by default; PROPTEST_CASES=500 for a longer soak.
    #![proptest_config(ProptestConfig {
        failure_persistence: None,
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
