//! The live stream: Server-Sent Events announcing a space's new head.

use std::convert::Infallible;
use std::sync::Arc;

use axum::extract::State;
use axum::http::HeaderValue;
use axum::http::Uri;
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use futures_util::stream::{self, Stream};
use hearth_protocol::events::{EVENT_ITEMS, MAX_ITEMS_DATA, items_data};
use hearth_protocol::{DeviceId, ErrorCode, LiveEvent, SpaceId};
use serde::Deserialize;
use tokio::sync::watch;

use super::SharedState;
use super::extract::{ClientIp, Signed, SpacePath, query};
use crate::error::ApiError;
use crate::live::{SpaceSignal, SpaceWatch, until_removed, until_shutdown};
use crate::metrics::Metrics;
use crate::store::Store;
use crate::streams::{StreamCap, StreamSlot};

#[derive(Debug, Deserialize)]
struct EventsQuery {
    items: Option<u8>,
}

/// `GET /v1/spaces/{space}/events[?items=1]`.
pub(crate) async fn events(
    State(state): State<SharedState>,
    ClientIp(ip): ClientIp,
    SpacePath(space): SpacePath,
    uri: Uri,
    signed: Signed,
) -> Result<Response, ApiError> {
    let inline = match query::<EventsQuery>(&uri)?.items {
        None | Some(0) => false,
        Some(1) => true,
        Some(_) => return Err(ApiError::invalid_query("items must be 0 or 1")),
    };
    // Subscribe first, then read the head, so no push slips between.
    let mut watch = state.hub.watch_space(&space);
    let head = state.store.head(space.clone(), signed.device).await?;
    let slot = state
        .streams
        .take(
            signed.device,
            ip,
            state.limits.max_streams_per_device,
            state.limits.max_streams_per_address,
        )
        .map_err(|cap| {
            let (whose, max) = match cap {
                StreamCap::Device(max) => ("this device", max),
                StreamCap::Address(max) => ("this address", max),
            };
            let mut error = ApiError::new(
                ErrorCode::TooManyStreams,
                format!(
                    "{whose} already holds {max} live streams, the most allowed; close one first"
                ),
            );
            error.retry_after = Some(30);
            error
        })?;
    let first = watch.raise(head);
    let follow = Follow {
        _slot: slot,
        ends_at: tokio::time::Instant::now() + state.limits.stream_lifetime,
        store: Arc::clone(&state.store),
        space,
        inline,
        device: signed.device,
        last_sent: 0,
        watch,
        shutdown: state.hub.shutdown_signal(),
        next: Next::Send(first),
        metrics: Arc::clone(&state.metrics),
    };
    let mut response = Sse::new(follow.into_stream())
        .keep_alive(
            KeepAlive::new()
                .interval(state.limits.heartbeat)
                .text("ping"),
        )
        .into_response();
    // Tells nginx-style proxies not to buffer the stream.
    response
        .headers_mut()
        .insert("x-accel-buffering", HeaderValue::from_static("no"));
    Ok(response)
}

enum Next {
    Send(SpaceSignal),
    Wait,
    Done,
}

struct Follow {
    /// This stream's place under the per-device and per-address caps.
    _slot: StreamSlot,
    /// When the stream ends (the phone reconnects).
    ends_at: tokio::time::Instant,
    /// Where the signed erasure is read when the space is erased.
    store: Arc<dyn Store>,
    /// The space followed.
    space: SpaceId,
    /// Whether the stream carries new items (`?items=1`).
    inline: bool,
    /// The device this stream serves.
    device: DeviceId,
    /// The head in the last event sent.
    last_sent: u64,
    watch: SpaceWatch,
    shutdown: watch::Receiver<bool>,
    next: Next,
    metrics: Arc<Metrics>,
}

impl Follow {
    fn into_stream(self) -> impl Stream<Item = Result<Event, Infallible>> + Send {
        stream::unfold(self, |mut follow| async move {
            let (name, data) = follow.next_event().await?;
            Metrics::add(&follow.metrics.live_events, 1);
            Some((Ok(Event::default().event(name).data(data)), follow))
        })
    }

    /// The next event's name and data; `None` ends the stream.
    async fn next_event(&mut self) -> Option<(&'static str, String)> {
        loop {
            let signal = match self.next {
                Next::Done => return None,
                Next::Send(signal) => signal,
                Next::Wait => {
                    let mut removals = self.watch.removals();
                    let woke = tokio::select! {
                        biased;
                        () = until_shutdown(&mut self.shutdown) => None,
                        () = tokio::time::sleep_until(self.ends_at) => None,
                        // A removed device hears nothing more; reconnecting
                        // is refused with 403 device_removed.
                        () = until_removed(&mut removals, self.device) => return None,
                        changed = self.watch.changed() => Some(changed),
                    };
                    match woke {
                        None => {
                            self.next = Next::Done;
                            return Some(LiveEvent::Shutdown.to_sse());
                        }
                        Some(signal) => signal?,
                    }
                }
            };
            let first = matches!(self.next, Next::Send(_));
            match signal {
                SpaceSignal::Erased => {
                    self.next = Next::Done;
                    // The phone deletes nothing without the signed erasure.
                    let erasure = self.store.erasure(self.space.clone()).await.ok().flatten();
                    return Some(LiveEvent::Erased { erasure }.to_sse());
                }
                SpaceSignal::Head { head, last_write } => {
                    self.next = Next::Wait;
                    // Nothing new for this device: it made the only write
                    // since its last event, and knows that seq from its
                    // push receipt.
                    let own_write = last_write.is_some_and(|(from, writer)| {
                        writer == self.device && from == self.last_sent
                    });
                    if !first && (own_write || head <= self.last_sent) {
                        self.last_sent = self.last_sent.max(head);
                        continue;
                    }
                    let after = self.last_sent;
                    self.last_sent = head;
                    // The first event always names the head: the phone may
                    // be far behind and must pull.
                    if self.inline
                        && !first
                        && let Some(items) = self.watch.recent_between(after, head)
                    {
                        let others = items
                            .iter()
                            .filter(|item| item.writer != self.device)
                            .map(|item| &*item.json);
                        let data = items_data(after, head, others);
                        // One line the client reads whole, or a pull.
                        if data.len() <= MAX_ITEMS_DATA {
                            return Some((EVENT_ITEMS, data));
                        }
                    }
                    return Some(LiveEvent::Head { head }.to_sse());
                }
            }
        }
    }
}
