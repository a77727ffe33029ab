//! Live mode: while the phone is online, a stream from the relay announces
//! new sequence numbers and local changes trigger a push, so an entry
//! reaches the other phone within moments. When the relay cannot be
//! reached, writes wait in the outbox and reconnects back off with jitter.

use std::time::Duration;

/// Exponential backoff with full jitter: 0.5 s, 1 s, 2 s ... up to a minute,
/// each wait a random point between half and all of it, so two phones (or a
/// thousand) do not retry in lockstep.
#[derive(Debug, Clone)]
pub(crate) struct Backoff {
    attempt: u32,
}

/// The first wait.
const FIRST: Duration = Duration::from_millis(500);
/// The longest wait.
const MAX: Duration = Duration::from_secs(60);

impl Backoff {
    pub fn new() -> Self {
        Self { attempt: 0 }
    }

    /// After a success.
    pub fn reset(&mut self) {
        self.attempt = 0;
    }

    /// The wait before the next attempt.
    pub fn next_wait(&mut self) -> Duration {
        let ceiling = FIRST.saturating_mul(1u32 << self.attempt.min(16)).min(MAX);
        self.attempt = self.attempt.saturating_add(1);
        let mut bytes = [0u8; 8];
        let fraction = match crate::crypto::fill_random(&mut bytes) {
            Ok(()) => 0.5 + (u64::from_le_bytes(bytes) >> 11) as f64 / (1u64 << 53) as f64 / 2.0,
            Err(_) => 0.75,
        };
        ceiling.mul_f64(fraction)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn waits_grow_to_a_ceiling_with_jitter_and_reset() {
        let mut b = Backoff::new();
        let first = b.next_wait();
        assert!(first >= FIRST / 2 && first <= FIRST, "{first:?}");
        for _ in 0..20 {
            let w = b.next_wait();
            assert!(w <= MAX && w >= MAX / 2 || b.attempt < 8, "{w:?}");
        }
        let waits: Vec<Duration> = (0..8).map(|_| b.next_wait()).collect();
        assert!(waits.iter().any(|w| *w != waits[0]), "no jitter");
        b.reset();
        assert!(b.next_wait() <= FIRST);
    }
}
