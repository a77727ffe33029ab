//! Hearth's relay: a store-and-forward log of ciphertext blobs per couple.
#![forbid(unsafe_code)]
