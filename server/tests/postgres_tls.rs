//! The relay's PostgreSQL connections over TLS, against the test server of
//! `scripts/postgres` (which turns TLS on with a throwaway CA and exports
//! `HEARTH_TEST_POSTGRES_CA`). Skipped with a notice without it.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "test scenarios: a failed step should fail the test loudly"
)]

mod common;

use std::path::PathBuf;
use std::time::Duration;

use common::{Backend, Harness, hex, random16};
use hearth_protocol::{LiveEvent, PushResponse};
use hearth_relay::{Database, RateLimits, RelayConfig, RelayError};

/// The test server's URL and CA file, or `None` (with a notice) to skip.
fn tls_server() -> Option<(String, PathBuf)> {
    let url = std::env::var("HEARTH_TEST_POSTGRES_URL").ok()?;
    match std::env::var("HEARTH_TEST_POSTGRES_CA") {
        Ok(ca) if !url.is_empty() && !ca.is_empty() => Some((url, PathBuf::from(ca))),
        _ => {
            eprintln!(
                "notice: HEARTH_TEST_POSTGRES_URL or HEARTH_TEST_POSTGRES_CA is unset, skipping the PostgreSQL TLS test (eval \"$(bash scripts/postgres start)\" to include it)"
            );
            None
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_relay_talks_to_postgres_over_verified_tls() {
    let Some((_, ca)) = tls_server() else {
        return;
    };
    let app = format!("hearth_tls_{}", hex(&random16()[..6]));
    let Some(h) = Harness::start(Backend::Postgres, |c| {
        if let Database::Postgres { url, ca_file, .. } = &mut c.database {
            url.push_str(&format!("?sslmode=require&application_name={app}"));
            *ca_file = Some(ca.clone());
        }
    })
    .await
    else {
        return;
    };
    // Writes, reads and the notification listener all work over TLS.
    let (space, a, b) = h.couple().await;
    let mut stream = h.events(&b, &space).await;
    assert_eq!(
        stream.next(Duration::from_secs(5)).await,
        Some(LiveEvent::Head { head: 0 })
    );
    h.push(&a, &space, &[("b1", "d", "x")])
        .await
        .ok::<PushResponse>(200);
    stream.until_head(1, Duration::from_secs(5)).await;
    assert_eq!(h.pull_all(&b, &space, 0).await.items.len(), 1);

    // The server sees every connection of this relay encrypted.
    let (url, _) = tls_server().unwrap();
    let (client, connection) = tokio_postgres::connect(&url, tokio_postgres::NoTls)
        .await
        .unwrap();
    let driver = tokio::spawn(connection);
    let row = client
        .query_one(
            "SELECT count(*), bool_and(s.ssl) FROM pg_stat_ssl s
             JOIN pg_stat_activity a USING (pid) WHERE a.application_name = $1",
            &[&app],
        )
        .await
        .unwrap();
    let (connections, all_tls): (i64, Option<bool>) = (row.get(0), row.get(1));
    assert!(connections >= 2, "pool and listener: {connections}");
    assert_eq!(all_tls, Some(true));
    drop(client);
    let _ = driver.await;
    h.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_certificate_that_does_not_verify_is_refused() {
    let Some((url, _)) = tls_server() else {
        return;
    };
    // The test CA is not among the public web roots.
    let started = hearth_relay::start(RelayConfig {
        listen: "127.0.0.1:0".parse().unwrap(),
        database: Database::Postgres {
            url: format!("{url}?sslmode=require"),
            schema: None,
            pool_size: 1,
            ca_file: None,
        },
        rates: RateLimits::off(),
        ..RelayConfig::default()
    })
    .await;
    match started {
        Err(RelayError::Database(message)) => {
            assert!(message.contains("TLS"), "{message}");
            assert!(!message.contains("hearth:hearth"), "{message}");
        }
        other => panic!("a relay trusted an unverified server: {other:?}"),
    }
}
