//! The sync commands and the demo, run as a person would run them: two
//! profiles in temporary folders and a relay on 127.0.0.1.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failure

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Output, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use hearth_relay::{Database, RateLimits, RelayConfig, RunningRelay};

fn hearth(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_hearth"))
        .env("HEARTH_DATA_DIR", dir)
        .args(args)
        .stdin(Stdio::null())
        .output()
        .unwrap()
}

fn ok(dir: &Path, args: &[&str]) -> String {
    let output = hearth(dir, args);
    assert!(
        output.status.success(),
        "hearth {args:?} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap()
}

fn fails(dir: &Path, args: &[&str]) -> String {
    let output = hearth(dir, args);
    assert!(
        !output.status.success(),
        "hearth {args:?} should have failed"
    );
    String::from_utf8(output.stderr).unwrap()
}

fn spawn(dir: &Path, args: &[&str]) -> Child {
    Command::new(env!("CARGO_BIN_EXE_hearth"))
        .env("HEARTH_DATA_DIR", dir)
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

/// The lines a child prints, as they come.
fn lines(child: &mut Child) -> mpsc::Receiver<String> {
    let stdout = child.stdout.take().unwrap();
    let (send, receive) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines() {
            let Ok(line) = line else { return };
            if send.send(line).is_err() {
                return;
            }
        }
    });
    receive
}

/// Waits for the first line containing `needle`.
fn line_with(lines: &mpsc::Receiver<String>, needle: &str) -> String {
    loop {
        let line = lines
            .recv_timeout(Duration::from_secs(20))
            .unwrap_or_else(|_| panic!("no line with {needle:?} within 20 s"));
        if line.contains(needle) {
            return line;
        }
    }
}

/// A relay on a free loopback port, on its own runtime.
struct Relay {
    runtime: tokio::runtime::Runtime,
    running: Option<RunningRelay>,
    _dir: tempfile::TempDir,
}

impl Relay {
    fn start() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let runtime = tokio::runtime::Runtime::new().unwrap();
        let running = runtime
            .block_on(hearth_relay::start(RelayConfig {
                listen: "127.0.0.1:0".parse().unwrap(),
                database: Database::Sqlite(dir.path().join("relay.db")),
                rates: RateLimits::off(),
                ..RelayConfig::default()
            }))
            .unwrap();
        Self {
            runtime,
            running: Some(running),
            _dir: dir,
        }
    }

    fn url(&self) -> String {
        self.running.as_ref().unwrap().url()
    }
}

impl Drop for Relay {
    fn drop(&mut self) {
        if let Some(running) = self.running.take() {
            let _ = self.runtime.block_on(running.shutdown());
        }
    }
}

/// Two profiles pointed at `relay`, paired with `pair create` and `pair
/// join`; returns the folder holding them and both profile paths.
fn paired(relay: &Relay) -> (tempfile::TempDir, std::path::PathBuf, std::path::PathBuf) {
    let temp = tempfile::tempdir().unwrap();
    let (robin, sam) = (temp.path().join("robin"), temp.path().join("sam"));
    ok(&robin, &["init", "--name", "Robin"]);
    ok(&sam, &["init", "--name", "Sam"]);
    for dir in [&robin, &sam] {
        let set = ok(dir, &["relay", &relay.url()]);
        assert!(set.contains("pair create"), "{set}");
    }
    let mut create = spawn(&robin, &["pair", "create"]);
    let printed = lines(&mut create);
    let code_line = line_with(&printed, "Your pairing code: ");
    let code = code_line.rsplit(' ').next().unwrap().to_owned();
    let joined = ok(&sam, &["pair", "join", &code]);
    let created = create.wait().unwrap();
    assert!(created.success(), "pair create failed");
    let host_number = line_with(&printed, "Safety number: ");
    assert!(joined.contains("Paired with Robin."), "{joined}");
    assert!(
        joined.contains(&host_number),
        "the safety numbers differ: {joined} / {host_number}"
    );
    (temp, robin, sam)
}

