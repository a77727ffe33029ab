//! A hostile relay cannot make a phone delete or close anything: forged
//! tombstones, forged `410 document_forgotten`, a forged `404
//! unknown_space` and a forged `erased` event each delete nothing and are
//! shown as a relay fault. Two phones, a real relay on 127.0.0.1, the
//! relay's database edited underneath it as an attacker who holds it would.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failure

use std::time::Duration;

use hearth_core::Error;
use hearth_core::crypto::{DeviceKeys, FileKeyStore};
use hearth_core::journal::entry::EntryUpdate;
use hearth_core::journal::reaction::Reaction;
use hearth_core::sync::client::RelayClient;
use hearth_protocol::SpaceId;
use hearth_tests::{Phone, Relay, eventually, go_live, pair, phone, settle};
use rusqlite::{Connection, params};

/// The relay's database, opened beside the running relay.
fn relay_db(relay: &Relay) -> Connection {
    Connection::open(relay.database_path()).unwrap()
}

/// Every document the relay holds blobs of.
fn relay_documents(conn: &Connection) -> (i64, i64, Vec<String>) {
    let (key, head): (i64, i64) = conn
        .query_row("SELECT key, head FROM spaces", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .unwrap();
    let mut stmt = conn
        .prepare("SELECT DISTINCT doc FROM blobs WHERE space = ?1")
        .unwrap();
    let docs = stmt
        .query_map([key], |r| r.get(0))
        .unwrap()
        .collect::<rusqlite::Result<Vec<String>>>()
        .unwrap();
    (key, head, docs)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn forged_tombstones_delete_nothing_and_show_a_relay_fault() {
    let relay = Relay::start().await;
    let a = phone("Robin", &relay);
    let b = phone("Sam", &relay);
    pair(&a, &b).await;
    a.write("Robin's first words");
    b.write("Sam's first words");
    let doomed = a.write("goes away for real");
    settle(&a, &b).await;
    // A genuine deletion still works, on both phones.
    a.hearth.delete_entry(&doomed.id).unwrap();
    settle(&a, &b).await;
    assert!(b.hearth.entry(&doomed.id).is_err());
    assert_eq!(b.entries().len(), 2);
    let before = (a.shared_view(), b.shared_view());

    // The relay's holder writes a tombstone for every document it holds:
    // half unsigned, half carrying the genuine deletion copied from the
    // real tombstone (a valid signature, for another document).
    let conn = relay_db(&relay);
    let genuine: String = conn
        .query_row("SELECT deletion FROM tombstones", [], |r| r.get(0))
        .unwrap();
    let (key, head, docs) = relay_documents(&conn);
    assert!(docs.len() >= 3, "{docs:?}");
    for (i, doc) in docs.iter().enumerate() {
        let deletion = (i % 2 == 1).then_some(genuine.as_str());
        conn.execute(
            "INSERT INTO tombstones (space, doc, seq, deletion) VALUES (?1, ?2, ?3, ?4)",
            params![key, doc, head + 1 + i as i64, deletion],
        )
        .unwrap();
    }
    conn.execute(
        "UPDATE spaces SET head = ?2 WHERE key = ?1",
        params![key, head + docs.len() as i64],
    )
    .unwrap();

    a.hearth.sync_now().await.unwrap();
    b.hearth.sync_now().await.unwrap();
    assert_eq!((a.shared_view(), b.shared_view()), before);
    for phone in [&a, &b] {
        let status = phone.hearth.sync_status().unwrap();
        assert_eq!(status.relay_faults as usize, docs.len(), "{status:?}");
        let said = status.relay_fault.clone().unwrap();
        assert_eq!(
            said,
            format!(
                "The relay claimed {} items were deleted, but neither of you deleted them; they are kept.",
                docs.len()
            )
        );
        assert!(!status.closed);
        // Both can still write and read each other.
        assert_eq!(status.rejected_blobs, 0, "{status:?}");
    }
}

/// Found by `scripts/soak`: a genuine deletion of a document the relay had
/// already marked deleted behind the couple's back must still reach the
/// partner; the relay stores it in place of the unsigned tombstone.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_genuine_deletion_after_a_forged_one_still_reaches_the_partner() {
    let relay = Relay::start().await;
    let a = phone("Robin", &relay);
    let b = phone("Sam", &relay);
    pair(&a, &b).await;
    let kept = a.write("stays");
    let doomed = a.write("goes away for real");
    settle(&a, &b).await;
    let conn = relay_db(&relay);
    let (key, head, docs) = relay_documents(&conn);
    for (i, doc) in docs.iter().enumerate() {
        conn.execute(
            "INSERT INTO tombstones (space, doc, seq) VALUES (?1, ?2, ?3)",
            params![key, doc, head + 1 + i as i64],
        )
        .unwrap();
    }
    conn.execute(
        "UPDATE spaces SET head = ?2 WHERE key = ?1",
        params![key, head + docs.len() as i64],
    )
    .unwrap();
    // Sam's phone refuses the forged deletions and keeps both entries.
    b.hearth.sync_now().await.unwrap();
    assert_eq!(b.entries().len(), 2);

    a.hearth.delete_entry(&doomed.id).unwrap();
    a.hearth.sync_now().await.unwrap();
    b.hearth.sync_now().await.unwrap();
    assert!(
        b.hearth.entry(&doomed.id).is_err(),
        "the deletion reached Sam"
    );
    assert_eq!(b.hearth.entry(&kept.id).unwrap().body, "stays");
    assert_eq!(a.shared_view(), b.shared_view());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_forged_410_deletes_nothing_and_keeps_the_change_queued() {
    let relay = Relay::start().await;
    let a = phone("Robin", &relay);
    let b = phone("Sam", &relay);
    pair(&a, &b).await;
    let entry = a.write("words the relay wants gone");
    settle(&a, &b).await;

    // Tombstones the phones never pull (below every cursor), so the only
    // sign of them is the relay's 410 to the next push.
    let conn = relay_db(&relay);
    let (key, _, docs) = relay_documents(&conn);
    for (i, doc) in docs.iter().enumerate() {
        conn.execute(
            "INSERT INTO tombstones (space, doc, seq) VALUES (?1, ?2, ?3)",
            params![key, doc, -1 - i as i64],
        )
        .unwrap();
    }
    a.hearth.add_comment(&entry.id, "a comment").unwrap();
    a.hearth.sync_now().await.unwrap();
    assert_eq!(a.hearth.entry(&entry.id).unwrap().comments.len(), 1);
    let status = a.hearth.sync_status().unwrap();
    assert!(
        status.pending >= 1,
        "the change must stay queued: {status:?}"
    );
    assert!(status.relay_faults >= 1, "{status:?}");
    assert!(status.notice.is_none(), "{status:?}");
    let said = status.relay_fault.unwrap();
    assert!(
        said.contains("claiming its item was deleted") && said.contains("kept on this device"),
        "{said}"
    );
    b.hearth.sync_now().await.unwrap();
    assert_eq!(
        b.hearth.entry(&entry.id).unwrap().body,
        "words the relay wants gone"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_relay_that_lost_the_space_gets_it_back_instead_of_closing_the_journal() {
    let relay = Relay::start().await;
    let a = phone("Robin", &relay);
    let b = phone("Sam", &relay);
    pair(&a, &b).await;
    let mut draft = a.write("Robin before the loss");
    b.write("Sam before the loss");
    // Many small changes: Sam's cursor ends far past the number of
    // documents, which is all a re-upload sends.
    for i in 0..10 {
        draft = a
            .hearth
            .edit_entry(
                &draft.id,
                EntryUpdate {
                    body: format!("Robin before the loss, draft {i}"),
                    ..Default::default()
                },
            )
            .unwrap();
        a.hearth.sync_now().await.unwrap();
    }
    settle(&a, &b).await;

    // A relay restored from an empty backup: 404 unknown_space, unsigned.
    let conn = relay_db(&relay);
    for table in ["blobs", "compacted", "tombstones", "devices", "spaces"] {
        conn.execute(&format!("DELETE FROM {table}"), []).unwrap();
    }
    drop(conn);
    // Robin writes more before noticing, so the new log soon runs past
    // Sam's old cursor: Sam must still pull it from the start.
    for i in 0..15 {
        a.write(&format!("Robin after the loss, {i}"));
    }

    let report = a.hearth.sync_now().await.unwrap();
    assert!(report.pushed >= 5, "{report:?}");
    let status = a.hearth.sync_status().unwrap();
    assert!(!status.closed, "{status:?}");
    assert_eq!(status.relay_faults, 1);
    assert_eq!(
        status.relay_fault.as_deref(),
        Some(
            "The relay no longer had your shared space, so this device gave it back its copy; nothing was deleted."
        )
    );
    // The relay holds the space again, with both devices, and the couple
    // carries on as before.
    let devices: i64 = relay_db(&relay)
        .query_row("SELECT count(*) FROM devices", [], |r| r.get(0))
        .unwrap();
    assert_eq!(devices, 2);
    b.hearth.sync_now().await.unwrap();
    assert!(!b.hearth.sync_status().unwrap().closed);
    assert_eq!(b.entries().len(), 17, "Sam pulled the new log from 0");
    a.write("Robin, later");
    b.write("Sam, later");
    settle(&a, &b).await;
    assert_eq!(a.entries().len(), 19);
    assert_eq!(a.shared_view(), b.shared_view());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_erasure_signed_by_a_device_outside_the_couple_closes_nothing() {
    let relay = Relay::start().await;
    let a = std::sync::Arc::new(phone("Robin", &relay));
    let b = std::sync::Arc::new(phone("Sam", &relay));
    pair(&a, &b).await;
    a.write("a memory the relay wants gone");
    settle(&a, &b).await;

    // A lying relay admits a device neither phone knows (its holder edits
    // its tables), and that device erases the space with its own valid
    // signature.
    let space = SpaceId::parse(&a.hearth.profile().unwrap().space_id).unwrap();
    let stranger = DeviceKeys::generate().unwrap();
    relay.admit_behind_the_phones_back(space.as_str(), &stranger.device_id());
    let client = RelayClient::new(&relay.url()).unwrap();

    // Sam's phone is online: it hears the `erased` event live.
    let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
    let live = go_live(b.clone(), stop_rx);
    tokio::time::sleep(Duration::from_millis(500)).await;
    client.erase_space(&stranger, &space).await.unwrap();
    // The forged `erased` event is one fault; the reconnect then meets a
    // 404 whose erasure no device of the space signed, and gives the
    // relay the space back: a second fault.
    let mut faults = 0;
    eventually(Duration::from_secs(10), || {
        faults = b.hearth.sync_status().unwrap().relay_faults;
        faults >= 2
    })
    .await;
    stop_tx.send(true).unwrap();
    live.await.unwrap().unwrap();
    assert_eq!(faults, 2);
    let status = b.hearth.sync_status().unwrap();
    assert!(!status.closed, "{status:?}");
    assert_eq!(b.entries().len(), 1);

    // Robin's phone carries on too, and the couple still syncs.
    a.hearth.sync_now().await.unwrap();
    assert!(!a.hearth.sync_status().unwrap().closed);
    a.write("after the forged erasure");
    settle(&a, &b).await;
    assert_eq!(b.entries().len(), 2);
    assert_eq!(a.shared_view(), b.shared_view());
    // The stranger is not in the restored space.
    assert_eq!(
        client
            .pull(&stranger, &space, 0, 10)
            .await
            .unwrap_err()
            .code(),
        Some(hearth_protocol::ErrorCode::NotAMember)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_partner_who_leaves_closes_the_space_on_both_phones() {
    let relay = Relay::start().await;
    let a = phone("Robin", &relay);
    let b = phone("Sam", &relay);
    pair(&a, &b).await;
    a.write("a memory");
    settle(&a, &b).await;
    a.hearth.leave_space().await.unwrap();
    // The relay's 404 carries Robin's signed erasure: Sam's phone closes.
    assert!(matches!(b.hearth.sync_now().await, Err(Error::SpaceClosed)));
    let status = b.hearth.sync_status().unwrap();
    assert!(status.closed);
    assert_eq!(status.relay_faults, 0);
    assert_eq!(b.entries().len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_paired_phone_lets_no_third_person_in_and_joins_no_one_else() {
    let relay = Relay::start().await;
    let a = phone("Robin", &relay);
    let b = phone("Sam", &relay);
    let c = phone("Kit", &relay);
    pair(&a, &b).await;
    a.write("only for the two of us");
    settle(&a, &b).await;

    // `pair create` again on a paired phone: refused before any mailbox
    // is opened or any key leaves the phone.
    assert!(matches!(
        a.hearth.start_pairing().await,
        Err(Error::AlreadyPaired)
    ));
    assert!(matches!(
        a.hearth.finish_pairing().await,
        Err(Error::NoPairingInProgress)
    ));
    // A phone that skipped that check (or a modified app) meets the
    // relay's: the space holds two people.
    let space = SpaceId::parse(&a.hearth.profile().unwrap().space_id).unwrap();
    let host =
        DeviceKeys::load_or_create(&FileKeyStore::open(a.path().join("keys")).unwrap()).unwrap();
    let kit = DeviceKeys::generate().unwrap();
    let refused = RelayClient::new(&relay.url())
        .unwrap()
        .add_device(
            &host,
            &space,
            hearth_protocol::DeviceId::parse(&kit.device_id()).unwrap(),
            Some(hearth_protocol::MemberTag::parse("someone-else").unwrap()),
        )
        .await
        .unwrap_err();
    assert_eq!(
        refused.code(),
        Some(hearth_protocol::ErrorCode::CoupleComplete)
    );
    // Nor does a paired phone join a third person's space.
    let invite = c.hearth.start_pairing().await.unwrap();
    assert!(matches!(
        b.hearth.join_partner(&invite.code).await,
        Err(Error::AlreadyPaired)
    ));
    let spaces: i64 = relay_db(&relay)
        .query_row(
            "SELECT count(*) FROM devices d JOIN spaces s ON s.key = d.space
             WHERE s.id = ?1",
            [a.hearth.profile().unwrap().space_id],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(spaces, 2, "the couple's space still holds two devices");
    settle(&a, &b).await;
    assert_eq!(a.shared_view(), b.shared_view());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_full_space_says_so_in_plain_words_and_keeps_the_change() {
    let relay = Relay::start_with(|limits| limits.max_space_blobs = 12).await;
    let a = phone("Robin", &relay);
    let b = phone("Sam", &relay);
    pair(&a, &b).await;
    settle(&a, &b).await;
    let mut refused = None;
    for i in 0..20 {
        a.write(&format!("entry {i}"));
        if let Err(e) = a.hearth.sync_now().await {
            refused = Some(e);
            break;
        }
    }
    let refused = refused.expect("the quota was never reached");
    let said = refused.to_string();
    assert!(
        said.contains("your shared space is full at the relay"),
        "{said}"
    );
    assert!(matches!(refused, Error::Sync(_)), "{refused:?}");
    let status = a.hearth.sync_status().unwrap();
    assert!(status.pending >= 1, "{status:?}");
    assert!(
        status.last_error.unwrap().contains("kept on this device"),
        "the status says so too"
    );
}

/// Every byte of a phone's database files (the search index lives inside).
fn phone_bytes(phone: &Phone) -> Vec<u8> {
    let mut all = Vec::new();
    for name in ["hearth.db", "hearth.db-wal"] {
        if let Ok(bytes) = std::fs::read(phone.path().join(name)) {
            all.extend(bytes);
        }
    }
    all
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn deleted_words_leave_the_receiving_phones_files_after_one_sync() {
    let relay = Relay::start().await;
    let a = phone("Robin", &relay);
    let b = phone("Sam", &relay);
    pair(&a, &b).await;
    a.write("an ordinary day");
    let doomed = a.write("quokkazanzibar marmalade whispered");
    settle(&a, &b).await;
    assert!(
        hearth_tests::contains(&phone_bytes(&b), "quokkazanzibar"),
        "the scan must be able to see the words before the deletion"
    );
    a.hearth.delete_entry(&doomed.id).unwrap();
    a.hearth.sync_now().await.unwrap();
    b.hearth.sync_now().await.unwrap();
    assert!(b.hearth.entry(&doomed.id).is_err());
    for phone in [&a, &b] {
        let bytes = phone_bytes(phone);
        for word in ["quokkazanzibar", "marmalade"] {
            assert!(
                !hearth_tests::contains(&bytes, word),
                "{}'s files still hold {word:?}",
                phone.name
            );
        }
    }
}

/// Every blob the relay holds: its document and its ciphertext.
fn relay_blobs(relay: &Relay) -> Vec<(String, Vec<u8>)> {
    let conn = relay_db(relay);
    let mut stmt = conn.prepare("SELECT doc, data FROM blobs").unwrap();
    stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap()
}

fn holds(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn edited_away_words_leave_both_phones_and_the_relay_after_one_sync() {
    let relay = Relay::start().await;
    let a = phone("Robin", &relay);
    let b = phone("Sam", &relay);
    pair(&a, &b).await;
    a.write("an ordinary day");
    let entry = a.write("we argued about quokkazanzibar marmalade");
    settle(&a, &b).await;
    b.hearth.react(&entry.id, Some(Reaction::Hug)).unwrap();
    b.hearth.add_comment(&entry.id, "I am sorry").unwrap();
    settle(&a, &b).await;
    assert!(
        hearth_tests::contains(&phone_bytes(&b), "quokkazanzibar"),
        "the scan must be able to see the words before the edit"
    );
    let before = relay_blobs(&relay);

    let edited = a
        .hearth
        .edit_entry(
            &entry.id,
            EntryUpdate {
                body: "we talked it through".into(),
                ..Default::default()
            },
        )
        .unwrap();
    assert_ne!(edited.id, entry.id);
    a.hearth.sync_now().await.unwrap();
    b.hearth.sync_now().await.unwrap();

    // The edit, with Sam's reaction and comment, is on both phones.
    let seen = b.hearth.entry(&edited.id).unwrap();
    assert_eq!(seen.body, "we talked it through");
    assert_eq!(seen.reactions.len(), 1);
    assert_eq!(seen.comments[0].body, "I am sorry");
    assert!(b.hearth.entry(&entry.id).is_err());
    // The edited-away words are in no file of either phone.
    for phone in [&a, &b] {
        let bytes = phone_bytes(phone);
        for word in ["quokkazanzibar", "marmalade"] {
            assert!(
                !hearth_tests::contains(&bytes, word),
                "{}'s files still hold {word:?}",
                phone.name
            );
        }
    }
    // The relay holds no byte of the old document's ciphertext.
    let docs_now: Vec<String> = relay_blobs(&relay).into_iter().map(|(d, _)| d).collect();
    let gone: Vec<&Vec<u8>> = before
        .iter()
        .filter(|(doc, _)| !docs_now.contains(doc))
        .map(|(_, data)| data)
        .collect();
    assert!(!gone.is_empty(), "the old document must be forgotten");
    let files = relay.database_bytes();
    for data in gone {
        let middle = &data[data.len() / 2..data.len() / 2 + 32];
        assert!(
            !holds(&files, middle),
            "the relay's files still hold the old document's ciphertext"
        );
    }
}
