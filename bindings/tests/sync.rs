//! The sync methods and the live sync handle through the exported facade,
//! without a relay: what a shell meets before pairing. Pairing and syncing
//! through a real relay are in the Kotlin suite (bindings/kotlin) and the
//! cross-crate tests (tests/).
#![allow(clippy::unwrap_used)] // test code: a panic is a failure

use std::time::{Duration, Instant};

use hearth_ffi::{Hearth, HearthError};

fn open() -> (tempfile::TempDir, std::sync::Arc<Hearth>) {
    let dir = tempfile::tempdir().unwrap();
    let hearth = Hearth::open(
        dir.path().to_str().unwrap().into(),
        Some("Ana".into()),
        None,
    )
    .unwrap();
    (dir, hearth)
}

#[tokio::test]
async fn before_pairing_sync_and_pairing_fail_with_their_own_variants() {
    let (_dir, hearth) = open();
    assert!(matches!(
        hearth.sync_now().await,
        Err(HearthError::Sync { .. })
    ));
    assert!(matches!(
        hearth.start_pairing().await,
        Err(HearthError::Sync { .. })
    ));
    assert!(matches!(
        hearth.set_relay("relay.example.org".into()),
        Err(HearthError::InvalidInput { .. })
    ));
    hearth.set_relay("http://127.0.0.1:9".into()).unwrap();
    assert!(matches!(
        hearth.join_partner("not a code".into()).await,
        Err(HearthError::Pairing { .. })
    ));
    assert!(matches!(
        hearth.finish_pairing().await,
        Err(HearthError::Pairing { .. })
    ));
    let status = hearth.sync_status().unwrap();
    assert!(!status.paired);
    assert_eq!(status.relay_url.as_deref(), Some("http://127.0.0.1:9"));
    assert!(status.last_error.is_some(), "{status:?}");
}

#[test]
fn live_sync_on_an_unpaired_phone_ends_by_itself_and_says_why() {
    let (_dir, hearth) = open();
    hearth.set_relay("http://127.0.0.1:9".into()).unwrap();
    let live = hearth.start_live_sync();
    let started = Instant::now();
    while live.is_running() && started.elapsed() < Duration::from_secs(10) {
        std::thread::sleep(Duration::from_millis(10));
    }
    assert!(!live.is_running(), "live sync kept running unpaired");
    let status = hearth.sync_status().unwrap();
    assert!(
        status
            .last_error
            .as_deref()
            .is_some_and(|e| e.contains("pair")),
        "{status:?}"
    );
    // Stopping an ended handle is harmless, twice.
    live.stop();
    live.stop();
}
