//! The command line: every command, option and help text.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};
use hearth_core::content::taxonomy::{Barrier, Dimension};
use hearth_core::journal::emotion::Emotion;
use hearth_core::journal::reaction::Reaction;
use time::Date;

use crate::parse::{Kind, barrier, day, dimension, emotion, reaction};
use crate::us::{DateCommand, GoalCommand, ProgramCommand};

/// Hearth in a terminal: the couple journal, the question of the day,
/// exercises, assessments and programs, shared with your partner through
/// a relay.
#[derive(Debug, Parser)]
#[command(name = "hearth", version, propagate_version = true)]
pub struct Cli {
    /// The profile's data folder; use one folder per profile. Defaults to
    /// the platform's data folder (on Linux $XDG_DATA_HOME/hearth, else
    /// ~/.local/share/hearth).
    #[arg(long, global = true, env = "HEARTH_DATA_DIR", value_name = "DIR")]
    pub data_dir: Option<PathBuf>,

    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create a profile in the data folder, or show the one already there.
    Init {
        /// Your name, as your partner will see it.
        #[arg(long)]
        name: Option<String>,
    },
    /// Set up this computer as another device of yours, with the code
    /// `hearth devices link` shows on a device you already use.
    Link {
        /// The code, e.g. 7-river-lantern-moss.
        code: String,
        /// The relay your other device syncs through (`hearth status`
        /// shows it there).
        #[arg(long)]
        relay: String,
        /// A name for this device, shown to both of you, e.g. laptop.
        #[arg(long)]
        label: Option<String>,
    },
    /// Set up this computer as your device again after you lost every
    /// device of yours, with the code `hearth devices let-in` shows on your
    /// partner's device. Your lost devices are removed.
    Rejoin {
        /// The code, e.g. 7-river-lantern-moss.
        code: String,
        /// The relay your partner's device syncs through (`hearth status`
        /// shows it there).
        #[arg(long)]
        relay: String,
        /// A name for this device, shown to both of you, e.g. laptop.
        #[arg(long)]
        label: Option<String>,
    },
    /// Change your name, as your partner sees it.
    Rename {
        /// Your new name.
        name: String,
    },
    /// After your shared space closed: keep this profile, read-only, in a
    /// folder of its own and start afresh here, ready to pair again.
    NewSpace {
        /// Start afresh without asking first.
        #[arg(long, short = 'y')]
        yes: bool,
    },
    /// Start a new, unpaired profile when the one in the data folder is
    /// damaged. Its files are moved into a set-aside folder, not deleted.
    StartOver {
        /// Your name, as your partner will see it.
        #[arg(long)]
        name: Option<String>,
        /// Start over without asking first.
        #[arg(long, short = 'y')]
        yes: bool,
    },
    /// Write a journal entry. The text comes from the arguments, or from
    /// standard input when there are none.
    Write(WriteArgs),
    /// List journal entries, newest first.
    List(ListArgs),
    /// Change the text (and, with --title, the title) of one of your
    /// entries. The text comes from the arguments, or from standard input.
    Edit {
        /// The entry's id (ids may start with a dash).
        #[arg(allow_hyphen_values = true)]
        id: String,
        /// A new title.
        #[arg(long)]
        title: Option<String>,
        /// The new text.
        words: Vec<String>,
    },
    /// Share one of your private entries with your partner.
    Share {
        /// The entry's id (ids may start with a dash).
        #[arg(allow_hyphen_values = true)]
        id: String,
    },
    /// Make one of your shared entries private again: it leaves your
    /// partner's journal at the next sync.
    Unshare {
        /// The entry's id (ids may start with a dash).
        #[arg(allow_hyphen_values = true)]
        id: String,
    },
    /// Your goals as a couple; with a subcommand, add, pick, finish or set
    /// one aside.
    Goals {
        #[command(subcommand)]
        command: Option<GoalCommand>,
    },
    /// The date jar; with a subcommand, add an idea, draw one, or mark one
    /// done.
    Dates {
        #[command(subcommand)]
        command: Option<DateCommand>,
    },
    /// Write a note of appreciation to your partner; with no words, show
    /// the notes so far.
    Thanks {
        /// What you appreciate.
        words: Vec<String>,
    },
    /// The monthly check-in: the guide to hold it by, or with --held,
    /// record that you held it.
    Checkin {
        /// Record that you held it today.
        #[arg(long)]
        held: bool,
        /// How the month was for you, from 1 (hard) to 5 (good).
        #[arg(long, requires = "held", value_parser = clap::value_parser!(u32).range(1..=5))]
        month: Option<u32>,
    },
    /// The 30-day programs; with a subcommand, join, leave or mark a day done.
    Programs {
        #[command(subcommand)]
        command: Option<ProgramCommand>,
    },
    /// The safety check, on this computer only: a few yes-or-no questions
    /// (asked here, or read one per line from standard input), and where
    /// to find help. Nothing of it is synced or shown to your partner.
    Safety {
        /// Only show where to find help.
        #[arg(long, conflicts_with_all = ["clear", "resume"])]
        resources: bool,
        /// Erase the check from this profile.
        #[arg(long, conflicts_with = "resume")]
        clear: bool,
        /// Turn suggestions to grow closer back on after a concern.
        #[arg(long, conflicts_with = "last")]
        resume: bool,
        /// Show what your last check said, without asking again.
        #[arg(long, conflicts_with_all = ["resources", "clear"])]
        last: bool,
    },
    /// Your choice about sexual content: it shows only when you both say yes.
    OptIn {
        /// yes or no; without it, where your choices stand.
        #[arg(value_parser = ["yes", "no"])]
        choice: Option<String>,
    },
    /// Show one entry with its reactions and comments.
    Show {
        /// The entry's id, as `hearth list` prints it.
        #[arg(allow_hyphen_values = true)]
        id: String,
    },
    /// Search the titles and texts of your entries.
    Search {
        /// The words to look for.
        #[arg(required = true)]
        words: Vec<String>,
        /// The most results to show (1 to 200).
        #[arg(long, default_value_t = 20, value_parser = clap::value_parser!(u32).range(1..=200))]
        limit: u32,
    },
    /// Delete an entry, here and (once paired) from your partner's journal.
    /// Its words are erased from this profile's files.
    Delete {
        /// The entry's id (ids may start with a dash).
        #[arg(allow_hyphen_values = true)]
        id: String,
        /// Delete without asking first.
        #[arg(long, short = 'y')]
        yes: bool,
    },
    /// React to an entry, or take your reaction back with --clear.
    React {
        /// The entry's id (ids may start with a dash).
        #[arg(allow_hyphen_values = true)]
        id: String,
        /// The reaction: heart, hug, laugh, thanks, proud or here_for_you.
        #[arg(value_parser = reaction, required_unless_present = "clear")]
        reaction: Option<Reaction>,
        /// Remove your reaction.
        #[arg(long, conflicts_with = "reaction")]
        clear: bool,
    },
    /// Comment on a shared entry, or with --delete take back one of your
    /// comments.
    Comment {
        /// The entry's id (ids may start with a dash).
        #[arg(allow_hyphen_values = true)]
        id: String,
        /// What you want to say.
        #[arg(required_unless_present = "delete", conflicts_with = "delete")]
        words: Vec<String>,
        /// Delete your comment with this id (`hearth show` prints it).
        #[arg(long, value_name = "COMMENT_ID", allow_hyphen_values = true)]
        delete: Option<String>,
    },
    /// Restore a JSON export into a new profile (after losing a device);
    /// the restored profile can then pair again.
    Import {
        /// The export (`hearth export --format json`).
        #[arg(value_name = "FILE")]
        file: PathBuf,
    },
    /// Export everything you can see (JSON, which `hearth import` restores)
    /// or the journal (Markdown), to standard output or a file.
    Export {
        /// The format.
        #[arg(long, value_enum, default_value_t = ExportFormat::Markdown)]
        format: ExportFormat,
        /// Write to this file (readable only by you) instead of the screen.
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
        /// Replace the file if it exists.
        #[arg(long, requires = "out")]
        force: bool,
        /// Also your safety check and its pause on closeness suggestions
        /// (JSON only; left out unless you ask).
        #[arg(long)]
        include_safety: bool,
    },
    /// Today: the question of the day and both answers, your programs'
    /// next steps, and a suggestion.
    Today {
        /// Another day (YYYY-MM-DD); default today, on this computer's
        /// calendar.
        #[arg(long, value_parser = day)]
        date: Option<Date>,
    },
    /// Answer the question of the day (again, to change your answer).
    /// Your partner's answer shows once you have answered.
    Answer {
        /// Your answer.
        #[arg(required = true)]
        words: Vec<String>,
        /// Answer another day's question (YYYY-MM-DD).
        #[arg(long, value_parser = day)]
        date: Option<Date>,
    },
    /// Swap the day's question for another; your partner gets the same one.
    Swap {
        /// Another day (YYYY-MM-DD); default today.
        #[arg(long, value_parser = day)]
        date: Option<Date>,
    },
    /// Exercises picked for the two of you, each with its reason.
    Suggestions {
        /// How many to show (1 to 20).
        #[arg(long, default_value_t = 5, value_parser = clap::value_parser!(u32).range(1..=20))]
        limit: u32,
    },
    /// A turn-based listening drill with your partner; with no
    /// subcommand, the drills under way.
    Drill {
        #[command(subcommand)]
        command: Option<crate::drill::DrillCommand>,
    },
    /// The assessments: take one, read your result, share it; with no
    /// subcommand, which ones you have taken.
    Assess {
        #[command(subcommand)]
        command: Option<crate::assess::AssessCommand>,
    },
    /// The know-each-other game: one answers, the other guesses; with no
    /// subcommand, the rounds so far.
    Game {
        #[command(subcommand)]
        command: Option<crate::game::GameCommand>,
    },
    /// Set the relay this profile syncs through, e.g.
    /// https://relay.example.org (run one with `cargo run -p hearth-relay`).
    Relay {
        /// The relay's address.
        url: String,
    },
    /// Pair with your partner: one of you creates a code, the other joins
    /// with it.
    #[command(subcommand)]
    Pair(PairCommand),
    /// Send your changes and fetch your partner's, once; or with --live,
    /// keep syncing until Ctrl-C.
    Sync {
        /// Keep syncing and print what arrives, until Ctrl-C.
        #[arg(long)]
        live: bool,
    },
    /// Where sync stands: your partner, the relay, the last sync, changes
    /// waiting to be sent.
    Status,
    /// The devices of both of you, with their safety numbers; `link` adds
    /// another device of yours, `remove ID` removes one (a lost phone),
    /// `let-in` lets your partner back in after they lost every device.
    Devices {
        #[command(subcommand)]
        command: Option<DevicesCommand>,
    },
    /// Leave the shared space: the relay erases it, and both of you keep
    /// your copy of the journal, read-only.
    Leave {
        /// Leave without asking first.
        #[arg(long, short = 'y')]
        yes: bool,
    },
    /// Show Hearth working end to end in seconds: two partners on this
    /// computer pair through a relay started here, write while offline,
    /// sync, and end with the same journal. Touches no profile of yours.
    Demo,
    /// Browse the exercise library, show one exercise in full, or note
    /// that you did or skipped one.
    Exercises {
        /// Show this exercise's steps.
        id: Option<String>,
        /// Note that you did this exercise (kept in this profile; it
        /// shapes suggestions).
        #[arg(long, requires = "id", group = "log")]
        done: bool,
        /// Note that you skipped this exercise.
        #[arg(long, requires = "id", group = "log")]
        skipped: bool,
        /// The day you did or skipped it (YYYY-MM-DD); default today.
        #[arg(long, value_parser = day, requires = "log")]
        date: Option<Date>,
        /// Only exercises serving this kind of closeness: emotional,
        /// physical, sexual, intellectual, experiential, spiritual,
        /// conflict, dream or self.
        #[arg(long, value_parser = dimension, conflicts_with = "id")]
        dimension: Option<Dimension>,
        /// Only exercises that help with this: neglect, broken-trust,
        /// poor-communication, outside-stress, mismatched-needs, fears,
        /// unhelpful-beliefs, past-hurt, unfair-load, honeymoon-end or
        /// mental-health.
        #[arg(long, value_parser = barrier, conflicts_with = "id")]
        barrier: Option<Barrier>,
        /// Only exercises of this kind.
        #[arg(long, value_enum, conflicts_with = "id")]
        kind: Option<Kind>,
    },
    /// Count the built-in content, one `label: count` per line: exercises,
    /// questions, exercises per dimension and per barrier, then the rest.
    ContentStats,
}

