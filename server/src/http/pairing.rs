//! Pairing mailbox endpoints. Unauthenticated: opening and claiming are
//! rate limited per address, and every call names its side.

use std::time::Duration;

use axum::extract::State;
use axum::http::{StatusCode, Uri};
use axum::response::Response;
use hearth_protocol::pairing::MAX_WAIT_SECS;
use hearth_protocol::{ErrorCode, PairingMessagePosted, PostPairingMessage};
use serde::Deserialize;
use tokio::time::Instant;

use super::extract::{ClientIp, NameplatePath, Side, json, query, read_body};
use super::{SharedState, json_response};
use crate::error::ApiError;
use crate::live::until_shutdown;

fn limit_pairing(state: &SharedState, ip: std::net::IpAddr) -> Result<(), ApiError> {
    state.pairings.check(ip).map_err(|wait| {
        state.metrics.record_rate_limited("pairing");
        ApiError::rate_limited("pairing attempts", wait)
    })
}

/// `POST /v1/pairing`: opens a mailbox; the caller holds its first side.
pub(crate) async fn open(
    State(state): State<SharedState>,
    ClientIp(ip): ClientIp,
    Side(side): Side,
) -> Result<Response, ApiError> {
    limit_pairing(&state, ip)?;
    let opened = state
        .store
        .open_pairing(
            side,
            state.clock.unix_now(),
            state.limits.pairing_ttl.as_secs(),
        )
        .await?;
    state.metrics.pairings_opened.inc();
    Ok(json_response(StatusCode::CREATED, &opened))
}

/// `POST /v1/pairing/{nameplate}/claim`: takes the second side.
pub(crate) async fn claim(
    State(state): State<SharedState>,
    ClientIp(ip): ClientIp,
    NameplatePath(nameplate): NameplatePath,
    Side(side): Side,
) -> Result<Response, ApiError> {
    limit_pairing(&state, ip)?;
    let claimed = state
        .store
        .claim_pairing(nameplate.clone(), side, state.clock.unix_now())
        .await?;
    state.hub.pairing_changed(&nameplate);
    Ok(json_response(StatusCode::OK, &claimed))
}

/// `POST /v1/pairing/{nameplate}/messages`: leaves a message.
pub(crate) async fn post(
    State(state): State<SharedState>,
    NameplatePath(nameplate): NameplatePath,
    Side(side): Side,
    request: axum::extract::Request,
) -> Result<Response, ApiError> {
    let (parts, body) = request.into_parts();
    // Base64 makes the JSON a third larger than the message, plus framing.
    let max = state.limits.pairing_max_message_bytes;
    let body = read_body(body, &parts.headers, max / 3 * 4 + 64).await?;
    let PostPairingMessage { body } = json(&body)?;
    if body.len() > max {
        return Err(ApiError::new(
            ErrorCode::BodyTooLarge,
            format!("a pairing message is at most {max} bytes"),
        ));
    }
    let seq = state
        .store
        .post_pairing(
            nameplate.clone(),
            side,
            body,
            state.limits.pairing_max_messages,
            state.clock.unix_now(),
        )
        .await?;
    state.hub.pairing_changed(&nameplate);
    Ok(json_response(
        StatusCode::CREATED,
        &PairingMessagePosted { seq },
    ))
}

#[derive(Debug, Deserialize)]
struct ReadQuery {
    after: Option<u64>,
    wait: Option<u64>,
}

/// `GET /v1/pairing/{nameplate}/messages?after=SEQ&wait=SECS`: the other
/// side's messages, waiting up to `wait` seconds for the first.
pub(crate) async fn read(
    State(state): State<SharedState>,
    NameplatePath(nameplate): NameplatePath,
    Side(side): Side,
    uri: Uri,
) -> Result<Response, ApiError> {
    let ReadQuery { after, wait } = query(&uri)?;
    let after = after.unwrap_or(0);
    // Stay inside the request timeout, which covers this route too.
    let ceiling = state
        .limits
        .request_timeout
        .saturating_sub(Duration::from_secs(1))
        .min(Duration::from_secs(MAX_WAIT_SECS));
    let deadline = Instant::now() + Duration::from_secs(wait.unwrap_or(0)).min(ceiling);
    let watch = state.hub.pairing(&nameplate);
    let mut shutdown = state.hub.shutdown_signal();
    loop {
        // Enabled before the read, so a message posted between the read
        // and the wait still wakes us.
        let mut notified = std::pin::pin!(watch.notify().notified());
        notified.as_mut().enable();
        let messages = state
            .store
            .read_pairing(
                nameplate.clone(),
                side.clone(),
                after,
                state.clock.unix_now(),
            )
            .await?;
        if !messages.messages.is_empty() || Instant::now() >= deadline || *shutdown.borrow() {
            return Ok(json_response(StatusCode::OK, &messages));
        }
        let _waiting = state.metrics.waiting_pairing_read();
        tokio::select! {
            () = notified => {}
            () = tokio::time::sleep_until(deadline) => {}
            () = until_shutdown(&mut shutdown) => {}
        }
    }
}

/// `DELETE /v1/pairing/{nameplate}`: burns the mailbox.
pub(crate) async fn close(
    State(state): State<SharedState>,
    NameplatePath(nameplate): NameplatePath,
    Side(side): Side,
) -> Result<StatusCode, ApiError> {
    state.store.close_pairing(nameplate.clone(), side).await?;
    state.hub.pairing_changed(&nameplate);
    Ok(StatusCode::NO_CONTENT)
}
