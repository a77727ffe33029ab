//! The merge entry point: two phones swap document bytes by hand, in any
//! order and with duplicates, and end with the same journal.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failure

mod common;

use common::Phone;
use hearth_core::Error;
use hearth_core::journal::reaction::Reaction;
use hearth_core::merge::MergeOutcome;

/// A small deterministic shuffle, so a failing order can be replayed.
fn shuffle<T>(items: &mut [T], mut seed: u64) {
    for i in (1..items.len()).rev() {
        seed = seed
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        let j = (seed >> 33) as usize % (i + 1);
        items.swap(i, j);
    }
}

/// Every change of every queued document of `from`, one blob per change.
fn change_blobs(from: &Phone) -> Vec<(String, Vec<u8>)> {
    let mut blobs = Vec::new();
    for id in from.hearth.pending_documents().unwrap() {
        let bytes = from.hearth.document_bytes(&id).unwrap().unwrap();
        let mut doc = automerge::AutoCommit::load(&bytes).unwrap();
        for change in doc.get_changes(&[]) {
            blobs.push((id.clone(), change.raw_bytes().to_vec()));
        }
    }
    blobs
}

#[test]
fn concurrent_writes_converge_in_either_order() {
    let a = Phone::new("Robin");
    let b = Phone::new("Sam");
    for i in 0..5 {
        a.write(&format!("Robin's entry {i}"));
        b.write(&format!("Sam's entry {i}"));
    }
    // A hears from B first; B hears from A first; then everything again.
    b.send_all_to(&a);
    a.send_all_to(&b);
    a.send_all_to(&b);
    b.send_all_to(&a);
    assert_eq!(a.shared_view().len(), 10);
    assert_eq!(a.shared_view(), b.shared_view());
}

#[test]
fn concurrent_comments_and_reactions_merge_instead_of_overwriting() {
    let a = Phone::new("Robin");
    let b = Phone::new("Sam");
    let entry = a.write("We went to the market.");
    a.send_all_to(&b);

    a.hearth.add_comment(&entry.id, "The plums!").unwrap();
    b.hearth.add_comment(&entry.id, "The cheese!").unwrap();
    b.hearth.react(&entry.id, Some(Reaction::Laugh)).unwrap();
    a.send_all_to(&b);
    b.send_all_to(&a);

    let merged = a.hearth.entry(&entry.id).unwrap();
    assert_eq!(merged.comments.len(), 2);
    assert_eq!(merged.reactions.len(), 1);
    assert_eq!(a.shared_view(), b.shared_view());
}

#[test]
fn changes_arriving_one_by_one_in_any_order_with_duplicates_converge() {
    for seed in 1..=40_u64 {
        let a = Phone::new("Robin");
        let b = Phone::new("Sam");
        let first = a.write("first entry");
        let second = a.write("second entry");
        for round in 0..4 {
            a.hearth
                .add_comment(&first.id, &format!("comment {round}"))
                .unwrap();
        }
        a.hearth.add_comment(&second.id, "a comment").unwrap();
        a.hearth.react(&second.id, Some(Reaction::Heart)).unwrap();

        let mut blobs = change_blobs(&a);
        let duplicates: Vec<_> = blobs.iter().step_by(2).cloned().collect();
        blobs.extend(duplicates);
        shuffle(&mut blobs, seed);
        let mut applied = 0;
        for (id, bytes) in &blobs {
            match b.hearth.apply_remote(id, bytes).unwrap() {
                MergeOutcome::Applied => applied += 1,
                MergeOutcome::Waiting | MergeOutcome::AlreadyHad => {}
                MergeOutcome::Forgotten => panic!("nothing was forgotten"),
            }
            // Whatever has arrived, only complete entries are ever shown.
            for e in b.entries() {
                assert!(!e.body.is_empty());
            }
        }
        assert!(applied >= 2, "seed {seed}");
        assert_eq!(a.shared_view(), b.shared_view(), "seed {seed}");
        assert_eq!(b.hearth.entry(&first.id).unwrap().comments.len(), 4);
    }
}

