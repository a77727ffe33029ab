//! Spaces and their devices.
//!
//! `PUT /v1/spaces/{space}` (empty body, or [`CreateSpace`]) creates a
//! space whose first device is the signer; `GET` reads it; `POST
//! /v1/spaces/{space}/devices` with [`AddDevice`] admits another device,
//! signed by one already inside; `DELETE /v1/spaces/{space}` erases
//! everything the relay holds for it.
//!
//! A space holds the devices of two people at most: each device may name
//! its person with a [`MemberTag`]; a device without one counts as a
//! person of its own. Admitting a device of a third person is refused
//! (`409 couple_complete`).

use serde::{Deserialize, Serialize};

use crate::ids::{DeviceId, MemberTag, SpaceId};

/// A space as the relay sees it: who may use it and how far its log goes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SpaceInfo {
    /// The space's id.
    pub space: SpaceId,
    /// Its devices, in the order they were added.
    pub devices: Vec<DeviceId>,
    /// The highest sequence number assigned so far (0 for a new space).
    pub head: u64,
}

/// Body of `POST /v1/spaces/{space}/devices`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AddDevice {
    /// The device to admit.
    pub device: DeviceId,
    /// The person it belongs to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub member: Option<MemberTag>,
}

/// Optional body of `PUT /v1/spaces/{space}`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CreateSpace {
    /// The person the first device belongs to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub member: Option<MemberTag>,
}
