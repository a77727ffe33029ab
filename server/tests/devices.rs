//! Removing a device (a lost phone), run against both backends: SQLite
//! always, PostgreSQL when `HEARTH_TEST_POSTGRES_URL` is set.

#![allow(
    clippy::unwrap_used,
    reason = "test scenarios: a failed step should fail the test loudly"
)]

#[macro_use]
mod common;

use std::time::Duration;

use common::{Backend, Device, Harness};
use hearth_protocol::{
    AddDevice, CreateSpace, DeviceId, ErrorCode, MemberTag, PushResponse, SpaceId, SpaceInfo, paths,
};

const SOON: Duration = Duration::from_secs(5);

on_both_backends!(
    a_device_of_the_same_person_removes_a_lost_phone_for_good,
    removal_is_refused_across_people_and_for_unknown_devices,
);

fn tag(t: &str) -> Option<MemberTag> {
    Some(MemberTag::parse(t).unwrap())
}

fn add(device: &Device, member: Option<MemberTag>) -> Vec<u8> {
    serde_json::to_vec(&AddDevice {
        device: device.id,
        member,
    })
    .unwrap()
}

/// Robin's phone, and Sam's phone and laptop, in one space.
async fn household(h: &Harness) -> (SpaceId, Device, Device, Device) {
    let (robin, phone, laptop) = (Device::new(), Device::new(), Device::new());
    let space = SpaceId::from_random_bytes(common::random16());
    let create = serde_json::to_vec(&CreateSpace {
        member: tag("robin"),
    })
    .unwrap();
    h.signed(&robin, "PUT", &paths::space(&space), &create)
        .await
        .ok::<SpaceInfo>(201);
    h.signed(
        &robin,
        "POST",
        &paths::devices(&space),
        &add(&phone, tag("sam")),
    )
    .await
    .ok::<SpaceInfo>(201);
    h.signed(
        &phone,
        "POST",
        &paths::devices(&space),
        &add(&laptop, tag("sam")),
    )
    .await
    .ok::<SpaceInfo>(201);
    (space, robin, phone, laptop)
}

async fn remove(h: &Harness, by: &Device, space: &SpaceId, device: &DeviceId) -> common::Reply {
    h.signed(by, "DELETE", &paths::device(space, device), b"")
        .await
}

