//! The relay's endpoints, built in one place so the client signs exactly
//! the path the relay routes.

use crate::ids::{DeviceId, DocumentId, Nameplate, SpaceId};

/// Liveness probe: `GET`, unauthenticated, answers `ok`.
pub const HEALTH: &str = "/healthz";
/// Prometheus metrics: `GET`, unauthenticated, holds no user data; served
/// only on the relay's admin address (`--admin-listen`).
pub const METRICS: &str = "/metrics";
/// Readiness: 200 when the relay's database answers, 503 otherwise.
pub const READY: &str = "/readyz";
/// Opens a pairing mailbox: `POST`.
pub const PAIRING: &str = "/v1/pairing";

/// `PUT` creates, `GET` reads, `DELETE` erases a space.
#[must_use]
pub fn space(space: &SpaceId) -> String {
    format!("/v1/spaces/{space}")
}

/// `POST` admits a device into a space.
#[must_use]
pub fn devices(space: &SpaceId) -> String {
    format!("/v1/spaces/{space}/devices")
}

/// `DELETE` removes a device from a space.
#[must_use]
pub fn device(space: &SpaceId, device: &DeviceId) -> String {
    format!("/v1/spaces/{space}/devices/{device}")
}

/// `POST` pushes blobs.
#[must_use]
pub fn blobs(space: &SpaceId) -> String {
    format!("/v1/spaces/{space}/blobs")
}

/// `GET` pulls up to `limit` items after seq `after`.
#[must_use]
pub fn pull(space: &SpaceId, after: u64, limit: u32) -> String {
    format!("/v1/spaces/{space}/blobs?after={after}&limit={limit}")
}

/// `DELETE` forgets a document.
#[must_use]
pub fn document(space: &SpaceId, doc: &DocumentId) -> String {
    format!("/v1/spaces/{space}/documents/{doc}")
}

/// `POST` compacts a document.
#[must_use]
pub fn compact(space: &SpaceId, doc: &DocumentId) -> String {
    format!("/v1/spaces/{space}/documents/{doc}/compact")
}

/// `GET` opens the live stream (Server-Sent Events).
#[must_use]
pub fn events(space: &SpaceId) -> String {
    format!("/v1/spaces/{space}/events")
}

/// `GET` opens the live stream with `items` events (see
/// [`LiveEvent::Items`](crate::LiveEvent::Items)).
#[must_use]
pub fn events_with_items(space: &SpaceId) -> String {
    format!("/v1/spaces/{space}/events?items=1")
}

/// `DELETE` closes a pairing mailbox.
#[must_use]
pub fn pairing(nameplate: &Nameplate) -> String {
    format!("/v1/pairing/{nameplate}")
}

/// `POST` claims the second side of a pairing mailbox.
#[must_use]
pub fn pairing_claim(nameplate: &Nameplate) -> String {
    format!("/v1/pairing/{nameplate}/claim")
}

/// `POST` leaves a message in a pairing mailbox.
#[must_use]
pub fn pairing_messages(nameplate: &Nameplate) -> String {
    format!("/v1/pairing/{nameplate}/messages")
}

/// `GET` reads the other side's messages after `after`, waiting up to
/// `wait_secs` for one.
#[must_use]
pub fn pairing_read(nameplate: &Nameplate, after: u64, wait_secs: u64) -> String {
    format!("/v1/pairing/{nameplate}/messages?after={after}&wait={wait_secs}")
}
