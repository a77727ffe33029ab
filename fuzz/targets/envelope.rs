//! libFuzzer entry for the `envelope` target; the logic is `hearth_fuzz::envelope`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| hearth_fuzz::envelope::run(data));