#[test]
fn before_pairing_the_sync_commands_say_what_to_do() {
    let temp = tempfile::tempdir().unwrap();
    let dir = temp.path().join("ana");
    ok(&dir, &["init", "--name", "Ana"]);
    let status = ok(&dir, &["status"]);
    assert!(status.contains("not paired yet"), "{status}");
    assert!(status.contains("Relay: not set"), "{status}");
    let no_relay = fails(&dir, &["pair", "create"]);
    assert!(no_relay.contains("no relay is set"), "{no_relay}");
    let bad_url = fails(&dir, &["relay", "relay.example.org"]);
    assert!(bad_url.contains("https://"), "{bad_url}");
    ok(&dir, &["relay", "http://127.0.0.1:9"]);
    let unpaired = fails(&dir, &["sync"]);
    assert!(unpaired.contains("not paired"), "{unpaired}");
    let bad_code = fails(&dir, &["pair", "join", "not-a-code"]);
    assert!(bad_code.contains("code"), "{bad_code}");
    let leave = fails(&dir, &["leave"]);
    assert!(leave.contains("--yes"), "{leave}");
}

#[test]
fn pair_sync_status_answer_and_leave_between_two_profiles() {
    let relay = Relay::start();
    let (_temp, robin, sam) = paired(&relay);
    assert!(ok(&robin, &["status"]).contains("Partner: Sam (paired)"));

    ok(&robin, &["write", "We found the little bakery again."]);
    let waiting = ok(&robin, &["status"]);
    assert!(!waiting.contains("Waiting to be sent: 0 "), "{waiting}");
    let sent = ok(&robin, &["sync"]);
    assert!(sent.starts_with("Synced: sent"), "{sent}");
    assert!(ok(&robin, &["status"]).contains("Waiting to be sent: 0 "));
    ok(&sam, &["sync"]);
    let list = ok(&sam, &["list", "--partner"]);
    assert!(list.contains("We found the little bakery again."), "{list}");

    // The daily question: the same on both, Robin's answer hidden from Sam
    // until Sam answers.
    let day = "2026-03-01";
    let robins_day = ok(&robin, &["answer", "--date", day, "The", "sea."]);
    assert!(robins_day.contains("You: The sea."), "{robins_day}");
    assert!(
        robins_day.contains("Sam has not answered yet."),
        "{robins_day}"
    );
    ok(&robin, &["sync"]);
    ok(&sam, &["sync"]);
    let sams_day = ok(&sam, &["today", "--date", day]);
    assert!(
        sams_day.contains("Robin has answered: you will see it once you have answered too."),
        "{sams_day}"
    );
    assert!(!sams_day.contains("The sea."), "{sams_day}");
    assert_eq!(
        sams_day.lines().nth(2),
        robins_day.lines().nth(4),
        "the same question on both"
    );
    let revealed = ok(&sam, &["answer", "--date", day, "The mountains."]);
    assert!(revealed.contains("Robin: The sea."), "{revealed}");

    let left = ok(&robin, &["leave", "--yes"]);
    assert!(left.contains("read-only"), "{left}");
    assert!(ok(&robin, &["status"]).contains("read-only"));
    let closed = fails(&robin, &["write", "One more."]);
    assert!(closed.contains("read-only"), "{closed}");
    // Sam learns on the next sync.
    let _ = hearth(&sam, &["sync"]);
    assert!(ok(&sam, &["status"]).contains("read-only"));
}

