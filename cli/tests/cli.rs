//! The `hearth` binary, run as a person would run it, on temporary folders.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failure

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

/// Runs `hearth` on profile folder `dir` with `args`, feeding `stdin`.
fn hearth_with_input(dir: &Path, args: &[&str], stdin: &str) -> Output {
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

fn hearth(dir: &Path, args: &[&str]) -> Output {
    hearth_with_input(dir, args, "")
}

/// Runs `hearth` and returns its output, failing the test if it failed.
fn ok(dir: &Path, args: &[&str]) -> String {
    let output = hearth(dir, args);
    assert!(
        output.status.success(),
        "hearth {args:?} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap()
}

/// Runs `hearth`, expects it to fail, and returns its error output.
fn fails(dir: &Path, args: &[&str]) -> String {
    let output = hearth(dir, args);
    assert!(
        !output.status.success(),
        "hearth {args:?} should have failed"
    );
    String::from_utf8(output.stderr).unwrap()
}

/// The id printed after "id: " on the last line that has one.
fn last_id(text: &str) -> String {
    text.lines()
        .rev()
        .find_map(|l| l.split("id: ").nth(1))
        .unwrap()
        .trim()
        .to_owned()
}

fn profile() -> (tempfile::TempDir, std::path::PathBuf) {
    let temp = tempfile::tempdir().unwrap();
    let dir = temp.path().join("ana");
    ok(&dir, &["init", "--name", "Ana"]);
    (temp, dir)
}

#[test]
fn commands_before_init_say_to_run_init() {
    let temp = tempfile::tempdir().unwrap();
    let dir = temp.path().join("nobody");
    let error = fails(&dir, &["list"]);
    assert!(error.contains("hearth init"), "{error}");
    assert!(!dir.exists(), "a failed command must not create the folder");
}

#[test]
fn init_creates_once_and_then_reports_the_profile() {
    let temp = tempfile::tempdir().unwrap();
    let dir = temp.path().join("ana");
    let first = ok(&dir, &["init", "--name", "Ana"]);
    assert!(
        first.contains("Created a Hearth profile for Ana"),
        "{first}"
    );
    let second = ok(&dir, &["init"]);
    assert!(second.contains("Ana's Hearth profile"), "{second}");
    let device = |s: &str| {
        s.lines()
            .find(|l| l.starts_with("device: "))
            .map(str::to_owned)
    };
    assert_eq!(device(&first), device(&second));
}

#[test]
fn write_list_search_show_and_delete() {
    let (_temp, dir) = profile();
    let saved = ok(
        &dir,
        &[
            "write",
            "--title",
            "Sunday",
            "--emotion",
            "grateful",
            "A picnic by the lake, and you brought the good cheese.",
        ],
    );
    let picnic = last_id(&saved);
    let piped = hearth_with_input(&dir, &["write", "--private"], "A quiet evening reading.\n");
    assert!(piped.status.success());
    let quiet = last_id(&String::from_utf8(piped.stdout).unwrap());

    let list = ok(&dir, &["list"]);
    assert!(
        list.contains("Sunday") && list.contains("feelings: grateful"),
        "{list}"
    );
    assert!(
        list.contains("A quiet evening reading.") && list.contains("(private)"),
        "{list}"
    );
    let shared_only = ok(&dir, &["list", "--shared"]);
    assert!(!shared_only.contains("quiet evening"), "{shared_only}");
    let by_feeling = ok(&dir, &["list", "--emotion", "grateful"]);
    assert!(by_feeling.contains(&picnic) && !by_feeling.contains(&quiet));

    let page = ok(&dir, &["list", "--limit", "1"]);
    let cursor = page.split("--after ").nth(1).unwrap().trim();
    let next = ok(&dir, &["list", "--limit", "1", "--after", cursor]);
    assert_ne!(last_id(&page), last_id(&next));

    let found = ok(&dir, &["search", "cheese"]);
    assert!(
        found.contains("[cheese]") && found.contains(&picnic),
        "{found}"
    );

    ok(&dir, &["react", &picnic, "heart"]);
    ok(&dir, &["comment", &picnic, "Best", "cheese", "ever."]);
    let shown = ok(&dir, &["show", &picnic]);
    assert!(shown.contains("Ana reacted: heart"), "{shown}");
    assert!(shown.contains("Best cheese ever."), "{shown}");
    let comment = shown
        .lines()
        .find_map(|l| l.trim().strip_prefix("comment id: "))
        .unwrap()
        .to_owned();
    assert!(ok(&dir, &["comment", &picnic, "--delete", &comment]).contains("Comment deleted."));
    assert!(!ok(&dir, &["show", &picnic]).contains("Best cheese ever."));
    // Words and --delete together are one too many.
    fails(&dir, &["comment", &picnic, "more", "--delete", &comment]);

    ok(&dir, &["delete", &picnic, "--yes"]);
    assert!(!ok(&dir, &["list"]).contains(&picnic));
    assert!(ok(&dir, &["search", "cheese"]).contains("No entries match"));
    let gone = fails(&dir, &["show", &picnic]);
    assert!(gone.contains("no journal entry"), "{gone}");
}

#[test]
fn delete_without_a_terminal_needs_yes() {
    let (_temp, dir) = profile();
    let id = last_id(&ok(&dir, &["write", "Keep me."]));
    let error = fails(&dir, &["delete", &id]);
    assert!(error.contains("--yes"), "{error}");
    assert!(ok(&dir, &["list"]).contains("Keep me."));
}

#[test]
fn bad_input_gets_a_clear_error_and_a_failing_exit() {
    let (_temp, dir) = profile();
    let emotion = fails(&dir, &["write", "--emotion", "meh", "text"]);
    assert!(emotion.contains("pick from joyful"), "{emotion}");
    let empty = hearth_with_input(&dir, &["write"], "   \n");
    assert!(!empty.status.success());
    assert!(String::from_utf8_lossy(&empty.stderr).contains("empty"));
    let date = fails(&dir, &["list", "--since", "last week"]);
    assert!(date.contains("YYYY-MM-DD"), "{date}");
    let question = fails(&dir, &["write", "--question", "q9999", "text"]);
    assert!(question.contains("no daily question"), "{question}");
    assert!(ok(&dir, &["list"]).contains("No entries yet"));
}

#[test]
fn export_to_a_private_file_and_refuse_to_overwrite() {
    let (temp, dir) = profile();
    ok(&dir, &["write", "We planted tomatoes."]);
    let file = temp.path().join("journal.json");
    let file_arg = file.to_str().unwrap();
    ok(&dir, &["export", "--format", "json", "--out", file_arg]);
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    assert!(json.to_string().contains("We planted tomatoes."));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        let mode = std::fs::metadata(&file).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    let again = fails(&dir, &["export", "--out", file_arg]);
    assert!(again.contains("--force"), "{again}");
    ok(
        &dir,
        &[
            "export", "--format", "markdown", "--out", file_arg, "--force",
        ],
    );
    assert!(
        std::fs::read_to_string(&file)
            .unwrap()
            .contains("We planted tomatoes.")
    );
    let markdown = ok(&dir, &["export"]);
    assert!(markdown.contains("We planted tomatoes."));
}

#[test]
fn today_is_stable_for_a_profile_and_day_and_links_answers() {
    let (_temp, dir) = profile();
    let first = ok(&dir, &["today", "--date", "2025-03-01"]);
    assert_eq!(first, ok(&dir, &["today", "--date", "2025-03-01"]));
    let question = first.lines().nth(2).unwrap().trim();
    assert!(question.ends_with('?'), "{first}");
    let id = first
        .split("--question ")
        .nth(1)
        .unwrap()
        .split_whitespace()
        .next()
        .unwrap();
    ok(
        &dir,
        &[
            "write",
            "--question",
            id,
            "Mostly by talking it through on a walk.",
        ],
    );
    assert!(ok(&dir, &["list"]).contains(&format!("about: {question}")));
}

#[test]
fn exercises_filter_by_dimension_and_show_steps() {
    let temp = tempfile::tempdir().unwrap();
    // The library needs no profile.
    let dir = temp.path().join("none");
    let all = ok(&dir, &["exercises"]);
    let dreams = ok(&dir, &["exercises", "--dimension", "dream"]);
    assert!(dreams.lines().count() < all.lines().count());
    let id = dreams.split_whitespace().next().unwrap();
    let full = ok(&dir, &["exercises", id]);
    assert!(
        full.contains(" 1. ") && full.contains("Afterwards, in the journal:"),
        "{full}"
    );
    let sexual = ok(&dir, &["exercises", "--dimension", "sexual"]);
    assert!(sexual.contains("once you have both opted in"), "{sexual}");
    let unknown = fails(&dir, &["exercises", "no-such-exercise"]);
    assert!(unknown.contains("hearth exercises"), "{unknown}");
}

#[test]
fn content_stats_counts_the_library_one_per_line() {
    let temp = tempfile::tempdir().unwrap();
    let text = ok(&temp.path().join("none"), &["content-stats"]);
    let counts: Vec<(&str, usize)> = text
        .lines()
        .map(|line| {
            let (label, n) = line.rsplit_once(": ").unwrap();
            (label, n.parse().unwrap())
        })
        .collect();
    assert_eq!(counts[0].0, "exercises");
    assert_eq!(counts[1].0, "questions");
    assert!(counts[0].1 >= 80 && counts[1].1 >= 365, "{text}");
    // As many exercise lines as `hearth exercises` lists without opt-ins,
    // plus the sexual-closeness ones it hides.
    let listed = ok(&temp.path().join("none"), &["exercises"]);
    let hidden = counts
        .iter()
        .find(|(label, _)| *label == "sensitive exercises")
        .unwrap()
        .1;
    let shown: usize = listed
        .lines()
        .last()
        .unwrap()
        .split(' ')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    assert_eq!(shown + hidden, counts[0].1);
    assert!(counts.iter().any(|(label, _)| *label == "barrier fears"));
}

#[test]
fn two_profiles_in_two_folders_stay_apart() {
    let temp = tempfile::tempdir().unwrap();
    let ana = temp.path().join("ana");
    let ben = temp.path().join("ben");
    ok(&ana, &["init", "--name", "Ana"]);
    ok(&ben, &["init", "--name", "Ben"]);
    ok(&ana, &["write", "Ana's words."]);
    assert!(ok(&ben, &["list"]).contains("No entries yet"));
    // --data-dir wins over the environment.
    let output = Command::new(env!("CARGO_BIN_EXE_hearth"))
        .env("HEARTH_DATA_DIR", &ben)
        .arg("--data-dir")
        .arg(&ana)
        .arg("list")
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&output.stdout).contains("Ana's words."));
}

