//! The relay's behaviour suite, run against both backends: SQLite always,
//! PostgreSQL when `HEARTH_TEST_POSTGRES_URL` is set (required when
//! `HEARTH_REQUIRE_POSTGRES=1`).

#![allow(
    clippy::unwrap_used,
    reason = "test scenarios: a failed step should fail the test loudly"
)]

#[macro_use]
mod common;

use std::time::{Duration, Instant};

use common::{Backend, Device, Harness, compact_body, push_body};
use hearth_protocol::{
    CompactResponse, DocumentId, ErrorCode, ForgetResponse, LiveEvent, LogItem, PairingClaimed,
    PairingMessagePosted, PairingMessages, PairingOpened, PullResponse, PushResponse, SpaceId,
    SpaceInfo, paths,
};
use hearth_relay::ManualClock;

const SOON: Duration = Duration::from_secs(5);

on_both_backends!(
    a_space_is_created_once_and_read_by_its_devices,
    blobs_come_back_in_sequence_order_with_their_sender,
    pulls_page_by_limit,
    a_retried_push_gets_its_first_seq,
    forgetting_a_document_tombstones_it_for_good,
    a_signed_deletion_replaces_an_unsigned_tombstone_at_a_new_seq,
    compaction_replaces_blobs_with_one_snapshot,
    the_live_stream_announces_new_heads,
    the_live_stream_can_carry_new_items,
    erasing_a_space_removes_everything_and_ends_streams,
    a_space_created_again_has_a_new_incarnation_at_once,
    shutdown_ends_streams_cleanly_and_a_restart_keeps_the_log,
    concurrent_pushes_get_distinct_contiguous_seqs,
    a_pairing_carries_messages_between_two_sides,
    a_pairing_read_waits_for_the_next_message,
    a_pairing_expires_after_its_lifetime,
    metrics_count_requests_without_ids,
    readyz_answers_whether_the_database_does,
    two_relays_on_one_database_act_as_one,
);

async fn a_space_is_created_once_and_read_by_its_devices(backend: Backend) {
    let Some(h) = Harness::start(backend, |_| {}).await else {
        return;
    };
    let (space, a, b) = h.couple().await;
    // Creating again as a member answers the space unchanged.
    let again: SpaceInfo = h
        .signed(&a, "PUT", &paths::space(&space), b"")
        .await
        .ok(200);
    assert_eq!(again.devices, [a.id, b.id]);
    let read: SpaceInfo = h
        .signed(&b, "GET", &paths::space(&space), b"")
        .await
        .ok(200);
    assert_eq!(read.space, space);
    assert_eq!(read.head, 0);
    // Adding a member again is a no-op.
    let body = serde_json::to_vec(&hearth_protocol::AddDevice {
        device: b.id,
        member: None,
    })
    .unwrap();
    let same: SpaceInfo = h
        .signed(&b, "POST", &paths::devices(&space), &body)
        .await
        .ok(200);
    assert_eq!(same.devices.len(), 2);
    h.finish().await;
}

async fn blobs_come_back_in_sequence_order_with_their_sender(backend: Backend) {
    let Some(h) = Harness::start(backend, |_| {}).await else {
        return;
    };
    let (space, a, b) = h.couple().await;
    let pushed: PushResponse = h
        .push(
            &a,
            &space,
            &[
                ("b1", "d1", "one"),
                ("b2", "d2", "two"),
                ("b3", "d1", "three"),
            ],
        )
        .await
        .ok(200);
    let seqs: Vec<u64> = pushed.receipts.iter().map(|r| r.seq).collect();
    assert_eq!(seqs, [1, 2, 3]);
    assert_eq!(pushed.head, 3);
    let from_b: PushResponse = h.push(&b, &space, &[("b4", "d2", "four")]).await.ok(200);
    assert_eq!(from_b.receipts[0].seq, 4);

    let page = h.pull_all(&b, &space, 0).await;
    assert_eq!(page.head, 4);
    assert!(!page.more);
    let blobs: Vec<(u64, &str, &[u8], bool)> = page
        .items
        .iter()
        .map(|item| match item {
            LogItem::Blob(blob) => (
                blob.seq,
                blob.id.as_str(),
                blob.data.as_slice(),
                blob.device == a.id,
            ),
            LogItem::Tombstone(_) => panic!("no tombstone expected"),
        })
        .collect();
    assert_eq!(
        blobs,
        [
            (1, "b1", &b"one"[..], true),
            (2, "b2", &b"two"[..], true),
            (3, "b3", &b"three"[..], true),
            (4, "b4", &b"four"[..], false),
        ]
    );
    let rest = h.pull_all(&a, &space, 3).await;
    assert_eq!(rest.items.len(), 1);
    assert_eq!(rest.next_cursor(3), 4);
    let nothing = h.pull_all(&a, &space, 4).await;
    assert!(nothing.items.is_empty());
    assert_eq!(nothing.next_cursor(4), 4);
    h.finish().await;
}

