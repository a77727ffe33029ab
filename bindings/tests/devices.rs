//! The device methods through the exported facade, without a relay: an
//! unpaired phone lists itself alone, and removals are refused with the
//! variants a shell acts on. Removing through a real relay is in the
//! cross-crate tests (tests/tests/devices.rs).
#![allow(clippy::unwrap_used)] // test code: a panic is a failure

use hearth_ffi::{Hearth, HearthError};

#[tokio::test]
async fn an_unpaired_phone_lists_itself_and_refuses_removals() {
    let dir = tempfile::tempdir().unwrap();
    let hearth = Hearth::open(
        dir.path().to_str().unwrap().into(),
        Some("Ana".into()),
        None,
    )
    .unwrap();
    let devices = hearth.devices().unwrap();
    assert_eq!(devices.len(), 1);
    let me = &devices[0];
    assert!(me.this_device && me.mine);
    assert_eq!(me.member_name, "Ana");
    assert_eq!(me.safety_number.len(), 35);
    assert!(matches!(
        hearth.remove_device(me.device_id.clone()).await,
        Err(HearthError::NotAllowed { .. })
    ));
    assert!(matches!(
        hearth.remove_device("nobody".into()).await,
        Err(HearthError::NotFound { .. })
    ));
}

#[tokio::test]
async fn linking_asks_for_a_paired_phone_and_a_fresh_folder() {
    let dir = tempfile::tempdir().unwrap();
    let hearth = Hearth::open(
        dir.path().to_str().unwrap().into(),
        Some("Ana".into()),
        None,
    )
    .unwrap();
    hearth.set_relay("http://127.0.0.1:9".into()).unwrap();
    assert!(matches!(
        hearth.start_linking().await,
        Err(HearthError::Sync { .. })
    ));
    assert!(matches!(
        hearth.start_partner_recovery().await,
        Err(HearthError::Sync { .. })
    ));
    assert!(matches!(
        hearth.finish_linking().await,
        Err(HearthError::Pairing { .. })
    ));
    // A folder with a profile is never set up again, before any network.
    let refused = hearth_ffi::link_device(
        dir.path().to_str().unwrap().into(),
        "http://127.0.0.1:9".into(),
        "1-river-lantern-moss".into(),
        None,
        None,
    )
    .await;
    assert!(matches!(refused, Err(HearthError::Pairing { .. })));
    let refused = hearth_ffi::rejoin_device(
        dir.path().to_str().unwrap().into(),
        "http://127.0.0.1:9".into(),
        "1-river-lantern-moss".into(),
        None,
        None,
    )
    .await;
    assert!(matches!(refused, Err(HearthError::Pairing { .. })));
    let fresh = tempfile::tempdir().unwrap();
    let bad_name = hearth_ffi::link_device(
        fresh.path().to_str().unwrap().into(),
        "http://127.0.0.1:9".into(),
        "1-river-lantern-moss".into(),
        Some("x".repeat(41)),
        None,
    )
    .await;
    assert!(matches!(bad_name, Err(HearthError::InvalidInput { .. })));
    assert_eq!(std::fs::read_dir(fresh.path()).unwrap().count(), 0);
}
