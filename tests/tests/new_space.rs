//! After the shared space closed, each partner starts a new one and pairs
//! again, against a real relay on 127.0.0.1: the closed profile is kept
//! whole and readable beside the new one, and nothing of the old journal
//! travels into the new space.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failure

use hearth_core::testing::Phone;
use hearth_core::{Error, Hearth, OpenOptions};
use hearth_tests::{Relay, pair, phone, settle};

/// `phone`'s profile kept aside and a fresh one started in its folder.
fn new_space(phone: Phone) -> (Phone, std::path::PathBuf) {
    let Phone {
        hearth,
        dir,
        name,
        clock,
    } = phone;
    drop(hearth);
    let started = Hearth::start_new_space(dir.path(), OpenOptions::default()).unwrap();
    let phone = Phone {
        hearth: started.hearth,
        dir,
        name,
        clock,
    };
    (phone, started.old_profile)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn after_leaving_both_start_a_new_space_and_keep_the_old_journal() {
    let relay = Relay::start().await;
    let robin = phone("Robin", &relay);
    let sam = phone("Sam", &relay);

    // A profile that never paired pairs as it is; an open space is left
    // first. Neither is touched.
    let never = tempfile::tempdir().unwrap();
    drop(Hearth::open(never.path(), OpenOptions::default()).unwrap());
    assert!(matches!(
        Hearth::start_new_space(never.path(), OpenOptions::default()).unwrap_err(),
        Error::NotPaired
    ));
    pair(&robin, &sam).await;
    robin.write("from our first space");
    settle(&robin, &sam).await;
    let open = robin.path().to_owned();
    // (The phone's own handle stays open: a second one only reads.)
    assert!(matches!(
        Hearth::start_new_space(&open, OpenOptions::default()).unwrap_err(),
        Error::AlreadyPaired
    ));
    let moved = std::fs::read_dir(&open).unwrap().any(|e| {
        e.unwrap()
            .file_name()
            .to_string_lossy()
            .starts_with("old-space-")
    });
    assert!(!moved, "nothing was moved");
    assert_eq!(robin.entries().len(), 1);

    robin.hearth.leave_space().await.unwrap();
    assert!(matches!(
        sam.hearth.sync_now().await,
        Err(Error::SpaceClosed)
    ));

    let (robin, robins_old) = new_space(robin);
    let (sam, sams_old) = new_space(sam);
    for (phone, name) in [(&robin, "Robin"), (&sam, "Sam")] {
        let profile = phone.hearth.profile().unwrap();
        assert_eq!(profile.me.name, name);
        assert!(profile.partner.is_none());
        assert!(phone.entries().is_empty(), "the old journal stays behind");
        assert_eq!(
            phone.hearth.sync_status().unwrap().relay_url.as_deref(),
            Some(relay.url().as_str())
        );
    }

    // The old profiles open, closed, with the old journal.
    for old in [&robins_old, &sams_old] {
        let kept = Hearth::open(old, OpenOptions::default()).unwrap();
        assert!(kept.sync_status().unwrap().closed);
        let page = kept
            .list_entries(&Default::default(), 10, None)
            .unwrap()
            .entries;
        assert_eq!(page.len(), 1);
        assert_eq!(page[0].body, "from our first space");
        assert!(old.starts_with(robin.path()) || old.starts_with(sam.path()));
    }

    // They pair again, and only what they write now travels.
    pair(&sam, &robin).await;
    sam.write("a fresh start");
    settle(&robin, &sam).await;
    let bodies: Vec<String> = robin.entries().into_iter().map(|e| e.body).collect();
    assert_eq!(bodies, ["a fresh start"]);
    assert_eq!(robin.shared_view(), sam.shared_view());
}
