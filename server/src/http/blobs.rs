//! Log endpoints: push, pull, forget, compact.

use std::collections::HashSet;
use std::sync::atomic::Ordering;

use axum::extract::State;
use axum::http::{StatusCode, Uri};
use axum::response::Response;
use hearth_protocol::blobs::DEFAULT_PULL_LIMIT;
use hearth_protocol::{CompactRequest, ErrorCode, ForgetResponse, PushRequest};
use serde::Deserialize;

use super::extract::{DocumentPath, Signed, SpacePath, json, query};
use super::{SharedState, json_response};
use crate::error::ApiError;
use crate::metrics::Metrics;
use crate::store::PullBounds;

fn blob_too_large(limit: usize) -> ApiError {
    ApiError::new(
        ErrorCode::BlobTooLarge,
        format!("a blob is larger than {limit} bytes of ciphertext; split the document's changes"),
    )
}

/// `POST /v1/spaces/{space}/blobs`: all or nothing.
pub(crate) async fn push(
    State(state): State<SharedState>,
    SpacePath(space): SpacePath,
    signed: Signed,
) -> Result<Response, ApiError> {
    let PushRequest { blobs } = json(&signed.body)?;
    let limits = &state.limits;
    if blobs.len() > limits.max_blobs_per_push {
        return Err(ApiError::new(
            ErrorCode::TooManyBlobs,
            format!(
                "a push holds at most {} blobs; send the rest in another push",
                limits.max_blobs_per_push
            ),
        ));
    }
    if blobs
        .iter()
        .any(|blob| blob.data.len() > limits.max_blob_bytes)
    {
        return Err(blob_too_large(limits.max_blob_bytes));
    }
    let mut ids = HashSet::with_capacity(blobs.len());
    if !blobs.iter().all(|blob| ids.insert(blob.id.as_str())) {
        return Err(ApiError::new(
            ErrorCode::DuplicateBlobId,
            "the push names one blob id twice; give each blob its own id",
        ));
    }
    drop(ids);
    let bytes: usize = blobs.iter().map(|blob| blob.data.len()).sum();
    let pushed = state
        .store
        .push(space.clone(), signed.device, blobs)
        .await?;
    let response = pushed.response;
    if response.head > pushed.previous_head {
        state
            .hub
            .announce_write(&space, pushed.previous_head, response.head, signed.device);
    }
    Metrics::add(&state.metrics.blobs_pushed, response.receipts.len() as u64);
    Metrics::add(&state.metrics.blob_bytes_pushed, bytes as u64);
    Ok(json_response(StatusCode::OK, &response))
}

#[derive(Debug, Deserialize)]
struct PullQuery {
    after: Option<u64>,
    limit: Option<u32>,
}

/// `GET /v1/spaces/{space}/blobs?after=SEQ&limit=N`.
pub(crate) async fn pull(
    State(state): State<SharedState>,
    SpacePath(space): SpacePath,
    uri: Uri,
    signed: Signed,
) -> Result<Response, ApiError> {
    let PullQuery { after, limit } = query(&uri)?;
    let max = state.limits.max_pull_items;
    let limit = limit.unwrap_or(DEFAULT_PULL_LIMIT.min(max));
    if limit == 0 || limit > max {
        return Err(ApiError::invalid_query(format!(
            "limit must be between 1 and {max}"
        )));
    }
    let bounds = PullBounds {
        after: after.unwrap_or(0),
        limit,
        max_bytes: state.limits.max_pull_bytes,
    };
    let page = state.store.pull(space, signed.device, bounds).await?;
    Metrics::add(&state.metrics.items_pulled, page.items.len() as u64);
    Ok(json_response(StatusCode::OK, &page))
}

/// `DELETE /v1/spaces/{space}/documents/{doc}`: tombstone.
pub(crate) async fn forget(
    State(state): State<SharedState>,
    DocumentPath(space, doc): DocumentPath,
    signed: Signed,
) -> Result<Response, ApiError> {
    let outcome = state
        .store
        .forget(space.clone(), signed.device, doc)
        .await?;
    if outcome.created {
        let seq = outcome.value;
        state
            .hub
            .announce_write(&space, seq.saturating_sub(1), seq, signed.device);
    }
    Ok(json_response(
        StatusCode::OK,
        &ForgetResponse { seq: outcome.value },
    ))
}

/// `POST /v1/spaces/{space}/documents/{doc}/compact`.
pub(crate) async fn compact(
    State(state): State<SharedState>,
    DocumentPath(space, doc): DocumentPath,
    signed: Signed,
) -> Result<Response, ApiError> {
    let CompactRequest { upto, snapshot } = json(&signed.body)?;
    if snapshot.data.len() > state.limits.max_blob_bytes {
        return Err(blob_too_large(state.limits.max_blob_bytes));
    }
    let response = state
        .store
        .compact(space, signed.device, doc, upto, snapshot)
        .await?;
    state
        .metrics
        .blobs_pushed
        .fetch_add(u64::from(response.replaced > 0), Ordering::Relaxed);
    Ok(json_response(StatusCode::OK, &response))
}
