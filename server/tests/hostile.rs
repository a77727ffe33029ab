//! Hostile input, on both backends: every bad request gets a precise 4xx
//! with a machine-readable code, nothing is half-written, and the relay
//! keeps serving.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "test scenarios: a failed step should fail the test loudly"
)]

#[macro_use]
mod common;

use std::time::Duration;

use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};

use common::{Backend, Device, Harness, compact_body, push_body, unix_now};
use hearth_protocol::auth::{HEADER_DEVICE, HEADER_NONCE, HEADER_SIGNATURE, HEADER_TIMESTAMP};
use hearth_protocol::{ErrorCode, PairingOpened, PushResponse, SpaceInfo, paths};
use hearth_relay::Rate;

on_both_backends!(
    unsigned_and_badly_signed_requests_are_401,
    replayed_requests_are_refused_and_change_nothing,
    strangers_get_403_and_unknown_spaces_404,
    malformed_bodies_and_ids_are_400_and_store_nothing,
    bad_queries_and_cursors_are_refused,
    oversized_requests_are_413,
    full_spaces_refuse_more_devices,
    a_space_refuses_a_third_person,
    per_address_rate_limits_answer_429,
    pairing_abuse_is_refused,
    unknown_routes_and_methods_are_refused,
    a_body_that_stalls_times_out,
    strangers_large_bodies_are_refused_before_they_are_read,
    buffered_bodies_are_capped_across_requests,
    live_streams_are_capped_and_end_after_their_lifetime,
    a_push_past_the_space_quota_is_refused_and_stores_nothing,
    shutdown_cuts_requests_still_running_after_the_drain_time,
);

async fn unsigned_and_badly_signed_requests_are_401(backend: Backend) {
    let Some(h) = Harness::start(backend, |_| {}).await else {
        return;
    };
    let (space, a, _) = h.couple().await;
    let path = paths::blobs(&space);
    let body = push_body(&[("b1", "d", "x")]);

    h.raw("POST", &path, &[], &body)
        .await
        .refused(401, ErrorCode::MissingSignature);

    // Signed for another body.
    let other = a.sign("POST", &path, &push_body(&[("b1", "d", "y")]));
    h.raw("POST", &path, &other.pairs(), &body)
        .await
        .refused(401, ErrorCode::BadSignature);
    // Signed for another path.
    let elsewhere = a.sign("POST", &paths::devices(&space), &body);
    h.raw("POST", &path, &elsewhere.pairs(), &body)
        .await
        .refused(401, ErrorCode::BadSignature);
    // Signed by one key, claiming another device: that device is not in
    // the space, which is refused before the body is even read.
    let mut forged = a.sign("POST", &path, &body);
    forged.device = Device::new().id.encode();
    h.raw("POST", &path, &forged.pairs(), &body)
        .await
        .refused(403, ErrorCode::NotAMember);
    // Claiming a member device whose key did not sign it.
    let mut forged = Device::new().sign("POST", &path, &body);
    forged.device = a.id.encode();
    h.raw("POST", &path, &forged.pairs(), &body)
        .await
        .refused(401, ErrorCode::BadSignature);

    // Malformed headers name themselves.
    for (header, value) in [
        (HEADER_DEVICE, "not-a-key"),
        (HEADER_TIMESTAMP, "yesterday"),
        (HEADER_NONCE, "short"),
        (HEADER_SIGNATURE, "AAAA"),
    ] {
        let good = a.sign("POST", &path, &body);
        let headers: Vec<(&str, &str)> = good
            .pairs()
            .into_iter()
            .map(|(name, v)| {
                if name == header {
                    (name, value)
                } else {
                    (name, v)
                }
            })
            .collect();
        let refusal = h
            .raw("POST", &path, &headers, &body)
            .await
            .refused(401, ErrorCode::MalformedSignature);
        assert!(refusal.message.contains(header), "{}", refusal.message);
    }

    // Signed too long ago, or too far ahead.
    for when in [unix_now() - 3600, unix_now() + 3600] {
        let stale = a.sign_at("POST", &path, &body, when);
        h.raw("POST", &path, &stale.pairs(), &body)
            .await
            .refused(401, ErrorCode::StaleTimestamp);
    }
    h.assert_nothing_stored(&a, &space).await;
    h.assert_alive().await;
    h.finish().await;
}

