//! libFuzzer entry for the `relay` target; the logic is `hearth_fuzz::relay`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| hearth_fuzz::relay::run(data));
