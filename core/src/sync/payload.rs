//! What a blob carries once decrypted: the document's id on the phones
//! (the relay only ever sees a keyed hash of it) and Automerge bytes.
//!
//! Layout: version (1 byte) | id length (1 byte) | id (UTF-8) | bytes.

/// The format version written.
const VERSION: u8 = 1;

/// A decrypted blob that does not follow the layout.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("a synced blob has an unknown layout")]
pub struct BadPayload;

/// Frames `doc_id` and `bytes`. Ids longer than 255 bytes never occur
/// (they are at most 60 or so); one would be cut, and refused on arrival.
pub(crate) fn encode(doc_id: &str, bytes: &[u8]) -> Vec<u8> {
    let id = doc_id.as_bytes();
    let len = u8::try_from(id.len()).unwrap_or(u8::MAX);
    let mut out = Vec::with_capacity(2 + id.len() + bytes.len());
    out.push(VERSION);
    out.push(len);
    out.extend_from_slice(&id[..usize::from(len)]);
    out.extend_from_slice(bytes);
    out
}

/// Splits a payload into its document id and bytes.
pub(crate) fn decode(payload: &[u8]) -> Result<(String, &[u8]), BadPayload> {
    let [VERSION, len, rest @ ..] = payload else {
        return Err(BadPayload);
    };
    let len = usize::from(*len);
    if rest.len() < len || len == 0 {
        return Err(BadPayload);
    }
    let id = std::str::from_utf8(&rest[..len]).map_err(|_| BadPayload)?;
    Ok((id.to_owned(), &rest[len..]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frames_round_trip_and_bad_ones_are_refused() {
        let framed = encode("answer:2026-11-26", b"\x85\x6f\x4a\x83rest");
        let (id, bytes) = decode(&framed).unwrap();
        assert_eq!(id, "answer:2026-11-26");
        assert_eq!(bytes, b"\x85\x6f\x4a\x83rest");
        assert_eq!(decode(&[]), Err(BadPayload));
        assert_eq!(decode(&[2, 1, b'a']), Err(BadPayload));
        assert_eq!(decode(&[1, 9, b'a']), Err(BadPayload));
        assert_eq!(decode(&[1, 1, 0xff]), Err(BadPayload));
    }
}
