//! libFuzzer entry for the `snapshot` target; the logic is `hearth_fuzz::snapshot`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| hearth_fuzz::snapshot::run(data));
