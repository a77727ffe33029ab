//! libFuzzer entry for the `live` target; the logic is `hearth_fuzz::live`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| hearth_fuzz::live::run(data));
