//! Damaged local files: a missing, empty or cut-short database and a
//! missing device key on a paired profile are refused with a clear error,
//! and every file of the profile is byte-identical afterwards (sha256 of
//! each, before and after). Only `Hearth::start_over` acts on them.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failure

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use common::Phone;
use hearth_core::store::files::Damage;
use hearth_core::{Error, Hearth, OpenOptions};
use sha2::{Digest as _, Sha256};

/// Every file under `dir`, by relative path, with its sha256.
fn hashes(dir: &Path) -> BTreeMap<PathBuf, String> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_owned()];
    while let Some(at) = stack.pop() {
        for item in std::fs::read_dir(&at).unwrap() {
            let path = item.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let digest = Sha256::digest(std::fs::read(&path).unwrap());
                out.insert(path.strip_prefix(dir).unwrap().to_owned(), hex(&digest));
            }
        }
    }
    out
}

fn hex(bytes: &[u8]) -> String {
    hex::encode(bytes)
}

/// A closed profile with a few entries, in its own folder.
fn closed_profile() -> tempfile::TempDir {
    let phone = Phone::new("Robin");
    for i in 0..20 {
        phone.write(&format!("entry number {i} about the garden"));
    }
    let Phone { hearth, dir, .. } = phone;
    drop(hearth);
    dir
}

/// Copies every file of `from` into `to`, as a backup tool would.
fn copy_tree(from: &Path, to: &Path) {
    for item in std::fs::read_dir(from).unwrap() {
        let path = item.unwrap().path();
        let target = to.join(path.file_name().unwrap());
        if path.is_dir() {
            std::fs::create_dir_all(&target).unwrap();
            copy_tree(&path, &target);
        } else {
            std::fs::copy(&path, &target).unwrap();
        }
    }
}

fn open(dir: &Path) -> hearth_core::Result<Hearth> {
    Hearth::open(dir, OpenOptions::default())
}

/// Opens `dir`, expects `damage`, and checks that no file changed.
fn refused_untouched(dir: &Path, damage: Damage) {
    let before = hashes(dir);
    let err = open(dir).unwrap_err();
    match &err {
        Error::DamagedProfile(found) => assert_eq!(*found, damage),
        other => panic!("expected {damage:?}, got {other:?}"),
    }
    let message = err.to_string();
    assert!(message.contains("nothing was changed"), "{message}");
    assert!(message.contains("start over"), "{message}");
    assert_eq!(err.kind(), hearth_core::error::ErrorKind::Storage);
    assert_eq!(hashes(dir), before, "a refused open changed a file");
    // Refusing again changes nothing either.
    assert!(open(dir).is_err());
    assert_eq!(hashes(dir), before);
}

fn db(dir: &Path) -> PathBuf {
    dir.join("hearth.db")
}

#[test]
fn an_empty_database_is_refused_and_nothing_is_overwritten() {
    let dir = closed_profile();
    std::fs::File::options()
        .write(true)
        .open(db(dir.path()))
        .unwrap()
        .set_len(0)
        .unwrap();
    refused_untouched(dir.path(), Damage::EmptyDatabase);
}

#[test]
fn an_empty_database_beside_a_full_log_is_refused_and_the_log_kept() {
    // A crash image: the files of a profile still open, WAL and all.
    let phone = Phone::new("Robin");
    for i in 0..10 {
        phone.write(&format!("entry {i} that only the log holds so far"));
    }
    let image = tempfile::tempdir().unwrap();
    copy_tree(phone.path(), image.path());
    drop(phone);
    let wal = image.path().join("hearth.db-wal");
    assert!(std::fs::metadata(&wal).unwrap().len() > 0);
    std::fs::File::options()
        .write(true)
        .open(db(image.path()))
        .unwrap()
        .set_len(0)
        .unwrap();
    refused_untouched(image.path(), Damage::EmptyDatabase);
}

