//! What can go wrong in the CLI. Each message says what happened and what
//! to do; none repeats what was written in the journal.

use std::io;
use std::path::PathBuf;

use hearth_core::content::ContentError;

/// A failed command.
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    /// The core refused or failed, said in a terminal's words.
    #[error("{}", crate::words::core_error(.0))]
    Core(#[from] hearth_core::Error),
    /// The built-in library content could not be loaded.
    #[error(transparent)]
    Content(#[from] ContentError),
    /// The data folder holds no profile yet.
    #[error(
        "there is no Hearth profile in {}: run `hearth init` first, or point --data-dir at an existing profile",
        .0.display()
    )]
    NoProfile(PathBuf),
    /// `init --name` on a profile that has another name.
    #[error(
        "this profile is already {name}'s, and init never renames it: to change your name, run `hearth rename \"{asked}\"`"
    )]
    AlreadyNamed {
        /// The profile's name.
        name: String,
        /// The name asked for.
        asked: String,
    },
    /// No data folder was given and none could be derived.
    #[error(
        "could not tell where to keep Hearth's data: set HOME (or XDG_DATA_HOME), or pass --data-dir"
    )]
    NoDataDir,
    /// Reading the entry text from standard input failed.
    #[error("could not read the text from standard input ({0})")]
    Stdin(#[source] io::Error),
    /// Standard input ended before every question had an answer.
    #[error(
        "the answers ended at line {line} before every question had one: give one answer per line"
    )]
    AnswersEnded {
        /// The line that was missing.
        line: usize,
    },
    /// An answer read from standard input does not fit its question.
    #[error("the answer on line {line} does not fit: answer {expected}")]
    AnswerDoesNotFit {
        /// The line.
        line: usize,
        /// What fits, e.g. "1-5".
        expected: String,
    },
    /// The export file is already there.
    #[error("{} already exists: choose another file, or add --force to replace it", .0.display())]
    OutputExists(PathBuf),
    /// Writing a file failed.
    #[error("could not write {}: {source}", path.display())]
    WriteFile {
        /// The file.
        path: PathBuf,
        /// Why.
        #[source]
        source: io::Error,
    },
    /// Writing to the terminal failed.
    #[error("could not print the result ({0})")]
    Output(#[from] io::Error),
    /// A destructive command ran without a terminal to confirm on.
    #[error("{0} cannot be undone, so it needs a yes: run the command again with --yes")]
    NeedsConfirmation(&'static str),
    /// The async runtime for network work could not start.
    #[error("could not start the network runtime ({0}); check the system's thread limits")]
    Runtime(#[source] io::Error),
    /// The demo's relay could not start or stop.
    #[error("the demo's relay failed ({0})")]
    DemoRelay(#[from] hearth_relay::RelayError),
    /// The demo's temporary folders could not be made.
    #[error("could not make the demo's temporary folders ({0})")]
    DemoFolder(#[source] io::Error),
    /// None of the demo's canned answers fits a question of the bank.
    #[error(
        "the demo found no question it has answers for; this is a bug in Hearth, please report it"
    )]
    DemoQuestion,
    /// The demo ended with two different journals: a defect.
    #[error("the two journals differ after syncing; this is a bug in Hearth, please report it")]
    DemoDiverged,
}

/// Result with [`CliError`].
pub type Result<T, E = CliError> = std::result::Result<T, E>;
