//! `hearth-relay`: runs the relay. Every flag can also be set through the
//! environment variable shown in `--help`.

use std::io::IsTerminal as _;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use clap::{Parser, ValueEnum};
use hearth_relay::{
    DEFAULT_DRAIN, DEFAULT_SQLITE_FILE, Database, Limits, Rate, RateLimits, RelayConfig,
};
use tracing_subscriber::EnvFilter;

/// Hearth's blind relay: stores and forwards ciphertext between a couple's
/// phones. It never holds a key and cannot read what it stores.
#[derive(Debug, Parser)]
#[command(name = "hearth-relay", version)]
struct Args {
    /// Address to listen on. Put a TLS-terminating proxy in front of it
    /// before exposing it beyond this machine.
    #[arg(long, env = "HEARTH_RELAY_LISTEN", default_value = "127.0.0.1:8787")]
    listen: SocketAddr,

    /// A second address serving /metrics (and /healthz, /readyz) for your
    /// scraper, e.g. 127.0.0.1:9787. Without it no metrics are served; the
    /// public address never serves them.
    #[arg(long, env = "HEARTH_RELAY_ADMIN_LISTEN")]
    admin_listen: Option<SocketAddr>,

    /// A SQLite file (created if missing), or a postgres:// URL to share
    /// one database between several relays.
    #[arg(long, env = "HEARTH_RELAY_DATABASE", default_value = DEFAULT_SQLITE_FILE)]
    database: String,

    /// PostgreSQL schema for the relay's tables (created if missing).
    #[arg(long, env = "HEARTH_RELAY_PG_SCHEMA")]
    pg_schema: Option<String>,

    /// PostgreSQL connections in the pool.
    #[arg(long, env = "HEARTH_RELAY_PG_POOL", default_value_t = Database::DEFAULT_POOL_SIZE)]
    pg_pool: usize,

    /// A PEM file of the certificate authorities that sign the PostgreSQL
    /// server's certificate (used with sslmode=require in the URL; the
    /// public web roots otherwise).
    #[arg(long, env = "HEARTH_RELAY_PG_CA_FILE")]
    pg_ca_file: Option<PathBuf>,

    /// Largest request body in bytes.
    #[arg(long, env = "HEARTH_RELAY_MAX_BODY_BYTES", default_value_t = Limits::default().max_body_bytes)]
    max_body_bytes: usize,

    /// Largest blob (or snapshot) in bytes of ciphertext.
    #[arg(long, env = "HEARTH_RELAY_MAX_BLOB_BYTES", default_value_t = Limits::default().max_blob_bytes)]
    max_blob_bytes: usize,

    /// Most blobs in one push.
    #[arg(long, env = "HEARTH_RELAY_MAX_BLOBS_PER_PUSH", default_value_t = Limits::default().max_blobs_per_push)]
    max_blobs_per_push: usize,

    /// Most devices in one space.
    #[arg(long, env = "HEARTH_RELAY_MAX_DEVICES", default_value_t = Limits::default().max_devices_per_space)]
    max_devices: u32,

    /// Longest a request may take, in seconds.
    #[arg(long, env = "HEARTH_RELAY_REQUEST_TIMEOUT", default_value_t = Limits::default().request_timeout.as_secs())]
    request_timeout: u64,

    /// Seconds a client may take to send a request's headers; also how long
    /// an idle keep-alive connection stays open.
    #[arg(long, env = "HEARTH_RELAY_HEADER_TIMEOUT", default_value_t = Limits::default().header_read_timeout.as_secs())]
    header_timeout: u64,

    /// Most live streams one device holds open.
    #[arg(long, env = "HEARTH_RELAY_MAX_STREAMS_PER_DEVICE", default_value_t = Limits::default().max_streams_per_device)]
    max_streams_per_device: usize,

    /// Most live streams one client address (IPv6: one /64) holds open.
    #[arg(long, env = "HEARTH_RELAY_MAX_STREAMS_PER_ADDRESS", default_value_t = Limits::default().max_streams_per_address)]
    max_streams_per_address: usize,

    /// Longest a live stream stays open, in seconds (the phone reconnects).
    #[arg(long, env = "HEARTH_RELAY_STREAM_LIFETIME", default_value_t = Limits::default().stream_lifetime.as_secs())]
    stream_lifetime: u64,

