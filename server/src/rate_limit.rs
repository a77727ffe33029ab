//! Per-address token buckets. IPv6 clients are limited per /64, since one
//! subscriber usually holds a whole /64.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use crate::config::Rate;

/// One class of rate limit (requests, pairing, space creation).
#[derive(Debug)]
pub(crate) struct RateLimiter {
    rate: Rate,
    buckets: Mutex<HashMap<IpAddr, Bucket>>,
}

#[derive(Debug, Clone, Copy)]
struct Bucket {
    tokens: f64,
    updated: Instant,
}

impl RateLimiter {
    pub fn new(rate: Rate) -> Self {
        Self {
            rate,
            buckets: Mutex::new(HashMap::new()),
        }
    }

    /// Takes one token for `ip`; when none is left, how long until one is.
    pub fn check(&self, ip: IpAddr) -> Result<(), Duration> {
        self.check_at(ip, Instant::now())
    }

    fn check_at(&self, ip: IpAddr, now: Instant) -> Result<(), Duration> {
        if self.rate.is_off() {
            return Ok(());
        }
        let capacity = f64::from(self.rate.amount);
        let per_second = capacity / self.rate.per.as_secs_f64();
        let Ok(mut buckets) = self.buckets.lock() else {
            return Ok(());
        };
        let bucket = buckets.entry(bucket_key(ip)).or_insert(Bucket {
            tokens: capacity,
            updated: now,
        });
        let elapsed = now.saturating_duration_since(bucket.updated).as_secs_f64();
        bucket.tokens = (bucket.tokens + elapsed * per_second).min(capacity);
        bucket.updated = now;
        if bucket.tokens >= 1.0 {
            bucket.tokens -= 1.0;
            Ok(())
        } else {
            Err(Duration::from_secs_f64((1.0 - bucket.tokens) / per_second))
        }
    }

    /// Forgets addresses whose buckets have refilled (they would start
    /// full anyway), so the map does not grow without bound.
    pub fn prune(&self) {
        if self.rate.is_off() {
            return;
        }
        let now = Instant::now();
        let refill = self.rate.per;
        if let Ok(mut buckets) = self.buckets.lock() {
            buckets.retain(|_, bucket| now.saturating_duration_since(bucket.updated) < refill);
        }
    }
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
    use super::*;

    #[test]
    fn a_bucket_allows_its_burst_then_refills_over_time() {
        let limiter = RateLimiter::new(Rate::per_minute(3));
        let ip: IpAddr = "192.0.2.1".parse().unwrap();
        let start = Instant::now();
        for _ in 0..3 {
            assert!(limiter.check_at(ip, start).is_ok());
        }
        let wait = limiter.check_at(ip, start).unwrap_err();
        assert!(wait > Duration::from_secs(19) && wait <= Duration::from_secs(20));
        assert!(
            limiter
                .check_at(ip, start + Duration::from_secs(21))
                .is_ok()
        );
        let other: IpAddr = "192.0.2.2".parse().unwrap();
        assert!(limiter.check_at(other, start).is_ok());
    }

    #[test]
    fn ipv6_addresses_share_their_64_prefix() {
        let limiter = RateLimiter::new(Rate::per_minute(1));
        let now = Instant::now();
        assert!(
            limiter
                .check_at("2001:db8::1".parse().unwrap(), now)
                .is_ok()
        );
        assert!(
            limiter
                .check_at("2001:db8::ffff:2".parse().unwrap(), now)
                .is_err()
        );
        assert!(
            limiter
                .check_at("2001:db8:0:1::1".parse().unwrap(), now)
                .is_ok()
        );
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