async fn replayed_requests_are_refused_and_change_nothing(backend: Backend) {
    let Some(h) = Harness::start(backend, |_| {}).await else {
        return;
    };
    let (space, a, b) = h.couple().await;
    let path = paths::blobs(&space);
    let body = push_body(&[("b1", "d", "x")]);
    let headers = a.sign("POST", &path, &body);
    h.raw("POST", &path, &headers.pairs(), &body)
        .await
        .ok::<PushResponse>(200);
    h.raw("POST", &path, &headers.pairs(), &body)
        .await
        .refused(401, ErrorCode::ReplayedRequest);
    // A replayed erase is refused before it can touch anything.
    let forget = paths::document(&space, &"d".parse().unwrap());
    let captured = b.sign("GET", &paths::space(&space), b"");
    h.raw("GET", &paths::space(&space), &captured.pairs(), b"")
        .await
        .ok::<SpaceInfo>(200);
    h.raw("GET", &paths::space(&space), &captured.pairs(), b"")
        .await
        .refused(401, ErrorCode::ReplayedRequest);
    // The same nonce on another request is refused before anything else.
    h.raw("DELETE", &forget, &captured.pairs(), b"")
        .await
        .refused(401, ErrorCode::ReplayedRequest);
    assert_eq!(h.pull_all(&a, &space, 0).await.head, 1);

    // The same request sent many times at once is let through once.
    let body = push_body(&[("b2", "d", "y")]);
    let headers = a.sign("POST", &path, &body);
    let pairs = headers.pairs();
    let replies =
        futures_util::future::join_all((0..16).map(|_| h.raw("POST", &path, &pairs, &body))).await;
    let through = replies.iter().filter(|reply| reply.status == 200).count();
    assert_eq!(through, 1, "a replay got through");
    for reply in replies.iter().filter(|reply| reply.status != 200) {
        reply.refused(401, ErrorCode::ReplayedRequest);
    }
    assert_eq!(h.pull_all(&a, &space, 0).await.head, 2);
    h.assert_alive().await;
    h.finish().await;
}

async fn strangers_get_403_and_unknown_spaces_404(backend: Backend) {
    let Some(h) = Harness::start(backend, |_| {}).await else {
        return;
    };
    let (space, a, _) = h.couple().await;
    h.push(&a, &space, &[("b1", "d", "x")])
        .await
        .ok::<PushResponse>(200);
    let stranger = Device::new();
    let doc = "d".parse().unwrap();
    let compact = compact_body(1, "s", b"s");
    let add = serde_json::to_vec(&hearth_protocol::AddDevice {
        device: stranger.id,
        member: None,
    })
    .unwrap();
    let attempts: Vec<(&str, String, Vec<u8>)> = vec![
        ("GET", paths::space(&space), vec![]),
        ("GET", paths::pull(&space, 0, 10), vec![]),
        (
            "POST",
            paths::blobs(&space),
            push_body(&[("b9", "d", "evil")]),
        ),
        ("POST", paths::devices(&space), add),
        (
            "DELETE",
            paths::document(&space, &doc),
            stranger.forget_body(&space, &doc),
        ),
        ("POST", paths::compact(&space, &doc), compact),
        ("GET", paths::events(&space), vec![]),
        ("DELETE", paths::space(&space), stranger.erase_body(&space)),
    ];
    for (method, path, body) in &attempts {
        h.signed(&stranger, method, path, body)
            .await
            .refused(403, ErrorCode::NotAMember);
    }
    // Guessing the id to create it again does not let a stranger in.
    h.signed(&stranger, "PUT", &paths::space(&space), b"")
        .await
        .refused(409, ErrorCode::SpaceExists);
    // Nothing the stranger tried left a trace.
    let info: SpaceInfo = h
        .signed(&a, "GET", &paths::space(&space), b"")
        .await
        .ok(200);
    assert_eq!(info.devices.len(), 2);
    assert_eq!(info.head, 1);
    assert_eq!(h.pull_all(&a, &space, 0).await.items.len(), 1);

    let nowhere = hearth_protocol::SpaceId::from_random_bytes(common::random16());
    for (method, path, body) in [
        ("GET", paths::space(&nowhere), vec![]),
        ("GET", paths::pull(&nowhere, 0, 10), vec![]),
        ("GET", paths::events(&nowhere), vec![]),
        ("DELETE", paths::space(&nowhere), a.erase_body(&nowhere)),
    ] {
        h.signed(&a, method, &path, &body)
            .await
            .refused(404, ErrorCode::UnknownSpace);
    }
    h.push(&a, &nowhere, &[("b1", "d", "x")])
        .await
        .refused(404, ErrorCode::UnknownSpace);
    h.assert_alive().await;
    h.finish().await;
}

