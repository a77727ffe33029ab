//! Operations endpoints: liveness and metrics. Unauthenticated; neither
//! holds anything about any couple.

use axum::extract::State;
use axum::http::header;
use axum::response::IntoResponse;

use super::SharedState;

/// `GET /healthz`: the process is up and serving.
pub(crate) async fn health() -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        "ok\n",
    )
}

/// `GET /metrics`: Prometheus text exposition.
pub(crate) async fn metrics(State(state): State<SharedState>) -> impl IntoResponse {
    (
        [(
            header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        state.metrics.render(state.hub.live_streams()),
    )
}
