//! The accept loop: HTTP/1.1 connections with a header timeout, a cap on
//! open connections, `TCP_NODELAY` (small answers go out at once), and a
//! graceful drain on shutdown.

use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use tokio::net::TcpListener;
use tokio::sync::{Semaphore, watch};

use crate::config::Limits;
use crate::http::Peer;
use crate::live::until_shutdown;

/// Serves `router` on `listener` until `shutdown` turns true, then stops
/// accepting, lets requests in flight finish (live streams end themselves
/// on the same signal) and closes idle connections, waiting at most
/// `drain` for them. Answers whether every connection finished in time.
pub(crate) async fn accept_loop(
    listener: TcpListener,
    router: Router,
    limits: Limits,
    mut shutdown: watch::Receiver<bool>,
    drain: Duration,
) -> bool {
    let graceful = GracefulShutdown::new();
    let slots = Arc::new(Semaphore::new(limits.max_connections.max(1)));
    loop {
        let permit = tokio::select! {
            permit = Arc::clone(&slots).acquire_owned() => match permit {
                Ok(permit) => permit,
                Err(_) => break,
            },
            () = until_shutdown(&mut shutdown) => break,
        };
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(error) => {
                    // Usually out of file descriptors: back off briefly
                    // instead of spinning.
                    tracing::warn!(error = %error, "accept failed");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = until_shutdown(&mut shutdown) => break,
        };
        // Without this, small answers can wait for Nagle's algorithm.
        let _ = stream.set_nodelay(true);
        let router = router.clone();
        let service = hyper::service::service_fn(move |mut request: hyper::Request<Incoming>| {
            request.extensions_mut().insert(Peer(peer));
            let mut router = router.clone();
            tower_service::Service::call(&mut router, request.map(axum::body::Body::new))
        });
        let mut builder = hyper::server::conn::http1::Builder::new();
        builder
            .timer(TokioTimer::new())
            .header_read_timeout(limits.header_read_timeout)
            .keep_alive(true);
        let connection = graceful.watch(builder.serve_connection(TokioIo::new(stream), service));
        tokio::spawn(async move {
            let _permit = permit;
            let _ = connection.await;
        });
    }
    drop(listener);
    let drained = tokio::time::timeout(drain, graceful.shutdown())
        .await
        .is_ok();
    if !drained {
        tracing::warn!("connections still open after the drain period; closing them");
    }
    drained
}
