//! Hearth's relay: a store-and-forward log of ciphertext blobs per couple.
//!
//! The relay keeps, per space, an append-only log of opaque blobs and
//! tombstones, authenticates every request by a device signature, and
//! wakes the partner's phone over a live stream. It never holds a key and
//! cannot read a word. The wire protocol is in `hearth-protocol` and
//! `docs/protocol.md`.
//!
//! Start one in-process (tests, the demo) on a free loopback port:
//!
//! ```no_run
//! # async fn run() -> Result<(), hearth_relay::RelayError> {
//! use hearth_relay::{Database, RelayConfig};
//!
//! let relay = hearth_relay::start(RelayConfig {
//!     listen: "127.0.0.1:0".parse().expect("a socket address"),
//!     database: Database::Sqlite("relay.db".into()),
//!     ..RelayConfig::default()
//! })
//! .await?;
//! println!("relay at {}", relay.url());
//! relay.shutdown().await?;
//! # Ok(())
//! # }
//! ```
//!
//! Operations: `/healthz` and `/readyz` on the public address; `/metrics`
//! only on [`RelayConfig::admin_listen`], when set.
//!
//! Tests: `cargo test -p hearth-relay` runs the behaviour suite against
//! SQLite, and against PostgreSQL when `HEARTH_TEST_POSTGRES_URL` is set
//! (`eval "$(bash scripts/postgres start)"` provides one).
#![forbid(unsafe_code)]

mod clock;
mod config;
mod device_keys;
mod error;
#[cfg(feature = "fuzzing")]
#[doc(hidden)]
pub mod fuzzing;
mod http;
mod live;
mod metrics;
mod nonces;
mod rate_limit;
mod serve;
mod store;
mod streams;

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use tokio::net::{TcpListener, TcpSocket};
use tokio::task::JoinHandle;

pub use crate::clock::{Clock, ManualClock, SystemClock};
pub use crate::config::{
    ConfigError, DEFAULT_DRAIN, DEFAULT_SQLITE_FILE, Database, Limits, Rate, RateLimits,
    RelayConfig, check_schema, redact_url,
};
pub use crate::error::RelayError;
use crate::http::AppState;
use crate::live::LiveHub;
use crate::live::until_shutdown;
use crate::store::Store;
use crate::store::postgres::PostgresStore;
use crate::store::sqlite::SqliteStore;

/// How often expired pairings, nonces and rate buckets are dropped.
const UPKEEP_EVERY: Duration = Duration::from_secs(30);

/// A relay serving in this process. Stop it with
/// [`RunningRelay::shutdown`]; dropping it also stops it, without waiting.
#[derive(Debug)]
pub struct RunningRelay {
    local_addr: SocketAddr,
    admin_addr: Option<SocketAddr>,
    drain: Duration,
    hub: Arc<LiveHub>,
    store: Arc<dyn Store>,
    /// The public server, then the admin one; each answers whether it
    /// drained in time.
    servers: Vec<JoinHandle<bool>>,
    tasks: Vec<JoinHandle<()>>,
}

impl RunningRelay {
    /// The address it listens on (the real port when configured with 0).
    #[must_use]
    pub fn local_addr(&self) -> SocketAddr {
        self.local_addr
    }

    /// Its base URL, e.g. `http://127.0.0.1:8787`.
    #[must_use]
    pub fn url(&self) -> String {
        format!("http://{}", self.local_addr)
    }

    /// The admin address's base URL (serving `/metrics`), when configured.
    #[must_use]
    pub fn admin_url(&self) -> Option<String> {
        self.admin_addr.map(|addr| format!("http://{addr}"))
    }

    /// Stops accepting, ends live streams with a `shutdown` event, lets
    /// requests in flight finish, then closes the database. The address
    /// is free again when this returns.
    ///
    /// # Errors
    /// [`RelayError::ShutdownTimedOut`] when requests were still running
    /// after the drain period ([`RelayConfig::drain`]; they were cut).
    pub async fn shutdown(mut self) -> Result<(), RelayError> {
        self.hub.begin_shutdown();
        let mut result = Ok(());
        for mut server in self.servers.drain(..) {
            let drained = match tokio::time::timeout(
                self.drain + Duration::from_secs(1),
                &mut server,
            )
            .await
            {
                Ok(finished) => finished.unwrap_or(false),
                Err(_) => {
                    server.abort();
                    false
                }
            };
            if !drained {
                result = Err(RelayError::ShutdownTimedOut(self.drain));
            }
        }
        for task in self.tasks.drain(..) {
            let _ = task.await;
        }
        let _ = self.store.close().await;
        tracing::info!("relay stopped");
        result
    }
}

impl Drop for RunningRelay {
    fn drop(&mut self) {
        self.hub.begin_shutdown();
    }
}

/// Binds `addr`; answers the listener and the address it got.
fn bind(addr: SocketAddr) -> Result<(TcpListener, SocketAddr), RelayError> {
    let bound = listen(addr).and_then(|listener| {
        let local = listener.local_addr()?;
        Ok((listener, local))
    });
    bound.map_err(|source| RelayError::Listen { addr, source })
}