async fn pulls_page_by_limit(backend: Backend) {
    let Some(h) = Harness::start(backend, |c| c.limits.max_pull_bytes = 10).await else {
        return;
    };
    let (space, a, _) = h.couple().await;
    let ids: Vec<String> = (1..=5).map(|i| format!("b{i}")).collect();
    let refs: Vec<(&str, &str, &str)> = ids.iter().map(|id| (id.as_str(), "d", "four")).collect();
    h.push(&a, &space, &refs).await.ok::<PushResponse>(200);
    let first: PullResponse = h.pull(&a, &space, 0, 2).await.ok(200);
    assert_eq!(first.items.len(), 2);
    assert!(first.more);
    // The byte budget (10) stops the page after two 4-byte blobs.
    let second: PullResponse = h.pull(&a, &space, 2, 100).await.ok(200);
    assert_eq!(second.items.len(), 2);
    assert!(second.more);
    let last: PullResponse = h.pull(&a, &space, 4, 100).await.ok(200);
    assert_eq!(last.items.len(), 1);
    assert!(!last.more);
    assert_eq!(last.items[0].seq(), 5);
    // A blob larger than the budget still comes, alone, and says more follow.
    h.push(
        &a,
        &space,
        &[("big", "d", "twenty bytes of data"), ("b7", "d", "x")],
    )
    .await
    .ok::<PushResponse>(200);
    let big: PullResponse = h.pull(&a, &space, 5, 100).await.ok(200);
    assert_eq!(big.items.len(), 1);
    assert!(big.more);
    let rest: PullResponse = h.pull(&a, &space, 6, 100).await.ok(200);
    assert_eq!(rest.items.len(), 1);
    assert!(!rest.more);
    h.finish().await;
}

async fn a_retried_push_gets_its_first_seq(backend: Backend) {
    let Some(h) = Harness::start(backend, |_| {}).await else {
        return;
    };
    let (space, a, _) = h.couple().await;
    h.push(&a, &space, &[("b1", "d1", "x")])
        .await
        .ok::<PushResponse>(200);
    h.push(&a, &space, &[("b2", "d1", "y")])
        .await
        .ok::<PushResponse>(200);
    let retried: PushResponse = h
        .push(&a, &space, &[("b1", "d1", "x"), ("b3", "d1", "z")])
        .await
        .ok(200);
    let seqs: Vec<u64> = retried.receipts.iter().map(|r| r.seq).collect();
    assert_eq!(seqs, [1, 3]);
    assert_eq!(retried.head, 3);
    // The same id with other bytes is refused, whole batch included.
    h.push(&a, &space, &[("b4", "d1", "w"), ("b1", "d1", "other")])
        .await
        .refused(409, ErrorCode::BlobIdReused);
    let page = h.pull_all(&a, &space, 0).await;
    assert_eq!(page.items.len(), 3);
    assert_eq!(page.head, 3);
    h.finish().await;
}

async fn a_signed_deletion_replaces_an_unsigned_tombstone_at_a_new_seq(backend: Backend) {
    let Some(h) = Harness::start(backend, |_| {}).await else {
        return;
    };
    let (space, a, b) = h.couple().await;
    h.push(&a, &space, &[("b1", "gone", "x")])
        .await
        .ok::<PushResponse>(200);
    // An unsigned tombstone written behind the relay's back, at seq 2.
    h.tamper(
        "INSERT INTO tombstones (space, doc, seq) SELECT key, 'gone', 2 FROM spaces;
         UPDATE spaces SET head = 2;",
    )
    .await;
    let doc: DocumentId = "gone".parse().unwrap();
    let forgotten: ForgetResponse = h.forget(&b, &space, &doc).await.ok(200);
    assert_eq!(forgotten.seq, 3, "the signed deletion gets a new seq");
    let again: ForgetResponse = h.forget(&a, &space, &doc).await.ok(200);
    assert_eq!(again.seq, 3, "and a signed one is kept");
    let page = h.pull_all(&a, &space, 2).await;
    let [LogItem::Tombstone(tombstone)] = page.items.as_slice() else {
        panic!("one tombstone after seq 2: {:?}", page.items);
    };
    assert_eq!(tombstone.seq, 3);
    assert!(tombstone.deletion.as_ref().unwrap().verify().is_ok());
    h.finish().await;
}

