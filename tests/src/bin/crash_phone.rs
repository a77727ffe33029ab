//! A phone process for the crash tests (`tests/tests/crash.rs`), which
//! kill it with SIGKILL at a random moment and then reopen its profile.
//!
//! - `crash_phone write DIR RUN`: writes shared entries one after another
//!   (syncing now and then), printing `acked ID WORD` (a word only that
//!   entry holds) once each write has
//!   returned; what it printed is what the person was told was saved.
//! - `crash_phone sync DIR`: syncs over and over, applying what the
//!   partner pushed, printing `synced PULLED` after each pass that worked.
//! - `crash_phone relay DB ADDR [SCHEMA]`: runs a relay on ADDR with the
//!   database DB (a SQLite file, or a `postgres://` URL whose tables go in
//!   SCHEMA), printing `listening ADDR`, until killed.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test support: a panic is a failure

use std::io::Write as _;

use hearth_core::journal::entry::NewEntry;
use hearth_core::{Hearth, OpenOptions};
use hearth_relay::{Database, RelayConfig};

fn open(dir: &str) -> Hearth {
    Hearth::open(dir, OpenOptions::default()).unwrap()
}

fn say(line: &str) {
    let mut out = std::io::stdout().lock();
    writeln!(out, "{line}").unwrap();
    out.flush().unwrap();
}

async fn write(dir: &str, run: &str) {
    let hearth = open(dir);
    for n in 0u64.. {
        // A word found in this entry only.
        let word = format!("r{run}w{n}x");
        let entry = hearth
            .write_entry(NewEntry {
                body: format!("crashword {word}, written before the kill"),
                ..Default::default()
            })
            .unwrap();
        say(&format!("acked {} {word}", entry.id));
        if n % 8 == 7 {
            let _ = hearth.sync_now().await;
        }
    }
}

async fn sync(dir: &str) {
    let hearth = open(dir);
    say("opened");
    loop {
        // A refusal (the relay's rate limit) is tried again at once.
        if let Ok(report) = hearth.sync_now().await {
            say(&format!("synced {}", report.pulled));
        }
    }
}

async fn relay(db: &str, listen: &str, schema: Option<&str>) {
    let mut database = Database::parse(db).unwrap();
    if let Database::Postgres { schema: s, .. } = &mut database {
        *s = schema.map(str::to_owned);
    }
    let running = hearth_relay::start(RelayConfig {
        listen: listen.parse().unwrap(),
        database,
        ..RelayConfig::default()
    })
    .await
    .unwrap();
    say(&format!("listening {}", running.local_addr()));
    std::future::pending::<()>().await;
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    match args
        .iter()
        .map(String::as_str)
        .collect::<Vec<_>>()
        .as_slice()
    {
        ["write", dir, run] => runtime.block_on(write(dir, run)),
        ["sync", dir] => runtime.block_on(sync(dir)),
        ["relay", db, listen] => runtime.block_on(relay(db, listen, None)),
        ["relay", db, listen, schema] => runtime.block_on(relay(db, listen, Some(schema))),
        _ => {
            eprintln!("usage: crash_phone write DIR RUN | sync DIR | relay DB ADDR [SCHEMA]");
            std::process::exit(2);
        }
    }
}