/// `hearth devices`.
#[derive(Debug, Subcommand)]
pub enum DevicesCommand {
    /// Show a code to type on a new device of yours (`hearth link CODE`),
    /// wait for it, then show the number both devices must agree on.
    Link,
    /// Your partner lost every device of theirs: show a code to type on
    /// their new device (`hearth rejoin CODE`), wait, then show the number
    /// both devices must agree on. Their lost devices are removed.
    LetIn,
    /// Remove one of your own other devices from the shared space: the
    /// relay refuses it from then on.
    Remove {
        /// The device's id, as `hearth devices` shows it (an id may begin
        /// with `-`).
        #[arg(allow_hyphen_values = true)]
        id: String,
        /// Remove without asking first.
        #[arg(long, short = 'y')]
        yes: bool,
    },
}

/// `hearth pair`.
#[derive(Debug, Subcommand)]
pub enum PairCommand {
    /// Show a code for your partner to type, wait for them, then show the
    /// safety number to compare.
    Create,
    /// Join your partner with the code they show you.
    Join {
        /// The code, e.g. 7-river-lantern-moss.
        code: String,
    },
}

/// `hearth write`.
#[derive(Debug, Args)]
pub struct WriteArgs {
    /// The entry's text; read from standard input when left out.
    pub words: Vec<String>,
    /// A title.
    #[arg(long)]
    pub title: Option<String>,
    /// A feeling to name on the entry; repeat for more (e.g. --emotion
    /// grateful --emotion calm).
    #[arg(long = "emotion", value_parser = emotion, value_name = "EMOTION")]
    pub emotions: Vec<Emotion>,
    /// Keep the entry on this device only; it never syncs.
    #[arg(long)]
    pub private: bool,
    /// Write about a daily question (its id, as `hearth today` prints it).
    #[arg(long, value_name = "QUESTION_ID", conflicts_with = "exercise")]
    pub question: Option<String>,
    /// Write about an exercise (its id, as `hearth exercises` prints it).
    #[arg(long, value_name = "EXERCISE_ID")]
    pub exercise: Option<String>,
}