async fn forgetting_a_document_tombstones_it_for_good(backend: Backend) {
    let Some(h) = Harness::start(backend, |_| {}).await else {
        return;
    };
    let (space, a, b) = h.couple().await;
    h.push(
        &a,
        &space,
        &[
            ("b1", "gone", "secret"),
            ("b2", "kept", "ok"),
            ("b3", "gone", "more"),
        ],
    )
    .await
    .ok::<PushResponse>(200);
    let doc = "gone".parse().unwrap();
    // A forget must carry a deletion signed by the requesting device,
    // naming this document: anything else is refused and changes nothing.
    let other: DocumentId = "kept".parse().unwrap();
    for body in [
        Vec::new(),
        a.forget_body(&space, &doc),
        b.forget_body(&space, &other),
        b"{\"action\":\"forget_document\"}".to_vec(),
    ] {
        h.signed(&b, "DELETE", &paths::document(&space, &doc), &body)
            .await
            .refused(400, ErrorCode::InvalidDeletion);
    }
    assert_eq!(h.pull_all(&a, &space, 0).await.head, 3);
    let forgotten: ForgetResponse = h.forget(&b, &space, &doc).await.ok(200);
    assert_eq!(forgotten.seq, 4);
    let again: ForgetResponse = h.forget(&a, &space, &doc).await.ok(200);
    assert_eq!(again.seq, 4);

    let page = h.pull_all(&a, &space, 0).await;
    let kinds: Vec<(u64, &str)> = page
        .items
        .iter()
        .map(|item| match item {
            LogItem::Blob(blob) => (blob.seq, blob.doc.as_str()),
            LogItem::Tombstone(t) => (t.seq, "tombstone"),
        })
        .collect();
    assert_eq!(kinds, [(2, "kept"), (4, "tombstone")]);
    // The tombstone carries the signed deletion, for the phones to check.
    let Some(LogItem::Tombstone(tombstone)) = page.items.last() else {
        panic!("expected a tombstone");
    };
    let deletion = tombstone.deletion.clone().unwrap();
    assert!(deletion.verify().is_ok());
    assert!(deletion.names_document(&space, &doc));
    assert_eq!(deletion.device, b.id);

    // Later writes to it are refused whole, and name the document.
    let refusal = h
        .push(&a, &space, &[("b5", "kept", "new"), ("b6", "gone", "back")])
        .await
        .refused(410, ErrorCode::DocumentForgotten);
    assert_eq!(refusal.documents, std::slice::from_ref(&doc));
    assert_eq!(refusal.deletions, [deletion]);
    assert_eq!(h.pull_all(&a, &space, 0).await.head, 4);
    // A retry of a blob it once had is refused too.
    h.push(&a, &space, &[("b1", "gone", "secret")])
        .await
        .refused(410, ErrorCode::DocumentForgotten);
    let compact = compact_body(4, "s1", b"snap");
    h.signed(&a, "POST", &paths::compact(&space, &doc), &compact)
        .await
        .refused(410, ErrorCode::DocumentForgotten);
    h.finish().await;
}

async fn compaction_replaces_blobs_with_one_snapshot(backend: Backend) {
    let Some(h) = Harness::start(backend, |_| {}).await else {
        return;
    };
    let (space, a, b) = h.couple().await;
    h.push(
        &a,
        &space,
        &[
            ("b1", "d1", "1"),
            ("b2", "d1", "2"),
            ("b3", "d2", "3"),
            ("b4", "d1", "4"),
            ("b5", "d1", "5"),
        ],
    )
    .await
    .ok::<PushResponse>(200);
    let doc = "d1".parse().unwrap();
    let request = |id: &str, upto: u64| compact_body(upto, id, b"snapshot of 1,2,4");
    let path = paths::compact(&space, &doc);
    let done: CompactResponse = h.signed(&b, "POST", &path, &request("s1", 4)).await.ok(200);
    assert_eq!(
        done,
        CompactResponse {
            seq: 4,
            replaced: 3
        }
    );
    let retry: CompactResponse = h.signed(&b, "POST", &path, &request("s1", 4)).await.ok(200);
    assert_eq!(
        retry,
        CompactResponse {
            seq: 4,
            replaced: 0
        }
    );

    let page = h.pull_all(&a, &space, 0).await;
    let seen: Vec<(u64, &str, bool)> = page
        .items
        .iter()
        .map(|item| match item {
            LogItem::Blob(blob) => (blob.seq, blob.id.as_str(), blob.snapshot),
            LogItem::Tombstone(_) => panic!("no tombstone expected"),
        })
        .collect();
    assert_eq!(seen, [(3, "b3", false), (4, "s1", true), (5, "b5", false)]);
    // A phone already past seq 4 does not get the snapshot again.
    let after = h.pull_all(&a, &space, 4).await;
    assert_eq!(after.items.len(), 1);
    // A replaced blob's retry still gets its first seq, and stores nothing.
    let retried: PushResponse = h.push(&a, &space, &[("b2", "d1", "2")]).await.ok(200);
    assert_eq!(retried.receipts[0].seq, 2);
    assert_eq!(retried.head, 5);

    h.signed(&a, "POST", &path, &request("s2", 9))
        .await
        .refused(409, ErrorCode::CursorPastEnd);
    let empty_doc = "d9".parse().unwrap();
    h.signed(
        &a,
        "POST",
        &paths::compact(&space, &empty_doc),
        &request("s3", 5),
    )
    .await
    .refused(409, ErrorCode::NothingToCompact);
    // A second compaction folds the first snapshot in as well.
    let twice: CompactResponse = h.signed(&a, "POST", &path, &request("s4", 5)).await.ok(200);
    assert_eq!(
        twice,
        CompactResponse {
            seq: 5,
            replaced: 2
        }
    );
    let page = h.pull_all(&a, &space, 0).await;
    assert_eq!(page.items.len(), 2);
    h.finish().await;
}

