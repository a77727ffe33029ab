//! libFuzzer entry for the `pairing` target; the logic is `hearth_fuzz::pairing`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| hearth_fuzz::pairing::run(data));
