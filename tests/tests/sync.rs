//! Two phones, a real relay on 127.0.0.1: pairing, convergence, faults,
//! strangers, tampering, deletion and leaving.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failure

use hearth_core::Error;
use hearth_core::crypto::{DeviceKeys, SpaceKey};
use hearth_core::journal::entry::EntryUpdate;
use hearth_core::journal::reaction::Reaction;
use hearth_core::sync::client::RelayClient;
use hearth_protocol::{BlobId, DocumentId, ErrorCode, NewBlob, SpaceId};
use hearth_tests::{Phone, Relay, contains, eventually, go_live, pair, phone, settle};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_phones_pair_and_see_the_same_safety_number() {
    let relay = Relay::start().await;
    let a = phone("Robin", &relay);
    let b = phone("Sam", &relay);
    let (on_a, on_b) = pair(&a, &b).await;
    assert_eq!(on_a, on_b);
    assert_eq!(on_a.len(), 14, "{on_a}");
    assert!(a.hearth.sync_status().unwrap().paired);
    assert!(b.hearth.sync_status().unwrap().paired);
    assert_eq!(b.hearth.profile().unwrap().partner.unwrap().name, "Robin");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_wrong_code_fails_on_both_phones_and_burns_the_code() {
    let relay = Relay::start().await;
    let a = phone("Robin", &relay);
    let b = phone("Sam", &relay);
    let invite = a.hearth.start_pairing().await.unwrap();
    // Same mailbox number, wrong words.
    let number = invite.code.split('-').next().unwrap();
    let wrong = format!("{number}-river-lantern-moss");
    let wrong = if wrong == invite.code {
        format!("{number}-moss-lantern-river")
    } else {
        wrong
    };
    let (host, joiner) = tokio::join!(a.hearth.finish_pairing(), b.hearth.join_partner(&wrong));
    let host = host.unwrap_err();
    let joiner = joiner.unwrap_err();
    assert!(
        matches!(host, Error::WrongCode | Error::PairingClosed),
        "{host:?}"
    );
    assert!(
        matches!(joiner, Error::WrongCode | Error::PairingClosed),
        "{joiner:?}"
    );
    // The code is burnt: the right one no longer works.
    let again = b.hearth.join_partner(&invite.code).await.unwrap_err();
    assert!(
        matches!(again, Error::PairingClosed | Error::InvalidCode(_)),
        "{again:?}"
    );
    assert!(!a.hearth.sync_status().unwrap().paired);
    assert!(!b.hearth.sync_status().unwrap().paired);
}

/// Robin writes more entries offline than one push batch holds (documents
/// are read and sent a hundred at a time): one sync sends them all.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn entries_written_offline_all_arrive_on_both() {
    let relay = Relay::start().await;
    let a = phone("Robin", &relay);
    let b = phone("Sam", &relay);
    pair(&a, &b).await;
    for i in 0..130 {
        a.write(&format!("Robin's offline entry {i}"));
    }
    for i in 0..50 {
        b.write(&format!("Sam's offline entry {i}"));
    }
    assert!(a.hearth.sync_now().await.unwrap().pushed >= 130);
    assert_eq!(
        a.hearth.sync_status().unwrap().pending,
        0,
        "one sync sent all"
    );
    settle(&a, &b).await;
    assert_eq!(a.entries().len(), 180);
    assert_eq!(a.shared_view(), b.shared_view());
    let status = a.hearth.sync_status().unwrap();
    assert_eq!(status.pending, 0);
    assert!(status.last_error.is_none(), "{status:?}");
    assert!(status.last_synced_at_ms.is_some());
}