async fn the_live_stream_announces_new_heads(backend: Backend) {
    let Some(h) = Harness::start(backend, |_| {}).await else {
        return;
    };
    let (space, a, b) = h.couple().await;
    h.push(&a, &space, &[("b1", "d", "x")])
        .await
        .ok::<PushResponse>(200);
    let mut for_b = h.events(&b, &space).await;
    let mut for_a = h.events(&a, &space).await;
    // The current head comes first, so an offline phone knows to pull.
    assert_eq!(for_b.next(SOON).await, Some(LiveEvent::Head { head: 1 }));
    assert_eq!(for_a.next(SOON).await, Some(LiveEvent::Head { head: 1 }));
    h.push(&a, &space, &[("b2", "d", "y")])
        .await
        .ok::<PushResponse>(200);
    assert_eq!(for_b.next(SOON).await, Some(LiveEvent::Head { head: 2 }));
    // A device is not told of its own writes (its receipt names the seq);
    // its next event is the partner's write.
    let doc = "d".parse().unwrap();
    h.forget(&b, &space, &doc).await.ok::<ForgetResponse>(200);
    assert_eq!(for_a.next(SOON).await, Some(LiveEvent::Head { head: 3 }));
    h.push(&b, &space, &[("b4", "e", "z")])
        .await
        .ok::<PushResponse>(200);
    assert_eq!(for_a.next(SOON).await, Some(LiveEvent::Head { head: 4 }));
    h.push(&a, &space, &[("b5", "e", "w")])
        .await
        .ok::<PushResponse>(200);
    assert_eq!(for_b.next(SOON).await, Some(LiveEvent::Head { head: 5 }));
    h.finish().await;
}

async fn the_live_stream_can_carry_new_items(backend: Backend) {
    let Some(h) = Harness::start(backend, |_| {}).await else {
        return;
    };
    let (space, a, b) = h.couple().await;
    h.push(&a, &space, &[("b1", "d", "before")])
        .await
        .ok::<PushResponse>(200);
    let mut for_b = h.events_with_items(&b, &space).await;
    // The first event names the head: a phone that was away must pull.
    assert_eq!(for_b.next(SOON).await, Some(LiveEvent::Head { head: 1 }));
    h.push(&a, &space, &[("b2", "d", "two"), ("b3", "e", "three")])
        .await
        .ok::<PushResponse>(200);
    let Some(LiveEvent::Items { after, head, items }) = for_b.next(SOON).await else {
        panic!("expected an items event");
    };
    assert_eq!((after, head), (1, 3));
    let carried: Vec<(u64, &str, &[u8], bool)> = items
        .iter()
        .map(|item| match item {
            LogItem::Blob(blob) => (
                blob.seq,
                blob.id.as_str(),
                blob.data.as_slice(),
                blob.device == a.id,
            ),
            LogItem::Tombstone(_) => panic!("no tombstone expected"),
        })
        .collect();
    assert_eq!(
        carried,
        [(2, "b2", &b"two"[..], true), (3, "b3", &b"three"[..], true)]
    );
    // The items are exactly what a pull returns.
    let pulled = h.pull_all(&b, &space, 1).await;
    assert_eq!(pulled.items, items);
    // Its own writes are not sent back: the next event starts after its
    // own seq 4, which only it wrote.
    h.push(&b, &space, &[("b4", "e", "mine")])
        .await
        .ok::<PushResponse>(200);
    let doc = "d".parse().unwrap();
    h.forget(&a, &space, &doc).await.ok::<ForgetResponse>(200);
    let Some(LiveEvent::Items { after, head, items }) = for_b.next(SOON).await else {
        panic!("expected an items event");
    };
    assert_eq!((after, head), (4, 5));
    assert_eq!(items.len(), 1);
    assert!(matches!(&items[0], LogItem::Tombstone(t) if t.seq == 5 && t.doc == doc));
    // A blob too large to carry: the event names the head, and the phone pulls.
    let large = "x".repeat(5000);
    h.push(&a, &space, &[("b6", "e", &large)])
        .await
        .ok::<PushResponse>(200);
    assert_eq!(for_b.next(SOON).await, Some(LiveEvent::Head { head: 6 }));
    // Small blobs whose event would not fit one line the client reads
    // (events::MAX_LINE): a head event, and the phone pulls.
    let body = "y".repeat(3000);
    let many: Vec<(String, &str, &str)> = (7..13)
        .map(|i| (format!("b{i}"), "e", body.as_str()))
        .collect();
    let many: Vec<(&str, &str, &str)> = many
        .iter()
        .map(|(id, d, b)| (id.as_str(), *d, *b))
        .collect();
    h.push(&a, &space, &many).await.ok::<PushResponse>(200);
    assert_eq!(for_b.next(SOON).await, Some(LiveEvent::Head { head: 12 }));
    h.finish().await;
}

