//! Log endpoints: push, pull, forget, compact.

use std::collections::HashSet;

use axum::extract::State;
use axum::http::{StatusCode, Uri};
use axum::response::Response;
use hearth_protocol::blobs::DEFAULT_PULL_LIMIT;
use hearth_protocol::{
    CompactRequest, Deletion, DeviceId, ErrorCode, ForgetResponse, LogItem, NewBlob, PushRequest,
    Receipt, StoredBlob, Tombstone,
};
use serde::Deserialize;

use super::extract::{DocumentPath, Signed, SpacePath, json, query};
use super::{SharedState, json_response};
use std::future::Future;
use std::sync::Arc;

use crate::error::ApiError;
use crate::live::RecentItem;
use crate::metrics::Metrics;
use crate::store::StoreError;
use crate::store::{PullBounds, Quota};

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
    // What live streams of this space may carry, kept before the store
    // takes the blobs (only when someone here follows the space).
    let carried: Vec<NewBlob> = if state.hub.is_watched(&space) {
        blobs
            .iter()
            .filter(|blob| blob.data.len() <= RecentItem::MAX_CARRIED_BYTES)
            .cloned()
            .collect()
    } else {
        Vec::new()
    };
    let device = signed.device;
    let response = settled(&state, move |state| async move {
        let quota = Quota {
            bytes: state.limits.max_space_bytes,
            blobs: state.limits.max_space_blobs,
        };
        let pushed = state
            .store
            .push(space.clone(), device, blobs, quota)
            .await?;
        let response = pushed.response;
        if response.head > pushed.previous_head {
            let items = new_items(&carried, &response.receipts, pushed.previous_head, device);
            state
                .hub
                .announce_write(&space, pushed.previous_head, response.head, device, items);
        }
        Ok(response)
    })
    .await?;
    Metrics::add(&state.metrics.blobs_pushed, response.receipts.len() as u64);
    Metrics::add(&state.metrics.blob_bytes_pushed, bytes as u64);
    Ok(json_response(StatusCode::OK, &response))
}

/// Runs a write and its announcement to the end even if the request is
/// abandoned (the client hangs up, the timeout fires): a committed write
/// whose live event was never sent would leave an online partner waiting.
pub(crate) async fn settled<T, F, Fut>(state: &SharedState, write: F) -> Result<T, ApiError>
where
    T: Send + 'static,
    F: FnOnce(SharedState) -> Fut,
    Fut: Future<Output = Result<T, StoreError>> + Send + 'static,
{
    tokio::spawn(write(Arc::clone(state)))
        .await
        .map_err(|_| ApiError::new(ErrorCode::Internal, "the write failed unexpectedly; retry"))?
        .map_err(ApiError::from)
}

/// The items a push added, as live streams carry them.
fn new_items(
    carried: &[NewBlob],
    receipts: &[Receipt],
    previous_head: u64,
    device: DeviceId,
) -> Vec<RecentItem> {
    receipts
        .iter()
        .filter(|receipt| receipt.seq > previous_head)
        .filter_map(|receipt| {
            let blob = carried.iter().find(|blob| blob.id == receipt.id)?;
            let item = LogItem::Blob(StoredBlob {
                seq: receipt.seq,
                id: blob.id.clone(),
                doc: blob.doc.clone(),
                device,
                snapshot: false,
                data: blob.data.clone(),
            });
            RecentItem::new(&item, device)
        })
        .collect()
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

/// The signed deletion a forget or erase request carries: signed by the
/// requesting device and naming what the path names, or refused.
pub(crate) fn signed_deletion(
    body: &[u8],
    signer: DeviceId,
    names: impl FnOnce(&Deletion) -> bool,
) -> Result<Deletion, ApiError> {
    let refused = || {
        ApiError::new(
            ErrorCode::InvalidDeletion,
            "the body must be a deletion signed by the requesting device, naming this space (and document); see docs/protocol.md",
        )
    };
    let deletion: Deletion = serde_json::from_slice(body).map_err(|_| refused())?;
    if deletion.device != signer || !names(&deletion) || deletion.verify().is_err() {
        return Err(refused());
    }
    Ok(deletion)
}

/// `DELETE /v1/spaces/{space}/documents/{doc}`: tombstone, keeping the
/// signed deletion the body carries.
pub(crate) async fn forget(
    State(state): State<SharedState>,
    DocumentPath(space, doc): DocumentPath,
    signed: Signed,
) -> Result<Response, ApiError> {
    let device = signed.device;
    let deletion = signed_deletion(&signed.body, device, |d| d.names_document(&space, &doc))?;
    let outcome = settled(&state, move |state| async move {
        let outcome = state
            .store
            .forget(space.clone(), device, doc.clone(), deletion.clone())
            .await?;
        if outcome.created {
            let seq = outcome.value;
            let tombstone = LogItem::Tombstone(Tombstone {
                seq,
                doc,
                deletion: Some(deletion),
            });
            let items = RecentItem::new(&tombstone, device).into_iter().collect();
            state
                .hub
                .announce_write(&space, seq.saturating_sub(1), seq, device, items);
        }
        Ok(outcome)
    })
    .await?;
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
    Metrics::add(
        &state.metrics.blobs_pushed,
        u64::from(response.replaced > 0),
    );
    Ok(json_response(StatusCode::OK, &response))
}