    /// Most ciphertext bytes one space holds.
    #[arg(long, env = "HEARTH_RELAY_MAX_SPACE_BYTES", default_value_t = Limits::default().max_space_bytes)]
    max_space_bytes: u64,

    /// Most blobs one space holds.
    #[arg(long, env = "HEARTH_RELAY_MAX_SPACE_BLOBS", default_value_t = Limits::default().max_space_blobs)]
    max_space_blobs: u64,

    /// Most request-body bytes buffered at once across all requests.
    #[arg(long, env = "HEARTH_RELAY_MAX_BUFFERED_BYTES", default_value_t = Limits::default().max_buffered_bytes)]
    max_buffered_bytes: usize,

    /// Most open connections (each live stream holds one).
    #[arg(long, env = "HEARTH_RELAY_MAX_CONNECTIONS", default_value_t = Limits::default().max_connections)]
    max_connections: usize,

    /// Requests per address: N/s, N/min, N/h or off.
    #[arg(long, env = "HEARTH_RELAY_RATE_REQUESTS", default_value_t = RateLimits::default().requests)]
    rate_requests: Rate,

    /// Pairing mailboxes opened or claimed per address.
    #[arg(long, env = "HEARTH_RELAY_RATE_PAIRING", default_value_t = RateLimits::default().pairing)]
    rate_pairing: Rate,

    /// Spaces created per address.
    #[arg(long, env = "HEARTH_RELAY_RATE_SPACES", default_value_t = RateLimits::default().spaces)]
    rate_spaces: Rate,

    /// Seconds shutdown waits for requests in flight before cutting them
    /// (keep it below your service manager's stop timeout).
    #[arg(long, env = "HEARTH_RELAY_DRAIN", default_value_t = DEFAULT_DRAIN.as_secs())]
    drain: u64,

    /// Rate-limit by the last X-Forwarded-For entry (only behind a proxy
    /// that sets it).
    #[arg(long, env = "HEARTH_RELAY_TRUST_PROXY")]
    trust_proxy: bool,

    /// Log filter, e.g. info or hearth_relay=debug. Logs never hold
    /// content, keys, signatures, ids or addresses.
    #[arg(long, env = "HEARTH_RELAY_LOG", default_value = "info")]
    log: String,

    /// Log lines as plain text or one JSON object per line (for a log
    /// collector). Colour only when the output is a terminal and NO_COLOR
    /// is unset.
    #[arg(long, env = "HEARTH_RELAY_LOG_FORMAT", value_enum, default_value_t = LogFormat::Text)]
    log_format: LogFormat,
}

/// How log lines are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum LogFormat {
    /// Human-readable lines.
    Text,
    /// One JSON object per line.
    Json,
}

impl Args {
    fn config(self) -> Result<RelayConfig, hearth_relay::ConfigError> {
        let mut database = Database::parse(&self.database)?;
        if let Database::Postgres {
            schema,
            pool_size,
            ca_file,
            ..
        } = &mut database
        {
            if let Some(name) = &self.pg_schema {
                hearth_relay::check_schema(name)?;
            }
            *schema = self.pg_schema;
            *pool_size = self.pg_pool;
            *ca_file = self.pg_ca_file;
        }
        Ok(RelayConfig {
            listen: self.listen,
            admin_listen: self.admin_listen,
            drain: Duration::from_secs(self.drain),
            database,
            limits: Limits {
                max_body_bytes: self.max_body_bytes,
                max_blob_bytes: self.max_blob_bytes,
                max_blobs_per_push: self.max_blobs_per_push,
                max_devices_per_space: self.max_devices,
                request_timeout: Duration::from_secs(self.request_timeout.max(1)),
                header_read_timeout: Duration::from_secs(self.header_timeout.max(1)),
                max_connections: self.max_connections,
                max_streams_per_device: self.max_streams_per_device,
                max_streams_per_address: self.max_streams_per_address,
                stream_lifetime: Duration::from_secs(self.stream_lifetime.max(1)),
                max_buffered_bytes: self.max_buffered_bytes,
                max_space_bytes: self.max_space_bytes,
                max_space_blobs: self.max_space_blobs,
                ..Limits::default()
            },
            rates: RateLimits {
                requests: self.rate_requests,
                pairing: self.rate_pairing,
                spaces: self.rate_spaces,
            },
            trust_proxy: self.trust_proxy,
            ..RelayConfig::default()
        })
    }
}

