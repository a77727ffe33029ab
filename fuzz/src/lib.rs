//! Hearth's fuzz targets: one module per place untrusted bytes enter.
//! Each `run` takes the fuzzer's bytes, drives the real code, and panics
//! on a finding (a crash, a stalled sync, an answer that breaks the
//! protocol). `targets/` wraps them for libFuzzer (`scripts/fuzz`);
//! `tests/replay.rs` runs the committed seeds and regressions through
//! them under plain `cargo test`. Input layouts are in README.md.
// A harness: a panic is how it reports a finding.
#![allow(clippy::unwrap_used, clippy::expect_used)]

pub mod envelope;
pub mod live;
pub mod pairing;
pub mod relay;
pub mod snapshot;

/// Lets panics unwind again. libFuzzer's harness aborts on any panic,
/// before a `catch_unwind` sees it; the app catches Automerge's panics on
/// untrusted bytes by design (the blob is quarantined), so the targets
/// keep that. A panic nothing catches still aborts: the target's entry is
/// `extern "C"`, which cannot unwind.
pub fn unwind_panics() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        std::panic::set_hook(Box::new(|info| eprintln!("panic: {info}")));
    });
}

/// Separates the records of one input (requests, blobs, messages).
pub const SEPARATOR: &[u8] = b"\n%%\n";

/// Splits `data` at every [`SEPARATOR`], keeping at most `max` records.
#[must_use]
pub fn records(data: &[u8], max: usize) -> Vec<&[u8]> {
    let mut out = Vec::new();
    let mut rest = data;
    while out.len() < max {
        match find(rest, SEPARATOR) {
            Some(at) => {
                out.push(&rest[..at]);
                rest = &rest[at + SEPARATOR.len()..];
            }
            None => {
                out.push(rest);
                break;
            }
        }
    }
    out
}

/// Joins records into one input (what the seed generator writes).
#[must_use]
pub fn join(records: &[Vec<u8>]) -> Vec<u8> {
    records.join(SEPARATOR)
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}
