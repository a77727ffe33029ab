//! `hearth import`, run as a person would run it: an export restored into
//! a new folder, and the refusals (a profile in use, a bad file) that
//! change nothing.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failure

use std::path::Path;
use std::process::{Command, Output};

fn hearth(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_hearth"))
        .env("HEARTH_DATA_DIR", dir)
        .args(args)
        .output()
        .unwrap()
}

fn ok(dir: &Path, args: &[&str]) -> String {
    let output = hearth(dir, args);
    assert!(
        output.status.success(),
        "hearth {args:?} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap()
}

#[test]
fn an_export_is_restored_into_a_new_folder_and_nothing_is_written_over() {
    let root = tempfile::tempdir().unwrap();
    let old = root.path().join("old");
    let new = root.path().join("new");
    let file = root.path().join("export.json");
    let file_arg = file.to_str().unwrap();
    ok(&old, &["init", "--name", "Robin"]);
    ok(&old, &["write", "We planted tomatoes."]);
    ok(&old, &["write", "--private", "A private thought."]);
    ok(&old, &["export", "--format", "json", "--out", file_arg]);

    let said = ok(&new, &["import", file_arg]);
    assert!(said.contains("Restored Robin's Hearth"), "{said}");
    assert!(said.contains("pair again"), "{said}");
    let listed = ok(&new, &["list"]);
    assert!(listed.contains("We planted tomatoes."), "{listed}");
    assert!(listed.contains("A private thought."), "{listed}");

    // The new folder is in use now: a second import is refused.
    let again = hearth(&new, &["import", file_arg]);
    assert!(!again.status.success());
    let error = String::from_utf8(again.stderr).unwrap();
    assert!(error.contains("already in use"), "{error}");
    assert!(ok(&new, &["list"]).contains("We planted tomatoes."));

    // A Markdown export is not something to import.
    let md = root.path().join("export.md");
    ok(&old, &["export", "--out", md.to_str().unwrap()]);
    let elsewhere = root.path().join("elsewhere");
    let refused = hearth(&elsewhere, &["import", md.to_str().unwrap()]);
    assert!(!refused.status.success());
    let error = String::from_utf8(refused.stderr).unwrap();
    assert!(error.contains("not a Hearth JSON export"), "{error}");
    assert!(!elsewhere.exists());
}

#[test]
fn safety_data_is_exported_only_when_asked_for() {
    let root = tempfile::tempdir().unwrap();
    let dir = root.path().join("profile");
    ok(&dir, &["init", "--name", "Robin"]);
    let plain = ok(&dir, &["export", "--format", "json"]);
    assert!(!plain.contains("safety_check"), "{plain}");
    let asked = ok(&dir, &["export", "--format", "json", "--include-safety"]);
    assert!(asked.contains("\"safety_check\""), "{asked}");
}