#[test]
fn a_truncated_database_is_refused() {
    let dir = closed_profile();
    let len = std::fs::metadata(db(dir.path())).unwrap().len();
    std::fs::File::options()
        .write(true)
        .open(db(dir.path()))
        .unwrap()
        .set_len(len / 2)
        .unwrap();
    let before = hashes(dir.path());
    match open(dir.path()).unwrap_err() {
        Error::DamagedProfile(Damage::TruncatedDatabase { expected, found }) => {
            assert_eq!((expected, found), (len, len / 2));
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(hashes(dir.path()), before);
}

#[test]
fn a_database_cut_inside_its_header_is_refused() {
    let dir = closed_profile();
    std::fs::File::options()
        .write(true)
        .open(db(dir.path()))
        .unwrap()
        .set_len(60)
        .unwrap();
    let before = hashes(dir.path());
    assert!(matches!(
        open(dir.path()).unwrap_err(),
        Error::DamagedProfile(Damage::TruncatedDatabase { found: 60, .. })
    ));
    assert_eq!(hashes(dir.path()), before);
}

#[test]
fn a_missing_database_is_refused_when_the_key_is_still_there() {
    let dir = closed_profile();
    std::fs::remove_file(db(dir.path())).unwrap();
    refused_untouched(dir.path(), Damage::MissingDatabase);
}

#[test]
fn a_missing_database_is_refused_when_its_log_is_still_there() {
    let phone = Phone::new("Robin");
    phone.write("only in the log");
    let image = tempfile::tempdir().unwrap();
    copy_tree(phone.path(), image.path());
    drop(phone);
    std::fs::remove_file(db(image.path())).unwrap();
    std::fs::remove_dir_all(image.path().join("keys")).unwrap();
    refused_untouched(image.path(), Damage::MissingDatabase);
}

fn mark_paired(dir: &Path) {
    let conn = rusqlite::Connection::open(db(dir)).unwrap();
    conn.execute(
        "INSERT INTO members (id, display_name, is_me) VALUES ('partner-id', 'Sam', 0)",
        [],
    )
    .unwrap();
}

#[test]
fn a_missing_key_on_a_paired_profile_is_refused_not_regenerated() {
    let dir = closed_profile();
    mark_paired(dir.path());
    std::fs::remove_file(dir.path().join("keys/hearth.device-keys")).unwrap();
    refused_untouched(dir.path(), Damage::MissingDeviceKey);
    assert!(!dir.path().join("keys/hearth.device-keys").exists());
}

#[test]
fn a_missing_key_on_an_unpaired_profile_gets_a_new_one() {
    let dir = closed_profile();
    std::fs::remove_file(dir.path().join("keys/hearth.device-keys")).unwrap();
    let hearth = open(dir.path()).unwrap();
    assert!(dir.path().join("keys/hearth.device-keys").exists());
    assert_eq!(hearth.profile().unwrap().me.name, "Robin");
}

#[test]
fn a_new_folder_still_opens_and_creates_everything() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("new-profile");
    let hearth = open(&folder).unwrap();
    drop(hearth);
    assert!(db(&folder).exists());
    assert!(folder.join("keys/hearth.device-keys").exists());
    open(&folder).unwrap();
}

#[test]
fn start_over_sets_the_damaged_files_aside_and_opens_a_new_profile() {
    let dir = closed_profile();
    mark_paired(dir.path());
    std::fs::File::options()
        .write(true)
        .open(db(dir.path()))
        .unwrap()
        .set_len(0)
        .unwrap();
    let before = hashes(dir.path());
    assert!(open(dir.path()).is_err());

    let hearth = Hearth::start_over(dir.path(), OpenOptions::default()).unwrap();
    assert!(hearth.profile().unwrap().partner.is_none());
    assert!(
        hearth
            .list_entries(&Default::default(), 10, None)
            .unwrap()
            .entries
            .is_empty()
    );

    // Every old file is still there, byte for byte, in the set-aside
    // folder (the database) or under a set-aside key entry (the key).
    let after = hashes(dir.path());
    let aside: Vec<_> = after
        .keys()
        .filter(|p| p.to_string_lossy().starts_with("set-aside-"))
        .collect();
    assert_eq!(aside.len(), 1, "{after:?}");
    assert_eq!(after[aside[0]], before[Path::new("hearth.db")]);
    let old_key = &before[Path::new("keys/hearth.device-keys")];
    assert!(
        after.iter().any(|(p, h)| h == old_key
            && p.to_string_lossy()
                .contains("hearth.device-keys.set-aside-")),
        "{after:?}"
    );
    assert_ne!(&after[Path::new("keys/hearth.device-keys")], old_key);
}