#[cfg(unix)]
#[test]
fn sync_live_prints_arrivals_until_interrupted() {
    let relay = Relay::start();
    let (_temp, robin, sam) = paired(&relay);
    let mut live = spawn(&sam, &["sync", "--live"]);
    let printed = lines(&mut live);
    line_with(&printed, "Live sync is on");
    // Let the live stream connect before Robin writes.
    std::thread::sleep(Duration::from_millis(500));
    ok(
        &robin,
        &["write", "--title", "Picnic", "Bread, cheese and the lake."],
    );
    ok(&robin, &["sync"]);
    let arrival = line_with(&printed, "Picnic");
    assert!(arrival.contains("Robin: Picnic"), "{arrival}");

    let interrupted = Command::new("kill")
        .args(["-INT", &live.id().to_string()])
        .status()
        .unwrap();
    assert!(interrupted.success());
    line_with(&printed, "Live sync stopped.");
    assert!(live.wait().unwrap().success());
}

#[test]
fn the_demo_pairs_syncs_and_ends_with_identical_journals() {
    let temp = tempfile::tempdir().unwrap();
    // The demo needs no profile: a missing data folder must not matter,
    // and it must stay untouched.
    let untouched = temp.path().join("nothing-here");
    let output = ok(&untouched, &["demo"]);
    assert!(!untouched.exists());
    let numbers: Vec<&str> = output
        .lines()
        .filter_map(|l| l.split("screen: ").nth(1))
        .map(str::trim)
        .collect();
    assert_eq!(numbers.len(), 2, "{output}");
    assert_eq!(numbers[0], numbers[1], "{output}");
    assert!(
        output.contains("Robin's phone tries to sync: could not reach the relay"),
        "{output}"
    );
    assert!(
        output.contains("Both journals are identical: 6 entries"),
        "{output}"
    );
    // Side by side: every row shows the same thing in both columns.
    let rows: Vec<&str> = output
        .lines()
        .skip_while(|l| !l.starts_with("Robin's journal"))
        .skip(2)
        .take_while(|l| l.contains(" | "))
        .collect();
    assert!(rows.len() >= 12, "{output}");
    for row in rows {
        let (left, right) = row.split_once(" | ").unwrap();
        assert_eq!(left.trim_end(), right.trim_end(), "{row}");
    }
    // Each sees the other's answer, and it answers the question asked.
    let robins = output
        .lines()
        .find_map(|l| l.strip_prefix("Sam now sees Robin's answer: "))
        .expect("Sam sees Robin's answer");
    assert!(!robins.contains("would go here"), "{output}");
    assert!(output.contains("Robin now sees Sam's answer: "), "{output}");
}

#[test]
fn a_laptop_linked_with_devices_link_reads_the_journal_and_robin_sees_it() {
    let relay = Relay::start();
    let (temp, robin, sam) = paired(&relay);
    ok(&robin, &["write", "Robin wrote this before the laptop."]);
    ok(&robin, &["sync"]);

    let laptop = temp.path().join("robins-laptop");
    let mut shown = spawn(&robin, &["devices", "link"]);
    let printed = lines(&mut shown);
    let code_line = line_with(&printed, "Your link code: ");
    let code = code_line.rsplit(' ').next().unwrap().to_owned();
    let how = line_with(&printed, "On the new device, run ");
    assert!(how.contains(&format!("--relay {}", relay.url())), "{how}");
    let linked = ok(
        &laptop,
        &["link", &code, "--relay", &relay.url(), "--label", "laptop"],
    );
    assert!(shown.wait().unwrap().success(), "devices link failed");
    let number = line_with(&printed, "Safety number: ");
    assert!(linked.contains(&number), "{linked} / {number}");
    assert!(
        linked.contains("Linked a new device (laptop) of Robin's."),
        "{linked}"
    );
    assert!(linked.contains("Synced: "), "{linked}");
    let list = ok(&laptop, &["list"]);
    assert!(
        list.contains("Robin wrote this before the laptop."),
        "{list}"
    );

    // Sam's next sync tells Sam, and lists the laptop by name.
    let synced = ok(&sam, &["sync"]);
    assert!(synced.contains("Robin added a device (laptop)"), "{synced}");
    let devices = ok(&sam, &["devices"]);
    assert!(devices.contains("(laptop): Robin's device"), "{devices}");

    // A folder that holds a profile is not set up again.
    let again = fails(
        &sam,
        &["link", "1-river-lantern-moss", "--relay", &relay.url()],
    );
    assert!(again.contains("already holds a Hearth profile"), "{again}");
}

