//! Helpers for Hearth's cross-crate tests: a real relay on 127.0.0.1 and
//! phones (each a `Hearth` in its own data directory) that sync through it.
//!
//! Run them with `cargo test -p hearth-tests`.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test support: a panic is a failure

pub mod faults;

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

pub use hearth_core::testing::{Phone, contains};
use hearth_relay::{Database, Limits, RateLimits, RelayConfig, RunningRelay};
use tempfile::TempDir;

/// A relay on loopback, restartable on the same address and database.
#[derive(Debug)]
pub struct Relay {
    pub dir: TempDir,
    pub addr: SocketAddr,
    running: Option<RunningRelay>,
    limits: Limits,
    /// Without per-address rate limits (a test that syncs in a tight loop).
    unlimited: bool,
}

impl Relay {
    /// Starts a relay on a free loopback port with a SQLite file.
    pub async fn start() -> Self {
        Self::start_with(|_| {}).await
    }

    /// Starts a relay whose limits `tweak` changes.
    pub async fn start_with(tweak: impl FnOnce(&mut Limits)) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let mut limits = Limits::default();
        tweak(&mut limits);
        let running = hearth_relay::start(Self::config(
            dir.path(),
            "127.0.0.1:0".parse().unwrap(),
            &limits,
            false,
        ))
        .await
        .unwrap();
        Self {
            addr: running.local_addr(),
            dir,
            running: Some(running),
            limits,
            unlimited: false,
        }
    }

    /// Starts a relay without per-address rate limits.
    pub async fn start_unlimited() -> Self {
        let mut relay = Self::start().await;
        relay.unlimited = true;
        relay.restart().await;
        relay
    }

    fn config(dir: &Path, listen: SocketAddr, limits: &Limits, unlimited: bool) -> RelayConfig {
        RelayConfig {
            listen,
            database: Database::Sqlite(dir.join("relay.db")),
            limits: limits.clone(),
            rates: if unlimited {
                RateLimits::off()
            } else {
                RateLimits::default()
            },
            ..RelayConfig::default()
        }
    }

    /// Its base URL.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Stops it (gracefully).
    pub async fn stop(&mut self) {
        if let Some(running) = self.running.take() {
            running.shutdown().await.unwrap();
        }
    }

    /// Starts it again on the same address and database.
    pub async fn restart(&mut self) {
        self.stop().await;
        let mut tries = 0;
        let running = loop {
            match hearth_relay::start(Self::config(
                self.dir.path(),
                self.addr,
                &self.limits,
                self.unlimited,
            ))
            .await
            {
                Ok(r) => break r,
                Err(e) if tries < 50 => {
                    tries += 1;
                    let _ = e;
                    tokio::time::sleep(std::time::Duration::from_millis(100)).await;
                }
                Err(e) => panic!("relay would not restart: {e}"),
            }
        };
        self.running = Some(running);
    }

    /// A consistent copy of the relay's database, taken while it runs (as
    /// a nightly backup would).
    pub fn backup(&self) -> Vec<u8> {
        let copy = self.dir.path().join("backup.db");
        let _ = std::fs::remove_file(&copy);
        rusqlite::Connection::open(self.database_path())
            .unwrap()
            .execute("VACUUM INTO ?1", [copy.to_str().unwrap()])
            .unwrap();
        let bytes = std::fs::read(&copy).unwrap();
        std::fs::remove_file(&copy).unwrap();
        bytes
    }

    /// Stops the relay, puts `backup` (from [`Relay::backup`]) in place of
    /// its database, and starts it again: everything since the backup is
    /// lost. Restoring nothing (`&[]`) leaves it with an empty database.
    pub async fn restore(&mut self, backup: &[u8]) {
        self.stop().await;
        for name in ["relay.db", "relay.db-wal", "relay.db-shm"] {
            let _ = std::fs::remove_file(self.dir.path().join(name));
        }
        if !backup.is_empty() {
            std::fs::write(self.database_path(), backup).unwrap();
        }
        self.restart().await;
    }

    /// Every byte of the relay's database files.
    pub fn database_bytes(&self) -> Vec<u8> {
        let mut all = Vec::new();
        for name in ["relay.db", "relay.db-wal"] {
            if let Ok(bytes) = std::fs::read(self.dir.path().join(name)) {
                all.extend(bytes);
            }
        }
        all
    }

    /// The relay's database file.
    pub fn database_path(&self) -> PathBuf {
        self.dir.path().join("relay.db")
    }

    /// Admits `device` to `space` by writing the relay's tables directly,
    /// as whoever holds the relay could: no phone and no rule of the relay
    /// is asked.
    pub fn admit_behind_the_phones_back(&self, space: &str, device: &str) {
        let device = hearth_protocol::DeviceId::parse(device).unwrap();
        rusqlite::Connection::open(self.database_path())
            .unwrap()
            .execute(
                "INSERT INTO devices (space, device, added_at)
                 SELECT key, ?2, 0 FROM spaces WHERE id = ?1",
                rusqlite::params![space, device.as_bytes().as_slice()],
            )
            .unwrap();
    }
}

