//! The guidance commands added so the terminal reaches the whole core:
//! swapping the question, suggestions, noting exercises, drills, the
//! assessments and the game. Each runs the built binary on a temporary
//! profile.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failure

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

fn run(dir: &Path, args: &[&str], stdin: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_hearth"))
        .env("HEARTH_DATA_DIR", dir)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

fn ok_with(dir: &Path, args: &[&str], stdin: &str) -> String {
    let output = run(dir, args, stdin);
    assert!(
        output.status.success(),
        "hearth {args:?} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap()
}

fn ok(dir: &Path, args: &[&str]) -> String {
    ok_with(dir, args, "")
}

fn fails_with(dir: &Path, args: &[&str], stdin: &str) -> String {
    let output = run(dir, args, stdin);
    assert!(
        !output.status.success(),
        "hearth {args:?} should have failed"
    );
    String::from_utf8(output.stderr).unwrap()
}

fn fails(dir: &Path, args: &[&str]) -> String {
    fails_with(dir, args, "")
}

fn profile() -> (tempfile::TempDir, PathBuf) {
    let temp = tempfile::tempdir().unwrap();
    let dir = temp.path().join("robin");
    ok(&dir, &["init", "--name", "Robin"]);
    (temp, dir)
}

/// The question id `hearth today` (or `swap`) printed.
fn question_id(text: &str) -> String {
    text.lines()
        .find_map(|l| l.split("--question ").nth(1))
        .and_then(|rest| rest.split_whitespace().next())
        .unwrap()
        .to_owned()
}

const DAY: &str = "2026-11-26";

#[test]
fn swap_gives_another_question_for_the_day() {
    let (_temp, dir) = profile();
    let shown = ok(&dir, &["today", "--date", DAY]);
    // The hints repeat the day asked about.
    assert!(
        shown.contains(&format!("hearth answer --date {DAY}")),
        "{shown}"
    );
    assert!(
        shown.contains(&format!("hearth swap --date {DAY}")),
        "{shown}"
    );
    let before = question_id(&shown);
    let swapped = ok(&dir, &["swap", "--date", DAY]);
    assert!(swapped.starts_with("Swapped."), "{swapped}");
    let after = question_id(&swapped);
    assert_ne!(before, after);
    // Today shows the swapped question from now on.
    assert_eq!(question_id(&ok(&dir, &["today", "--date", DAY])), after);
}

#[test]
fn suggestions_come_with_reasons_and_exercises_can_be_noted() {
    let (_temp, dir) = profile();
    let shown = ok(&dir, &["suggestions", "--limit", "3"]);
    assert_eq!(shown.matches("Suggestion: ").count(), 3, "{shown}");
    let first = shown
        .lines()
        .find_map(|l| l.split("hearth exercises ").nth(1))
        .unwrap()
        .trim_end_matches(')')
        .to_owned();
    let done = ok(&dir, &["exercises", &first, "--done", "--date", DAY]);
    assert!(
        done.contains("Noted: you did") && done.contains(DAY),
        "{done}"
    );
    let skipped = ok(&dir, &["exercises", &first, "--skipped"]);
    assert!(skipped.contains("you skipped"), "{skipped}");
    assert!(fails(&dir, &["exercises", "no-such-one", "--done"]).contains("hearth exercises"));
    // --done needs an exercise, and done and skipped exclude each other.
    fails(&dir, &["exercises", "--done"]);
    fails(&dir, &["exercises", &first, "--done", "--skipped"]);
}

#[test]
fn a_drill_moves_turn_by_turn() {
    let (_temp, dir) = profile();
    assert!(ok(&dir, &["drill"]).contains("No drill under way"));
    let started = ok(&dir, &["drill", "start", "listen-and-sum-up"]);
    let id = started
        .lines()
        .find_map(|l| l.strip_prefix("Drill started. id: "))
        .unwrap()
        .to_owned();
    assert!(started.contains("your turn to speak"), "{started}");
    assert!(started.contains("done-speaking"), "{started}");
    assert!(ok(&dir, &["drill"]).contains(&id));

    let moved = ok(&dir, &["drill", "move", &id, "done-speaking"]);
    assert!(moved.contains("your partner sums up"), "{moved}");
    assert!(moved.contains("Waiting for your partner's move"), "{moved}");
    // Not this partner's move now: refused in plain words.
    let refused = fails(&dir, &["drill", "move", &id, "heard"]);
    assert!(
        !refused.is_empty() && !refused.contains("phone"),
        "{refused}"
    );

    let stopped = ok(&dir, &["drill", "move", &id, "stop"]);
    assert!(stopped.contains("stopped for today"), "{stopped}");
    assert!(ok(&dir, &["drill"]).contains("No drill under way"));
    // An exercise without a drill says so.
    assert!(fails(&dir, &["drill", "start", "no-such-one"]).contains("hearth exercises"));
}

#[test]
fn assessments_are_taken_from_standard_input_explained_and_shared() {
    let (_temp, dir) = profile();
    let listed = ok(&dir, &["assess"]);
    assert_eq!(listed.matches("(not taken)").count(), 6, "{listed}");

    let threes = "3\n".repeat(40);
    let taken = ok_with(&dir, &["assess", "take", "attachment"], &threes);
    assert!(taken.contains("hearth assess share attachment"), "{taken}");
    let yes_no = "n\n".repeat(20);
    ok_with(&dir, &["assess", "take", "professional-help"], &yes_no);
    let ones = "1\n".repeat(40);
    ok_with(&dir, &["assess", "take", "love-languages"], &ones);

    // Too few answers, or one that does not fit, stop with the line.
    let ended = fails_with(&dir, &["assess", "take", "communication"], "2\n2\n");
    assert!(ended.contains("line 3"), "{ended}");
    let wrong = fails_with(&dir, &["assess", "take", "love-languages"], "7\n");
    assert!(wrong.contains("line 1") && wrong.contains("1-2"), "{wrong}");

    let listed = ok(&dir, &["assess"]);
    assert!(listed.contains("taken, kept to yourself"), "{listed}");
    ok(&dir, &["assess", "share", "attachment"]);
    assert!(ok(&dir, &["assess"]).contains("taken, shared"));
    let shown = ok(&dir, &["assess", "show", "attachment"]);
    assert!(shown.contains("Your result:"), "{shown}");
    assert!(shown.contains("has not shared"), "{shown}");
    ok(&dir, &["assess", "unshare", "attachment"]);
    assert!(!ok(&dir, &["assess"]).contains("taken, shared"));
    let untaken = ok(&dir, &["assess", "show", "communication"]);
    assert!(
        untaken.contains("hearth assess take communication"),
        "{untaken}"
    );
}

#[test]
fn a_game_round_keeps_the_answer_until_both_are_in() {
    let (_temp, dir) = profile();
    assert!(ok(&dir, &["game"]).contains("No rounds yet"));
    let started = ok(&dir, &["game", "start"]);
    let id = started
        .lines()
        .find_map(|l| l.strip_prefix("A new round. id: "))
        .unwrap()
        .to_owned();
    assert!(started.contains("Question for you:"), "{started}");
    let played = ok(&dir, &["game", "play", &id, "Lemon tart"]);
    assert!(played.contains("Your answer: Lemon tart"), "{played}");
    assert!(played.contains("has not written their guess"), "{played}");
    assert!(ok(&dir, &["game"]).contains(&id));
    // Guessing needs a partner to answer.
    let refused = fails(&dir, &["game", "start", "--guess"]);
    assert!(refused.contains("hearth pair"), "{refused}");
}

#[test]
fn the_check_in_today_asks_for_can_be_held_and_recorded() {
    let (_temp, dir) = profile();
    let today = ok(&dir, &["today"]);
    assert!(
        today.contains("check-in is due") && today.contains("hearth checkin"),
        "{today}"
    );
    let guide = ok(&dir, &["checkin"]);
    assert!(guide.contains("not held a check-in yet"), "{guide}");
    assert!(guide.contains("hearth checkin --held"), "{guide}");
    let held = ok(&dir, &["checkin", "--held", "--month", "4"]);
    assert!(held.contains("The next one is due on"), "{held}");
    assert!(!ok(&dir, &["today"]).contains("check-in is due"));
    assert!(ok(&dir, &["checkin"]).contains("Your last check-in was on"));
}

#[test]
fn the_library_filters_by_barrier_and_kind_and_choices_can_be_read_back() {
    let (_temp, dir) = profile();
    let rituals = ok(&dir, &["exercises", "--kind", "ritual"]);
    assert!(
        rituals.lines().filter(|l| l.contains(", ritual)")).count() > 1,
        "{rituals}"
    );
    assert!(!rituals.contains(", conversation)"), "{rituals}");
    let hurt = ok(&dir, &["exercises", "--barrier", "past-hurt"]);
    assert!(hurt.contains("exercise(s)"), "{hurt}");
    let refused = fails(&dir, &["exercises", "--barrier", "money"]);
    assert!(refused.contains("past-hurt"), "{refused}");

    assert!(ok(&dir, &["opt-in"]).contains("You have not said yes"));
    assert!(ok(&dir, &["opt-in", "yes"]).contains("until your partner says yes too"));
    assert!(ok(&dir, &["opt-in"]).contains("until your partner says yes too"));

    assert!(ok(&dir, &["safety", "--last"]).contains("There is no safety check"));
    let taken = ok_with(&dir, &["safety"], &"n\n".repeat(20));
    assert!(
        taken.contains("in this profile, on this computer") && !taken.contains("on this phone"),
        "{taken}"
    );
    let last = ok(&dir, &["safety", "--last"]);
    assert!(last.contains("Where to find help:"), "{last}");
}
