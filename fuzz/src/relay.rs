//! The relay's request handling through the real router and a real
//! SQLite store: paths, queries, headers, JSON bodies, signatures.
//!
//! Input: requests separated by [`SEPARATOR`](crate::SEPARATOR), each
//!
//! ```text
//! A PUT /v1/spaces/space-1          <- signer (A, B or -), method, target
//! content-type: application/json    <- headers, one a line
//!                                   <- a blank line
//! {"member":null}                   <- the body, to the end
//! ```
//!
//! `A` and `B` have the harness sign the request with device A's or B's
//! key (valid timestamp, fresh nonce), so the fuzzer reaches what lies
//! behind the signature check; `-` sends the headers as written. `$NP`
//! in the target stands for the last nameplate the relay handed out. A
//! long poll's `wait=` is set to 0 (the harness runs on real time, and
//! the relay's stores work on threads of their own).

use axum::body::Body;
use axum::http::{HeaderName, HeaderValue, Method, Request};
use ed25519_dalek::SigningKey;
use hearth_protocol::ErrorBody;
use hearth_protocol::auth::{Nonce, sign_request};
use hearth_relay::fuzzing::{Harness, NOW};

/// Requests per input.
const MAX_REQUESTS: usize = 12;

/// The signing key of device `who` (`b'A'` or `b'B'`).
#[must_use]
pub fn device_key(who: u8) -> SigningKey {
    SigningKey::from_bytes(&[who; 32])
}

/// Runs one input.
pub fn run(data: &[u8]) {
    crate::unwind_panics();
    statuses(data);
}

/// Runs one input; answers the status of each request sent.
pub fn statuses(data: &[u8]) -> Vec<u16> {
    let harness = Harness::new();
    let mut nameplate = String::from("1");
    let mut statuses = Vec::new();
    for (i, raw) in crate::records(data, MAX_REQUESTS).into_iter().enumerate() {
        let Some(request) = parse(raw, i, &nameplate) else {
            continue;
        };
        // An answer to HEAD never has a body (HTTP drops it).
        let head = request.method() == Method::HEAD;
        let answer = harness.send(request);
        statuses.push(answer.status);
        assert_ne!(answer.status, 500, "the relay failed inside: {raw:?}");
        if answer.status >= 400 && !head {
            assert!(
                serde_json::from_slice::<ErrorBody>(&answer.body).is_ok(),
                "a refusal without the protocol's error body: {} {:?}",
                answer.status,
                String::from_utf8_lossy(&answer.body)
            );
        } else if let Ok(value) = serde_json::from_slice::<serde_json::Value>(&answer.body)
            && let Some(np) = value.get("nameplate").and_then(serde_json::Value::as_str)
        {
            np.clone_into(&mut nameplate);
        }
    }
    statuses
}

/// One request from its text, or `None` when it cannot be one.
fn parse(raw: &[u8], index: usize, nameplate: &str) -> Option<Request<Body>> {
    let head_end = raw.iter().position(|b| *b == b'\n').unwrap_or(raw.len());
    let first = std::str::from_utf8(&raw[..head_end]).ok()?;
    let mut words = first.splitn(3, ' ');
    let signer = words.next()?.as_bytes().first().copied()?;
    let method = Method::from_bytes(words.next()?.as_bytes()).ok()?;
    let target = no_wait(&words.next()?.replace("$NP", nameplate));
    let mut rest = raw.get(head_end + 1..).unwrap_or_default();
    let mut headers = Vec::new();
    loop {
        let end = rest.iter().position(|b| *b == b'\n').unwrap_or(rest.len());
        let line = &rest[..end];
        rest = rest.get(end + 1..).unwrap_or_default();
        if line.is_empty() {
            break;
        }
        let colon = line.iter().position(|b| *b == b':')?;
        let name = HeaderName::from_bytes(&line[..colon]).ok()?;
        let value = HeaderValue::from_bytes(line[colon + 1..].trim_ascii()).ok()?;
        headers.push((name, value));
    }
    let body = rest.to_vec();
    let mut builder = Request::builder().method(method.clone()).uri(&target);
    for (name, value) in headers {
        builder = builder.header(name, value);
    }
    if matches!(signer, b'A' | b'B') {
        let mut nonce = [0u8; 16];
        nonce[0] = signer;
        nonce[8..].copy_from_slice(&(index as u64).to_le_bytes());
        let signed = sign_request(
            &device_key(signer),
            method.as_str(),
            &target,
            &body,
            NOW,
            Nonce::from_bytes(nonce),
        );
        for (name, value) in signed.pairs() {
            builder = builder.header(name, value);
        }
    }
    builder.body(Body::from(body)).ok()
}

/// `target` with every digit after `wait=` dropped for a 0, so a long poll
/// answers at once.
fn no_wait(target: &str) -> String {
    let mut out = String::with_capacity(target.len());
    let mut rest = target;
    while let Some(at) = rest.find("wait=") {
        out.push_str(&rest[..at + 5]);
        rest = rest[at + 5..].trim_start_matches(|c: char| c.is_ascii_digit());
        out.push('0');
    }
    out.push_str(rest);
    out
}
