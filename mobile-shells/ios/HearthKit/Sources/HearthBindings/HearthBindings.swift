// The generated Swift bindings of hearth-ffi (hearth_ffi.swift: Hearth,
// HearthError, KeyStore, EventListener; hearth_core.swift: the core's
// records and enums) are written next to this file by ../../generate-bindings.
// They are not committed: run ../../build-xcframework (or generate-bindings)
// after cloning and whenever the core changes.
