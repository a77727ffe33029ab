//! The exported facade, driven from Rust as a shell would drive it.

use std::sync::{Arc, Mutex, PoisonError};

use hearth_core::crypto::{KeyStore as _, MemoryKeyStore};
use hearth_core::events::Event;
use hearth_core::journal::entry::NewEntry;
use hearth_core::journal::query::EntryFilter;
use hearth_ffi::{EventListener, Hearth, HearthError, KeyStore, KeyStoreError};

#[derive(Default)]
struct PhoneStore {
    inner: MemoryKeyStore,
    names: Mutex<Vec<String>>,
}

fn failed(error: impl std::fmt::Display) -> KeyStoreError {
    KeyStoreError::Failed {
        reason: error.to_string(),
    }
}

impl KeyStore for PhoneStore {
    fn load(&self, name: String) -> Result<Option<Vec<u8>>, KeyStoreError> {
        self.inner.load(name).map_err(failed)
    }
    fn store(&self, name: String, secret: Vec<u8>) -> Result<(), KeyStoreError> {
        self.names
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(name.clone());
        self.inner.store(name, secret).map_err(failed)
    }
    fn delete(&self, name: String) -> Result<(), KeyStoreError> {
        self.inner.delete(name).map_err(failed)
    }
}

struct LockedStore;

impl KeyStore for LockedStore {
    fn load(&self, _: String) -> Result<Option<Vec<u8>>, KeyStoreError> {
        Err(KeyStoreError::Unavailable {
            reason: "the phone is locked".into(),
        })
    }
    fn store(&self, _: String, _: Vec<u8>) -> Result<(), KeyStoreError> {
        unreachable!("nothing is stored when loading fails")
    }
    fn delete(&self, _: String) -> Result<(), KeyStoreError> {
        unreachable!()
    }
}

#[derive(Default)]
struct Recorder(Mutex<Vec<Event>>);

impl EventListener for Recorder {
    fn on_event(&self, event: Event) {
        self.0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(event);
    }
}

fn entry(body: &str) -> NewEntry {
    NewEntry {
        body: body.into(),
        ..Default::default()
    }
}

#[test]
fn keys_live_in_the_shells_store_and_survive_a_reopen() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().to_str().unwrap().to_owned();
    let store = Arc::new(PhoneStore::default());
    let first = Hearth::open(data.clone(), Some("Ana".into()), Some(store.clone())).unwrap();
    let device = first.profile().unwrap().device_id;
    assert!(!store.names.lock().unwrap().is_empty());
    assert!(
        !dir.path().join("keys").exists(),
        "no key files beside a platform store"
    );
    drop(first);
    let again = Hearth::open(data, None, Some(store)).unwrap();
    assert_eq!(again.profile().unwrap().device_id, device);
    assert_eq!(again.profile().unwrap().me.name, "Ana");
}

#[test]
fn a_locked_key_store_is_a_key_store_error() {
    let dir = tempfile::tempdir().unwrap();
    let error = Hearth::open(
        dir.path().to_str().unwrap().into(),
        None,
        Some(Arc::new(LockedStore)),
    )
    .unwrap_err();
    match error {
        HearthError::KeyStore { reason } => assert!(reason.contains("the phone is locked")),
        other => panic!("expected a key store error, got {other:?}"),
    }
}

#[test]
fn the_subscription_delivers_until_cancelled() {
    let dir = tempfile::tempdir().unwrap();
    let hearth = Hearth::open(dir.path().to_str().unwrap().into(), None, None).unwrap();
    let recorder = Arc::new(Recorder::default());
    let subscription = hearth.subscribe(recorder.clone());
    let written = hearth.write_entry(entry("A walk by the river.")).unwrap();
    assert_eq!(
        *recorder.0.lock().unwrap(),
        vec![Event::EntryChanged {
            id: written.id.clone()
        }]
    );
    assert!(subscription.is_active());
    subscription.cancel();
    subscription.cancel();
    assert!(!subscription.is_active());
    hearth.delete_entry(written.id).unwrap();
    assert_eq!(recorder.0.lock().unwrap().len(), 1);
}

#[test]
fn dropping_the_subscription_stops_the_events() {
    let dir = tempfile::tempdir().unwrap();
    let hearth = Hearth::open(dir.path().to_str().unwrap().into(), None, None).unwrap();
    let recorder = Arc::new(Recorder::default());
    drop(hearth.subscribe(recorder.clone()));
    hearth.write_entry(entry("Breakfast in bed.")).unwrap();
    assert!(recorder.0.lock().unwrap().is_empty());
}

#[tokio::test]
async fn export_runs_off_the_callers_thread_and_returns_the_journal() {
    let dir = tempfile::tempdir().unwrap();
    let hearth = Hearth::open(dir.path().to_str().unwrap().into(), None, None).unwrap();
    hearth.write_entry(entry("We planted tomatoes.")).unwrap();
    let markdown = hearth.export_markdown().await.unwrap();
    assert!(markdown.contains("We planted tomatoes."));
    let json = hearth.export_json().await.unwrap();
    assert!(json.contains("We planted tomatoes."));
}

#[test]
fn core_errors_arrive_typed() {
    let dir = tempfile::tempdir().unwrap();
    let hearth = Hearth::open(dir.path().to_str().unwrap().into(), None, None).unwrap();
    assert!(matches!(
        hearth.write_entry(entry("   ")),
        Err(HearthError::InvalidInput { .. })
    ));
    assert!(matches!(
        hearth.entry("no-such-entry".into()),
        Err(HearthError::NotFound { .. })
    ));
    let page = hearth
        .list_entries(EntryFilter::default(), 10, None)
        .unwrap();
    assert!(page.entries.is_empty());
}

#[tokio::test]
async fn an_export_restores_into_a_new_profile_and_bad_files_are_typed() {
    let dir = tempfile::tempdir().unwrap();
    let data = |name: &str| dir.path().join(name).to_str().unwrap().to_owned();
    let hearth = Hearth::open(data("old"), Some("Robin".into()), None).unwrap();
    hearth.write_entry(entry("We planted tomatoes.")).unwrap();
    let json = hearth.export_json().await.unwrap();
    let file = dir.path().join("export.json");
    std::fs::write(&file, &json).unwrap();

    let restored =
        Hearth::import_from_file(data("new"), file.to_str().unwrap().into(), None).unwrap();
    assert_eq!(restored.profile().unwrap().me.name, "Robin");
    assert!(
        restored
            .export_markdown()
            .await
            .unwrap()
            .contains("We planted tomatoes.")
    );

    let from_bytes = Hearth::import_from_bytes(data("newer"), json.into_bytes(), None).unwrap();
    assert_eq!(from_bytes.profile().unwrap().me.name, "Robin");

    assert!(matches!(
        Hearth::import_from_bytes(data("bad"), b"# Our journal".to_vec(), None),
        Err(HearthError::InvalidInput { .. })
    ));
    // The restored profile is in use now: a second import is refused.
    let again = restored.export_json().await.unwrap();
    drop(restored);
    assert!(matches!(
        Hearth::import_from_bytes(data("new"), again.into_bytes(), None),
        Err(HearthError::NotAllowed { .. })
    ));
}
