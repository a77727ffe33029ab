//! How a relay is configured: where it listens, where it stores, and the
//! limits it enforces. The binary fills this from flags and environment;
//! tests and the demo build it directly.

use std::fmt;
use std::net::{Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use crate::clock::{Clock, SystemClock};

/// Everything a relay needs to start.
#[derive(Debug, Clone)]
pub struct RelayConfig {
    /// Address to listen on. Port 0 picks a free port
    /// ([`RunningRelay::local_addr`](crate::RunningRelay::local_addr) tells
    /// which).
    pub listen: SocketAddr,
    /// Where the relay keeps its log.
    pub database: Database,
    /// Size, time and count limits.
    pub limits: Limits,
    /// Per-address rate limits.
    pub rates: RateLimits,
    /// Take the client address from the last `X-Forwarded-For` entry (set
    /// this only behind a reverse proxy that writes that header).
    pub trust_proxy: bool,
    /// A second address serving `/metrics` (with `/healthz` and
    /// `/readyz`) for the operator's scraper; `None` serves no metrics.
    /// The public address never serves `/metrics`.
    pub admin_listen: Option<SocketAddr>,
    /// How long shutdown waits for requests in flight before cutting them.
    pub drain: Duration,
    /// The wall clock (the system's, or a [`ManualClock`](crate::ManualClock)
    /// in tests).
    pub clock: Arc<dyn Clock>,
}

impl Default for RelayConfig {
    /// Loopback port 8787, SQLite file `hearth-relay.db` in the working
    /// directory, default limits, no admin address, a 10-second drain.
    fn default() -> Self {
        Self {
            listen: SocketAddr::from((Ipv4Addr::LOCALHOST, 8787)),
            database: Database::Sqlite(PathBuf::from(DEFAULT_SQLITE_FILE)),
            limits: Limits::default(),
            rates: RateLimits::default(),
            trust_proxy: false,
            admin_listen: None,
            drain: DEFAULT_DRAIN,
            clock: Arc::new(SystemClock),
        }
    }
}

/// How long shutdown waits for requests in flight unless configured.
pub const DEFAULT_DRAIN: Duration = Duration::from_secs(10);

/// The SQLite file used when no database is configured.
pub const DEFAULT_SQLITE_FILE: &str = "hearth-relay.db";

/// Where the relay stores its log.
#[derive(Clone, PartialEq, Eq)]
pub enum Database {
    /// One SQLite file (created if missing). One relay process per file.
    Sqlite(PathBuf),
    /// A PostgreSQL database shared by any number of relay processes.
    Postgres {
        /// A `postgres://user:password@host:port/dbname` URL.
        url: String,
        /// A schema to keep the relay's tables in (created if missing);
        /// the server's default search path when `None`. Letters, digits
        /// and `_`, at most 40.
        schema: Option<String>,
        /// Connections in the pool.
        pool_size: usize,
        /// A PEM file of the certificate authorities to trust for the
        /// server's certificate when the URL asks for TLS
        /// (`sslmode=require`); the public web roots when `None`.
        ca_file: Option<PathBuf>,
    },
}

impl Database {
    /// Connections in a PostgreSQL pool unless configured otherwise.
    pub const DEFAULT_POOL_SIZE: usize = 16;

    /// Reads `--database`: a `postgres://` or `postgresql://` URL, or a
    /// SQLite file as `sqlite://PATH`, `sqlite:PATH` or a plain path.
    ///
    /// # Errors
    /// [`ConfigError::EmptyDatabase`] for an empty string.
    pub fn parse(text: &str) -> Result<Self, ConfigError> {
        let text = text.trim();
        if text.starts_with("postgres://") || text.starts_with("postgresql://") {
            return Ok(Self::Postgres {
                url: text.to_owned(),
                schema: None,
                pool_size: Self::DEFAULT_POOL_SIZE,
                ca_file: None,
            });
        }
        let path = text
            .strip_prefix("sqlite://")
            .or_else(|| text.strip_prefix("sqlite:"))
            .unwrap_or(text);
        if path.is_empty() {
            return Err(ConfigError::EmptyDatabase);
        }
        Ok(Self::Sqlite(PathBuf::from(path)))
    }
}

impl fmt::Debug for Database {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Sqlite(path) => f.debug_tuple("Sqlite").field(path).finish(),
            // The URL may hold a password: show only what follows the '@'.
            Self::Postgres {
                url,
                schema,
                pool_size,
                ca_file,
            } => f
                .debug_struct("Postgres")
                .field("url", &redact_url(url))
                .field("schema", schema)
                .field("pool_size", pool_size)
                .field("ca_file", ca_file)
                .finish(),
        }
    }
}

