//! Space endpoints: create, read, admit or remove a device, erase.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use hearth_protocol::{AddDevice, CreateSpace};

use super::blobs::{settled, signed_deletion};
use super::extract::{ClientIp, DevicePath, Signed, SpacePath, json};
use super::{SharedState, json_response};
use crate::error::ApiError;
use crate::store::NewDevice;

fn created_status(created: bool) -> StatusCode {
    if created {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    }
}

/// `PUT /v1/spaces/{space}`: the signer becomes the first device. Repeating
/// it as a member answers the space unchanged (200).
pub(crate) async fn create(
    State(state): State<SharedState>,
    ClientIp(ip): ClientIp,
    SpacePath(space): SpacePath,
    signed: Signed,
) -> Result<Response, ApiError> {
    if let Err(wait) = state.spaces.check(ip) {
        state.metrics.record_rate_limited("spaces");
        return Err(ApiError::rate_limited("new spaces", wait));
    }
    // The body is optional: a first device may name its person.
    let CreateSpace { member } = if signed.body.is_empty() {
        CreateSpace::default()
    } else {
        json(&signed.body)?
    };
    let outcome = state
        .store
        .create_space(space, signed.device, member, state.clock.unix_now())
        .await?;
    if outcome.created {
        state.metrics.spaces_created.inc();
    }
    Ok(json_response(
        created_status(outcome.created),
        &outcome.value,
    ))
}

/// `GET /v1/spaces/{space}`: devices and head.
pub(crate) async fn read(
    State(state): State<SharedState>,
    SpacePath(space): SpacePath,
    signed: Signed,
) -> Result<Response, ApiError> {
    let info = state.store.space_info(space, signed.device).await?;
    Ok(json_response(StatusCode::OK, &info))
}

/// `POST /v1/spaces/{space}/devices`: a member admits another device.
pub(crate) async fn add_device(
    State(state): State<SharedState>,
    SpacePath(space): SpacePath,
    signed: Signed,
) -> Result<Response, ApiError> {
    let AddDevice { device, member } = json(&signed.body)?;
    // A key that is no curve point could never sign; refuse it now.
    device
        .verifying_key()
        .map_err(|error| ApiError::invalid_id(&error))?;
    let outcome = state
        .store
        .add_device(
            space,
            signed.device,
            NewDevice { device, member },
            state.limits.max_devices_per_space,
            state.clock.unix_now(),
        )
        .await?;
    Ok(json_response(
        created_status(outcome.created),
        &outcome.value,
    ))
}

/// `DELETE /v1/spaces/{space}/devices/{device}`: a device removes another
/// device of its person (a lost phone), or itself. The removed device's
/// live streams end and its later requests are refused.
pub(crate) async fn remove_device(
    State(state): State<SharedState>,
    DevicePath(space, device): DevicePath,
    signed: Signed,
) -> Result<StatusCode, ApiError> {
    let by = signed.device;
    settled(&state, move |state| async move {
        state
            .store
            .remove_device(space.clone(), by, device, state.clock.unix_now())
            .await?;
        // Also for a retry: a stream opened in between ends too.
        state.hub.device_removed(&space, device);
        Ok(())
    })
    .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// `DELETE /v1/spaces/{space}`: erases the space, keeping the signed
/// erasure the body carries; live streams end.
pub(crate) async fn erase(
    State(state): State<SharedState>,
    SpacePath(space): SpacePath,
    signed: Signed,
) -> Result<StatusCode, ApiError> {
    let device = signed.device;
    let erasure = signed_deletion(&signed.body, device, |d| d.names_space(&space))?;
    settled(&state, move |state| async move {
        state
            .store
            .erase_space(space.clone(), device, erasure, state.clock.unix_now())
            .await?;
        state.hub.erased(&space);
        Ok(())
    })
    .await?;
    Ok(StatusCode::NO_CONTENT)
}
