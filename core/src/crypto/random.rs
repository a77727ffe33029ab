//! The operating system's random number generator, with its failure as a
//! typed error instead of a panic.

use rand_core::{OsRng, RngCore};

/// The operating system could not provide random bytes.
///
/// On the phones and desktops Hearth runs on this does not happen in
/// practice; when it does, nothing was written and the action can be retried.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error(
    "the system's random number generator is unavailable, so no key or nonce could be made; \
     try again, and restart the device if it keeps happening"
)]
pub struct RandomnessUnavailable;

/// Fills `buf` from the OS generator (getrandom).
pub(crate) fn fill_random(buf: &mut [u8]) -> Result<(), RandomnessUnavailable> {
    OsRng.try_fill_bytes(buf).map_err(|_| RandomnessUnavailable)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn two_draws_differ() {
        let mut a = [0u8; 32];
        let mut b = [0u8; 32];
        fill_random(&mut a).unwrap();
        fill_random(&mut b).unwrap();
        assert_ne!(a, b);
    }
}