/// A phone on the system clock (the relay checks request times), pointed
/// at `relay`: the one test phone of `hearth_core::testing`.
pub fn phone(name: &str, relay: &Relay) -> Phone {
    let phone = Phone::on_system_clock(name);
    phone.hearth.set_relay(&relay.url()).unwrap();
    phone
}

/// Pairs two phones through the relay: `host` shows the code, `joiner`
/// types it. Returns both safety numbers.
pub async fn pair(host: &Phone, joiner: &Phone) -> (String, String) {
    let invite = host.hearth.start_pairing().await.unwrap();
    let (h, j) = tokio::join!(
        host.hearth.finish_pairing(),
        joiner.hearth.join_partner(&invite.code)
    );
    let (h, j) = (h.unwrap(), j.unwrap());
    assert_eq!(h.partner_name, joiner.name);
    assert_eq!(j.partner_name, host.name);
    (h.safety_number, j.safety_number)
}

/// Links a new device of `owner`'s person, named `label`, with the code
/// `owner` shows; returns it and what each side showed.
pub async fn link_device(
    owner: &Phone,
    relay: &Relay,
    label: Option<&str>,
) -> (Phone, hearth_core::LinkResult, hearth_core::LinkResult) {
    let dir = tempfile::tempdir().unwrap();
    let invite = owner.hearth.start_linking().await.unwrap();
    let url = relay.url();
    let (shown, linked) = tokio::join!(
        owner.hearth.finish_linking(),
        hearth_core::Hearth::link(
            dir.path(),
            hearth_core::OpenOptions::default(),
            &url,
            &invite.code,
            label
        )
    );
    let (hearth, on_new) = linked.unwrap();
    let phone = Phone {
        hearth,
        dir,
        name: owner.name.clone(),
        clock: None,
    };
    (phone, shown.unwrap(), on_new)
}

/// Keeps `phone` in live mode until `stop` turns true; the task ends with
/// what `sync_live` returned.
pub fn go_live(
    phone: std::sync::Arc<Phone>,
    mut stop: tokio::sync::watch::Receiver<bool>,
) -> tokio::task::JoinHandle<hearth_core::Result<()>> {
    tokio::spawn(async move {
        phone
            .hearth
            .sync_live(async move {
                let _ = stop.wait_for(|stop| *stop).await;
            })
            .await
    })
}

/// Checks `holds` every 10 ms until it is true or `within` has passed, for
/// what a live session does in the background; whether it came true.
pub async fn eventually(within: std::time::Duration, mut holds: impl FnMut() -> bool) -> bool {
    let deadline = tokio::time::Instant::now() + within;
    loop {
        if holds() {
            return true;
        }
        if tokio::time::Instant::now() >= deadline {
            return false;
        }
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
}

/// Syncs both phones until neither has anything left to send or receive.
pub async fn settle(a: &Phone, b: &Phone) {
    for _ in 0..3 {
        a.hearth.sync_now().await.unwrap();
        b.hearth.sync_now().await.unwrap();
    }
}
