//! The devices of a couple's space, against a real relay on 127.0.0.1:
//! both partners see every device with the same safety numbers; a person
//! removes their own lost device, which the relay then refuses and whose
//! sync stops with a plain error; what is written after the removal is
//! sealed under a new key epoch the removed device never receives; a
//! person links a new device of their own with a code, and it gets the
//! shared journal, the keys and the device list.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failure

use hearth_core::crypto::{
    self, BlobContext, DeviceKeys, DevicePublicKeys, FileKeyStore, SpaceKey,
};
use hearth_core::journal::entry::{NewEntry, Visibility};
use hearth_core::testing::Phone;
use hearth_core::{Error, Hearth, OpenOptions};
use hearth_tests::{Relay, link_device, pair, phone, settle};

/// Another device of `owner`'s person (a laptop), in the space.
async fn second_device(owner: &Phone, relay: &Relay) -> Phone {
    link_device(owner, relay, Some("laptop")).await.0
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn both_partners_list_every_device_with_the_same_safety_numbers() {
    let relay = Relay::start().await;
    let sam = phone("Sam", &relay);
    let robin = phone("Robin", &relay);
    pair(&sam, &robin).await;
    let on_sam = sam.hearth.devices().unwrap();
    let on_robin = robin.hearth.devices().unwrap();
    assert_eq!(on_sam.len(), 2);
    assert_eq!(on_robin.len(), 2);
    let me = &on_sam[0];
    assert!(me.this_device && me.mine);
    assert_eq!(me.member_name, "Sam");
    assert_eq!(me.device_id, sam.hearth.profile().unwrap().device_id);
    let partner = &on_sam[1];
    assert!(!partner.this_device && !partner.mine);
    assert_eq!(partner.member_name, "Robin");
    assert!(partner.added_at_ms.is_some());
    // Each device's number is the same on both phones.
    for device in &on_sam {
        let seen = on_robin
            .iter()
            .find(|d| d.device_id == device.device_id)
            .expect("Robin's phone lists the device");
        assert_eq!(seen.safety_number, device.safety_number);
        assert_eq!(seen.member_name, device.member_name);
        assert_eq!(seen.safety_number.split(' ').count(), 6);
    }
    assert_ne!(on_sam[0].safety_number, on_sam[1].safety_number);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_removed_device_is_refused_and_stops_syncing() {
    let relay = Relay::start().await;
    let sam = phone("Sam", &relay);
    let robin = phone("Robin", &relay);
    pair(&sam, &robin).await;
    sam.write("before the laptop");
    settle(&sam, &robin).await;
    let laptop = second_device(&sam, &relay).await;
    laptop.hearth.sync_now().await.unwrap();
    let laptop_id = laptop.hearth.profile().unwrap().device_id;
    let listed = sam.hearth.devices().unwrap();
    let entry = listed
        .iter()
        .find(|d| d.device_id == laptop_id)
        .expect("the laptop is listed");
    assert!(entry.mine && !entry.this_device);
    assert_eq!(
        entry.safety_number,
        laptop.hearth.devices().unwrap()[0].safety_number
    );

    // Only one's own other devices can be removed.
    let robin_id = robin.hearth.profile().unwrap().device_id;
    let sam_id = sam.hearth.profile().unwrap().device_id;
    assert!(matches!(
        sam.hearth.remove_device(&robin_id).await,
        Err(Error::NotYourDevice)
    ));
    // Robin knows the laptop (announced) but it is not Robin's.
    robin.hearth.sync_now().await.unwrap();
    assert!(matches!(
        robin.hearth.remove_device(&laptop_id).await,
        Err(Error::NotYourDevice)
    ));
    assert!(matches!(
        sam.hearth.remove_device(&sam_id).await,
        Err(Error::CannotRemoveThisDevice)
    ));
    assert!(matches!(
        sam.hearth.remove_device("not-a-device").await,
        Err(Error::UnknownDevice(_))
    ));

    sam.hearth.remove_device(&laptop_id).await.unwrap();
    assert!(
        sam.hearth
            .devices()
            .unwrap()
            .iter()
            .all(|d| d.device_id != laptop_id)
    );
    // The laptop's next request is refused, and its sync stops for good
    // with plain words, also in live sync.
    let refused = laptop.hearth.sync_now().await.unwrap_err();
    assert!(matches!(refused, Error::DeviceRemoved), "{refused:?}");
    assert!(
        refused
            .to_string()
            .contains("removed from your shared space")
    );
    assert!(matches!(
        laptop.hearth.sync_now().await,
        Err(Error::DeviceRemoved)
    ));
    assert!(matches!(
        laptop.hearth.sync_live(std::future::pending()).await,
        Err(Error::DeviceRemoved)
    ));
    let status = laptop.hearth.sync_status().unwrap();
    assert!(
        status
            .last_error
            .unwrap()
            .contains("removed from your shared space")
    );
    // What was on it stays readable there.
    assert_eq!(laptop.entries().len(), 1);
    // The couple carries on.
    sam.write("after the laptop");
    settle(&sam, &robin).await;
    assert_eq!(robin.entries().len(), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_partner_learns_of_a_new_device_and_of_its_removal_after_one_sync() {
    let relay = Relay::start().await;
    let sam = phone("Sam", &relay);
    let robin = phone("Robin", &relay);
    pair(&sam, &robin).await;
    let laptop = second_device(&sam, &relay).await;
    let laptop_id = laptop.hearth.profile().unwrap().device_id;
    let laptop_number = laptop.hearth.devices().unwrap()[0].safety_number.clone();

    robin.hearth.sync_now().await.unwrap();
    let on_robin = robin.hearth.devices().unwrap();
    assert_eq!(on_robin.len(), 3);
    let seen = on_robin
        .iter()
        .find(|d| d.device_id == laptop_id)
        .expect("Robin's phone lists Sam's new device");
    assert_eq!(seen.member_name, "Sam");
    assert!(!seen.mine && !seen.this_device);
    assert_eq!(seen.safety_number, laptop_number);
    // Its writes now reach Robin.
    laptop.write("from Sam's laptop");
    laptop.hearth.sync_now().await.unwrap();
    robin.hearth.sync_now().await.unwrap();
    assert!(
        robin
            .entries()
            .iter()
            .any(|e| e.body == "from Sam's laptop")
    );
    assert_eq!(robin.hearth.sync_status().unwrap().rejected_blobs, 0);

    sam.hearth.remove_device(&laptop_id).await.unwrap();
    robin.hearth.sync_now().await.unwrap();
    assert!(
        robin
            .hearth
            .devices()
            .unwrap()
            .iter()
            .all(|d| d.device_id != laptop_id)
    );
}

/// Every blob the relay holds: (relay document, blob id, sender, bytes).
fn relay_blobs(relay: &Relay) -> Vec<(String, String, String, Vec<u8>)> {
    let conn = rusqlite::Connection::open(relay.database_path()).unwrap();
    let mut stmt = conn
        .prepare("SELECT doc, blob_id, device, data FROM blobs ORDER BY seq")
        .unwrap();
    stmt.query_map([], |r| {
        let device: Vec<u8> = r.get(2)?;
        let device = hearth_protocol::DeviceId::from_bytes(device.try_into().unwrap()).encode();
        Ok((r.get(0)?, r.get(1)?, device, r.get(3)?))
    })
    .unwrap()
    .collect::<rusqlite::Result<_>>()
    .unwrap()
}

fn public_keys(phone: &Phone) -> DevicePublicKeys {
    let store = FileKeyStore::open(phone.path().join("keys")).unwrap();
    DeviceKeys::load(&store).unwrap().unwrap().public()
}

fn root_key(phone: &Phone, space_id: &str) -> SpaceKey {
    let store = FileKeyStore::open(phone.path().join("keys")).unwrap();
    SpaceKey::load(&store, space_id).unwrap().unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn what_is_written_after_a_removal_does_not_open_with_the_removed_devices_keys() {
    let relay = Relay::start().await;
    let sam = phone("Sam", &relay);
    let robin = phone("Robin", &relay);
    pair(&sam, &robin).await;
    sam.write("written while the laptop was trusted");
    settle(&sam, &robin).await;
    let laptop = second_device(&sam, &relay).await;
    laptop.hearth.sync_now().await.unwrap();
    let space_id = sam.hearth.profile().unwrap().space_id;
    let laptop_id = laptop.hearth.profile().unwrap().device_id;
    let before = relay_blobs(&relay).len();

    sam.hearth.remove_device(&laptop_id).await.unwrap();
    sam.write("Sam after the laptop was lost");
    settle(&sam, &robin).await;
    robin.write("Robin after the laptop was lost");
    settle(&sam, &robin).await;
    // Both remaining phones read everything, old and new.
    assert_eq!(robin.entries().len(), 3);
    assert_eq!(sam.entries().len(), 3);
    assert!(matches!(
        laptop.hearth.sync_now().await,
        Err(Error::DeviceRemoved)
    ));

    // The laptop holds the pairing key (the same as Robin's) and no other.
    let laptop_key = root_key(&laptop, &space_id);
    assert_eq!(laptop_key, root_key(&robin, &space_id));
    let senders = [
        (sam.hearth.profile().unwrap().device_id, public_keys(&sam)),
        (
            robin.hearth.profile().unwrap().device_id,
            public_keys(&robin),
        ),
    ];
    let open_with_laptop_key = |(doc, blob, sender, data): &(String, String, String, Vec<u8>)| {
        let keys = &senders.iter().find(|(id, _)| id == sender).unwrap().1;
        let ctx = BlobContext {
            space_id: space_id.clone(),
            doc_id: doc.clone(),
            sender_device: sender.clone(),
            blob_id: blob.clone(),
        };
        crypto::open(&laptop_key, &ctx, keys, data)
    };
    let blobs = relay_blobs(&relay);
    let (old, new) = blobs.split_at(before);
    // What was written before opens with the pairing key, as it still
    // does on the remaining phones.
    assert!(
        old.iter()
            .filter(|b| b.0 != "epochs" && b.2 != laptop_id)
            .all(|b| open_with_laptop_key(b).is_ok())
    );
    // Everything sealed since, by either partner, names a new epoch and
    // does not open with anything the laptop holds.
    let sealed_after: Vec<_> = new.iter().filter(|b| b.0 != "epochs").collect();
    assert!(sealed_after.len() >= 2, "{}", sealed_after.len());
    assert!(
        sealed_after.iter().any(|b| b.2 == senders[1].0),
        "Robin's write was sealed under the new epoch too"
    );
    for blob in sealed_after {
        assert_ne!(crypto::envelope_epoch(&blob.3).unwrap(), 0);
        assert_eq!(
            open_with_laptop_key(blob),
            Err(crypto::EnvelopeError::DecryptFailed)
        );
    }
    // The key update holds no copy for the laptop.
    let update = new.iter().find(|b| b.0 == "epochs").expect("a key update");
    let text = String::from_utf8(update.3.clone()).unwrap();
    assert!(!text.contains(&laptop_id));
    assert!(text.contains(&senders[1].0));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_device_linked_with_a_code_gets_the_journal_and_the_partner_is_told() {
    let relay = Relay::start().await;
    let sam = phone("Sam", &relay);
    let robin = phone("Robin", &relay);
    pair(&sam, &robin).await;
    sam.write("Sam, shared");
    sam.hearth
        .write_entry(NewEntry {
            body: "Sam, for Sam alone".into(),
            visibility: Visibility::Private,
            ..NewEntry::default()
        })
        .unwrap();
    robin.write("Robin, shared");
    settle(&sam, &robin).await;

    let (laptop, on_sam, on_laptop) = link_device(&sam, &relay, Some("  laptop ")).await;
    assert_eq!(on_sam, on_laptop, "both devices show the same result");
    assert_eq!(on_laptop.member_name, "Sam");
    assert_eq!(on_laptop.device_label.as_deref(), Some("laptop"));
    assert_eq!(on_laptop.safety_number.len(), 14);
    let profile = laptop.hearth.profile().unwrap();
    assert_eq!(profile.me.name, "Sam");
    assert_eq!(profile.me.id, sam.hearth.profile().unwrap().me.id);
    assert_eq!(profile.partner.unwrap().name, "Robin");

    // The first sync brings the shared journal; the private entry stays
    // on the phone it was written on.
    laptop.hearth.sync_now().await.unwrap();
    let mut bodies: Vec<String> = laptop.entries().into_iter().map(|e| e.body).collect();
    bodies.sort();
    assert_eq!(bodies, ["Robin, shared", "Sam, shared"]);

    let listed = laptop.hearth.devices().unwrap();
    assert_eq!(listed.len(), 3);
    assert_eq!(listed[0].label.as_deref(), Some("laptop"));
    assert!(listed[0].this_device && listed[0].mine);
    let sam_phone = sam.hearth.profile().unwrap().device_id;
    assert!(listed.iter().any(|d| d.device_id == sam_phone && d.mine));
    assert!(listed.iter().any(|d| !d.mine && d.member_name == "Robin"));

    // Robin's phone learns of it with its name, and Robin is told once.
    robin.hearth.sync_now().await.unwrap();
    let laptop_id = laptop.hearth.profile().unwrap().device_id;
    let seen = robin.hearth.devices().unwrap();
    let on_robin = seen.iter().find(|d| d.device_id == laptop_id).unwrap();
    assert_eq!(on_robin.label.as_deref(), Some("laptop"));
    assert_eq!(on_robin.member_name, "Sam");
    let notice = robin.hearth.sync_status().unwrap().notice.unwrap();
    assert!(
        notice.starts_with("Sam added a device (laptop)"),
        "{notice}"
    );
    // Sam's phone lists it by name too.
    let on_sam_list = sam.hearth.devices().unwrap();
    let mine = on_sam_list
        .iter()
        .find(|d| d.device_id == laptop_id)
        .unwrap();
    assert_eq!(mine.label.as_deref(), Some("laptop"));

    // All three write, and all three converge.
    laptop.write("from the laptop");
    robin.write("Robin, later");
    for _ in 0..2 {
        for device in [&laptop, &sam, &robin] {
            device.hearth.sync_now().await.unwrap();
        }
    }
    assert_eq!(laptop.shared_view(), robin.shared_view());
    assert_eq!(sam.shared_view(), robin.shared_view());
    assert_eq!(robin.entries().len(), 4);
    for device in [&laptop, &sam, &robin] {
        assert_eq!(device.hearth.sync_status().unwrap().rejected_blobs, 0);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_partners_code_links_nothing_and_linking_never_replaces_a_profile() {
    let relay = Relay::start().await;
    let sam = phone("Sam", &relay);
    let robin = phone("Robin", &relay);

    // A code made to pair partners, typed on a device being linked: both
    // sides fail as with a wrong code, and the new folder stays empty.
    let invite = sam.hearth.start_pairing().await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let url = relay.url();
    let (host, new) = tokio::join!(
        sam.hearth.finish_pairing(),
        Hearth::link(dir.path(), OpenOptions::default(), &url, &invite.code, None)
    );
    // The side that finds the mismatch first burns the code, so the other
    // may learn it as a closed pairing instead.
    for failed in [host.unwrap_err(), new.unwrap_err()] {
        assert!(
            matches!(failed, Error::WrongCode | Error::PairingClosed),
            "{failed:?}"
        );
    }
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);

    // An unpaired profile has no space to share.
    assert!(matches!(
        sam.hearth.start_linking().await.unwrap_err(),
        Error::NotPaired
    ));
    pair(&sam, &robin).await;

    // A folder that holds a profile is never set up again by a link: the
    // files stay as they were.
    let database = robin.dir.path().join("hearth.db");
    let before = std::fs::read(&database).unwrap();
    let invite = sam.hearth.start_linking().await.unwrap();
    let refused = Hearth::link(
        robin.dir.path(),
        OpenOptions::default(),
        &url,
        &invite.code,
        None,
    )
    .await
    .unwrap_err();
    assert!(matches!(refused, Error::ProfileExists), "{refused:?}");
    assert_eq!(std::fs::read(&database).unwrap(), before);
    // A device name with control characters is refused before anything.
    let odd = Hearth::link(
        dir.path(),
        OpenOptions::default(),
        &url,
        &invite.code,
        Some("lap\u{1b}[2Jtop"),
    )
    .await
    .unwrap_err();
    assert!(matches!(odd, Error::InvalidDeviceLabel { .. }), "{odd:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_device_linked_after_a_removal_holds_the_new_key() {
    let relay = Relay::start().await;
    let sam = phone("Sam", &relay);
    let robin = phone("Robin", &relay);
    pair(&sam, &robin).await;
    let laptop = second_device(&sam, &relay).await;
    let laptop_id = laptop.hearth.profile().unwrap().device_id;
    sam.hearth.remove_device(&laptop_id).await.unwrap();
    robin.hearth.sync_now().await.unwrap();
    robin.write("after the laptop was lost");
    settle(&sam, &robin).await;

    // Lost devices add up: every removal makes an epoch the next link
    // carries, with the removed device in the list.
    for lost in 0..4 {
        let label = format!("old phone {lost}");
        let (old, ..) = link_device(&sam, &relay, Some(&label)).await;
        let id = old.hearth.profile().unwrap().device_id;
        sam.hearth.remove_device(&id).await.unwrap();
    }
    robin.hearth.sync_now().await.unwrap();
    let (tablet, ..) = link_device(&sam, &relay, Some("tablet")).await;
    tablet.hearth.sync_now().await.unwrap();
    assert!(
        tablet
            .entries()
            .iter()
            .any(|e| e.body == "after the laptop was lost"),
        "the tablet opens what was sealed under the new key"
    );
    // The lost laptop is not listed on the tablet either.
    assert!(
        tablet
            .hearth
            .devices()
            .unwrap()
            .iter()
            .all(|d| d.device_id != laptop_id)
    );
    tablet.write("from the tablet");
    tablet.hearth.sync_now().await.unwrap();
    robin.hearth.sync_now().await.unwrap();
    assert!(robin.entries().iter().any(|e| e.body == "from the tablet"));
    assert_eq!(robin.hearth.sync_status().unwrap().rejected_blobs, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reading_the_log_again_after_a_removal_keeps_the_new_key_safe_to_use() {
    let mut relay = Relay::start().await;
    let sam = phone("Sam", &relay);
    let robin = phone("Robin", &relay);
    pair(&sam, &robin).await;
    let laptop = second_device(&sam, &relay).await;
    let laptop_id = laptop.hearth.profile().unwrap().device_id;
    sam.hearth.remove_device(&laptop_id).await.unwrap();
    settle(&sam, &robin).await;
    let backup = relay.backup();
    robin.write("written before the relay lost it");
    settle(&sam, &robin).await;

    // The relay comes back from the older backup: both phones read its
    // log again from the start, the laptop's arrival included. The laptop
    // was removed since, and the key made then must stay usable.
    relay.restore(&backup).await;
    sam.write("after the restore");
    robin.write("Robin, after the restore");
    settle(&sam, &robin).await;
    assert_eq!(sam.shared_view(), robin.shared_view());
    assert_eq!(robin.entries().len(), 3);
    for phone in [&sam, &robin] {
        let status = phone.hearth.sync_status().unwrap();
        assert!(status.last_error.is_none(), "{status:?}");
    }
}