fn main() -> ExitCode {
    let args = Args::parse();
    let filter = match EnvFilter::try_new(&args.log) {
        Ok(filter) => filter,
        Err(_) => {
            eprintln!(
                "hearth-relay: --log {:?} is not a valid log filter; try info",
                args.log
            );
            return ExitCode::from(2);
        }
    };
    // Colour codes only for a person at a terminal (and not with NO_COLOR).
    let ansi = std::io::stdout().is_terminal()
        && std::env::var_os("NO_COLOR").is_none_or(|value| value.is_empty());
    let logs = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(ansi);
    match args.log_format {
        LogFormat::Text => logs.init(),
        LogFormat::Json => logs.json().init(),
    }
    let config = match args.config() {
        Ok(config) => config,
        Err(error) => {
            eprintln!("hearth-relay: {error}");
            return ExitCode::from(2);
        }
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("hearth-relay: cannot start the async runtime: {error}");
            return ExitCode::FAILURE;
        }
    };
    runtime.block_on(run(config))
}

async fn run(config: RelayConfig) -> ExitCode {
    // Listen for the stop signals before serving: a SIGTERM that arrives
    // while the relay starts must still drain, not kill the process.
    let stop = stop_signal();
    let relay = match hearth_relay::start(config).await {
        Ok(relay) => relay,
        Err(error) => {
            eprintln!("hearth-relay: {error}");
            return ExitCode::FAILURE;
        }
    };
    stop.await;
    tracing::info!("shutting down: finishing requests in flight");
    match relay.shutdown().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("hearth-relay: {error}");
            ExitCode::FAILURE
        }
    }
}

/// Ctrl-C, or SIGTERM from a service manager. The handlers are installed
/// when this is called, not when the future is first polled.
fn stop_signal() -> impl Future<Output = ()> {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        let interrupt = signal(SignalKind::interrupt()).ok();
        let terminate = signal(SignalKind::terminate()).ok();
        async move {
            let next = |stream: Option<tokio::signal::unix::Signal>| async move {
                match stream {
                    Some(mut stream) => {
                        stream.recv().await;
                    }
                    None => std::future::pending::<()>().await,
                }
            };
            tokio::select! {
                () = next(interrupt) => {}
                () = next(terminate) => {}
            }
        }
    }
    #[cfg(not(unix))]
    {
        async {
            let _ = tokio::signal::ctrl_c().await;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(args: &[&str]) -> RelayConfig {
        let mut all = vec!["hearth-relay"];
        all.extend_from_slice(args);
        Args::try_parse_from(all).unwrap().config().unwrap()
    }

    #[test]
    fn the_drain_time_and_admin_address_are_configurable() {
        let defaults = config(&[]);
        assert_eq!(defaults.drain, DEFAULT_DRAIN);
        assert_eq!(defaults.admin_listen, None);
        let set = config(&["--drain", "3", "--admin-listen", "127.0.0.1:9787"]);
        assert_eq!(set.drain, Duration::from_secs(3));
        assert_eq!(set.admin_listen, Some("127.0.0.1:9787".parse().unwrap()));
        assert!(Args::try_parse_from(["hearth-relay", "--drain", "soon"]).is_err());
    }

    #[test]
    fn log_formats_parse() {
        let json = Args::try_parse_from(["hearth-relay", "--log-format", "json"]).unwrap();
        assert_eq!(json.log_format, LogFormat::Json);
        assert!(Args::try_parse_from(["hearth-relay", "--log-format", "xml"]).is_err());
    }

    #[test]
    fn a_postgres_ca_file_reaches_the_database_config() {
        let set = config(&[
            "--database",
            "postgres://u@db/hearth?sslmode=require",
            "--pg-ca-file",
            "ca.pem",
        ]);
        match set.database {
            Database::Postgres { ca_file, .. } => assert_eq!(ca_file, Some("ca.pem".into())),
            Database::Sqlite(_) => panic!("not PostgreSQL"),
        }
    }
}
