//! The `hearth-relay` binary as an operator runs it: JSON log lines, no
//! colour codes when the output is not a terminal, metrics on the admin
//! address only, and a clean stop on SIGTERM.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "test scenarios: a failed step should fail the test loudly"
)]

use std::io::{BufRead as _, BufReader};
use std::process::{Child, Command, Stdio};

struct Relay {
    child: Child,
    lines: std::io::Lines<BufReader<std::process::ChildStdout>>,
    _dir: tempfile::TempDir,
}

impl Relay {
    fn start(extra: &[&str]) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let mut child = Command::new(env!("CARGO_BIN_EXE_hearth-relay"))
            .args(["--listen", "127.0.0.1:0", "--admin-listen", "127.0.0.1:0"])
            .arg("--database")
            .arg(dir.path().join("relay.db"))
            .args(extra)
            .env_remove("HEARTH_RELAY_LOG_FORMAT")
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap();
        let lines = BufReader::new(child.stdout.take().unwrap()).lines();
        Self {
            child,
            lines,
            _dir: dir,
        }
    }

    fn next_line(&mut self) -> String {
        self.lines
            .next()
            .expect("the relay logged nothing")
            .unwrap()
    }

    /// Stops it as a service manager does, and answers whether it exited 0.
    fn terminate(mut self) -> bool {
        let stopped = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()
            .unwrap();
        assert!(stopped.success());
        self.child.wait().unwrap().success()
    }
}

/// A plain GET; answers the status code.
fn get(addr: &str, path: &str) -> u16 {
    use std::io::{Read as _, Write as _};
    let mut stream = std::net::TcpStream::connect(addr).unwrap();
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nhost: relay\r\nconnection: close\r\n\r\n"
    )
    .unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).unwrap();
    answer
        .split(' ')
        .nth(1)
        .and_then(|status| status.parse().ok())
        .expect("no HTTP status")
}

#[test]
fn json_logs_parse_and_metrics_are_served_on_the_admin_address_only() {
    let mut relay = Relay::start(&["--log-format", "json", "--drain", "2"]);
    let line = relay.next_line();
    let entry: serde_json::Value = serde_json::from_str(&line).expect("a JSON log line");
    assert_eq!(entry["fields"]["message"], "relay listening", "{line}");
    assert_eq!(entry["level"], "INFO", "{line}");
    let public = entry["fields"]["addr"].as_str().unwrap().to_owned();
    // The admin address is logged as `Some(ADDR)`.
    let admin = entry["fields"]["admin"]
        .as_str()
        .unwrap()
        .trim_start_matches("Some(")
        .trim_end_matches(')')
        .to_owned();
    assert_eq!(get(&public, "/healthz"), 200);
    assert_eq!(get(&public, "/readyz"), 200);
    assert_eq!(get(&public, "/metrics"), 404);
    assert_eq!(get(&admin, "/metrics"), 200);
    assert!(relay.terminate(), "the relay did not stop cleanly");
}

#[test]
fn text_logs_carry_no_colour_codes_into_a_pipe() {
    let mut relay = Relay::start(&[]);
    let line = relay.next_line();
    assert!(line.contains("relay listening"), "{line}");
    assert!(!line.contains('\u{1b}'), "colour codes in a pipe: {line:?}");
    assert!(relay.terminate());
}
