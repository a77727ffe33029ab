//! A blob from the partner that this version cannot apply, end to end:
//! quarantined instead of skipped, counted in the sync status, tried again
//! on the next pass, and never holding back what comes after it.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failure

use hearth_core::crypto::{BlobContext, DeviceKeys, FileKeyStore, SpaceKey, relay_doc_id, seal};
use hearth_core::sync::client::RelayClient;
use hearth_protocol::{BlobId, DocumentId, NewBlob, SpaceId};
use hearth_tests::{Relay, pair, phone, settle};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_partner_blob_automerge_refuses_is_quarantined_and_sync_goes_on() {
    let relay = Relay::start().await;
    let a = phone("Robin", &relay);
    let b = phone("Sam", &relay);
    pair(&a, &b).await;
    a.hearth.sync_now().await.unwrap();
    b.hearth.sync_now().await.unwrap();

    // Robin's phone sends, with its real keys, a change Automerge refuses
    // (as a damaged or newer-format blob would be).
    let space = SpaceId::parse(&a.hearth.profile().unwrap().space_id).unwrap();
    let store = FileKeyStore::open(a.path().join("keys")).unwrap();
    let keys = DeviceKeys::load(&store).unwrap().unwrap();
    let space_key = SpaceKey::load(&store, space.as_str()).unwrap().unwrap();
    let local = "entry-damaged";
    let relay_doc = relay_doc_id(&space_key, local);
    let mut plain = vec![1, u8::try_from(local.len()).unwrap()];
    plain.extend_from_slice(local.as_bytes());
    plain.extend_from_slice(b"\x85\x6f\x4a\x83 not automerge");
    let id = BlobId::from_random_bytes([3; 16]);
    let ctx = BlobContext {
        space_id: space.as_str().into(),
        doc_id: relay_doc.clone(),
        sender_device: keys.device_id(),
        blob_id: id.as_str().into(),
    };
    let data = seal(&space_key, &keys, &ctx, &plain).unwrap();
    let blob = NewBlob {
        id,
        doc: DocumentId::parse(&relay_doc).unwrap(),
        data,
    };
    RelayClient::new(&relay.url())
        .unwrap()
        .push(&keys, &space, vec![blob])
        .await
        .unwrap();

    let report = b.hearth.sync_now().await.unwrap();
    assert_eq!(report.rejected, 0, "kept, not rejected");
    assert_eq!(b.hearth.sync_status().unwrap().quarantined, 1);
    // The next pass tries it again and keeps it.
    b.hearth.sync_now().await.unwrap();
    assert_eq!(b.hearth.sync_status().unwrap().quarantined, 1);
    // What comes after it still arrives.
    a.write("after the damaged blob");
    settle(&a, &b).await;
    assert!(
        b.entries()
            .iter()
            .any(|e| e.body == "after the damaged blob")
    );
    assert_eq!(b.hearth.sync_status().unwrap().quarantined, 1);
}
