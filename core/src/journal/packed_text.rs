//! Entry texts as the projection stores them: deflated. The text is also in
//! the entry's document, so the projection's copy is kept small; a page of
//! 50 entries inflates in well under a millisecond.

use std::io::{Read, Write};

use flate2::Compression;
use flate2::read::DeflateDecoder;
use flate2::write::DeflateEncoder;

/// Deflates `text`.
pub(crate) fn pack(text: &str) -> Vec<u8> {
    let mut encoder =
        DeflateEncoder::new(Vec::with_capacity(text.len() / 2), Compression::default());
    // Writing into a Vec cannot fail.
    let _ = encoder.write_all(text.as_bytes());
    encoder.finish().unwrap_or_default()
}

/// Inflates what [`pack`] produced.
pub(crate) fn unpack(packed: &[u8]) -> std::io::Result<String> {
    let mut text = String::with_capacity(packed.len() * 2);
    DeflateDecoder::new(packed).read_to_string(&mut text)?;
    Ok(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_round_trips_and_shrinks() {
        let text = "We walked by the river, and then we walked back by the river again. ".repeat(6);
        let packed = pack(&text);
        assert!(packed.len() < text.len() / 2);
        assert_eq!(unpack(&packed).unwrap(), text);
        assert_eq!(unpack(&pack("")).unwrap(), "");
        assert_eq!(unpack(&pack("café ☕ 💛")).unwrap(), "café ☕ 💛");
    }

    #[test]
    fn damaged_bytes_are_an_error_not_a_panic() {
        assert!(unpack(&[0xff, 0x00, 0x13, 0x37]).is_err());
    }
}
