//! A person who lost every device of theirs is let back in from the
//! partner's phone, against a real relay on 127.0.0.1: the partner's phone
//! shows a code, the new device types it, both show the same number; the
//! new device gets the journal as that same person; the lost phone is
//! refused by the relay and can open nothing written afterwards; the
//! partner's other devices learn of the change and say so.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failure

use hearth_core::crypto::{self, BlobContext, FileKeyStore, SpaceKey};
use hearth_core::testing::Phone;
use hearth_core::{Error, Hearth, LinkResult, OpenOptions};
use hearth_tests::{Relay, link_device, pair, phone, settle};

/// Lets `lost`'s person back in on a new device named `label`, from
/// `partner`'s phone; returns it and what each side showed.
async fn recover(
    partner: &Phone,
    lost: &Phone,
    relay: &Relay,
    label: &str,
) -> (Phone, LinkResult, LinkResult) {
    let dir = tempfile::tempdir().unwrap();
    let invite = partner.hearth.start_partner_recovery().await.unwrap();
    let url = relay.url();
    let (shown, joined) = tokio::join!(
        partner.hearth.finish_linking(),
        Hearth::recover(
            dir.path(),
            OpenOptions::default(),
            &url,
            &invite.code,
            Some(label)
        )
    );
    let (hearth, on_new) = joined.unwrap();
    let phone = Phone {
        hearth,
        dir,
        name: lost.name.clone(),
        clock: None,
    };
    (phone, shown.unwrap(), on_new)
}

fn device_id(phone: &Phone) -> String {
    phone.hearth.profile().unwrap().device_id
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_person_who_lost_every_device_is_let_back_in_from_the_partners_phone() {
    let relay = Relay::start().await;
    let sam = phone("Sam", &relay);
    let robin = phone("Robin", &relay);
    pair(&sam, &robin).await;
    let laptop = link_device(&sam, &relay, Some("laptop")).await.0;
    sam.write("Sam, before the loss");
    robin.write("Robin, before the loss");
    settle(&sam, &robin).await;
    laptop.hearth.sync_now().await.unwrap();
    let lost_id = device_id(&robin);

    // Robin's only phone is gone; Sam lets Robin back in on a new one.
    let (new_robin, on_sam, on_new) = recover(&sam, &robin, &relay, "new phone").await;
    assert_eq!(on_sam, on_new, "both devices show the same result");
    assert_eq!(on_new.member_name, "Robin");
    assert_eq!(on_new.device_label.as_deref(), Some("new phone"));
    let profile = new_robin.hearth.profile().unwrap();
    assert_eq!(profile.me.id, robin.hearth.profile().unwrap().me.id);
    assert_eq!(profile.me.name, "Robin");
    assert_eq!(profile.partner.unwrap().name, "Sam");

    // The new device gets the shared journal as Robin.
    new_robin.hearth.sync_now().await.unwrap();
    let mut bodies: Vec<String> = new_robin.entries().into_iter().map(|e| e.body).collect();
    bodies.sort();
    assert_eq!(bodies, ["Robin, before the loss", "Sam, before the loss"]);
    let mine = new_robin
        .entries()
        .into_iter()
        .find(|e| e.body == "Robin, before the loss")
        .unwrap();
    assert!(mine.author.is_me, "Robin's old entries are Robin's again");

    // The lost phone is refused at the relay, and no device lists it.
    assert!(matches!(
        robin.hearth.sync_now().await,
        Err(Error::DeviceRemoved)
    ));
    for device in [&sam, &new_robin] {
        let listed = device.hearth.devices().unwrap();
        assert!(listed.iter().all(|d| d.device_id != lost_id));
        assert!(
            listed
                .iter()
                .any(|d| d.device_id == device_id(&new_robin) && d.member_name == "Robin")
        );
    }

    // Sam's laptop learns of it from the device list and says so.
    laptop.hearth.sync_now().await.unwrap();
    let on_laptop = laptop.hearth.devices().unwrap();
    assert!(on_laptop.iter().all(|d| d.device_id != lost_id));
    assert!(
        on_laptop
            .iter()
            .any(|d| d.device_id == device_id(&new_robin))
    );
    let notice = laptop.hearth.sync_status().unwrap().notice.unwrap();
    assert!(
        notice.starts_with("Robin is back in your shared space on a new device (new phone)"),
        "{notice}"
    );

    // Everyone carries on and converges, with nothing refused.
    new_robin.write("Robin, on the new phone");
    sam.write("Sam, after the loss");
    for _ in 0..2 {
        for device in [&new_robin, &sam, &laptop] {
            device.hearth.sync_now().await.unwrap();
        }
    }
    assert_eq!(new_robin.shared_view(), sam.shared_view());
    assert_eq!(laptop.shared_view(), sam.shared_view());
    assert_eq!(sam.entries().len(), 4);
    for device in [&new_robin, &sam, &laptop] {
        assert_eq!(device.hearth.sync_status().unwrap().rejected_blobs, 0);
    }

    // What was written after the loss does not open with the keys the
    // lost phone holds.
    let space_id = sam.hearth.profile().unwrap().space_id;
    let lost_root = SpaceKey::load(
        &FileKeyStore::open(robin.path().join("keys")).unwrap(),
        &space_id,
    )
    .unwrap()
    .unwrap();
    let conn = rusqlite::Connection::open(relay.database_path()).unwrap();
    let mut stmt = conn
        .prepare("SELECT doc, blob_id, data FROM blobs WHERE device = ?1 AND doc <> 'epochs'")
        .unwrap();
    let sam_device = hearth_protocol::DeviceId::parse(&device_id(&sam)).unwrap();
    let sealed: Vec<(String, String, Vec<u8>)> = stmt
        .query_map([sam_device.as_bytes().to_vec()], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
        })
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    let sam_keys = sam_public_keys(&sam);
    let after: Vec<_> = sealed
        .iter()
        .filter(|(_, _, data)| crypto::envelope_epoch(data).unwrap() != 0)
        .collect();
    assert!(!after.is_empty(), "Sam's later writes use a new key");
    for (doc, blob, data) in after {
        let ctx = BlobContext {
            space_id: space_id.clone(),
            doc_id: doc.clone(),
            sender_device: device_id(&sam),
            blob_id: blob.clone(),
        };
        assert!(crypto::open(&lost_root, &ctx, &sam_keys, data).is_err());
    }
}

