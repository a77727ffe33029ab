//! Key derivation and message authentication: HKDF-SHA256 and
//! HMAC-SHA256 from RustCrypto, wrapped so callers get fixed-size keys.

use hkdf::Hkdf;
use hmac::{Hmac, Mac};
use sha2::Sha256;
use zeroize::Zeroizing;

/// Length of every symmetric key Hearth derives.
pub(crate) const KEY_LEN: usize = 32;

type HmacSha256 = Hmac<Sha256>;

/// HKDF-SHA256 (RFC 5869) from `ikm` to one 32-byte key.
///
/// `info` names the key's single purpose, so keys derived for different
/// jobs from the same secret are unrelated.
pub(crate) fn derive_key(ikm: &[u8], salt: &[u8], info: &[u8]) -> Zeroizing<[u8; KEY_LEN]> {
    let hkdf = Hkdf::<Sha256>::new(Some(salt), ikm);
    let mut okm = Zeroizing::new([0u8; KEY_LEN]);
    // HKDF-SHA256 refuses only outputs longer than 255 * 32 bytes; 32 bytes
    // is always accepted, so the error arm cannot run.
    const _: () = assert!(KEY_LEN <= 255 * 32);
    match hkdf.expand(info, okm.as_mut()) {
        Ok(()) => okm,
        Err(_) => unreachable!("HKDF-SHA256 always yields 32 bytes"),
    }
}

/// HMAC-SHA256 keyed with `key` over the concatenation of `parts`.
pub(crate) fn hmac_sha256(key: &[u8; KEY_LEN], parts: &[&[u8]]) -> [u8; 32] {
    let mut mac = new_hmac(key);
    for part in parts {
        mac.update(part);
    }
    mac.finalize().into_bytes().into()
}

/// Checks `tag` against HMAC-SHA256(key, parts) in constant time.
pub(crate) fn hmac_sha256_verify(key: &[u8; KEY_LEN], parts: &[&[u8]], tag: &[u8]) -> bool {
    let mut mac = new_hmac(key);
    for part in parts {
        mac.update(part);
    }
    mac.verify_slice(tag).is_ok()
}

fn new_hmac(key: &[u8; KEY_LEN]) -> HmacSha256 {
    // HMAC takes keys of any length (RFC 2104), so this never fails.
    match HmacSha256::new_from_slice(key) {
        Ok(mac) => mac,
        Err(_) => unreachable!("HMAC accepts 32-byte keys"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hkdf_matches_rfc5869_test_case_1_prefix() {
        // RFC 5869, appendix A.1 (first 32 bytes of the 42-byte OKM).
        let ikm = [0x0b; 22];
        let salt: Vec<u8> = (0x00..=0x0c).collect();
        let info: Vec<u8> = (0xf0..=0xf9).collect();
        let okm = derive_key(&ikm, &salt, &info);
        assert_eq!(
            hex::encode(okm.as_ref()),
            "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf"
        );
    }

    #[test]
    fn different_info_gives_unrelated_keys() {
        let a = derive_key(b"secret", b"salt", b"one");
        let b = derive_key(b"secret", b"salt", b"two");
        assert_ne!(*a, *b);
    }

    #[test]
    fn hmac_parts_concatenate_and_verify() {
        let key = [7u8; KEY_LEN];
        let whole = hmac_sha256(&key, &[b"hello world"]);
        let split = hmac_sha256(&key, &[b"hello", b" ", b"world"]);
        assert_eq!(whole, split);
        assert!(hmac_sha256_verify(&key, &[b"hello world"], &whole));
        let mut wrong = whole;
        wrong[0] ^= 1;
        assert!(!hmac_sha256_verify(&key, &[b"hello world"], &wrong));
        assert!(!hmac_sha256_verify(&key, &[b"hello world"], &whole[..16]));
    }
}