/// An edit is a new document (the old one, with the old words, is
/// forgotten): of two edits made at once, the first to reach the relay is
/// the entry on both phones and the other is dropped with a notice, never
/// doubled.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn of_two_edits_made_at_once_the_first_to_reach_the_relay_is_kept() {
    let relay = Relay::start().await;
    let a = phone("Robin", &relay);
    let b = phone("Sam", &relay);
    pair(&a, &b).await;
    let entry = a.write("We cooked dinner.");
    settle(&a, &b).await;
    let first = a
        .hearth
        .edit_entry(&entry.id, new_body("On Friday we cooked dinner."))
        .unwrap();
    assert_ne!(first.id, entry.id, "an edit makes a new document");
    let second = b
        .hearth
        .edit_entry(&entry.id, new_body("We cooked dinner and danced."))
        .unwrap();
    assert!(b.hearth.react(&entry.id, Some(Reaction::Heart)).is_err());
    b.hearth.react(&second.id, Some(Reaction::Heart)).unwrap();
    settle(&a, &b).await;
    for phone in [&a, &b] {
        let entries = phone.entries();
        assert_eq!(entries.len(), 1, "{}", phone.name);
        assert_eq!(entries[0].id, first.id);
        assert_eq!(entries[0].body, "On Friday we cooked dinner.");
    }
    let notice = b.hearth.sync_status().unwrap().notice.unwrap();
    assert!(notice.contains("not kept"), "{notice}");
    assert!(!contains(&relay.database_bytes(), "danced"));
    assert_eq!(a.shared_view(), b.shared_view());
}