async fn malformed_bodies_and_ids_are_400_and_store_nothing(backend: Backend) {
    let Some(h) = Harness::start(backend, |_| {}).await else {
        return;
    };
    let (space, a, _) = h.couple().await;
    let path = paths::blobs(&space);
    for body in [
        &b"not json"[..],
        b"{\"blobs\":",
        b"{}",
        b"{\"blobs\":[{\"id\":\"b1\",\"doc\":\"d\"}]}",
        b"{\"blobs\":[{\"id\":\"b1\",\"doc\":\"d\",\"data\":\"***\"}]}",
        b"{\"blobs\":[{\"id\":\"b 1\",\"doc\":\"d\",\"data\":\"AA\"}]}",
        b"{\"blobs\":[{\"id\":\"b1\",\"doc\":\"\",\"data\":\"AA\"}]}",
        b"{\"blobs\":[{\"id\":\"b1\",\"doc\":\"d\",\"data\":\"AA\",\"extra\":true}]}",
        b"{\"blobs\":{\"id\":\"b1\"}}",
        b"\xff\xfe",
    ] {
        h.signed(&a, "POST", &path, body)
            .await
            .refused(400, ErrorCode::MalformedBody);
    }
    h.push(&a, &space, &[("b1", "d", "x"), ("b1", "d", "x")])
        .await
        .refused(400, ErrorCode::DuplicateBlobId);
    h.signed(
        &a,
        "POST",
        &paths::devices(&space),
        b"{\"device\":\"nope\"}",
    )
    .await
    .refused(400, ErrorCode::MalformedBody);
    let compact = format!("/v1/spaces/{space}/documents/d/compact");
    h.signed(&a, "POST", &compact, b"{\"upto\":-1}")
        .await
        .refused(400, ErrorCode::MalformedBody);

    // Ids in the path.
    let long = "x".repeat(65);
    for (method, bad) in [
        ("GET", format!("/v1/spaces/{long}")),
        ("GET", "/v1/spaces/a.b".to_owned()),
        ("GET", "/v1/spaces/%E2%9C%93".to_owned()),
        ("DELETE", format!("/v1/spaces/{space}/documents/{long}")),
    ] {
        h.signed(&a, method, &bad, b"")
            .await
            .refused(400, ErrorCode::InvalidId);
    }
    h.assert_nothing_stored(&a, &space).await;
    h.assert_alive().await;
    h.finish().await;
}

async fn bad_queries_and_cursors_are_refused(backend: Backend) {
    let Some(h) = Harness::start(backend, |c| c.limits.max_pull_items = 50).await else {
        return;
    };
    let (space, a, _) = h.couple().await;
    h.push(&a, &space, &[("b1", "d", "x")])
        .await
        .ok::<PushResponse>(200);
    for query in [
        "after=-1",
        "after=x",
        "limit=0",
        "limit=51",
        "limit=99999999999",
    ] {
        h.signed(&a, "GET", &format!("{}?{query}", paths::blobs(&space)), b"")
            .await
            .refused(400, ErrorCode::InvalidQuery);
    }
    let past = h
        .pull(&a, &space, 2, 10)
        .await
        .refused(409, ErrorCode::CursorPastEnd);
    assert_eq!(past.head, Some(1));
    h.assert_alive().await;
    h.finish().await;
}

