// SwiftPM builds a C target only from sources; the declarations are in
// include/HearthFFI.h and the code is the Rust library (HearthFFI.xcframework
// on Apple platforms, libhearth_ffi on Linux).
