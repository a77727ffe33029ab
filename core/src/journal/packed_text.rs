//! Entry texts as the projection stores them: deflated. The text is also in
//! the entry's document, so the projection's copy is kept small; a page of
//! 50 entries inflates in well under a millisecond.

use std::cell::RefCell;
use std::io::Read;

use flate2::read::DeflateDecoder;
use flate2::{Compress, Compression, FlushCompress, Status};

thread_local! {
    /// One compressor per thread, reset for each text: setting one up
    /// allocates and clears a few hundred KB, which cost more than
    /// deflating a 400-character entry.
    static DEFLATE: RefCell<Compress> = RefCell::new(new_compressor());
}

fn new_compressor() -> Compress {
    // Raw deflate, as `DeflateEncoder` writes it.
    Compress::new(Compression::default(), false)
}

/// Deflates `text`.
pub(crate) fn pack(text: &str) -> Vec<u8> {
    DEFLATE.with(|kept| match kept.try_borrow_mut() {
        Ok(mut compressor) => {
            compressor.reset();
            deflate(&mut compressor, text.as_bytes())
        }
        // Never re-entered; a fresh one is as good, only slower.
        Err(_) => deflate(&mut new_compressor(), text.as_bytes()),
    })
}

fn deflate(compressor: &mut Compress, text: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(text.len() / 2 + 64);
    loop {
        let read = usize::try_from(compressor.total_in()).unwrap_or(text.len());
        match compressor.compress_vec(
            &text[read.min(text.len())..],
            &mut out,
            FlushCompress::Finish,
        ) {
            Ok(Status::StreamEnd) => return out,
            // Out of room: more, and go on.
            Ok(Status::Ok | Status::BufError) => out.reserve(out.capacity().max(64)),
            // Deflating into memory does not fail; an empty text inflates
            // to nothing, as `unpack` of nothing gives.
            Err(_) => return Vec::new(),
        }
    }
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
    fn a_kept_compressor_writes_what_a_new_encoder_writes() {
        use std::io::Write as _;
        let fresh = |text: &str| {
            let mut encoder =
                flate2::write::DeflateEncoder::new(Vec::new(), Compression::default());
            encoder.write_all(text.as_bytes()).unwrap();
            encoder.finish().unwrap()
        };
        let long: String = (0..5_000)
            .map(|i| char::from(b'a' + (i * 7 % 26) as u8))
            .collect();
        for text in [
            "first text, to leave state behind",
            "",
            &long,
            "a second, shorter one",
        ] {
            assert_eq!(pack(text), fresh(text));
            assert_eq!(unpack(&pack(text)).unwrap(), text);
        }
    }

    #[test]
    fn damaged_bytes_are_an_error_not_a_panic() {
        assert!(unpack(&[0xff, 0x00, 0x13, 0x37]).is_err());
    }
}