fn sam_public_keys(sam: &Phone) -> crypto::DevicePublicKeys {
    let store = FileKeyStore::open(sam.path().join("keys")).unwrap();
    crypto::DeviceKeys::load(&store).unwrap().unwrap().public()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_a_paired_phone_lets_a_partner_back_in_and_a_mismatch_is_refused_again() {
    let relay = Relay::start().await;
    let sam = phone("Sam", &relay);
    assert!(matches!(
        sam.hearth.start_partner_recovery().await,
        Err(Error::NotPaired)
    ));
    let robin = phone("Robin", &relay);
    pair(&sam, &robin).await;
    let (new_robin, _, _) = recover(&sam, &robin, &relay, "new phone").await;
    let new_id = device_id(&new_robin);
    // Sam's own devices are Sam's to remove; a partner's device only when
    // Sam's phone let it in and the numbers differed.
    assert!(matches!(
        sam.hearth.remove_device(&device_id(&robin)).await,
        Err(Error::UnknownDevice(_))
    ));
    sam.hearth.remove_device(&new_id).await.unwrap();
    assert!(
        sam.hearth
            .devices()
            .unwrap()
            .iter()
            .all(|d| d.device_id != new_id)
    );
    // What Sam writes next is sealed without it: the refused device
    // cannot read it.
    sam.write("after the mismatch");
    sam.hearth.sync_now().await.unwrap();
    new_robin.hearth.sync_now().await.unwrap();
    assert!(
        new_robin
            .entries()
            .iter()
            .all(|e| e.body != "after the mismatch")
    );
}