/// Reactions and comments stay with an entry when it is edited, and the
/// partner sees the edit under the entry's new id.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_edit_keeps_the_reactions_and_comments() {
    let relay = Relay::start().await;
    let a = phone("Robin", &relay);
    let b = phone("Sam", &relay);
    pair(&a, &b).await;
    let entry = a.write("We cooked dinner.");
    settle(&a, &b).await;
    b.hearth.react(&entry.id, Some(Reaction::Heart)).unwrap();
    b.hearth.add_comment(&entry.id, "It was lovely.").unwrap();
    settle(&a, &b).await;
    let edited = a
        .hearth
        .edit_entry(
            &entry.id,
            EntryUpdate {
                title: Some("Friday".into()),
                body: "We cooked dinner and danced.".into(),
                ..Default::default()
            },
        )
        .unwrap();
    settle(&a, &b).await;
    let seen = b.hearth.entry(&edited.id).unwrap();
    assert_eq!(seen.body, "We cooked dinner and danced.");
    assert_eq!(seen.title.as_deref(), Some("Friday"));
    assert_eq!(seen.author.name, "Robin");
    assert_eq!(seen.created_at_ms, entry.created_at_ms);
    assert_eq!(seen.edited_by.map(|p| p.name).as_deref(), Some("Robin"));
    assert_eq!(seen.reactions.len(), 1);
    assert_eq!(seen.comments.len(), 1);
    assert_eq!(seen.comments[0].body, "It was lovely.");
    assert!(b.hearth.entry(&entry.id).is_err());
    assert_eq!(b.entries().len(), 1);
    assert_eq!(a.shared_view(), b.shared_view());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pulling_everything_again_is_harmless() {
    let relay = Relay::start().await;
    let a = phone("Robin", &relay);
    let b = phone("Sam", &relay);
    pair(&a, &b).await;
    for i in 0..10 {
        a.write(&format!("entry {i}"));
    }
    settle(&a, &b).await;
    let before = b.shared_view();
    // Rewind B's cursor: every blob arrives a second time.
    {
        let conn = rusqlite::Connection::open(b.path().join("hearth.db")).unwrap();
        conn.execute("UPDATE sync_state SET value = '0' WHERE key = 'cursor'", [])
            .unwrap();
    }
    let report = b.hearth.sync_now().await.unwrap();
    assert!(report.pulled >= 10);
    assert_eq!(report.rejected, 0);
    assert_eq!(b.shared_view(), before);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sync_the_person_asks_for_always_moves_last_synced() {
    let relay = Relay::start().await;
    let a = phone("Robin", &relay);
    let b = phone("Sam", &relay);
    pair(&a, &b).await;
    a.hearth.sync_now().await.unwrap();
    let first = a.hearth.sync_status().unwrap().last_synced_at_ms.unwrap();
    tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    a.hearth.sync_now().await.unwrap();
    let second = a.hearth.sync_status().unwrap().last_synced_at_ms.unwrap();
    assert!(second > first, "{first} then {second}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn writes_wait_while_the_relay_is_down_and_catch_up_after_a_restart() {
    let mut relay = Relay::start().await;
    let a = phone("Robin", &relay);
    let b = phone("Sam", &relay);
    pair(&a, &b).await;
    a.write("before the outage");
    settle(&a, &b).await;

    relay.stop().await;
    a.write("written while the relay was down");
    let err = a.hearth.sync_now().await.unwrap_err();
    assert!(matches!(err, Error::Relay(_)), "{err:?}");
    let status = a.hearth.sync_status().unwrap();
    assert!(status.pending >= 1);
    let said = status.last_error.unwrap();
    assert!(said.contains("kept on this device"), "{said}");

    relay.restart().await;
    settle(&a, &b).await;
    assert_eq!(b.entries().len(), 2);
    assert_eq!(a.shared_view(), b.shared_view());
    assert!(a.hearth.sync_status().unwrap().last_error.is_none());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_device_with_the_space_id_but_not_the_key_can_neither_read_nor_write() {
    let relay = Relay::start().await;
    let a = phone("Robin", &relay);
    let b = phone("Sam", &relay);
    pair(&a, &b).await;
    a.write("only for the two of us");
    settle(&a, &b).await;

    let space_id = SpaceId::parse(&a.hearth.profile().unwrap().space_id).unwrap();
    let stranger = DeviceKeys::generate().unwrap();
    let client = RelayClient::new(&relay.url()).unwrap();
    let read = client.pull(&stranger, &space_id, 0, 100).await.unwrap_err();
    assert_eq!(read.code(), Some(ErrorCode::NotAMember));
    let blob = NewBlob {
        id: BlobId::from_random_bytes([7; 16]),
        doc: DocumentId::parse("made-up").unwrap(),
        data: vec![1, 2, 3],
    };
    let write = client
        .push(&stranger, &space_id, vec![blob.clone()])
        .await
        .unwrap_err();
    assert_eq!(write.code(), Some(ErrorCode::NotAMember));

    // Even admitted by the relay (a relay that lies), the stranger has no
    // space key and is not a device the phones learned at pairing: what it
    // writes is rejected, reported, and never applied.
    relay.admit_behind_the_phones_back(space_id.as_str(), &stranger.device_id());
    let fake_key = SpaceKey::generate().unwrap();
    let ctx = hearth_core::crypto::BlobContext {
        space_id: space_id.as_str().into(),
        doc_id: "made-up".into(),
        sender_device: stranger.device_id(),
        blob_id: blob.id.as_str().into(),
    };
    let sealed = hearth_core::crypto::seal(&fake_key, &stranger, &ctx, b"\x01\x03abcjunk").unwrap();
    client
        .push(
            &stranger,
            &space_id,
            vec![NewBlob {
                data: sealed,
                ..blob
            }],
        )
        .await
        .unwrap();
    let before = b.shared_view();
    let report = b.hearth.sync_now().await.unwrap();
    assert_eq!(report.rejected, 1);
    assert_eq!(b.shared_view(), before);
    let status = b.hearth.sync_status().unwrap();
    assert_eq!(status.rejected_blobs, 1);
    assert!(status.last_error.unwrap().contains("rejected"));
    // Everything else still syncs.
    a.write("after the stranger");
    settle(&a, &b).await;
    assert_eq!(b.entries().len(), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_tampered_blob_is_rejected_and_reported_never_applied() {
    let relay = Relay::start().await;
    let a = phone("Robin", &relay);
    let b = phone("Sam", &relay);
    pair(&a, &b).await;
    a.hearth.sync_now().await.unwrap();
    b.hearth.sync_now().await.unwrap();
    let entry = a.write("untouched words");
    a.hearth.sync_now().await.unwrap();
    // Flip a byte of the newest blob inside the relay's database.
    {
        let conn = rusqlite::Connection::open(relay.database_path()).unwrap();
        let (seq, mut data): (i64, Vec<u8>) = conn
            .query_row(
                "SELECT seq, data FROM blobs ORDER BY seq DESC LIMIT 1",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .unwrap();
        let middle = data.len() / 2;
        data[middle] ^= 0x40;
        conn.execute(
            "UPDATE blobs SET data = ?1 WHERE seq = ?2",
            rusqlite::params![data, seq],
        )
        .unwrap();
    }
    let report = b.hearth.sync_now().await.unwrap();
    assert_eq!(report.rejected, 1);
    assert!(b.hearth.entry(&entry.id).is_err());
    assert!(b.hearth.sync_status().unwrap().rejected_blobs >= 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_relay_never_holds_a_readable_word() {
    let relay = Relay::start().await;
    // Names too long to turn up by chance in the relay's ids, which are
    // base64 text ("Sam" does, in about one run in a hundred).
    let a = phone("Robinsonweather", &relay);
    let b = phone("Samphirecottage", &relay);
    pair(&a, &b).await;
    let words = ["marigoldsecret", "velvetlighthouse", "quietpinecone"];
    a.write(&format!("Today I felt {} by the sea.", words[0]));
    let entry = b.write(&format!("We talked about the {}.", words[1]));
    settle(&a, &b).await;
    a.hearth.add_comment(&entry.id, words[2]).unwrap();
    a.hearth
        .answer_daily_question("2026-11-26", "A marigoldsecret answer")
        .unwrap();
    settle(&a, &b).await;
    assert_eq!(b.entries().len(), 2);
    let bytes = relay.database_bytes();
    assert!(bytes.len() > 10_000);
    for word in words
        .iter()
        .chain(&["Robinsonweather", "Samphirecottage", "answer:2026"])
    {
        assert!(!contains(&bytes, word), "the relay's files hold {word:?}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_deleted_entry_disappears_from_the_partner_and_the_relay() {
    let relay = Relay::start().await;
    let a = phone("Robin", &relay);
    let b = phone("Sam", &relay);
    pair(&a, &b).await;
    let keep = a.write("stays");
    let doomed = a.write("goes away");
    settle(&a, &b).await;
    assert_eq!(b.entries().len(), 2);
    let blobs_before: i64 = rusqlite::Connection::open(relay.database_path())
        .unwrap()
        .query_row("SELECT count(*) FROM blobs", [], |r| r.get(0))
        .unwrap();

    a.hearth.delete_entry(&doomed.id).unwrap();
    settle(&a, &b).await;
    assert!(b.hearth.entry(&doomed.id).is_err());
    assert!(b.hearth.entry(&keep.id).is_ok());
    let conn = rusqlite::Connection::open(relay.database_path()).unwrap();
    let blobs_after: i64 = conn
        .query_row("SELECT count(*) FROM blobs", [], |r| r.get(0))
        .unwrap();
    let tombstones: i64 = conn
        .query_row("SELECT count(*) FROM tombstones", [], |r| r.get(0))
        .unwrap();
    assert!(
        blobs_after < blobs_before,
        "{blobs_after} >= {blobs_before}"
    );
    assert_eq!(tombstones, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_offline_edit_of_a_deleted_entry_is_dropped_with_a_notice() {
    let relay = Relay::start().await;
    let a = phone("Robin", &relay);
    let b = phone("Sam", &relay);
    pair(&a, &b).await;
    let entry = a.write("soon deleted");
    settle(&a, &b).await;

    // Sam edits offline while Robin deletes it.
    b.hearth
        .edit_entry(&entry.id, new_body("an offline edit"))
        .unwrap();
    a.hearth.delete_entry(&entry.id).unwrap();
    a.hearth.sync_now().await.unwrap();
    b.hearth.sync_now().await.unwrap();
    settle(&a, &b).await;
    assert!(b.hearth.entry(&entry.id).is_err());
    assert!(a.hearth.entry(&entry.id).is_err());
    let notice = b.hearth.sync_status().unwrap().notice.unwrap();
    assert!(notice.contains("not kept"), "{notice}");
    b.hearth.dismiss_sync_notice().unwrap();
    assert!(b.hearth.sync_status().unwrap().notice.is_none());
    assert!(!contains(&relay.database_bytes(), "offline edit"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_much_edited_document_is_compacted_and_still_converges() {
    let relay = Relay::start().await;
    let a = phone("Robin", &relay);
    let b = phone("Sam", &relay);
    pair(&a, &b).await;
    let entry = a.write("a much discussed day");
    let mut compacted = 0;
    for i in 1..=30 {
        a.hearth
            .add_comment(&entry.id, &format!("comment {i}"))
            .unwrap();
        compacted += a.hearth.sync_now().await.unwrap().compacted;
    }
    assert!(compacted >= 1);
    // A phone that pulls from scratch gets the snapshot, not 30 blobs.
    settle(&a, &b).await;
    assert_eq!(b.hearth.entry(&entry.id).unwrap().comments.len(), 30);
    let blobs: i64 = rusqlite::Connection::open(relay.database_path())
        .unwrap()
        .query_row("SELECT count(*) FROM blobs", [], |r| r.get(0))
        .unwrap();
    assert!(blobs < 20, "{blobs} blobs left at the relay");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn leaving_erases_the_space_and_both_copies_become_read_only() {
    let relay = Relay::start().await;
    let a = phone("Robin", &relay);
    let b = phone("Sam", &relay);
    pair(&a, &b).await;
    a.write("a memory");
    settle(&a, &b).await;

    a.hearth.leave_space().await.unwrap();
    assert!(a.hearth.sync_status().unwrap().closed);
    assert!(matches!(b.hearth.sync_now().await, Err(Error::SpaceClosed)));
    assert!(b.hearth.sync_status().unwrap().closed);
    for phone in [&a, &b] {
        assert!(matches!(
            phone
                .hearth
                .write_entry(hearth_core::journal::entry::NewEntry {
                    body: "more".into(),
                    ..Default::default()
                }),
            Err(Error::SpaceClosed)
        ));
        assert!(phone.hearth.export_markdown().unwrap().contains("a memory"));
        assert_eq!(phone.entries().len(), 1);
    }
    assert!(!contains(&relay.database_bytes(), "memory"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn live_sync_brings_an_entry_across_without_asking() {
    let relay = Relay::start().await;
    let a = std::sync::Arc::new(phone("Robin", &relay));
    let b = std::sync::Arc::new(phone("Sam", &relay));
    pair(&a, &b).await;
    let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
    let la = go_live(a.clone(), stop_rx.clone());
    let lb = go_live(b.clone(), stop_rx);
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    let entry = a.write("sent live");
    let arrived = eventually(std::time::Duration::from_secs(10), || {
        b.hearth.entry(&entry.id).is_ok()
    })
    .await;
    stop_tx.send(true).unwrap();
    la.await.unwrap().unwrap();
    lb.await.unwrap().unwrap();
    assert!(arrived, "the entry did not arrive in live mode");
}

/// In live mode each comment is pushed as it is written, a blob each; a
/// live push compacts the document once it is crowded, as a full sync
/// does, and the partner still ends with every comment.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn live_pushes_compact_a_much_edited_document() {
    let relay = Relay::start().await;
    let a = std::sync::Arc::new(phone("Robin", &relay));
    let b = std::sync::Arc::new(phone("Sam", &relay));
    pair(&a, &b).await;
    let entry = a.write("a much discussed day");
    settle(&a, &b).await;
    let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
    let la = go_live(a.clone(), stop_rx.clone());
    let lb = go_live(b.clone(), stop_rx);
    let blobs = || -> i64 {
        rusqlite::Connection::open(relay.database_path())
            .unwrap()
            .query_row("SELECT count(*) FROM blobs", [], |r| r.get(0))
            .unwrap()
    };
    let mut most = 0;
    for i in 1..=30 {
        a.hearth
            .add_comment(&entry.id, &format!("comment {i}"))
            .unwrap();
        // Each comment leaves on its own push before the next is written.
        let pushed = eventually(std::time::Duration::from_secs(10), || {
            a.hearth.sync_status().unwrap().pending == 0
        })
        .await;
        assert!(pushed, "comment {i} was not pushed in live mode");
        most = most.max(blobs());
    }
    let arrived = eventually(std::time::Duration::from_secs(10), || {
        b.hearth.entry(&entry.id).unwrap().comments.len() == 30
    })
    .await;
    stop_tx.send(true).unwrap();
    la.await.unwrap().unwrap();
    lb.await.unwrap().unwrap();
    assert!(arrived, "the comments did not all arrive in live mode");
    assert!(most >= 24, "the document never grew crowded ({most} blobs)");
    assert!(blobs() < 20, "{} blobs left at the relay", blobs());
}

/// Sam edits Robin's entry and his edit reaches the relay first; Robin,
/// offline, deletes it meanwhile. The deletion wins on both phones: the
/// edit (a new document replacing the deleted one) is deleted too.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_edit_that_reached_the_relay_first_does_not_undo_a_deletion() {
    let relay = Relay::start().await;
    let a = phone("Robin", &relay);
    let b = phone("Sam", &relay);
    pair(&a, &b).await;
    let entry = a.write("soon deleted");
    settle(&a, &b).await;
    let edited = b
        .hearth
        .edit_entry(&entry.id, new_body("an edit racing the deletion"))
        .unwrap();
    b.hearth.sync_now().await.unwrap();
    a.hearth.delete_entry(&entry.id).unwrap();
    settle(&a, &b).await;
    assert_deleted_on_both(&a, &b, &edited.id);
}

/// Robin edits her entry and then deletes her edit, all offline; Sam's
/// edit of the original reaches the relay first. The deletion still wins
/// on both phones: Sam's edit replaces a document whose line Robin deleted.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_edit_racing_a_deleted_edit_does_not_undo_the_deletion() {
    let relay = Relay::start().await;
    let a = phone("Robin", &relay);
    let b = phone("Sam", &relay);
    pair(&a, &b).await;
    let entry = a.write("soon edited, then deleted");
    settle(&a, &b).await;
    let robins_edit = a
        .hearth
        .edit_entry(&entry.id, new_body("Robin's edit"))
        .unwrap();
    let sams_edit = b
        .hearth
        .edit_entry(&entry.id, new_body("Sam's edit"))
        .unwrap();
    a.hearth.delete_entry(&robins_edit.id).unwrap();
    b.hearth.sync_now().await.unwrap();
    settle(&a, &b).await;
    assert_deleted_on_both(&a, &b, &sams_edit.id);
}

/// Sam edits Robin's entry twice before syncing, so his second edit
/// replaces a document Robin never saw; Robin, offline, deletes the entry
/// meanwhile. The deletion wins on both phones: the edit carries its whole
/// line of earlier documents, and Robin deleted the first of them.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_twice_edited_entry_does_not_undo_a_deletion_of_its_first_version() {
    let relay = Relay::start().await;
    let a = phone("Robin", &relay);
    let b = phone("Sam", &relay);
    pair(&a, &b).await;
    let entry = a.write("edited twice, deleted once");
    settle(&a, &b).await;
    let first = b
        .hearth
        .edit_entry(&entry.id, new_body("first edit"))
        .unwrap();
    let second = b
        .hearth
        .edit_entry(&first.id, new_body("second edit"))
        .unwrap();
    a.hearth.delete_entry(&entry.id).unwrap();
    b.hearth.sync_now().await.unwrap();
    settle(&a, &b).await;
    assert_deleted_on_both(&a, &b, &second.id);
}

/// A pass asks the relay once when nothing is queued here: the check that
/// the relay kept its log brings the page after the cursor in the same
/// answer, the partner's new entry included.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sync_with_nothing_to_send_is_one_request() {
    let relay = Relay::start().await;
    let net = hearth_tests::faults::FaultyNetwork::start(&relay.url()).await;
    let (robin, sam) = (phone("Robin", &relay), phone("Sam", &relay));
    pair(&robin, &sam).await;
    for p in [&robin, &sam] {
        p.hearth.set_relay(&net.url()).unwrap();
    }
    robin.write("the first one");
    settle(&robin, &sam).await;

    let before = net.requests();
    sam.hearth.sync_now().await.unwrap();
    assert_eq!(net.requests() - before, 1, "a sync with nothing new");

    robin.write("the second one");
    robin.hearth.sync_now().await.unwrap();
    let before = net.requests();
    let report = sam.hearth.sync_now().await.unwrap();
    assert_eq!(net.requests() - before, 1, "a sync that brings an entry");
    assert_eq!(report.pulled, 1);
    assert!(sam.entries().iter().any(|e| e.body == "the second one"));
}

/// An edit that changes only the entry's words.
fn new_body(body: &str) -> EntryUpdate {
    EntryUpdate {
        body: body.into(),
        ..Default::default()
    }
}

/// After a deletion raced an edit: neither phone shows an entry or the
/// edit `edited`, neither has anything left to send, and both agree.
fn assert_deleted_on_both(a: &Phone, b: &Phone, edited: &str) {
    for phone in [a, b] {
        assert!(phone.entries().is_empty(), "{}", phone.name);
        assert!(phone.hearth.entry(edited).is_err(), "{}", phone.name);
        assert_eq!(phone.hearth.sync_status().unwrap().pending, 0);
    }
    assert_eq!(a.shared_view(), b.shared_view());
}