async fn erasing_a_space_removes_everything_and_ends_streams(backend: Backend) {
    let Some(h) = Harness::start(backend, |_| {}).await else {
        return;
    };
    let (space, a, b) = h.couple().await;
    h.push(&a, &space, &[("b1", "d", "x")])
        .await
        .ok::<PushResponse>(200);
    let mut stream = h.events(&b, &space).await;
    stream.until_head(1, SOON).await;
    // An erase must carry an erasure signed by the requesting device for
    // this space: unsigned, signed by another member, or for another
    // space, it is refused and nothing goes.
    h.signed(&b, "DELETE", &paths::space(&space), b"")
        .await
        .refused(400, ErrorCode::InvalidDeletion);
    h.signed(&b, "DELETE", &paths::space(&space), &a.erase_body(&space))
        .await
        .refused(400, ErrorCode::InvalidDeletion);
    let elsewhere = SpaceId::from_random_bytes(common::random16());
    h.signed(
        &b,
        "DELETE",
        &paths::space(&space),
        &b.erase_body(&elsewhere),
    )
    .await
    .refused(400, ErrorCode::InvalidDeletion);
    assert_eq!(h.pull_all(&a, &space, 0).await.head, 1);
    let erased = h.erase(&b, &space).await;
    assert_eq!(erased.status, 204);
    // The stream and every later 404 carry the signed erasure, so the
    // other phone can tell an erasure from a relay that lost the space.
    let Some(LiveEvent::Erased {
        erasure: Some(erasure),
    }) = stream.next(SOON).await
    else {
        panic!("expected a signed erased event");
    };
    assert!(erasure.verify().is_ok());
    assert!(erasure.names_space(&space));
    assert_eq!(erasure.device, b.id);
    assert_eq!(stream.next(SOON).await, None);
    let gone = h
        .signed(&a, "GET", &paths::space(&space), b"")
        .await
        .refused(404, ErrorCode::UnknownSpace);
    assert_eq!(gone.erasure.as_ref(), Some(&erasure));
    h.pull(&a, &space, 0, 10)
        .await
        .refused(404, ErrorCode::UnknownSpace);
    // A space the relay never knew answers 404 without an erasure.
    let never = h
        .signed(&a, "GET", &paths::space(&elsewhere), b"")
        .await
        .refused(404, ErrorCode::UnknownSpace);
    assert!(never.erasure.is_none());
    // The id is free again: a new couple could use it as a fresh space.
    let fresh = Device::new();
    h.signed(&fresh, "PUT", &paths::space(&space), b"")
        .await
        .ok::<SpaceInfo>(201);
    h.signed(&a, "GET", &paths::space(&space), b"")
        .await
        .refused(403, ErrorCode::NotAMember);
    h.finish().await;
}

/// A phone tells a space created anew (a relay that lost it, given back
/// by a phone) from the one it knew by its incarnation, so the number must
/// change even when both creations fall in the same second: the relay's
/// clock here does not move at all.
async fn a_space_created_again_has_a_new_incarnation_at_once(backend: Backend) {
    let clock = ManualClock::starting_now();
    let Some(h) = Harness::start(backend, |c| c.clock = clock.clone()).await else {
        return;
    };
    let (space, a, b) = h.couple().await;
    let first = h.pull_all(&a, &space, 0).await.incarnation;
    assert!(first.is_some_and(|n| n > 0));
    assert_eq!(h.erase(&b, &space).await.status, 204);
    h.signed(&a, "PUT", &paths::space(&space), b"")
        .await
        .ok::<SpaceInfo>(201);
    let again = h.pull_all(&a, &space, 0).await.incarnation;
    assert!(again.is_some_and(|n| n > 0));
    assert_ne!(first, again);
    h.finish().await;
}