#[test]
fn after_leaving_new_space_keeps_the_old_journal_and_pairs_again() {
    let relay = Relay::start();
    let (_temp, robin, sam) = paired(&relay);
    ok(&robin, &["write", "Written in our first space."]);
    ok(&robin, &["sync"]);
    let open = fails(&robin, &["new-space", "--yes"]);
    assert!(open.contains("leave the shared space first"), "{open}");

    ok(&robin, &["leave", "--yes"]);
    let closed = fails(&robin, &["pair", "create"]);
    assert!(closed.contains("hearth new-space"), "{closed}");
    let started = ok(&robin, &["new-space", "--yes"]);
    assert!(started.starts_with("Started afresh as Robin."), "{started}");
    let old = started
        .split("--data-dir ")
        .nth(1)
        .and_then(|rest| rest.split(' ').next())
        .expect("the old profile's folder");
    let kept = ok(std::path::Path::new(old), &["list"]);
    assert!(kept.contains("Written in our first space."), "{kept}");
    assert!(!ok(&robin, &["list"]).contains("Written in our first space."));
    assert!(ok(&robin, &["status"]).contains("not paired yet"));

    // Sam's side closes at the next sync; Sam starts afresh too, and they
    // pair again.
    let _ = hearth(&sam, &["sync"]);
    ok(&sam, &["new-space", "--yes"]);
    let mut create = spawn(&robin, &["pair", "create"]);
    let printed = lines(&mut create);
    let code_line = line_with(&printed, "Your pairing code: ");
    let code = code_line.rsplit(' ').next().unwrap().to_owned();
    let joined = ok(&sam, &["pair", "join", &code]);
    assert!(create.wait().unwrap().success());
    assert!(joined.contains("Paired with Robin."), "{joined}");
}

#[test]
fn sam_lets_robin_back_in_after_robin_lost_every_device() {
    let relay = Relay::start();
    let (temp, robin, sam) = paired(&relay);
    ok(
        &robin,
        &["write", "Robin wrote this before losing the phone."],
    );
    ok(&robin, &["sync"]);
    ok(&sam, &["sync"]);

    let new_phone = temp.path().join("robins-new-phone");
    let mut shown = spawn(&sam, &["devices", "let-in"]);
    let printed = lines(&mut shown);
    let code_line = line_with(&printed, "The code for your partner's new device: ");
    let code = code_line.rsplit(' ').next().unwrap().to_owned();
    let how = line_with(&printed, "On the new device, run `hearth rejoin ");
    assert!(how.contains(&format!("--relay {}", relay.url())), "{how}");
    let back = ok(
        &new_phone,
        &[
            "rejoin",
            &code,
            "--relay",
            &relay.url(),
            "--label",
            "new phone",
        ],
    );
    assert!(shown.wait().unwrap().success(), "devices let-in failed");
    assert!(line_with(&printed, "Robin is back in your shared space").contains("(new phone)"));
    let number = line_with(&printed, "Safety number: ");
    assert!(back.contains(&number), "{back} / {number}");
    assert!(
        back.contains(
            "You are back in your shared space as Robin, on this new device (new phone)."
        ),
        "{back}"
    );
    let list = ok(&new_phone, &["list"]);
    assert!(
        list.contains("Robin wrote this before losing the phone."),
        "{list}"
    );
    // The lost phone is refused from now on.
    let refused = fails(&robin, &["sync"]);
    assert!(
        refused.contains("removed from your shared space"),
        "{refused}"
    );
    let devices = ok(&sam, &["devices"]);
    assert!(devices.contains("(new phone): Robin's device"), "{devices}");
}
