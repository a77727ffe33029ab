//! A relay that loses its database, or gets it back from an older backup,
//! loses tombstones too. The phone that starts over signs its deletions
//! again, so an entry it deleted or edited does not come back from the
//! partner's copy, and both phones end with the same journal.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failure

use hearth_core::Error;
use hearth_core::journal::entry::EntryUpdate;
use hearth_core::sync::client::RelayError;
use hearth_protocol::ErrorCode;
use hearth_tests::faults::{Fault, FaultyNetwork};
use hearth_tests::{Phone, Relay, pair, phone, settle};

fn edit(phone: &Phone, id: &str, body: &str) -> String {
    phone
        .hearth
        .edit_entry(
            id,
            EntryUpdate {
                body: body.into(),
                ..Default::default()
            },
        )
        .unwrap()
        .id
}

fn ids(phone: &Phone) -> Vec<String> {
    let mut ids: Vec<String> = phone.entries().into_iter().map(|e| e.id).collect();
    ids.sort();
    ids
}

/// Robin edits one entry and deletes another while Sam is away; the relay
/// then loses what happened since `backup` (all of it when `None`).
async fn deletions_survive(backup_first: bool) {
    let mut relay = Relay::start().await;
    let a = phone("Robin", &relay);
    let b = phone("Sam", &relay);
    pair(&a, &b).await;
    let edited = a.write("Robin's first words");
    let deleted = a.write("Robin's second words");
    let kept = b.write("Sam's words");
    settle(&a, &b).await;
    let backup = if backup_first {
        relay.backup()
    } else {
        Vec::new()
    };

    let new_id = edit(&a, &edited.id, "Robin's first words, edited");
    a.hearth.delete_entry(&deleted.id).unwrap();
    a.hearth.sync_now().await.unwrap();
    relay.restore(&backup).await;

    // Robin notices first and starts over; then Sam syncs.
    a.hearth.sync_now().await.unwrap();
    settle(&a, &b).await;
    settle(&a, &b).await;

    let mut want = vec![new_id, kept.id];
    want.sort();
    assert_eq!(ids(&a), want, "Robin's journal");
    assert_eq!(ids(&b), want, "Sam's journal");
    assert_eq!(a.shared_view(), b.shared_view());
    for p in [&a, &b] {
        assert_eq!(p.hearth.sync_status().unwrap().pending, 0);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_relay_wiped_after_an_edit_and_a_deletion_brings_neither_back() {
    deletions_survive(false).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_relay_restored_from_an_older_backup_brings_no_deleted_entry_back() {
    deletions_survive(true).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn both_phones_giving_a_wiped_relay_the_space_back_at_once_carry_on() {
    let mut relay = Relay::start().await;
    let a = phone("Robin", &relay);
    let b = phone("Sam", &relay);
    pair(&a, &b).await;
    relay.restore(&[]).await;
    // One of them creates it; the other finds it there and carries on in
    // it (at worst, not admitted yet, it tries again at the next sync).
    let (ra, rb) = tokio::join!(a.hearth.sync_now(), b.hearth.sync_now());
    for result in [ra, rb] {
        if let Err(e) = result {
            assert!(
                matches!(&e, Error::Relay(RelayError::Refused { code, .. }) if *code == ErrorCode::NotAMember),
                "{e:?}"
            );
        }
    }
    a.write("Robin's words");
    b.write("Sam's words");
    settle(&a, &b).await;
    assert_eq!(a.entries().len(), 2);
    assert_eq!(a.shared_view(), b.shared_view());
}

/// The relay comes back from a backup older than Robin's last push, and
/// Sam, who noticed first, fills its log past Robin's last seq again
/// before Robin syncs: Robin still notices (another item sits at the seq
/// the relay gave her entry) and sends her entry again.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_restored_relay_refilled_by_the_partner_still_gets_the_lost_entry_back() {
    let mut relay = Relay::start().await;
    let a = phone("Robin", &relay);
    let b = phone("Sam", &relay);
    pair(&a, &b).await;
    a.write("Robin before the backup");
    settle(&a, &b).await;
    let backup = relay.backup();
    b.write("Sam after the backup");
    b.hearth.sync_now().await.unwrap();
    let lost = a.write("Robin after the backup");
    a.hearth.sync_now().await.unwrap();
    relay.restore(&backup).await;

    for i in 0..6 {
        b.write(&format!("Sam after the restore, {i}"));
    }
    b.hearth.sync_now().await.unwrap();
    settle(&a, &b).await;
    settle(&a, &b).await;
    assert!(
        b.hearth.entry(&lost.id).is_ok(),
        "Robin's entry reached Sam"
    );
    assert_eq!(a.entries().len(), 9);
    assert_eq!(a.shared_view(), b.shared_view());
}

/// Both edit the same entry; Robin's edit reaches the relay first, which
/// then loses its database before Sam syncs, and with it the tombstone
/// that would have told Sam his edit came second. Both phones still end
/// with one version of the entry, the same one.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_edits_of_one_entry_across_a_wiped_relay_end_as_one() {
    let mut relay = Relay::start().await;
    let a = phone("Robin", &relay);
    let b = phone("Sam", &relay);
    pair(&a, &b).await;
    let entry = a.write("Robin's words");
    settle(&a, &b).await;
    let robins = edit(&a, &entry.id, "Robin's edit");
    let sams = edit(&b, &entry.id, "Sam's edit");
    a.hearth.sync_now().await.unwrap();
    relay.restore(&[]).await;
    b.hearth.sync_now().await.unwrap();
    settle(&a, &b).await;
    settle(&a, &b).await;
    let kept = std::cmp::min(robins, sams);
    assert_eq!(ids(&a), vec![kept.clone()], "Robin's journal");
    assert_eq!(ids(&b), vec![kept], "Sam's journal");
    assert_eq!(a.shared_view(), b.shared_view());
    for p in [&a, &b] {
        assert_eq!(p.hearth.sync_status().unwrap().pending, 0);
    }
}

/// Robin gives a wiped relay the space back, but the network fails before
/// she has admitted Sam's device: she admits it at her next sync, so Sam
/// is not locked out.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_admission_cut_short_is_finished_at_the_next_sync() {
    let mut relay = Relay::start().await;
    let net = FaultyNetwork::start(&relay.url()).await;
    let a = phone("Robin", &relay);
    let b = phone("Sam", &relay);
    pair(&a, &b).await;
    a.hearth.set_relay(&net.url()).unwrap();
    a.write("Robin's words");
    settle(&a, &b).await;
    relay.restore(&[]).await;
    // The pull (404), the new space, then Sam's admission is dropped.
    for fault in [Fault::Pass, Fault::Pass, Fault::Drop] {
        net.arm(fault);
    }
    assert!(a.hearth.sync_now().await.is_err());
    let refused = b.hearth.sync_now().await.unwrap_err();
    assert!(
        matches!(&refused, Error::Relay(RelayError::Refused { code, .. }) if *code == ErrorCode::NotAMember),
        "{refused:?}"
    );
    a.hearth.sync_now().await.unwrap();
    b.write("Sam's words");
    settle(&a, &b).await;
    assert_eq!(b.entries().len(), 2);
    assert_eq!(a.shared_view(), b.shared_view());
}