/// A database URL without its credentials, fit for a log line.
#[must_use]
pub fn redact_url(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme_end), Some(at)) if at > scheme_end => {
            format!("{}://***@{}", &url[..scheme_end], &url[at + 1..])
        }
        _ => url.to_owned(),
    }
}

/// Size, time and count limits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Limits {
    /// Largest request body, in bytes.
    pub max_body_bytes: usize,
    /// Largest single blob or snapshot, in bytes of ciphertext.
    pub max_blob_bytes: usize,
    /// Most blobs in one push.
    pub max_blobs_per_push: usize,
    /// Most items one pull may ask for.
    pub max_pull_items: u32,
    /// Roughly the most ciphertext bytes one pull returns (at least one
    /// item is always returned).
    pub max_pull_bytes: usize,
    /// Most devices in one space.
    pub max_devices_per_space: u32,
    /// Longest a request may take (live streams and pairing reads, which
    /// wait by design, are exempt; their waits are bounded separately).
    pub request_timeout: Duration,
    /// Longest a client may take to send a request's headers. It also
    /// closes keep-alive connections idle this long (a reverse proxy's
    /// upstream keep-alive must be shorter, or it may reuse a connection
    /// the relay is closing).
    pub header_read_timeout: Duration,
    /// Most open connections; further ones wait to be accepted.
    pub max_connections: usize,
    /// Interval of keep-alive comments on live streams.
    pub heartbeat: Duration,
    /// How long a pairing mailbox lives.
    pub pairing_ttl: Duration,
    /// Most messages each side may post to a pairing mailbox.
    pub pairing_max_messages: u32,
    /// Most live streams one device holds open at once.
    pub max_streams_per_device: usize,
    /// Most live streams one client address (IPv6: one /64) holds open.
    pub max_streams_per_address: usize,
    /// Longest a live stream stays open; it then ends with a `shutdown`
    /// event and the phone reconnects.
    pub stream_lifetime: Duration,
    /// Most request-body bytes buffered at once across all requests; a
    /// body that does not fit is refused (503, retry) before it is read.
    pub max_buffered_bytes: usize,
    /// Most ciphertext bytes one space holds.
    pub max_space_bytes: u64,
    /// Most blobs one space holds.
    pub max_space_blobs: u64,
    /// Largest pairing message, in bytes: room for a link's offer, which
    /// carries the device list and every key epoch.
    pub pairing_max_message_bytes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_body_bytes: 4 << 20,
            max_blob_bytes: 1 << 20,
            max_blobs_per_push: 256,
            max_pull_items: 1000,
            max_pull_bytes: 4 << 20,
            max_devices_per_space: 8,
            request_timeout: Duration::from_secs(30),
            header_read_timeout: Duration::from_secs(10),
            max_connections: 16_384,
            heartbeat: Duration::from_secs(15),
            pairing_ttl: Duration::from_secs(hearth_protocol::pairing::PAIRING_TTL_SECS),
            pairing_max_messages: 8,
            pairing_max_message_bytes: 16 * 1024,
            max_streams_per_device: 2,
            max_streams_per_address: 100,
            stream_lifetime: Duration::from_secs(60 * 60),
            max_buffered_bytes: 64 << 20,
            max_space_bytes: 1 << 30,
            max_space_blobs: 200_000,
        }
    }
}

/// Per-address rate limits (token buckets: up to `amount` at once, refilled
/// at `amount` per `per`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RateLimits {
    /// Every request except `/healthz` and `/readyz`.
    pub requests: Rate,
    /// Opening and claiming pairing mailboxes.
    pub pairing: Rate,
    /// Creating spaces.
    pub spaces: Rate,
}

impl RateLimits {
    /// No rate limits at all (load tests, a trusted private network).
    #[must_use]
    pub fn off() -> Self {
        Self {
            requests: Rate::OFF,
            pairing: Rate::OFF,
            spaces: Rate::OFF,
        }
    }
}

impl Default for RateLimits {
    /// Generous enough for many phones behind one carrier NAT, tight
    /// enough to stop one address from flooding the relay.
    fn default() -> Self {
        Self {
            requests: Rate::per_minute(6000),
            pairing: Rate::per_hour(60),
            spaces: Rate::per_hour(60),
        }
    }
}

/// One rate: `amount` per `per`; `amount` 0 means unlimited.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rate {
    /// Requests allowed per period (also the burst).
    pub amount: u32,
    /// The period.
    pub per: Duration,
}

impl Rate {
    /// No limit.
    pub const OFF: Rate = Rate {
        amount: 0,
        per: Duration::from_secs(1),
    };

    /// `amount` per minute.
    #[must_use]
    pub const fn per_minute(amount: u32) -> Self {
        Self {
            amount,
            per: Duration::from_secs(60),
        }
    }

