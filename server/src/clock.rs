//! The relay's wall clock, in whole seconds since the Unix epoch: request
//! timestamps are checked against it, and pairing mailboxes, nonces and
//! space records are dated by it. It is injectable so tests can move time
//! forward instead of sleeping ([`ManualClock`]); a relay in production
//! uses [`SystemClock`].

use std::fmt;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// A source of the current time.
pub trait Clock: Send + Sync + fmt::Debug {
    /// Seconds since the Unix epoch.
    fn unix_now(&self) -> u64;
}

/// The operating system's clock.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn unix_now(&self) -> u64 {
        SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |since| since.as_secs())
    }
}

/// A clock that moves only when told (tests).
///
/// ```
/// use std::time::Duration;
/// use hearth_relay::{Clock as _, ManualClock};
///
/// let clock = ManualClock::at(1_700_000_000);
/// clock.advance(Duration::from_secs(90));
/// assert_eq!(clock.unix_now(), 1_700_000_090);
/// ```
#[derive(Debug, Default)]
pub struct ManualClock {
    now: AtomicU64,
}

impl ManualClock {
    /// A clock stopped at `unix_secs`.
    #[must_use]
    pub fn at(unix_secs: u64) -> Self {
        Self {
            now: AtomicU64::new(unix_secs),
        }
    }

    /// A clock stopped at the system clock's current second, shared so a
    /// test can keep a handle while the relay holds another.
    #[must_use]
    pub fn starting_now() -> Arc<Self> {
        Arc::new(Self::at(SystemClock.unix_now()))
    }

    /// Moves the clock forward by `by` (whole seconds; fractions drop).
    pub fn advance(&self, by: Duration) {
        self.now.fetch_add(by.as_secs(), Ordering::SeqCst);
    }
}

impl Clock for ManualClock {
    fn unix_now(&self) -> u64 {
        self.now.load(Ordering::SeqCst)
    }
}
