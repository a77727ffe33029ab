//! One SQLite file serves one relay process: a second one is refused with
//! a clear error, and can start once the first has shut down.
#![allow(
    clippy::unwrap_used,
    reason = "test scenarios: a failed step should fail the test loudly"
)]

use hearth_relay::{Database, RateLimits, RelayConfig, RelayError};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_second_relay_on_the_same_file_is_refused_until_the_first_stops() {
    let dir = tempfile::tempdir().unwrap();
    let config = RelayConfig {
        listen: "127.0.0.1:0".parse().unwrap(),
        database: Database::Sqlite(dir.path().join("relay.db")),
        rates: RateLimits::off(),
        ..RelayConfig::default()
    };
    let first = hearth_relay::start(config.clone()).await.unwrap();
    match hearth_relay::start(config.clone()).await {
        Err(RelayError::Database(message)) => {
            assert!(message.contains("in use by another relay"), "{message}");
        }
        other => panic!("a second relay started on the same file: {other:?}"),
    }
    first.shutdown().await.unwrap();
    let second = hearth_relay::start(config).await.unwrap();
    second.shutdown().await.unwrap();
}