    /// `amount` per hour.
    #[must_use]
    pub const fn per_hour(amount: u32) -> Self {
        Self {
            amount,
            per: Duration::from_secs(3600),
        }
    }

    /// Whether this rate limits anything.
    #[must_use]
    pub fn is_off(&self) -> bool {
        self.amount == 0 || self.per.is_zero()
    }
}

impl FromStr for Rate {
    type Err = ConfigError;

    /// Reads `N/s`, `N/min`, `N/h`, or `off`.
    fn from_str(text: &str) -> Result<Self, ConfigError> {
        let text = text.trim();
        if text.eq_ignore_ascii_case("off") {
            return Ok(Self::OFF);
        }
        let bad = || ConfigError::BadRate(text.to_owned());
        let (amount, unit) = text.split_once('/').ok_or_else(bad)?;
        let amount: u32 = amount.trim().parse().map_err(|_| bad())?;
        let per = match unit.trim() {
            "s" | "sec" | "second" => Duration::from_secs(1),
            "m" | "min" | "minute" => Duration::from_secs(60),
            "h" | "hour" => Duration::from_secs(3600),
            _ => return Err(bad()),
        };
        Ok(Self { amount, per })
    }
}

impl fmt::Display for Rate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.is_off() {
            return f.write_str("off");
        }
        match self.per.as_secs() {
            1 => write!(f, "{}/s", self.amount),
            60 => write!(f, "{}/min", self.amount),
            3600 => write!(f, "{}/h", self.amount),
            secs => write!(f, "{} per {secs} s", self.amount),
        }
    }
}

/// A configuration value that cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ConfigError {
    /// `--database` was empty.
    #[error("the database is empty; give a SQLite file path or a postgres:// URL")]
    EmptyDatabase,
    /// A rate was not `N/s`, `N/min`, `N/h` or `off`.
    #[error("rate {0:?} is not N/s, N/min, N/h or off")]
    BadRate(String),
    /// A PostgreSQL schema name outside `[a-z_][a-z0-9_]{0,39}`.
    #[error(
        "schema name {0:?} is not allowed; use up to 40 lower-case letters, digits and '_', starting with a letter or '_'"
    )]
    BadSchema(String),
}

/// Checks a PostgreSQL schema name (it is spliced into SQL as an
/// identifier, so only a safe alphabet passes).
///
/// # Errors
/// [`ConfigError::BadSchema`] otherwise.
pub fn check_schema(name: &str) -> Result<(), ConfigError> {
    let mut bytes = name.bytes();
    let first_ok = bytes
        .next()
        .is_some_and(|b| b.is_ascii_lowercase() || b == b'_');
    if first_ok
        && name.len() <= 40
        && bytes.all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
    {
        Ok(())
    } else {
        Err(ConfigError::BadSchema(name.to_owned()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn database_urls_pick_the_backend() {
        assert_eq!(
            Database::parse("relay.db").unwrap(),
            Database::Sqlite("relay.db".into())
        );
        assert_eq!(
            Database::parse("sqlite:///var/lib/relay.db").unwrap(),
            Database::Sqlite("/var/lib/relay.db".into())
        );
        assert!(matches!(
            Database::parse("postgresql://u:p@localhost/hearth").unwrap(),
            Database::Postgres { .. }
        ));
        assert_eq!(Database::parse("  "), Err(ConfigError::EmptyDatabase));
    }

    #[test]
    fn debug_output_hides_database_passwords() {
        let db = Database::parse("postgres://hearth:s3cret@db.internal:5432/hearth").unwrap();
        let shown = format!("{db:?}");
        assert!(!shown.contains("s3cret"), "{shown}");
        assert!(shown.contains("db.internal:5432/hearth"), "{shown}");
    }

    #[test]
    fn rates_parse_and_print() {
        assert_eq!("30/min".parse::<Rate>().unwrap(), Rate::per_minute(30));
        assert_eq!("5/h".parse::<Rate>().unwrap(), Rate::per_hour(5));
        assert!("off".parse::<Rate>().unwrap().is_off());
        assert!("0/s".parse::<Rate>().unwrap().is_off());
        assert!("fast".parse::<Rate>().is_err());
        assert!("3/day".parse::<Rate>().is_err());
        assert_eq!(Rate::per_minute(30).to_string(), "30/min");
    }

    #[test]
    fn schema_names_are_restricted() {
        assert!(check_schema("hearth_test_01").is_ok());
        assert!(check_schema("Hearth").is_err());
        assert!(check_schema("1abc").is_err());
        assert!(check_schema("a;drop").is_err());
        assert!(check_schema("").is_err());
    }
}
