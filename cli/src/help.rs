//! `hearth --help`: the commands in groups, in the order a person meets
//! them. clap lists subcommands under one heading only, so the listing is
//! made here from each command's own one-line help and put into clap's
//! help template.

use clap::{Command, CommandFactory};

use crate::args::Cli;

/// The groups, each with its commands in the order shown.
pub const GROUPS: [(&str, &[&str]); 6] = [
    (
        "Journal",
        &[
            "write", "list", "show", "search", "edit", "share", "unshare", "delete", "react",
            "comment", "export",
        ],
    ),
    (
        "Today",
        &["today", "answer", "swap", "suggestions", "checkin"],
    ),
    (
        "Guidance",
        &[
            "exercises",
            "drill",
            "assess",
            "programs",
            "game",
            "goals",
            "dates",
            "thanks",
            "safety",
        ],
    ),
    (
        "Partner and sync",
        &[
            "relay",
            "pair",
            "sync",
            "status",
            "devices",
            "leave",
            "new-space",
        ],
    ),
    (
        "Profile",
        &[
            "init",
            "link",
            "rejoin",
            "rename",
            "opt-in",
            "import",
            "start-over",
        ],
    ),
    ("More", &["demo", "content-stats", "help"]),
];

/// The command line, its help grouped.
pub fn command() -> Command {
    let mut cli = Cli::command();
    // `help` is added when the command is built; build it so it is listed.
    cli.build();
    let listing = listing(&cli);
    cli.after_help("A command's details and options: hearth help COMMAND")
        .help_template(format!(
        "{{before-help}}{{about-with-newline}}\n{{usage-heading}} {{usage}}\n\n{listing}Options:\n{{options}}{{after-help}}"
    ))
}

/// Each group's heading and its commands with their one-line help.
fn listing(cli: &Command) -> String {
    let width = GROUPS
        .iter()
        .flat_map(|(_, names)| names.iter())
        .map(|n| n.len())
        .max()
        .unwrap_or(0);
    let mut text = String::new();
    for (heading, names) in GROUPS {
        text.push_str(heading);
        text.push_str(":\n");
        for name in names {
            let about = cli
                .find_subcommand(name)
                .and_then(|c| c.get_about())
                .map(|a| first_sentence(&a.to_string()))
                .unwrap_or_default();
            text.push_str(&format!("  {name:<width$}  {about}\n"));
        }
        text.push('\n');
    }
    text
}

/// The first sentence: the overview stays one line a command; `hearth
/// help COMMAND` has the rest.
fn first_sentence(text: &str) -> String {
    // A sentence ends at ". " before a capital letter ("e.g. https" does not).
    let end = text.match_indices(". ").map(|(at, _)| at).find(|&at| {
        text[at + 2..]
            .chars()
            .next()
            .is_some_and(char::is_uppercase)
    });
    end.map_or(text, |at| &text[..at]).to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_overview_keeps_the_first_sentence() {
        assert_eq!(
            first_sentence("Write an entry. The text comes"),
            "Write an entry"
        );
        assert_eq!(
            first_sentence("Set the relay, e.g. https://relay.example.org (run one)"),
            "Set the relay, e.g. https://relay.example.org (run one)"
        );
    }

    #[test]
    fn every_command_is_in_exactly_one_group() {
        let mut cli = Cli::command();
        cli.build();
        let mut grouped: Vec<&str> = GROUPS.iter().flat_map(|(_, n)| n.iter().copied()).collect();
        grouped.sort_unstable();
        let before = grouped.len();
        grouped.dedup();
        assert_eq!(before, grouped.len(), "a command is in two groups");
        let mut commands: Vec<&str> = cli.get_subcommands().map(|c| c.get_name()).collect();
        commands.sort_unstable();
        assert_eq!(grouped, commands);
    }

    #[test]
    fn the_help_lists_the_groups_in_order() {
        let help = command().render_help().to_string();
        let mut at = 0;
        for (heading, names) in GROUPS {
            let found = help[at..]
                .find(&format!("\n{heading}:\n"))
                .unwrap_or_else(|| panic!("{heading} missing or out of order:\n{help}"));
            at += found;
            for name in names {
                assert!(
                    help[at..].contains(&format!("\n  {name} ")),
                    "{name} not under {heading}:\n{help}"
                );
            }
        }
        assert!(help.contains("Options:\n"), "{help}");
        assert!(help.contains("--data-dir"), "{help}");
    }
}
