//! `hearth devices` and `hearth devices remove`, run as a person would run
//! them on one profile (removal through a relay is tested in
//! tests/tests/devices.rs).
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failure

use std::path::Path;
use std::process::{Command, Output, Stdio};

fn hearth(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_hearth"))
        .env("HEARTH_DATA_DIR", dir)
        .args(args)
        .stdin(Stdio::null())
        .output()
        .unwrap()
}

#[test]
fn devices_lists_this_device_and_refuses_what_cannot_be_removed() {
    let temp = tempfile::tempdir().unwrap();
    let dir = temp.path().join("ana");
    assert!(hearth(&dir, &["init", "--name", "Ana"]).status.success());
    let listed = hearth(&dir, &["devices"]);
    assert!(listed.status.success());
    let text = String::from_utf8(listed.stdout).unwrap();
    assert!(text.contains(": this device"), "{text}");
    let number = text
        .lines()
        .find_map(|l| l.trim().strip_prefix("safety number "))
        .expect("a safety number");
    assert_eq!(number.split(' ').count(), 6, "{number}");
    let id = text.split(':').next().unwrap().trim().to_owned();

    let own = hearth(&dir, &["devices", "remove", &id, "--yes"]);
    assert!(!own.status.success());
    let said = String::from_utf8(own.stderr).unwrap();
    assert!(said.contains("the device you are using"), "{said}");

    let unknown = hearth(&dir, &["devices", "remove", "nobody", "--yes"]);
    assert!(!unknown.status.success());
    let said = String::from_utf8(unknown.stderr).unwrap();
    assert!(said.contains("no device in your shared space"), "{said}");

    // Without --yes and no one to ask, nothing is removed.
    let unasked = hearth(&dir, &["devices", "remove", "nobody"]);
    assert!(!unasked.status.success());
    let said = String::from_utf8(unasked.stderr).unwrap();
    assert!(said.contains("--yes"), "{said}");
}
