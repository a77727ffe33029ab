//! Replays every committed seed (`fuzz/seeds/<target>/`) and every input
//! that once crashed a target (`fuzz/regressions/<target>/`) through the
//! targets' logic, under plain `cargo test`: the fuzzers' findings stay
//! fixed without the fuzzer installed.

#![allow(clippy::unwrap_used)] // a test: a panic is a failure

use std::path::{Path, PathBuf};

fn inputs(target: &str) -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    for dir in ["seeds", "regressions"] {
        let Ok(read) = std::fs::read_dir(root.join(dir).join(target)) else {
            continue;
        };
        files.extend(read.map(|e| e.unwrap().path()).filter(|p| p.is_file()));
    }
    files.sort();
    files
}

fn replay(target: &str, run: fn(&[u8]), at_least: usize) {
    let files = inputs(target);
    assert!(
        files.len() >= at_least,
        "{target}: {} seeds, expected {at_least} or more (run scripts/fuzz seeds)",
        files.len()
    );
    for file in files {
        let data = std::fs::read(&file).unwrap();
        run(&data);
    }
}

#[test]
fn relay_seeds_and_regressions_replay() {
    replay("relay", hearth_fuzz::relay::run, 5);
}

#[test]
fn envelope_seeds_and_regressions_replay() {
    replay("envelope", hearth_fuzz::envelope::run, 8);
}

#[test]
fn live_seeds_and_regressions_replay() {
    replay("live", hearth_fuzz::live::run, 8);
}

#[test]
fn pairing_seeds_and_regressions_replay() {
    replay("pairing", hearth_fuzz::pairing::run, 8);
}

#[test]
fn snapshot_seeds_and_regressions_replay() {
    replay("snapshot", hearth_fuzz::snapshot::run, 6);
}

#[test]
fn the_relay_seeds_reach_past_the_signature_check() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("seeds/relay");
    let read = |name: &str| std::fs::read(root.join(name)).unwrap();
    let life = hearth_fuzz::relay::statuses(&read("space-life"));
    println!("space-life: {life:?}");
    let pairing = hearth_fuzz::relay::statuses(&read("pairing"));
    println!("pairing: {pairing:?}");
    assert!(
        hearth_fuzz::relay::statuses(&read("push-pull"))
            .iter()
            .all(|s| *s < 300)
    );
    assert!(pairing.iter().all(|s| *s < 300));
}

#[test]
fn the_envelope_seeds_merge_documents() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("seeds/envelope");
    hearth_fuzz::envelope::with_receiver(|r| {
        for name in ["all-reversed", "raw-ciphertext"] {
            let data = std::fs::read(root.join(name)).unwrap();
            let got = r.receive(&hearth_fuzz::envelope::items(r, &data)).unwrap();
            assert!(got.documents > 0 && got.rejected == 0, "{name}: {got:?}");
        }
        let newer = std::fs::read(root.join("newer-layout")).unwrap();
        let got = r.receive(&hearth_fuzz::envelope::items(r, &newer)).unwrap();
        assert_eq!(got.quarantined, 1, "a newer layout is quarantined");
    });
}
