//! Fixed, platform-independent randomness: FNV-1a to turn a couple's seed
//! into a number, SplitMix64 to stretch it, and a Fisher-Yates shuffle on
//! top. Both phones must compute the same thing from the same seed, so
//! nothing here may depend on the platform, the Rust version or the word
//! size (std's `DefaultHasher` is explicitly unstable across releases).

/// A source of random 64-bit numbers. The core takes one as a parameter
/// wherever it needs chance (drawing from the date jar), so tests can pass
/// a seeded one and the app a secure one.
pub trait RandomSource {
    /// The next random number.
    fn next_u64(&mut self) -> u64;

    /// A uniform number in `0..bound`, without modulo bias. Returns 0 when
    /// `bound` is 0.
    fn below(&mut self, bound: u64) -> u64 {
        if bound == 0 {
            return 0;
        }
        // Reject the low values that would make some results more likely:
        // 2^64 mod bound of them.
        let threshold = bound.wrapping_neg() % bound;
        loop {
            let r = self.next_u64();
            if r >= threshold {
                return r % bound;
            }
        }
    }
}

/// 64-bit FNV-1a of some bytes.
pub fn fnv1a64(bytes: &[u8]) -> u64 {
    const OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
    const PRIME: u64 = 0x0000_0100_0000_01b3;
    bytes
        .iter()
        .fold(OFFSET, |h, b| (h ^ u64::from(*b)).wrapping_mul(PRIME))
}

/// SplitMix64: a tiny, well-studied generator with a fixed definition, so
/// the same seed gives the same numbers on every platform. Not for secrets.
#[derive(Debug, Clone)]
pub struct SplitMix64 {
    state: u64,
}

impl SplitMix64 {
    /// A generator starting from `seed`.
    pub fn new(seed: u64) -> Self {
        SplitMix64 { state: seed }
    }

    /// A generator seeded from a string through FNV-1a.
    pub fn from_text(seed: &str) -> Self {
        SplitMix64::new(fnv1a64(seed.as_bytes()))
    }
}

impl RandomSource for SplitMix64 {
    fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
}

/// A permutation of `0..len` shuffled by `rng` (Fisher-Yates, from the top).
pub fn permutation(len: usize, rng: &mut impl RandomSource) -> Vec<usize> {
    let mut order: Vec<usize> = (0..len).collect();
    for i in (1..len).rev() {
        // i < len, so both conversions are lossless; u64 keeps 32- and 64-bit
        // phones on the same sequence.
        let j = rng.below(i as u64 + 1) as usize;
        order.swap(i, j);
    }
    order
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fnv1a64_matches_the_published_vectors() {
        assert_eq!(fnv1a64(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a64(b"a"), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(fnv1a64(b"foobar"), 0x8594_4171_f739_67e8);
    }

    #[test]
    fn splitmix64_matches_the_reference_sequence() {
        // Reference values from the public-domain C implementation, seed 0.
        let mut r = SplitMix64::new(0);
        assert_eq!(r.next_u64(), 0xe220_a839_7b1d_cdaf);
        assert_eq!(r.next_u64(), 0x6e78_9e6a_a1b9_65f4);
        assert_eq!(r.next_u64(), 0x06c4_5d18_8009_454f);
    }

    #[test]
    fn below_stays_in_range_and_reaches_every_value() {
        let mut r = SplitMix64::new(7);
        let mut seen = [false; 7];
        for _ in 0..500 {
            let v = r.below(7);
            assert!(v < 7);
            seen[v as usize] = true;
        }
        assert!(seen.iter().all(|s| *s));
        assert_eq!(r.below(0), 0);
        assert_eq!(r.below(1), 0);
    }

    #[test]
    fn permutation_holds_each_index_once_and_depends_on_the_seed() {
        let a = permutation(400, &mut SplitMix64::from_text("space-a"));
        let mut sorted = a.clone();
        sorted.sort_unstable();
        assert_eq!(sorted, (0..400).collect::<Vec<_>>());
        assert_eq!(a, permutation(400, &mut SplitMix64::from_text("space-a")));
        assert_ne!(a, permutation(400, &mut SplitMix64::from_text("space-b")));
        assert!(permutation(0, &mut SplitMix64::new(1)).is_empty());
    }

    #[test]
    fn permutation_matches_an_independent_implementation() {
        // Computed with a separate Python implementation of the same steps.
        let p = permutation(10, &mut SplitMix64::from_text("space-7d1c"));
        assert_eq!(p, vec![8, 3, 2, 7, 6, 0, 5, 1, 4, 9]);
    }
}
