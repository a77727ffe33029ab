//! Length padding for sealed blobs: PADME (Nikitin et al., "Reducing
//! Metadata Leakage from Encrypted Files and Communication with PURBs",
//! 2019), with a floor so the many tiny changes all look alike.
//!
//! Layout before encryption: a 4-byte big-endian plaintext length, the
//! plaintext, then zeros up to the padded size. PADME rounds a length L to
//! a value with only about log2(log2(L)) significant bits, so the padded
//! size reveals O(log log L) bits about L, at most about 12% extra bytes.

use zeroize::Zeroizing;

/// Bytes of the length prefix.
pub(crate) const LEN_PREFIX: usize = 4;

/// No padded body is shorter than this: an edit of one word and a reaction
/// emoji seal to the same size.
pub(crate) const MIN_PADDED_LEN: usize = 64;

/// Largest plaintext a blob can carry (the prefix is a u32).
pub(crate) const MAX_PLAINTEXT_LEN: usize = (u32::MAX as usize) - 1024;

/// The PADME size for a body of `len` bytes (length prefix included).
pub(crate) fn padme(len: u64) -> u64 {
    if len < 2 {
        return len;
    }
    let e = 63 - u64::from(len.leading_zeros()); // floor(log2 len)
    let s = 64 - u64::from(e.leading_zeros()); // floor(log2 e) + 1
    let last_bits = e - s;
    let mask = (1u64 << last_bits) - 1;
    (len + mask) & !mask
}

/// Size of the padded body for a plaintext of `plaintext_len` bytes.
pub(crate) fn padded_len(plaintext_len: usize) -> usize {
    let body = (plaintext_len as u64) + LEN_PREFIX as u64;
    let padded = padme(body.max(MIN_PADDED_LEN as u64));
    usize::try_from(padded).unwrap_or(usize::MAX)
}

/// The plaintext is longer than a blob can carry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct TooLarge;

/// Prefixes and pads `plaintext`. The result is wiped when dropped.
pub(crate) fn pad(plaintext: &[u8]) -> Result<Zeroizing<Vec<u8>>, TooLarge> {
    if plaintext.len() > MAX_PLAINTEXT_LEN {
        return Err(TooLarge);
    }
    let len = u32::try_from(plaintext.len()).map_err(|_| TooLarge)?;
    let mut body = Zeroizing::new(Vec::with_capacity(padded_len(plaintext.len())));
    body.extend_from_slice(&len.to_be_bytes());
    body.extend_from_slice(plaintext);
    body.resize(padded_len(plaintext.len()), 0);
    Ok(body)
}

/// The plaintext inside a padded body, or `None` if the prefix points past
/// the end or the padding is not all zeros.
pub(crate) fn unpad(body: &[u8]) -> Option<&[u8]> {
    let (prefix, rest) = body.split_first_chunk::<LEN_PREFIX>()?;
    let len = usize::try_from(u32::from_be_bytes(*prefix)).ok()?;
    if len > rest.len() {
        return None;
    }
    let (plaintext, padding) = rest.split_at(len);
    padding.iter().all(|b| *b == 0).then_some(plaintext)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn padme_matches_the_paper_examples() {
        // Values worked by hand from the PADME definition.
        assert_eq!(padme(0), 0);
        assert_eq!(padme(1), 1);
        assert_eq!(padme(9), 10); // E=3, S=2, 1 bit rounded
        assert_eq!(padme(100), 104); // E=6, S=3, 3 bits rounded
        assert_eq!(padme(604), 608); // E=9, S=4, 5 bits rounded
        assert_eq!(padme(1000), 1024);
        assert_eq!(padme(1025), 1088); // E=10, S=4, 6 bits rounded
    }

    #[test]
    fn padme_never_shrinks_and_overhead_stays_under_12_percent() {
        for len in 2..20_000u64 {
            let p = padme(len);
            assert!(p >= len);
            assert!((p - len) * 100 <= len * 12, "len {len} -> {p}");
        }
    }

    #[test]
    fn small_plaintexts_share_one_size() {
        assert_eq!(padded_len(0), MIN_PADDED_LEN);
        assert_eq!(padded_len(1), MIN_PADDED_LEN);
        assert_eq!(padded_len(MIN_PADDED_LEN - LEN_PREFIX), MIN_PADDED_LEN);
        assert!(padded_len(MIN_PADDED_LEN) > MIN_PADDED_LEN);
    }

    #[test]
    fn pad_unpad_round_trip() {
        for len in [0usize, 1, 59, 60, 61, 600, 4096, 70_000] {
            let plaintext: Vec<u8> = (0..len).map(|i| (i % 251) as u8 + 1).collect();
            let body = pad(&plaintext).unwrap();
            assert_eq!(body.len(), padded_len(len));
            assert_eq!(unpad(&body), Some(&plaintext[..]));
        }
    }

    #[test]
    fn unpad_rejects_bad_bodies() {
        let mut body = pad(b"hello").unwrap().to_vec();
        assert_eq!(unpad(&body[..3]), None);
        body[3] = 200; // length points past the end
        assert_eq!(unpad(&body), None);
        let mut body = pad(b"hello").unwrap().to_vec();
        let last = body.len() - 1;
        body[last] = 1; // non-zero padding
        assert_eq!(unpad(&body), None);
    }
}