async fn oversized_requests_are_413(backend: Backend) {
    let Some(h) = Harness::start(backend, |c| {
        c.limits.max_body_bytes = 4096;
        c.limits.max_blob_bytes = 1000;
        c.limits.max_blobs_per_push = 3;
        c.limits.pairing_max_message_bytes = 100;
    })
    .await
    else {
        return;
    };
    let (space, a, _) = h.couple().await;
    let path = paths::blobs(&space);
    let huge = "x".repeat(5000);
    h.push(&a, &space, &[("b1", "d", &huge)])
        .await
        .refused(413, ErrorCode::BodyTooLarge);
    // Without Content-Length (chunked), the limit still holds.
    let body = push_body(&[("b1", "d", &huge)]);
    let headers = a.sign("POST", &path, &body);
    let mut request = h
        .client
        .post(format!("{}{path}", h.base))
        .body(reqwest::Body::wrap_stream(futures_util::stream::iter(
            body.chunks(1000)
                .map(|chunk| Ok::<_, std::io::Error>(chunk.to_vec()))
                .collect::<Vec<_>>(),
        )));
    for (name, value) in headers.pairs() {
        request = request.header(name, value);
    }
    let response = request.send().await.unwrap();
    assert_eq!(response.status().as_u16(), 413);

    let big = "y".repeat(1001);
    h.push(&a, &space, &[("b1", "d", "ok"), ("b2", "d", &big)])
        .await
        .refused(413, ErrorCode::BlobTooLarge);
    h.push(
        &a,
        &space,
        &[
            ("b1", "d", "1"),
            ("b2", "d", "2"),
            ("b3", "d", "3"),
            ("b4", "d", "4"),
        ],
    )
    .await
    .refused(413, ErrorCode::TooManyBlobs);
    let compact = compact_body(0, "s", &[0; 1001]);
    h.signed(
        &a,
        "POST",
        &paths::compact(&space, &"d".parse().unwrap()),
        &compact,
    )
    .await
    .refused(413, ErrorCode::BlobTooLarge);

    let side = [(hearth_protocol::pairing::SIDE_HEADER, "side-a")];
    let opened: PairingOpened = h.raw("POST", paths::PAIRING, &side, b"").await.ok(201);
    let message =
        serde_json::to_vec(&hearth_protocol::PostPairingMessage { body: vec![1; 101] }).unwrap();
    h.raw(
        "POST",
        &paths::pairing_messages(&opened.nameplate),
        &side,
        &message,
    )
    .await
    .refused(413, ErrorCode::BodyTooLarge);
    h.assert_nothing_stored(&a, &space).await;
    h.assert_alive().await;
    h.finish().await;
}

async fn full_spaces_refuse_more_devices(backend: Backend) {
    let Some(h) = Harness::start(backend, |c| c.limits.max_devices_per_space = 2).await else {
        return;
    };
    let (space, a, _) = h.couple().await;
    let third = serde_json::to_vec(&hearth_protocol::AddDevice {
        device: Device::new().id,
        member: None,
    })
    .unwrap();
    h.signed(&a, "POST", &paths::devices(&space), &third)
        .await
        .refused(409, ErrorCode::SpaceFull);
    let info: SpaceInfo = h
        .signed(&a, "GET", &paths::space(&space), b"")
        .await
        .ok(200);
    assert_eq!(info.devices.len(), 2);
    h.finish().await;
}

async fn a_space_refuses_a_third_person(backend: Backend) {
    let Some(h) = Harness::start(backend, |_| {}).await else {
        return;
    };
    let tag = |t: &str| Some(hearth_protocol::MemberTag::parse(t).unwrap());
    let add = |device: &Device, member| {
        serde_json::to_vec(&hearth_protocol::AddDevice {
            device: device.id,
            member,
        })
        .unwrap()
    };
    let (robin, sam, kit) = (Device::new(), Device::new(), Device::new());
    let space = hearth_protocol::SpaceId::from_random_bytes(common::random16());
    let create = serde_json::to_vec(&hearth_protocol::CreateSpace {
        member: tag("robin"),
    })
    .unwrap();
    h.signed(&robin, "PUT", &paths::space(&space), &create)
        .await
        .ok::<SpaceInfo>(201);
    h.signed(
        &robin,
        "POST",
        &paths::devices(&space),
        &add(&sam, tag("sam")),
    )
    .await
    .ok::<SpaceInfo>(201);
    // A third person, named or not, is refused, by either partner.
    for (by, member) in [(&robin, tag("kit")), (&sam, tag("kit")), (&robin, None)] {
        h.signed(by, "POST", &paths::devices(&space), &add(&kit, member))
            .await
            .refused(409, ErrorCode::CoupleComplete);
    }
    // A second device of one of the two is let in.
    let laptop = Device::new();
    h.signed(
        &sam,
        "POST",
        &paths::devices(&space),
        &add(&laptop, tag("sam")),
    )
    .await
    .ok::<SpaceInfo>(201);
    let info: SpaceInfo = h
        .signed(&robin, "GET", &paths::space(&space), b"")
        .await
        .ok(200);
    assert_eq!(info.devices, [robin.id, sam.id, laptop.id]);
    h.signed(&kit, "GET", &paths::space(&space), b"")
        .await
        .refused(403, ErrorCode::NotAMember);
    h.finish().await;
}

