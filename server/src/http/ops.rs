//! Operations endpoints: liveness, readiness and metrics. Unauthenticated;
//! none holds anything about any couple.

use std::time::Duration;

use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::IntoResponse;

use super::SharedState;
use crate::metrics;

/// Longest `/readyz` waits for the database (a pool waiting for a
/// connection would otherwise hold the probe for its own timeout).
const READY_WITHIN: Duration = Duration::from_secs(3);

/// `GET /healthz`: the process is up and serving.
pub(crate) async fn health() -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        "ok\n",
    )
}

/// `GET /readyz`: the database answers (200), or not (503): a load
/// balancer sends this relay no traffic until it does.
pub(crate) async fn ready(State(state): State<SharedState>) -> impl IntoResponse {
    let ready = matches!(
        tokio::time::timeout(READY_WITHIN, state.store.ping()).await,
        Ok(Ok(()))
    );
    let (status, body) = if ready {
        (StatusCode::OK, "ready\n")
    } else {
        tracing::warn!("readiness check failed: the database does not answer");
        (
            StatusCode::SERVICE_UNAVAILABLE,
            "the database does not answer\n",
        )
    };
    (
        status,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        body,
    )
}

/// `GET /metrics` (admin address only): the text exposition.
pub(crate) async fn metrics(State(state): State<SharedState>) -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, metrics::CONTENT_TYPE)],
        state.metrics.render(metrics::Readings {
            live_streams: state.hub.live_streams(),
            buffered_bytes: state.buffered_bytes(),
        }),
    )
}