#[test]
fn control_and_escape_characters_print_escaped() {
    let (_temp, dir) = profile();
    // As a partner's synced entry would arrive: the CLI prints what the
    // core holds, whoever wrote it.
    let saved = ok(
        &dir,
        &[
            "write",
            "--title",
            "\u{1b}]0;owned\u{7}",
            "before\u{1b}[2Jafter \u{9b}31m",
        ],
    );
    let id = last_id(&saved);
    for shown in [ok(&dir, &["show", &id]), ok(&dir, &["list"])] {
        assert!(!shown.contains('\u{1b}'), "an ESC reached the terminal");
        assert!(!shown.contains('\u{9b}'), "a CSI reached the terminal");
        assert!(!shown.contains('\u{7}'), "a BEL reached the terminal");
        assert!(shown.contains("\\x1b]0;owned\\x07"), "{shown}");
        assert!(shown.contains("before\\x1b[2Jafter \\u{9b}31m"), "{shown}");
    }
}

#[cfg(unix)]
#[test]
fn a_profile_is_readable_by_its_owner_only() {
    use std::os::unix::fs::PermissionsExt as _;
    let (_temp, dir) = profile();
    ok(&dir, &["write", "private words"]);
    let mode = |path: &Path| std::fs::metadata(path).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&dir), 0o700, "the profile folder");
    let mut files = 0;
    for entry in std::fs::read_dir(&dir).unwrap().flatten() {
        let path = entry.path();
        let expected = if path.is_dir() { 0o700 } else { 0o600 };
        assert_eq!(mode(&path), expected, "{}", path.display());
        files += 1;
    }
    assert!(files >= 2, "the database and the keys");
}