async fn per_address_rate_limits_answer_429(backend: Backend) {
    let Some(h) = Harness::start(backend, |c| {
        c.rates.requests = Rate::per_hour(12);
        c.rates.spaces = Rate::per_hour(2);
        c.rates.pairing = Rate::per_hour(2);
    })
    .await
    else {
        return;
    };
    let a = Device::new();
    let mut spaces = Vec::new();
    for _ in 0..2 {
        spaces.push(h.create_space(&a).await);
    }
    let extra = hearth_protocol::SpaceId::from_random_bytes(common::random16());
    let refused = h.signed(&a, "PUT", &paths::space(&extra), b"").await;
    refused.refused(429, ErrorCode::RateLimited);
    assert!(refused.headers.contains_key("retry-after"));

    let side = [(hearth_protocol::pairing::SIDE_HEADER, "side-a")];
    for _ in 0..2 {
        h.raw("POST", paths::PAIRING, &side, b"")
            .await
            .ok::<PairingOpened>(201);
    }
    h.raw("POST", paths::PAIRING, &side, b"")
        .await
        .refused(429, ErrorCode::RateLimited);

    // Six requests so far (refused ones count too); the twelfth is the
    // last one allowed.
    for _ in 0..6 {
        h.signed(&a, "GET", &paths::space(&spaces[0]), b"")
            .await
            .ok::<SpaceInfo>(200);
    }
    let limited = h.signed(&a, "GET", &paths::space(&spaces[0]), b"").await;
    limited.refused(429, ErrorCode::RateLimited);
    let wait: u64 = limited.headers["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    // One request per 300 s refills the bucket.
    assert!((1..=300).contains(&wait), "retry after {wait} s");
    // Health checks are never limited.
    h.assert_alive().await;
    h.finish().await;
}

async fn pairing_abuse_is_refused(backend: Backend) {
    let Some(h) = Harness::start(backend, |c| c.limits.pairing_max_messages = 2).await else {
        return;
    };
    let side = |name: &'static str| [(hearth_protocol::pairing::SIDE_HEADER, name)];
    h.raw("POST", paths::PAIRING, &[], b"")
        .await
        .refused(400, ErrorCode::InvalidId);
    h.raw("POST", paths::PAIRING, &side("bad side!"), b"")
        .await
        .refused(400, ErrorCode::InvalidId);
    h.raw("POST", "/v1/pairing/12/claim", &side("b"), b"")
        .await
        .refused(400, ErrorCode::InvalidId);
    h.raw("POST", "/v1/pairing/12ab/claim", &side("b"), b"")
        .await
        .refused(400, ErrorCode::InvalidId);
    let opened: PairingOpened = h.raw("POST", paths::PAIRING, &side("a"), b"").await.ok(201);
    let plate = &opened.nameplate;
    let message =
        serde_json::to_vec(&hearth_protocol::PostPairingMessage { body: vec![7] }).unwrap();
    // Only sides that claimed a place may post or read.
    h.raw(
        "POST",
        &paths::pairing_messages(plate),
        &side("b"),
        &message,
    )
    .await
    .refused(403, ErrorCode::PairingSideUnknown);
    h.raw("DELETE", &paths::pairing(plate), &side("b"), b"")
        .await
        .refused(403, ErrorCode::PairingSideUnknown);
    for _ in 0..2 {
        h.raw(
            "POST",
            &paths::pairing_messages(plate),
            &side("a"),
            &message,
        )
        .await
        .ok::<hearth_protocol::PairingMessagePosted>(201);
    }
    h.raw(
        "POST",
        &paths::pairing_messages(plate),
        &side("a"),
        &message,
    )
    .await
    .refused(409, ErrorCode::PairingMessageLimit);
    h.raw(
        "POST",
        &paths::pairing_messages(plate),
        &side("a"),
        b"{\"body\":5}",
    )
    .await
    .refused(400, ErrorCode::MalformedBody);
    h.raw(
        "GET",
        &format!("{}?after=x", paths::pairing_messages(plate)),
        &side("a"),
        b"",
    )
    .await
    .refused(400, ErrorCode::InvalidQuery);
    h.assert_alive().await;
    h.finish().await;
}

async fn unknown_routes_and_methods_are_refused(backend: Backend) {
    let Some(h) = Harness::start(backend, |c| {
        c.limits.header_read_timeout = Duration::from_secs(1);
    })
    .await
    else {
        return;
    };
    let a = Device::new();
    h.signed(&a, "GET", "/v2/spaces", b"")
        .await
        .refused(404, ErrorCode::NotFound);
    h.raw("GET", "/", &[], b"")
        .await
        .refused(404, ErrorCode::NotFound);
    let space = h.create_space(&a).await;
    h.signed(&a, "PATCH", &paths::space(&space), b"")
        .await
        .refused(405, ErrorCode::MethodNotAllowed);
    h.raw("POST", paths::HEALTH, &[], b"")
        .await
        .refused(405, ErrorCode::MethodNotAllowed);
    // A client that never finishes its headers is cut off, and the relay
    // keeps serving everyone else meanwhile.
    let mut slow = tokio::net::TcpStream::connect(h.relay.as_ref().unwrap().local_addr())
        .await
        .unwrap();
    slow.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
        .await
        .unwrap();
    h.assert_alive().await;
    let mut answer = Vec::new();
    let read = tokio::time::timeout(Duration::from_secs(5), slow.read_to_end(&mut answer)).await;
    assert!(read.is_ok(), "the slow connection was not closed");
    assert!(
        answer.is_empty() || answer.starts_with(b"HTTP/1.1 408"),
        "{}",
        String::from_utf8_lossy(&answer)
    );
    h.finish().await;
}

async fn a_body_that_stalls_times_out(backend: Backend) {
    let Some(h) = Harness::start(backend, |c| {
        c.limits.request_timeout = Duration::from_secs(1);
    })
    .await
    else {
        return;
    };
    let (space, a, _) = h.couple().await;
    let path = paths::blobs(&space);
    let body = push_body(&[("b1", "d", "x")]);
    let headers = a.sign("POST", &path, &body);
    let mut request = format!(
        "POST {path} HTTP/1.1\r\nhost: relay\r\ncontent-length: {}\r\n",
        body.len()
    );
    for (name, value) in headers.pairs() {
        request.push_str(&format!("{name}: {value}\r\n"));
    }
    request.push_str("\r\n");
    let mut slow = tokio::net::TcpStream::connect(h.relay.as_ref().unwrap().local_addr())
        .await
        .unwrap();
    slow.write_all(request.as_bytes()).await.unwrap();
    // Half the body, then nothing.
    slow.write_all(&body[..body.len() / 2]).await.unwrap();
    let mut answer = vec![0u8; 4096];
    let read = tokio::time::timeout(Duration::from_secs(5), slow.read(&mut answer))
        .await
        .expect("the relay did not give up on the stalled body")
        .unwrap();
    let answer = String::from_utf8_lossy(&answer[..read]);
    assert!(answer.starts_with("HTTP/1.1 503"), "{answer}");
    assert!(answer.contains("\"code\":\"timeout\""), "{answer}");
    h.assert_nothing_stored(&a, &space).await;
    h.assert_alive().await;
    h.finish().await;
}

/// Sends the headers of a signed request claiming a body of `length`
/// bytes, and only the first kilobyte of it; answers the relay's reply.
async fn partial_request(
    h: &Harness,
    device: &Device,
    path: &str,
    length: usize,
) -> (tokio::net::TcpStream, String) {
    let headers = device.sign("POST", path, b"never sent in full");
    let mut request = format!(
        "POST {path} HTTP/1.1\r\nhost: relay\r\ncontent-type: application/json\r\ncontent-length: {length}\r\n"
    );
    for (name, value) in headers.pairs() {
        request.push_str(&format!("{name}: {value}\r\n"));
    }
    request.push_str("\r\n");
    let mut connection = tokio::net::TcpStream::connect(h.relay.as_ref().unwrap().local_addr())
        .await
        .unwrap();
    connection.write_all(request.as_bytes()).await.unwrap();
    connection.write_all(&[b'x'; 1024]).await.unwrap();
    (connection, String::new())
}

/// Reads what the relay answered on `connection` (its first packet).
async fn answer(connection: &mut tokio::net::TcpStream) -> String {
    let mut answer = vec![0u8; 4096];
    let read = tokio::time::timeout(Duration::from_secs(10), connection.read(&mut answer))
        .await
        .expect("the relay waited for a body it should have refused unread")
        .unwrap();
    String::from_utf8_lossy(&answer[..read]).into_owned()
}

/// The relay's count of request-body bytes read.
async fn body_bytes_read(h: &Harness) -> u64 {
    h.metrics()
        .await
        .lines()
        .find_map(|line| line.strip_prefix("hearth_relay_body_bytes_read_total "))
        .expect("metric missing")
        .trim()
        .parse()
        .unwrap()
}

async fn strangers_large_bodies_are_refused_before_they_are_read(backend: Backend) {
    let Some(h) = Harness::start(backend, |_| {}).await else {
        return;
    };
    let (space, a, _) = h.couple().await;
    let path = paths::blobs(&space);
    let before = body_bytes_read(&h).await;
    // 120 requests from strangers, each claiming a 4 MiB body and sending
    // a kilobyte of it: each is refused on its headers, none is read.
    let mut open = Vec::new();
    for _ in 0..120 {
        let (mut connection, _) = partial_request(&h, &Device::new(), &path, 4 << 20).await;
        let reply = answer(&mut connection).await;
        assert!(reply.starts_with("HTTP/1.1 403"), "{reply}");
        assert!(reply.contains("\"code\":\"not_a_member\""), "{reply}");
        open.push(connection);
    }
    assert_eq!(
        body_bytes_read(&h).await,
        before,
        "a stranger's body was read"
    );
    // A replayed nonce is refused before the body too.
    let headers = a.sign("GET", &paths::space(&space), b"");
    h.raw("GET", &paths::space(&space), &headers.pairs(), b"")
        .await
        .ok::<SpaceInfo>(200);
    let body = push_body(&[("b1", "d", "x")]);
    h.raw("POST", &path, &headers.pairs(), &body)
        .await
        .refused(401, ErrorCode::ReplayedRequest);
    assert_eq!(body_bytes_read(&h).await, before);
    drop(open);
    h.assert_nothing_stored(&a, &space).await;
    h.assert_alive().await;
    h.finish().await;
}

async fn buffered_bodies_are_capped_across_requests(backend: Backend) {
    let Some(h) = Harness::start(backend, |c| {
        c.limits.max_buffered_bytes = 6 << 20;
    })
    .await
    else {
        return;
    };
    let (space, a, _) = h.couple().await;
    let path = paths::blobs(&space);
    // A member device (or someone using its id) starts a 4 MiB body and
    // stalls: it holds 4 of the 6 MiB the relay buffers at once.
    let (mut first, _) = partial_request(&h, &a, &path, 4 << 20).await;
    // Wait until the relay is reading it.
    h.until_metric("hearth_relay_buffered_body_bytes", |n| {
        n >= f64::from(4 << 20)
    })
    .await;
    let (mut second, _) = partial_request(&h, &a, &path, 4 << 20).await;
    let reply = answer(&mut second).await;
    assert!(reply.starts_with("HTTP/1.1 503"), "{reply}");
    assert!(reply.contains("\"code\":\"unavailable\""), "{reply}");
    // Small requests still fit, and the relay keeps answering.
    h.push(&a, &space, &[("b1", "d", "x")])
        .await
        .ok::<PushResponse>(200);
    h.assert_alive().await;
    first.shutdown().await.unwrap();
    drop(first);
    h.finish().await;
}

async fn live_streams_are_capped_and_end_after_their_lifetime(backend: Backend) {
    let Some(h) = Harness::start(backend, |c| {
        c.limits.max_streams_per_address = 3;
        c.limits.stream_lifetime = Duration::from_secs(2);
    })
    .await
    else {
        return;
    };
    let (space, a, b) = h.couple().await;
    let mut first = h.events(&a, &space).await;
    let _second = h.events(&a, &space).await;
    // A third stream of one device is refused, and /healthz still answers.
    h.signed(&a, "GET", &paths::events(&space), b"")
        .await
        .refused(429, ErrorCode::TooManyStreams);
    h.assert_alive().await;
    // So is a stream past the per-address cap, from another device.
    let _third = h.events(&b, &space).await;
    h.signed(&b, "GET", &paths::events(&space), b"")
        .await
        .refused(429, ErrorCode::TooManyStreams);
    h.assert_alive().await;
    // A stream ends after its lifetime with `shutdown` (the phone
    // reconnects), and its place is free again.
    assert_eq!(
        first.next(Duration::from_secs(5)).await,
        Some(hearth_protocol::LiveEvent::Head { head: 0 })
    );
    assert_eq!(
        first.next(Duration::from_secs(5)).await,
        Some(hearth_protocol::LiveEvent::Shutdown)
    );
    drop(first);
    drop(_second);
    drop(_third);
    h.until_metric("hearth_relay_live_streams", |n| n == 0.0)
        .await;
    let _again = h.events(&a, &space).await;
    h.finish().await;
}

async fn a_push_past_the_space_quota_is_refused_and_stores_nothing(backend: Backend) {
    let Some(h) = Harness::start(backend, |c| {
        c.limits.max_space_blobs = 3;
        c.limits.max_space_bytes = 100;
    })
    .await
    else {
        return;
    };
    let (space, a, b) = h.couple().await;
    h.push(&a, &space, &[("b1", "d", "one"), ("b2", "e", "two")])
        .await
        .ok::<PushResponse>(200);
    // One blob too many: refused whole, nothing of it stored.
    let refusal = h
        .push(&b, &space, &[("b3", "f", "three"), ("b4", "f", "four")])
        .await
        .refused(413, ErrorCode::SpaceQuotaExceeded);
    assert!(refusal.message.contains("3 blobs"), "{}", refusal.message);
    assert_eq!(h.pull_all(&a, &space, 0).await.head, 2);
    // Too many bytes, in one blob.
    let big = "x".repeat(120);
    h.push(&b, &space, &[("b5", "g", &big)])
        .await
        .refused(413, ErrorCode::SpaceQuotaExceeded);
    assert_eq!(h.pull_all(&a, &space, 0).await.head, 2);
    // A retry of a stored blob costs nothing; forgetting frees room.
    h.push(&a, &space, &[("b1", "d", "one")])
        .await
        .ok::<PushResponse>(200);
    h.forget(&a, &space, &"d".parse().unwrap())
        .await
        .ok::<hearth_protocol::ForgetResponse>(200);
    h.push(&b, &space, &[("b3", "f", "three"), ("b4", "f", "four")])
        .await
        .ok::<PushResponse>(200);
    h.assert_alive().await;
    h.finish().await;
}

async fn shutdown_cuts_requests_still_running_after_the_drain_time(backend: Backend) {
    let drain = Duration::from_millis(300);
    let Some(mut h) = Harness::start(backend, |c| c.drain = drain).await else {
        return;
    };
    let (space, a, _) = h.couple().await;
    // A push whose body stalls stays in flight until it is cut.
    let (_stalled, _) = partial_request(&h, &a, &paths::blobs(&space), 4096).await;
    // Wait until the relay is reading it.
    h.until_metric("hearth_relay_buffered_body_bytes", |n| n >= 4096.0)
        .await;
    let relay = h.relay.take().unwrap();
    match relay.shutdown().await {
        Err(hearth_relay::RelayError::ShutdownTimedOut(waited)) => assert_eq!(waited, drain),
        other => panic!("shutdown did not report the cut request: {other:?}"),
    }
    h.finish().await;
}
