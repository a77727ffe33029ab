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

/// Other crates' tests use `#[tokio::test]`, a single-threaded runtime:
/// the relay must serve, and shut down, there too.
#[tokio::test]
async fn a_relay_runs_and_stops_on_a_single_threaded_runtime() {
    let dir = tempfile::tempdir().unwrap();
    let relay = hearth_relay::start(RelayConfig {
        listen: "127.0.0.1:0".parse().unwrap(),
        database: Database::Sqlite(dir.path().join("relay.db")),
        ..RelayConfig::default()
    })
    .await
    .unwrap();
    let _ = rustls::crypto::ring::default_provider().install_default();
    let client = reqwest::Client::builder().no_proxy().build().unwrap();
    let key = ed25519_dalek::SigningKey::from_bytes(&[7; 32]);
    let space = hearth_protocol::SpaceId::from_random_bytes([1; 16]);
    let path = hearth_protocol::paths::space(&space);
    let headers = hearth_protocol::auth::sign_request(
        &key,
        "PUT",
        &path,
        b"",
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_secs(),
        hearth_protocol::auth::Nonce::from_bytes([2; 16]),
    );
    let mut request = client.put(format!("{}{path}", relay.url()));
    for (name, value) in headers.pairs() {
        request = request.header(name, value);
    }
    assert_eq!(request.send().await.unwrap().status().as_u16(), 201);
    relay.shutdown().await.unwrap();
}