#[test]
fn small_slips_are_refused_or_said_out_loud() {
    let (_tmp, dir) = profile();
    // No page of nothing.
    assert!(fails(&dir, &["list", "--limit", "0"]).contains("0"));
    // A relay address with a password is refused, and the password is
    // never repeated back.
    let refused = fails(&dir, &["relay", "https://sam:hunter2@relay.example.org"]);
    assert!(refused.contains("user name or password"), "{refused}");
    assert!(!refused.contains("hunter2"));
    assert!(!ok(&dir, &["status"]).contains("hunter2"));
    // Tomorrow's question can wait.
    assert!(fails(&dir, &["answer", "--date", "2999-06-01", "Soon"]).contains("has not come yet"));
    // init never renames: it refuses and names the command that does.
    let refused = fails(&dir, &["init", "--name", "Robin"]);
    assert!(refused.contains("hearth rename"), "{refused}");
    assert!(ok(&dir, &["init"]).contains("Ana's Hearth profile"));
    assert!(ok(&dir, &["init", "--name", "Ana"]).contains("Ana's Hearth profile"));
    let renamed = ok(&dir, &["rename", "Robin"]);
    assert!(
        renamed.contains("Your name is now Robin (it was Ana)"),
        "{renamed}"
    );
    assert!(ok(&dir, &["status"]).contains("You: Robin"));
}

