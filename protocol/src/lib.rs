//! The relay's wire protocol: request and response types shared by the relay
//! and the core's sync client, so the two cannot drift.
#![forbid(unsafe_code)]
