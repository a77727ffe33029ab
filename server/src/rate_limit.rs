//! Per-address token buckets (governor's GCRA, keyed by address). IPv6
//! clients are limited per /64, since one subscriber usually holds a
//! whole /64: the key is the address with its interface bits cleared
//! ([`bucket_key`]), which governor's keyed limiter takes as any other key.

use std::net::IpAddr;
use std::num::NonZeroU32;
use std::time::Duration;

use governor::clock::{Clock, DefaultClock};
use governor::middleware::NoOpMiddleware;
use governor::state::keyed::DefaultKeyedStateStore;
use governor::{Quota, RateLimiter as Governor};

use crate::config::Rate;

type Buckets<C> =
    Governor<IpAddr, DefaultKeyedStateStore<IpAddr>, C, NoOpMiddleware<<C as Clock>::Instant>>;

/// One class of rate limit (requests, pairing, space creation).
pub(crate) struct RateLimiter<C: Clock = DefaultClock> {
    /// `None` when the rate is off.
    buckets: Option<Buckets<C>>,
    clock: C,
}

impl<C: Clock> std::fmt::Debug for RateLimiter<C> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RateLimiter")
            .field("on", &self.buckets.is_some())
            .finish_non_exhaustive()
    }
}

impl RateLimiter {
    pub fn new(rate: Rate) -> Self {
        Self::with_clock(rate, DefaultClock::default())
    }
}

impl<C: Clock + Clone> RateLimiter<C> {
    fn with_clock(rate: Rate, clock: C) -> Self {
        Self {
            buckets: quota(rate).map(|quota| Buckets::hashmap_with_clock(quota, clock.clone())),
            clock,
        }
    }

    /// Takes one token for `ip`; when none is left, how long until one is.
    pub fn check(&self, ip: IpAddr) -> Result<(), Duration> {
        let Some(buckets) = &self.buckets else {
            return Ok(());
        };
        buckets
            .check_key(&bucket_key(ip))
            .map_err(|not_until| not_until.wait_time_from(self.clock.now()))
    }

    /// Forgets addresses whose buckets have refilled (they would start
    /// full anyway), so the map does not grow without bound.
    pub fn prune(&self) {
        if let Some(buckets) = &self.buckets {
            buckets.retain_recent();
            buckets.shrink_to_fit();
        }
    }
}

/// `amount` per `per`, with a burst of `amount`; `None` when off.
fn quota(rate: Rate) -> Option<Quota> {
    let amount = NonZeroU32::new(rate.amount)?;
    Some(Quota::with_period(rate.per / amount.get())?.allow_burst(amount))
}

pub(crate) fn bucket_key(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V4(_) => ip,
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => IpAddr::V4(v4),
            None => {
                let mut segments = v6.segments();
                segments[4..].fill(0);
                IpAddr::V6(segments.into())
            }
        },
    }
}

#[cfg(test)]
mod tests {
    use governor::clock::FakeRelativeClock;

    use super::*;

    fn limiter(rate: Rate) -> (RateLimiter<FakeRelativeClock>, FakeRelativeClock) {
        let clock = FakeRelativeClock::default();
        (RateLimiter::with_clock(rate, clock.clone()), clock)
    }

    #[test]
    fn a_bucket_allows_its_burst_then_refills_over_time() {
        let (limiter, clock) = limiter(Rate::per_minute(3));
        let ip: IpAddr = "192.0.2.1".parse().unwrap();
        for _ in 0..3 {
            assert!(limiter.check(ip).is_ok());
        }
        let wait = limiter.check(ip).unwrap_err();
        assert!(wait > Duration::from_secs(19) && wait <= Duration::from_secs(20));
        clock.advance(Duration::from_secs(21));
        assert!(limiter.check(ip).is_ok());
        let other: IpAddr = "192.0.2.2".parse().unwrap();
        assert!(limiter.check(other).is_ok());
    }

    #[test]
    fn ipv6_addresses_share_their_64_prefix() {
        let (limiter, _clock) = limiter(Rate::per_minute(1));
        assert!(limiter.check("2001:db8::1".parse().unwrap()).is_ok());
        assert!(limiter.check("2001:db8::ffff:2".parse().unwrap()).is_err());
        assert!(limiter.check("2001:db8:0:1::1".parse().unwrap()).is_ok());
    }

    #[test]
    fn pruning_forgets_only_refilled_buckets() {
        let (limiter, clock) = limiter(Rate::per_minute(1));
        let ip: IpAddr = "192.0.2.1".parse().unwrap();
        assert!(limiter.check(ip).is_ok());
        limiter.prune();
        assert!(limiter.check(ip).is_err(), "an empty bucket was forgotten");
        // governor forgets a key once its state matches a fresh one, at
        // the latest one period after it refilled.
        clock.advance(Duration::from_secs(121));
        limiter.prune();
        assert!(limiter.buckets.as_ref().unwrap().is_empty());
    }

    #[test]
    fn an_off_rate_never_refuses() {
        let limiter = RateLimiter::new(Rate::OFF);
        let ip: IpAddr = "192.0.2.1".parse().unwrap();
        for _ in 0..10_000 {
            assert!(limiter.check(ip).is_ok());
        }
    }
}