/// `hearth list`.
#[derive(Debug, Args)]
pub struct ListArgs {
    /// Only entries you wrote.
    #[arg(long, conflicts_with = "partner")]
    pub mine: bool,
    /// Only entries your partner wrote.
    #[arg(long)]
    pub partner: bool,
    /// Only entries naming this feeling.
    #[arg(long, value_parser = emotion)]
    pub emotion: Option<Emotion>,
    /// Only private entries.
    #[arg(long, conflicts_with = "shared")]
    pub private: bool,
    /// Only shared entries.
    #[arg(long)]
    pub shared: bool,
    /// Only entries written on or after this day (YYYY-MM-DD, UTC).
    #[arg(long, value_parser = day)]
    pub since: Option<Date>,
    /// Only entries written on or before this day (YYYY-MM-DD, UTC).
    #[arg(long, value_parser = day)]
    pub until: Option<Date>,
    /// Entries per page (1 to 200).
    #[arg(long, default_value_t = 20, value_parser = clap::value_parser!(u32).range(1..=200))]
    pub limit: u32,
    /// Continue after a previous page (the cursor it printed).
    #[arg(long, value_name = "CURSOR")]
    pub after: Option<String>,
}

/// Export formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExportFormat {
    /// Structured, for other programs.
    Json,
    /// Readable, for people.
    Markdown,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entry_ids_may_start_with_a_dash() {
        // Ids are URL-safe base64, so about one in 64 starts with '-'.
        for args in [
            &["hearth", "react", "-abc", "heart"][..],
            &["hearth", "delete", "-abc", "--yes"],
            &["hearth", "show", "-abc"],
            &["hearth", "comment", "-abc", "nice"],
            &["hearth", "devices", "remove", "-abc"],
            &["hearth", "goals", "done", "-abc"],
            &["hearth", "dates", "done", "-abc"],
        ] {
            let cli = Cli::try_parse_from(args).unwrap();
            let id = match cli.command {
                Command::React { id, .. }
                | Command::Delete { id, .. }
                | Command::Show { id }
                | Command::Comment { id, .. }
                | Command::Devices {
                    command: Some(DevicesCommand::Remove { id, .. }),
                }
                | Command::Goals {
                    command: Some(GoalCommand::Done { id }),
                }
                | Command::Dates {
                    command: Some(DateCommand::Done { id }),
                } => id,
                other => panic!("parsed as {other:?}"),
            };
            assert_eq!(id, "-abc");
        }
    }

    #[test]
    fn the_command_line_is_consistent() {
        use clap::CommandFactory;
        Cli::command().debug_assert();
    }
}
