//! Serde support for binary fields (ciphertext, pairing messages): unpadded
//! base64url strings inside JSON, a third larger than the bytes.

use std::fmt;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::de::{self, Visitor};
use serde::{Deserializer, Serializer};

/// Serialises bytes as an unpadded base64url string.
///
/// # Errors
/// Only those of the serializer.
pub fn serialize<S: Serializer>(bytes: &[u8], serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(&URL_SAFE_NO_PAD.encode(bytes))
}

/// Reads an unpadded base64url string into bytes.
///
/// # Errors
/// When the string is not unpadded base64url.
pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Vec<u8>, D::Error> {
    deserializer.deserialize_str(Base64Visitor)
}

struct Base64Visitor;

impl Visitor<'_> for Base64Visitor {
    type Value = Vec<u8>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("bytes as an unpadded base64url string")
    }

    fn visit_str<E: de::Error>(self, text: &str) -> Result<Vec<u8>, E> {
        URL_SAFE_NO_PAD
            .decode(text)
            .map_err(|_| E::custom("binary field is not unpadded base64url"))
    }
}
