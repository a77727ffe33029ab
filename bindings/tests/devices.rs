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
