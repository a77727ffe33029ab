//! The live stream: Server-Sent Events announcing a space's new head.

use std::convert::Infallible;
use std::sync::Arc;

use axum::extract::State;
use axum::http::HeaderValue;
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use futures_util::stream::{self, Stream};
use hearth_protocol::LiveEvent;
use tokio::sync::watch;

use super::SharedState;
use super::extract::{Signed, SpacePath};
use crate::error::ApiError;
use crate::live::{SpaceSignal, SpaceWatch, until_shutdown};
use crate::metrics::Metrics;

/// `GET /v1/spaces/{space}/events`.
pub(crate) async fn events(
    State(state): State<SharedState>,
    SpacePath(space): SpacePath,
    signed: Signed,
) -> Result<Response, ApiError> {
    // Subscribe first, then read the head, so no push slips between.
    let mut watch = state.hub.watch_space(&space);
    let head = state.store.head(space, signed.device).await?;
    let first = watch.raise(head);
    let follow = Follow {
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
    watch: SpaceWatch,
    shutdown: watch::Receiver<bool>,
    next: Next,
    metrics: Arc<Metrics>,
}

impl Follow {
    fn into_stream(self) -> impl Stream<Item = Result<Event, Infallible>> + Send {
        stream::unfold(self, |mut follow| async move {
            let live = match follow.next {
                Next::Done => return None,
                Next::Send(signal) => follow.emit(signal),
                Next::Wait => {
                    let woke = tokio::select! {
                        biased;
                        () = until_shutdown(&mut follow.shutdown) => None,
                        changed = follow.watch.changed() => Some(changed),
                    };
                    match woke {
                        None => {
                            follow.next = Next::Done;
                            LiveEvent::Shutdown
                        }
                        Some(Some(signal)) => follow.emit(signal),
                        Some(None) => return None,
                    }
                }
            };
            Metrics::add(&follow.metrics.live_events, 1);
            let (name, data) = live.to_sse();
            Some((Ok(Event::default().event(name).data(data)), follow))
        })
    }

    /// The event for `signal`, and what comes after it.
    fn emit(&mut self, signal: SpaceSignal) -> LiveEvent {
        match signal {
            SpaceSignal::Head(head) => {
                self.next = Next::Wait;
                LiveEvent::Head { head }
            }
            SpaceSignal::Erased => {
                self.next = Next::Done;
                LiveEvent::Erased
            }
        }
    }
}
