//! `uniffi-bindgen`: generates the Swift and Kotlin bindings from the built
//! hearth-ffi library (library mode), with the workspace's exact UniFFI.
//! See bindings/README.md for the command.
#![forbid(unsafe_code)]

fn main() {
    uniffi::uniffi_bindgen_main();
}