async fn shutdown_ends_streams_cleanly_and_a_restart_keeps_the_log(backend: Backend) {
    let Some(mut h) = Harness::start(backend, |_| {}).await else {
        return;
    };
    let (space, a, b) = h.couple().await;
    h.push(&a, &space, &[("b1", "d", "x"), ("b2", "d", "y")])
        .await
        .ok::<PushResponse>(200);
    let mut stream = h.events(&b, &space).await;
    stream.until_head(2, SOON).await;
    // A request in flight when shutdown begins: a pairing read waiting
    // for a message. It is answered, not cut.
    let opened: PairingOpened = h
        .raw("POST", paths::PAIRING, &side_header("side-a"), b"")
        .await
        .ok(201);
    let waiting = {
        let (client, url) = (
            h.client.clone(),
            format!(
                "{}{}",
                h.base,
                paths::pairing_read(&opened.nameplate, 0, 15)
            ),
        );
        tokio::spawn(async move {
            let response = client
                .get(url)
                .header(hearth_protocol::pairing::SIDE_HEADER, "side-a")
                .send()
                .await
                .unwrap();
            (response.status().as_u16(), response.bytes().await.unwrap())
        })
    };
    h.until_metric("hearth_relay_pairing_reads_waiting", |n| n >= 1.0)
        .await;
    let started = Instant::now();
    let relay = h.relay.take().unwrap();
    let addr = relay.local_addr();
    let stopping = tokio::spawn(relay.shutdown());
    assert_eq!(stream.next(SOON).await, Some(LiveEvent::Shutdown));
    assert_eq!(stream.next(SOON).await, None);
    let (status, body) = waiting.await.unwrap();
    assert_eq!(status, 200);
    let read: PairingMessages = serde_json::from_slice(&body).unwrap();
    assert!(read.messages.is_empty());
    stopping.await.unwrap().unwrap();
    assert!(started.elapsed() < Duration::from_secs(5));

    let mut config = h.config.clone();
    config.listen = addr;
    h.relay = Some(hearth_relay::start(config).await.unwrap());
    let page = h.pull_all(&b, &space, 0).await;
    assert_eq!(page.head, 2);
    let next: PushResponse = h.push(&b, &space, &[("b3", "d", "z")]).await.ok(200);
    assert_eq!(next.receipts[0].seq, 3);
    h.restart().await;
    assert_eq!(h.pull_all(&a, &space, 0).await.items.len(), 3);
    h.finish().await;
}

async fn concurrent_pushes_get_distinct_contiguous_seqs(backend: Backend) {
    let Some(h) = Harness::start(backend, |_| {}).await else {
        return;
    };
    let h = std::sync::Arc::new(h);
    let (space, a, b) = h.couple().await;
    let devices = std::sync::Arc::new([a, b]);
    let mut tasks = Vec::new();
    for writer in 0..8 {
        let (h, space, devices) = (h.clone(), space.clone(), devices.clone());
        tasks.push(tokio::spawn(async move {
            let mut seqs = Vec::new();
            for n in 0..10 {
                let id = format!("w{writer}n{n}");
                let pushed: PushResponse = h
                    .push(&devices[writer % 2], &space, &[(&id, "d", "data")])
                    .await
                    .ok(200);
                seqs.push(pushed.receipts[0].seq);
            }
            seqs
        }));
    }
    let mut all = Vec::new();
    for task in tasks {
        all.extend(task.await.unwrap());
    }
    all.sort_unstable();
    assert_eq!(all, (1..=80).collect::<Vec<u64>>());
    let page = h.pull_all(&devices[0], &space, 0).await;
    let pulled: Vec<u64> = page.items.iter().map(LogItem::seq).collect();
    assert_eq!(pulled, (1..=80).collect::<Vec<u64>>());
    std::sync::Arc::into_inner(h).unwrap().finish().await;
}