#[test]
fn damaged_bytes_are_refused_and_change_nothing() {
    let a = Phone::new("Robin");
    let b = Phone::new("Sam");
    let entry = a.write("Something good happened.");
    a.send_all_to(&b);
    a.hearth.add_comment(&entry.id, "Very good.").unwrap();
    let good = a.hearth.document_bytes(&entry.id).unwrap().unwrap();
    let before = b.database_bytes();

    let mut flipped = good.clone();
    let middle = flipped.len() / 2;
    flipped[middle] ^= 0x5a;
    let mut truncated = good.clone();
    truncated.truncate(good.len() - 7);
    let mut trailing = good.clone();
    trailing.extend_from_slice(b"not automerge at all");
    for (what, bytes) in [
        ("flipped byte", flipped),
        ("truncated", truncated),
        ("garbage after a good document", trailing),
        ("random bytes", b"\x85\x6f\x4a\x83 hello".to_vec()),
        ("empty", Vec::new()),
    ] {
        let err = b.hearth.apply_remote(&entry.id, &bytes).unwrap_err();
        assert!(
            matches!(err, Error::CorruptDocument { ref doc_id, .. } if *doc_id == entry.id),
            "{what}: {err:?}"
        );
        assert!(
            !err.to_string().contains("Something"),
            "{what}: content in error"
        );
    }
    assert_eq!(b.database_bytes(), before);
    assert_eq!(
        b.hearth.entry(&entry.id).unwrap().body,
        "Something good happened."
    );
    // The good bytes still apply afterwards.
    assert_eq!(
        b.hearth.apply_remote(&entry.id, &good).unwrap(),
        MergeOutcome::Applied
    );
    assert_eq!(b.hearth.entry(&entry.id).unwrap().comments.len(), 1);
}

#[test]
fn damaged_changes_are_refused_whole_and_change_nothing() {
    let a = Phone::new("Robin");
    let b = Phone::new("Sam");
    let entry = a.write("Something good happened.");
    a.send_all_to(&b);
    let heads = {
        let doc = a.hearth.document_bytes(&entry.id).unwrap().unwrap();
        automerge::AutoCommit::load(&doc).unwrap().get_heads()
    };
    a.hearth.add_comment(&entry.id, "Very good.").unwrap();
    a.hearth.add_comment(&entry.id, "Truly.").unwrap();
    // What a device sends after its first save: the changes since.
    let doc = a.hearth.document_bytes(&entry.id).unwrap().unwrap();
    let changes = automerge::AutoCommit::load(&doc)
        .unwrap()
        .save_after(&heads);
    assert!(!changes.is_empty());
    let before = b.database_bytes();
    for at in [changes.len() / 3, changes.len() / 2, changes.len() - 3] {
        let mut flipped = changes.clone();
        flipped[at] ^= 0x5a;
        let err = b.hearth.apply_remote(&entry.id, &flipped).unwrap_err();
        assert!(
            matches!(err, Error::CorruptDocument { .. }),
            "at {at}: {err:?}"
        );
        assert_eq!(b.database_bytes(), before, "at {at}: something was applied");
    }
    let mut truncated = changes.clone();
    truncated.truncate(changes.len() - 5);
    assert!(b.hearth.apply_remote(&entry.id, &truncated).is_err());
    assert_eq!(b.hearth.entry(&entry.id).unwrap().comments.len(), 0);
    // The good changes apply once.
    assert_eq!(
        b.hearth.apply_remote(&entry.id, &changes).unwrap(),
        MergeOutcome::Applied
    );
    assert_eq!(b.hearth.entry(&entry.id).unwrap().comments.len(), 2);
    assert_eq!(
        b.hearth.apply_remote(&entry.id, &changes).unwrap(),
        MergeOutcome::AlreadyHad
    );
}

#[test]
fn a_document_that_is_not_a_valid_entry_is_refused() {
    use automerge::transaction::Transactable;
    let b = Phone::new("Sam");
    let mut doc = automerge::AutoCommit::new();
    doc.put(automerge::ROOT, "kind", "entry").unwrap();
    doc.put(automerge::ROOT, "author", "someone").unwrap();
    doc.commit();
    let before = b.database_bytes();
    let err = b.hearth.apply_remote("bogus", &doc.save()).unwrap_err();
    assert!(matches!(err, Error::InvalidDocument { .. }), "{err:?}");
    assert_eq!(b.database_bytes(), before);
    assert!(b.entries().is_empty());
}