/// Opens the database, binds the addresses and starts serving.
///
/// # Errors
/// [`RelayError`] when an address cannot be bound or the database cannot
/// be opened.
pub async fn start(config: RelayConfig) -> Result<RunningRelay, RelayError> {
    let (listener, local_addr) = bind(config.listen)?;
    let admin = config.admin_listen.map(bind).transpose()?;
    let hub = Arc::new(LiveHub::default());
    let mut tasks = Vec::new();
    let store: Arc<dyn Store> = match &config.database {
        Database::Sqlite(path) => {
            let path = path.clone();
            let store = tokio::task::spawn_blocking(move || SqliteStore::open(&path))
                .await
                .map_err(|_| RelayError::Database("opening SQLite was cancelled".into()))?
                .map_err(|error| RelayError::Database(database_problem(&error)))?;
            Arc::new(store)
        }
        Database::Postgres {
            url,
            schema,
            pool_size,
            ca_file,
        } => {
            let store = PostgresStore::open(url, schema.as_deref(), *pool_size, ca_file.as_deref())
                .await
                .map_err(|error| RelayError::Database(database_problem(&error)))?;
            tasks.push(tokio::spawn(store::postgres::listener::run(
                store.config().clone(),
                store.tls().clone(),
                store.channel().to_owned(),
                store.instance(),
                Arc::clone(&hub),
                hub.shutdown_signal(),
            )));
            Arc::new(store)
        }
    };
    let state = Arc::new(AppState::new(
        Arc::clone(&store),
        Arc::clone(&hub),
        config.limits.clone(),
        config.rates,
        config.trust_proxy,
        config.clock,
    ));
    tasks.push(tokio::spawn(upkeep(Arc::clone(&state))));
    let mut servers = vec![tokio::spawn(serve::accept_loop(
        listener,
        http::router(Arc::clone(&state)),
        config.limits.clone(),
        hub.shutdown_signal(),
        config.drain,
    ))];
    let admin_addr = admin.map(|(listener, addr)| {
        servers.push(tokio::spawn(serve::accept_loop(
            listener,
            http::admin_router(state),
            config.limits,
            hub.shutdown_signal(),
            config.drain,
        )));
        addr
    });
    tracing::info!(
        addr = %local_addr,
        admin = ?admin_addr,
        database = ?config.database,
        "relay listening"
    );
    Ok(RunningRelay {
        local_addr,
        admin_addr,
        drain: config.drain,
        hub,
        store,
        servers,
        tasks,
    })
}

/// Accept-queue length asked of the OS (it caps it at `somaxconn`): when
/// phones reconnect together, say after a relay restart, a short queue
/// overflows and each dropped connection attempt costs its phone a
/// one-second retransmission.
const BACKLOG: u32 = 4096;

/// Binds the listening socket.
fn listen(addr: SocketAddr) -> std::io::Result<TcpListener> {
    let socket = if addr.is_ipv4() {
        TcpSocket::new_v4()?
    } else {
        TcpSocket::new_v6()?
    };
    // Restarting on the same address must not wait for old connections'
    // TIME_WAIT to pass.
    #[cfg(unix)]
    socket.set_reuseaddr(true)?;
    socket.bind(addr)?;
    socket.listen(BACKLOG)
}

/// Words for a database that would not open: the cause without values.
fn database_problem(error: &store::StoreError) -> String {
    match error {
        store::StoreError::FileInUse => {
            "the SQLite file is in use by another relay process (one process per file); stop that relay, or use PostgreSQL to run several".to_owned()
        }
        store::StoreError::File(error) => {
            format!("the SQLite file cannot be opened ({error}); check the path exists and is writable")
        }
        store::StoreError::Sqlite(error) => format!(
            "SQLite: {}; check the path exists and is writable",
            store::sqlite::describe(error)
        ),
        store::StoreError::Postgres(error) => match error.as_db_error() {
            Some(db) => format!(
                "PostgreSQL refused: {} (SQLSTATE {}); check the role, password and database",
                db.message(),
                db.code().code()
            ),
            // Its text names the TLS failure (e.g. an unknown issuer),
            // never the URL or its password.
            None if error.to_string().starts_with("error performing TLS handshake") => format!(
                "PostgreSQL TLS failed ({error}); check --pg-ca-file and that the URL's host is the name on the server's certificate"
            ),
            None => "PostgreSQL is unreachable; check the host, port and that the server runs"
                .to_owned(),
        },
        other => other.to_string(),
    }
}

/// Periodic clean-up until shutdown.
async fn upkeep(state: Arc<AppState>) {
    let mut shutdown = state.hub.shutdown_signal();
    let grace = state.limits.pairing_ttl.as_secs();
    loop {
        tokio::select! {
            () = tokio::time::sleep(UPKEEP_EVERY) => {}
            () = until_shutdown(&mut shutdown) => return,
        }
        if let Err(error) = state.store.purge(state.clock.unix_now(), grace).await {
            tracing::warn!(fault = %error.is_refusal(), "periodic purge failed; will retry");
        }
        state.prune_rate_limits();
    }
}