#[test]
fn the_couples_things_are_reachable_from_the_terminal() {
    let (_tmp, dir) = profile();
    let saved = ok(&dir, &["write", "--private", "Just for me."]);
    let id = last_id(&saved);
    assert!(ok(&dir, &["edit", &id, "Still just for me."]).contains("Saved your changes"));
    assert!(ok(&dir, &["show", &id]).contains("Still just for me."));
    assert!(ok(&dir, &["share", &id]).contains("once you pair"));

    let goal = last_id(&ok(&dir, &["goals", "add", "Walk", "on", "Sundays"]));
    assert!(ok(&dir, &["goals"]).contains("[idea] Walk on Sundays"));
    assert!(ok(&dir, &["goals", "aside", &goal]).contains("Set aside"));
    assert!(ok(&dir, &["goals"]).contains("[set aside] Walk on Sundays"));

    assert!(ok(&dir, &["dates"]).contains("Some ideas to start with"));
    ok(&dir, &["dates", "add", "Picnic"]);
    assert!(ok(&dir, &["dates", "draw"]).contains("From the jar: Picnic"));

    ok(&dir, &["thanks", "Tea", "without", "asking."]);
    assert!(ok(&dir, &["thanks"]).contains("Ana: Tea without asking."));

    assert!(ok(&dir, &["checkin"]).contains("hearth checkin --held"));
    assert!(ok(&dir, &["checkin", "--held", "--month", "4"]).contains("next one is due"));
    assert!(fails(&dir, &["checkin", "--held", "--month", "9"]).contains("9"));

    assert!(ok(&dir, &["programs", "join", "intimacy-30"]).contains("Joined"));
    assert!(ok(&dir, &["programs", "done", "intimacy-30", "1"]).contains("1 of 30"));
    assert!(ok(&dir, &["programs"]).contains("[joined]"));

    assert!(ok(&dir, &["opt-in", "yes"]).contains("until your partner says yes"));
}

#[test]
fn the_safety_check_stays_here_and_a_concern_brings_help() {
    let (_tmp, dir) = profile();
    let all_yes = "y\n".repeat(40);
    let output = hearth_with_input(&dir, &["safety"], &all_yes);
    assert!(output.status.success());
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(text.contains("Where to find help:"), "{text}");
    let cleared = ok(&dir, &["safety", "--clear"]);
    assert!(cleared.contains("stay paused"), "{cleared}");
    assert!(ok(&dir, &["safety", "--resume"]).contains("back on"));
    assert!(ok(&dir, &["safety", "--resources"]).contains("Where to find help:"));
}

#[test]
fn links_are_checked_by_the_core_and_refusals_name_a_command() {
    let (_temp, dir) = profile();
    let error = fails(&dir, &["write", "--exercise", "no-such-one", "We tried."]);
    assert!(
        error.contains("no-such-one") && error.contains("hearth exercises"),
        "{error}"
    );
    let error = fails(&dir, &["write", "--question", "q99999", "Hm."]);
    assert!(error.contains("hearth today"), "{error}");
    let shown = ok(&dir, &["list"]);
    assert!(shown.contains("No entries yet"), "{shown}");

    // One partner's yes does not show sexual content.
    ok(&dir, &["opt-in", "yes"]);
    let library = ok(&dir, &["exercises", "--dimension", "sexual"]);
    assert!(library.contains("No exercises to show"), "{library}");

    // A private entry takes no comment; the refusal says how to share it.
    let id = last_id(&ok(&dir, &["write", "--private", "Just for me."]));
    let error = fails(&dir, &["comment", &id, "nice"]);
    assert!(
        error.contains("hearth share") && !error.contains("phone"),
        "{error}"
    );
}

#[test]
fn help_groups_the_commands() {
    let temp = tempfile::tempdir().unwrap();
    let help = ok(temp.path(), &["--help"]);
    let headings: Vec<&str> = help
        .lines()
        .filter(|l| !l.starts_with(' ') && l.ends_with(':'))
        .collect();
    assert_eq!(
        headings,
        [
            "Journal:",
            "Today:",
            "Guidance:",
            "Partner and sync:",
            "Profile:",
            "More:",
            "Options:"
        ],
        "{help}"
    );
    let under = |heading: &str, command: &str| {
        let section = help.split(&format!("\n{heading}:\n")).nth(1).unwrap();
        let section = section.split("\n\n").next().unwrap();
        section
            .lines()
            .any(|l| l.trim_start().starts_with(&format!("{command} ")))
    };
    assert!(under("Journal", "write") && under("Today", "swap"));
    assert!(under("Guidance", "assess") && under("Partner and sync", "pair"));
    assert!(under("Profile", "rename"));
}