fn side_header(side: &str) -> [(&'static str, &str); 1] {
    [(hearth_protocol::pairing::SIDE_HEADER, side)]
}

fn message(body: &[u8]) -> Vec<u8> {
    serde_json::to_vec(&hearth_protocol::PostPairingMessage {
        body: body.to_vec(),
    })
    .unwrap()
}

async fn a_pairing_carries_messages_between_two_sides(backend: Backend) {
    let Some(h) = Harness::start(backend, |_| {}).await else {
        return;
    };
    let opened: PairingOpened = h
        .raw("POST", paths::PAIRING, &side_header("side-a"), b"")
        .await
        .ok(201);
    assert!(opened.nameplate.as_str().len() >= 4);
    let plate = &opened.nameplate;
    let claimed: PairingClaimed = h
        .raw(
            "POST",
            &paths::pairing_claim(plate),
            &side_header("side-b"),
            b"",
        )
        .await
        .ok(200);
    assert_eq!(claimed.expires_at, opened.expires_at);
    // Claiming again is harmless; a third phone is turned away.
    h.raw(
        "POST",
        &paths::pairing_claim(plate),
        &side_header("side-b"),
        b"",
    )
    .await
    .ok::<PairingClaimed>(200);
    h.raw(
        "POST",
        &paths::pairing_claim(plate),
        &side_header("side-c"),
        b"",
    )
    .await
    .refused(409, ErrorCode::PairingFull);

    let posted: PairingMessagePosted = h
        .raw(
            "POST",
            &paths::pairing_messages(plate),
            &side_header("side-a"),
            &message(b"pake-a"),
        )
        .await
        .ok(201);
    assert_eq!(posted.seq, 1);
    let for_b: PairingMessages = h
        .raw(
            "GET",
            &paths::pairing_read(plate, 0, 0),
            &side_header("side-b"),
            b"",
        )
        .await
        .ok(200);
    assert_eq!(for_b.messages.len(), 1);
    assert_eq!(for_b.messages[0].body, b"pake-a");
    // A side never reads its own messages back.
    let for_a: PairingMessages = h
        .raw(
            "GET",
            &paths::pairing_read(plate, 0, 0),
            &side_header("side-a"),
            b"",
        )
        .await
        .ok(200);
    assert!(for_a.messages.is_empty());
    h.raw(
        "POST",
        &paths::pairing_messages(plate),
        &side_header("side-b"),
        &message(b"pake-b"),
    )
    .await
    .ok::<PairingMessagePosted>(201);
    let for_a: PairingMessages = h
        .raw(
            "GET",
            &paths::pairing_read(plate, 1, 0),
            &side_header("side-a"),
            b"",
        )
        .await
        .ok(200);
    assert_eq!(for_a.messages[0].body, b"pake-b");
    assert_eq!(for_a.messages[0].seq, 2);
    h.raw(
        "GET",
        &paths::pairing_read(plate, 0, 0),
        &side_header("side-c"),
        b"",
    )
    .await
    .refused(403, ErrorCode::PairingSideUnknown);

    let closed = h
        .raw(
            "DELETE",
            &paths::pairing(plate),
            &side_header("side-a"),
            b"",
        )
        .await;
    assert_eq!(closed.status, 204);
    h.raw(
        "GET",
        &paths::pairing_read(plate, 0, 0),
        &side_header("side-b"),
        b"",
    )
    .await
    .refused(410, ErrorCode::PairingClosed);
    h.raw(
        "POST",
        &paths::pairing_claim(plate),
        &side_header("side-d"),
        b"",
    )
    .await
    .refused(410, ErrorCode::PairingClosed);
    h.finish().await;
}

async fn a_pairing_read_waits_for_the_next_message(backend: Backend) {
    let Some(h) = Harness::start(backend, |_| {}).await else {
        return;
    };
    let h = std::sync::Arc::new(h);
    let opened: PairingOpened = h
        .raw("POST", paths::PAIRING, &side_header("side-a"), b"")
        .await
        .ok(201);
    let plate = opened.nameplate;
    h.raw(
        "POST",
        &paths::pairing_claim(&plate),
        &side_header("side-b"),
        b"",
    )
    .await
    .ok::<PairingClaimed>(200);
    let started = Instant::now();
    let reader = {
        let (h, plate) = (h.clone(), plate.clone());
        tokio::spawn(async move {
            h.raw(
                "GET",
                &paths::pairing_read(&plate, 0, 10),
                &side_header("side-b"),
                b"",
            )
            .await
            .ok::<PairingMessages>(200)
        })
    };
    h.until_metric("hearth_relay_pairing_reads_waiting", |n| n >= 1.0)
        .await;
    h.raw(
        "POST",
        &paths::pairing_messages(&plate),
        &side_header("side-a"),
        &message(b"hello"),
    )
    .await
    .ok::<PairingMessagePosted>(201);
    let read = reader.await.unwrap();
    assert_eq!(read.messages.len(), 1);
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "the read was not woken"
    );
    // With nothing to read, it returns empty once the wait is over.
    let started = Instant::now();
    let empty: PairingMessages = h
        .raw(
            "GET",
            &paths::pairing_read(&plate, 1, 1),
            &side_header("side-b"),
            b"",
        )
        .await
        .ok(200);
    assert!(empty.messages.is_empty());
    assert!(started.elapsed() >= Duration::from_millis(900));
    std::sync::Arc::into_inner(h).unwrap().finish().await;
}

async fn a_pairing_expires_after_its_lifetime(backend: Backend) {
    let clock = ManualClock::starting_now();
    let Some(h) = Harness::start(backend, |c| {
        c.limits.pairing_ttl = Duration::from_secs(60);
        c.clock = clock.clone();
    })
    .await
    else {
        return;
    };
    let opened: PairingOpened = h
        .raw("POST", paths::PAIRING, &side_header("side-a"), b"")
        .await
        .ok(201);
    clock.advance(Duration::from_secs(59));
    h.raw(
        "GET",
        &paths::pairing_read(&opened.nameplate, 0, 0),
        &side_header("side-a"),
        b"",
    )
    .await
    .ok::<PairingMessages>(200);
    clock.advance(Duration::from_secs(1));
    h.raw(
        "POST",
        &paths::pairing_claim(&opened.nameplate),
        &side_header("side-b"),
        b"",
    )
    .await
    .refused(410, ErrorCode::PairingExpired);
    h.raw(
        "POST",
        &paths::pairing_messages(&opened.nameplate),
        &side_header("side-a"),
        &message(b"late"),
    )
    .await
    .refused(410, ErrorCode::PairingExpired);
    let unknown = if opened.nameplate.as_str() == "99999999" {
        "99999998"
    } else {
        "99999999"
    };
    h.raw(
        "POST",
        &format!("/v1/pairing/{unknown}/claim"),
        &side_header("side-b"),
        b"",
    )
    .await
    .refused(404, ErrorCode::PairingUnknown);
    h.finish().await;
}