async fn a_device_of_the_same_person_removes_a_lost_phone_for_good(backend: Backend) {
    let Some(mut h) = Harness::start(backend, |_| {}).await else {
        return;
    };
    let (space, robin, phone, laptop) = household(&h).await;
    let mut stream = h.events(&laptop, &space).await;
    stream.until_head(0, SOON).await;
    // With PostgreSQL, a stream on another relay instance ends too.
    let other = match backend {
        Backend::Postgres => Some(h.second_relay().await),
        Backend::Sqlite => None,
    };
    let mut far_stream = match &other {
        Some(relay) => {
            let mut far = h.events_at(&relay.url(), &laptop, &space).await;
            far.until_head(0, SOON).await;
            Some(far)
        }
        None => None,
    };

    assert_eq!(remove(&h, &phone, &space, &laptop.id).await.status, 204);
    assert_eq!(stream.next(SOON).await, None, "the removed stream ended");
    if let Some(far) = far_stream.as_mut() {
        assert_eq!(far.next(SOON).await, None, "the far stream ended");
    }
    // A retry answers the same and changes nothing.
    assert_eq!(remove(&h, &phone, &space, &laptop.id).await.status, 204);

    let info: SpaceInfo = h
        .signed(&robin, "GET", &paths::space(&space), b"")
        .await
        .ok(200);
    assert_eq!(info.devices, [robin.id, phone.id]);

    // Every later request of the removed device is refused, before and
    // after a restart.
    for round in 0..2 {
        h.signed(&laptop, "GET", &paths::space(&space), b"")
            .await
            .refused(403, ErrorCode::DeviceRemoved);
        h.pull(&laptop, &space, 0, 10)
            .await
            .refused(403, ErrorCode::DeviceRemoved);
        h.push(&laptop, &space, &[("b1", "d", "x")])
            .await
            .refused(403, ErrorCode::DeviceRemoved);
        h.signed(&laptop, "GET", &paths::events(&space), b"")
            .await
            .refused(403, ErrorCode::DeviceRemoved);
        h.signed(&laptop, "PUT", &paths::space(&space), b"")
            .await
            .refused(403, ErrorCode::DeviceRemoved);
        remove(&h, &laptop, &space, &phone.id)
            .await
            .refused(403, ErrorCode::DeviceRemoved);
        h.forget(
            &laptop,
            &space,
            &hearth_protocol::DocumentId::parse("d").unwrap(),
        )
        .await
        .refused(403, ErrorCode::DeviceRemoved);
        h.erase(&laptop, &space)
            .await
            .refused(403, ErrorCode::DeviceRemoved);
        // Nor can anyone let it back in.
        h.signed(
            &phone,
            "POST",
            &paths::devices(&space),
            &add(&laptop, tag("sam")),
        )
        .await
        .refused(403, ErrorCode::DeviceRemoved);
        if round == 0 {
            h.restart().await;
        }
    }
    // The others carry on.
    h.push(&phone, &space, &[("b2", "d", "y")])
        .await
        .ok::<PushResponse>(200);
    assert_eq!(h.pull_all(&robin, &space, 0).await.head, 1);
    // A device may also remove itself.
    assert_eq!(remove(&h, &phone, &space, &phone.id).await.status, 204);
    h.pull(&phone, &space, 0, 10)
        .await
        .refused(403, ErrorCode::DeviceRemoved);
    // Erasing the space forgets removals with everything else.
    assert_eq!(h.erase(&robin, &space).await.status, 204);
    h.signed(&laptop, "PUT", &paths::space(&space), b"")
        .await
        .ok::<SpaceInfo>(201);
    if let Some(relay) = other {
        relay.shutdown().await.unwrap();
    }
    h.finish().await;
}

async fn removal_is_refused_across_people_and_for_unknown_devices(backend: Backend) {
    let Some(h) = Harness::start(backend, |_| {}).await else {
        return;
    };
    let (space, robin, phone, laptop) = household(&h).await;
    // Robin cannot remove Sam's devices, nor Sam Robin's.
    remove(&h, &robin, &space, &laptop.id)
        .await
        .refused(403, ErrorCode::NotYourDevice);
    remove(&h, &phone, &space, &robin.id)
        .await
        .refused(403, ErrorCode::NotYourDevice);
    // A device the space never held.
    remove(&h, &phone, &space, &Device::new().id)
        .await
        .refused(404, ErrorCode::UnknownDevice);
    // A stranger is not a member; an unknown space is unknown.
    remove(&h, &Device::new(), &space, &laptop.id)
        .await
        .refused(403, ErrorCode::NotAMember);
    let elsewhere = SpaceId::from_random_bytes(common::random16());
    remove(&h, &phone, &elsewhere, &laptop.id)
        .await
        .refused(404, ErrorCode::UnknownSpace);
    // A malformed device id in the path.
    let path = format!("{}/devices/not-a-key", paths::space(&space));
    h.signed(&phone, "DELETE", &path, b"")
        .await
        .refused(400, ErrorCode::InvalidId);
    // Once removed, a device of the other person still cannot be removed
    // by Robin (a retry by the wrong person is no retry).
    assert_eq!(remove(&h, &phone, &space, &laptop.id).await.status, 204);
    remove(&h, &robin, &space, &laptop.id)
        .await
        .refused(403, ErrorCode::NotYourDevice);
    let info: SpaceInfo = h
        .signed(&robin, "GET", &paths::space(&space), b"")
        .await
        .ok(200);
    assert_eq!(info.devices, [robin.id, phone.id]);
    h.finish().await;
}