#[test]
fn a_forgotten_document_never_comes_back() {
    let a = Phone::new("Robin");
    let b = Phone::new("Sam");
    let entry = a.write("remember the lighthouse");
    a.send_all_to(&b);
    let old_bytes = a.hearth.document_bytes(&entry.id).unwrap().unwrap();

    // The author deletes; the partner's phone hears of it and forgets too.
    a.hearth.delete_entry(&entry.id).unwrap();
    assert!(b.hearth.forget_remote(&entry.id).unwrap());
    assert!(matches!(
        b.hearth.entry(&entry.id),
        Err(Error::EntryNotFound(_))
    ));
    assert!(
        b.hearth
            .search_entries("lighthouse", &Default::default(), 5)
            .unwrap()
            .is_empty()
    );
    // Late bytes from an offline phone are dropped, on both sides.
    assert_eq!(
        b.hearth.apply_remote(&entry.id, &old_bytes).unwrap(),
        MergeOutcome::Forgotten
    );
    assert_eq!(
        a.hearth.apply_remote(&entry.id, &old_bytes).unwrap(),
        MergeOutcome::Forgotten
    );
    assert!(a.entries().is_empty() && b.entries().is_empty());
    assert!(!common::contains(&b.database_bytes(), "lighthouse"));
}

#[test]
fn entries_of_one_second_list_in_the_same_order_on_both_phones() {
    let a = Phone::new("Robin");
    let b = Phone::new("Sam");
    // Both phones write within the same second, then later entries that
    // land in the seconds just after it, where the crowd spills over.
    let write = |phone: &Phone, at: i64, body: String| {
        phone.set_time(at);
        phone
            .hearth
            .write_entry(hearth_core::journal::entry::NewEntry {
                body,
                ..Default::default()
            })
            .unwrap()
    };
    let second = common::START_MS;
    for i in 0..6 {
        write(&a, second + 100 * i, format!("lantern note {i} from Robin"));
        write(
            &b,
            second + 100 * i + 50,
            format!("lantern note {i} from Sam"),
        );
    }
    write(&a, second + 2_500, "harbour note from Robin".into());
    write(&b, second + 1_200, "harbour note from Sam".into());
    // Each phone hears the other's documents in a different order.
    for (seed, (from, to)) in [(3, (&a, &b)), (11, (&b, &a))] {
        let mut docs: Vec<String> = from.hearth.pending_documents().unwrap();
        shuffle(&mut docs, seed);
        for id in docs {
            let bytes = from.hearth.document_bytes(&id).unwrap().unwrap();
            to.hearth.apply_remote(&id, &bytes).unwrap();
        }
    }
    let order = |phone: &Phone| -> Vec<(i64, String)> {
        phone
            .entries()
            .into_iter()
            .map(|e| (e.created_at_ms, e.id))
            .collect()
    };
    let listed = order(&a);
    assert_eq!(listed.len(), 14);
    assert_eq!(listed, order(&b));
    let mut newest_first = listed.clone();
    newest_first.sort_by(|x, y| y.cmp(x));
    assert_eq!(listed, newest_first, "not in (date, id) order");
    assert_eq!(a.shared_view(), b.shared_view());

    // Moved rows are still found, and deleting one takes its words along.
    let filter = hearth_core::journal::query::EntryFilter::default();
    for phone in [&a, &b] {
        let hits = phone.hearth.search_entries("lantern", &filter, 50).unwrap();
        assert_eq!(hits.len(), 12);
        assert!(hits.iter().all(|h| h.excerpt.contains("[lantern]")));
    }
    let gone = a
        .entries()
        .into_iter()
        .find(|e| e.body == "lantern note 3 from Robin")
        .unwrap();
    a.hearth.delete_entry(&gone.id).unwrap();
    let hits = a.hearth.search_entries("lantern", &filter, 50).unwrap();
    assert_eq!(hits.len(), 11);
    assert!(hits.iter().all(|h| h.entry.id != gone.id));
    assert_eq!(a.entries().len(), 13);
}