async fn metrics_count_requests_without_ids(backend: Backend) {
    let Some(h) = Harness::start(backend, |_| {}).await else {
        return;
    };
    let (space, a, _) = h.couple().await;
    h.push(&a, &space, &[("b1", "d", "x")])
        .await
        .ok::<PushResponse>(200);
    h.pull(&Device::new(), &space, 0, 10)
        .await
        .refused(403, ErrorCode::NotAMember);
    // Never on the public address: only on the admin one.
    let public = h.raw("GET", paths::METRICS, &[], b"").await;
    public.refused(404, ErrorCode::NotFound);
    let text = h.metrics().await;
    assert!(text.contains(
        "hearth_relay_http_requests_total{route=\"/v1/spaces/{space}/blobs\",method=\"POST\",status=\"200\"} 1"
    ));
    assert!(text.contains("hearth_relay_blobs_pushed_total 1"));
    assert!(text.contains("hearth_relay_spaces_created_total 1"));
    assert!(text.contains("hearth_relay_refusals_total{code=\"not_a_member\"} 1"));
    assert!(!text.contains(space.as_str()), "metrics name a space");
    assert!(!text.contains(&a.id.encode()), "metrics name a device");
    h.finish().await;
}

async fn readyz_answers_whether_the_database_does(backend: Backend) {
    let Some(h) = Harness::start(backend, |_| {}).await else {
        return;
    };
    let ready = h.raw("GET", paths::READY, &[], b"").await;
    assert_eq!(
        (ready.status, ready.body.as_slice()),
        (200, &b"ready\n"[..])
    );
    let admin = h.relay.as_ref().unwrap().admin_url().unwrap();
    let on_admin = h.send_to(&admin, "GET", paths::READY, &[], b"").await;
    assert_eq!(on_admin.status, 200);
    h.break_database().await;
    let broken = h.raw("GET", paths::READY, &[], b"").await;
    assert_eq!(
        broken.status,
        503,
        "{}",
        String::from_utf8_lossy(&broken.body)
    );
    // Liveness is about the process, not the database.
    h.assert_alive().await;
    h.finish().await;
}

async fn two_relays_on_one_database_act_as_one(backend: Backend) {
    if backend == Backend::Sqlite {
        // One SQLite file serves one relay process; scale-out is PostgreSQL's.
        return;
    }
    let Some(h) = Harness::start(backend, |_| {}).await else {
        return;
    };
    let other = h.second_relay().await;
    let other_base = other.url();
    let (space, a, b) = h.couple().await;
    let mut stream = h.events_at(&other_base, &b, &space).await;
    stream.until_head(0, SOON).await;
    h.push(&a, &space, &[("b1", "d", "x")])
        .await
        .ok::<PushResponse>(200);
    // The push went to the first relay; the stream on the second hears it.
    stream.until_head(1, SOON).await;
    let page: PullResponse = {
        let path = paths::pull(&space, 0, 10);
        let headers = b.sign("GET", &path, b"");
        h.send_to(&other_base, "GET", &path, &headers.pairs(), b"")
            .await
            .ok(200)
    };
    assert_eq!(page.items.len(), 1);
    // A replayed request is refused by the other relay too.
    let path = paths::blobs(&space);
    let body = push_body(&[("b2", "d", "y")]);
    let headers = a.sign("POST", &path, &body);
    h.send_to(&h.base, "POST", &path, &headers.pairs(), &body)
        .await
        .ok::<PushResponse>(200);
    h.send_to(&other_base, "POST", &path, &headers.pairs(), &body)
        .await
        .refused(401, ErrorCode::ReplayedRequest);
    // A pairing opened on one relay is read through the other, and a
    // waiting read there is woken by a post here.
    let opened: PairingOpened = h
        .raw("POST", paths::PAIRING, &side_header("side-a"), b"")
        .await
        .ok(201);
    let plate = opened.nameplate;
    h.send_to(
        &other_base,
        "POST",
        &paths::pairing_claim(&plate),
        &side_header("side-b"),
        b"",
    )
    .await
    .ok::<PairingClaimed>(200);
    let started = Instant::now();
    let waiting = {
        let (client, plate, other_base) = (h.client.clone(), plate.clone(), other_base.clone());
        tokio::spawn(async move {
            client
                .get(format!(
                    "{other_base}{}",
                    paths::pairing_read(&plate, 0, 10)
                ))
                .header(hearth_protocol::pairing::SIDE_HEADER, "side-b")
                .send()
                .await
                .unwrap()
                .bytes()
                .await
                .unwrap()
        })
    };
    h.until_metric_at(
        &other.admin_url().unwrap(),
        "hearth_relay_pairing_reads_waiting",
        |n| n >= 1.0,
    )
    .await;
    h.raw(
        "POST",
        &paths::pairing_messages(&plate),
        &side_header("side-a"),
        &message(b"hi"),
    )
    .await
    .ok::<PairingMessagePosted>(201);
    let read: PairingMessages = serde_json::from_slice(&waiting.await.unwrap()).unwrap();
    assert_eq!(read.messages.len(), 1);
    assert!(started.elapsed() < Duration::from_secs(5));
    other.shutdown().await.unwrap();
    h.finish().await;
}
