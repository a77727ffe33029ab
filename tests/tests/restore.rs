//! A person whose only phone was lost keeps their journal: an export
//! restored into a new profile pairs again through a real relay and syncs.
//! Here both partners start again from their exports (a phone that left
//! its space stays read-only, so a new profile is how it pairs again):
//! their restored documents merge without duplicates, the partner's name
//! comes back, private entries stay on their phone, and new writes flow.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failure

use hearth_core::journal::reaction::Reaction;
use hearth_core::{Hearth, OpenOptions};
use hearth_tests::{Phone, Relay, pair, phone, settle};

/// A new phone restored from `export`, pointed at `relay`.
fn restored(name: &str, export: &str, relay: &Relay) -> Phone {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("export.json");
    std::fs::write(&file, export).unwrap();
    let profile = dir.path().join("profile");
    let hearth = Hearth::import(&profile, OpenOptions::default(), &file).unwrap();
    hearth.set_relay(&relay.url()).unwrap();
    Phone {
        hearth,
        dir,
        name: name.into(),
        clock: None,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_restored_profile_pairs_again_and_syncs() {
    let relay = Relay::start().await;
    let robin = phone("Robin", &relay);
    let sam = phone("Sam", &relay);
    pair(&robin, &sam).await;
    let walk = robin.write("We walked by the river until dark.");
    robin.write_private("Only for me: I was nervous all day.");
    sam.write("Sam's entry about the market.");
    settle(&robin, &sam).await;
    sam.hearth.react(&walk.id, Some(Reaction::Heart)).unwrap();
    sam.hearth
        .add_comment(&walk.id, "Best walk this year.")
        .unwrap();
    robin.hearth.add_goal("Cook together on Sundays").unwrap();
    settle(&robin, &sam).await;
    let shared_before = sam.shared_view();
    assert_eq!(shared_before, robin.shared_view());

    let robin_export = robin.hearth.export_json().unwrap();
    let sam_export = sam.hearth.export_json().unwrap();
    drop((robin, sam));

    let robin = restored("Robin", &robin_export, &relay);
    let sam = restored("Sam", &sam_export, &relay);
    assert!(robin.hearth.profile().unwrap().partner.is_none());
    pair(&robin, &sam).await;
    settle(&robin, &sam).await;

    // The same journal on both, once: no duplicates from the two restores.
    assert_eq!(robin.shared_view(), shared_before);
    assert_eq!(sam.shared_view(), shared_before);
    assert_eq!(robin.hearth.goals().unwrap().len(), 1);
    assert_eq!(sam.hearth.goals().unwrap().len(), 1);
    // Authorship and names are back.
    let partner = robin.hearth.profile().unwrap().partner.unwrap();
    assert_eq!(partner.name, "Sam");
    let by_sam = robin
        .entries()
        .into_iter()
        .find(|e| e.body.starts_with("Sam's entry"))
        .unwrap();
    assert_eq!(by_sam.author.name, "Sam");
    // The private entry came back to Robin and only to Robin.
    assert!(
        robin
            .entries()
            .iter()
            .any(|e| e.body.starts_with("Only for me"))
    );
    assert!(
        !sam.entries()
            .iter()
            .any(|e| e.body.starts_with("Only for me"))
    );

    // New writes flow both ways.
    let after = robin.write("First entry after the new phone.");
    sam.hearth.add_comment(&walk.id, "Welcome back.").unwrap();
    settle(&robin, &sam).await;
    assert!(sam.entries().iter().any(|e| e.id == after.id));
    let walk_on_robin = robin.hearth.entry(&walk.id).unwrap();
    assert_eq!(walk_on_robin.comments.len(), 2);
    assert_eq!(robin.shared_view(), sam.shared_view());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_profile_that_began_pairing_is_not_imported_over() {
    let relay = Relay::start().await;
    let robin = phone("Robin", &relay);
    robin.write("We walked by the river until dark.");
    let export = robin.hearth.export_json().unwrap();
    // The relay already knows this profile's member.
    let other = phone("Robin", &relay);
    other.hearth.start_pairing().await.unwrap();
    let Phone { hearth, dir, .. } = other;
    drop(hearth);
    let file = dir.path().join("export.json");
    std::fs::write(&file, export).unwrap();
    let err = Hearth::import(dir.path(), OpenOptions::default(), &file).unwrap_err();
    assert!(
        matches!(
            err,
            hearth_core::Error::Import(hearth_core::ImportError::ProfileInUse)
        ),
        "{err:?}"
    );
}
