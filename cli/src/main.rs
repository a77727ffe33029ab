//! `hearth`: a terminal client on the Hearth core, for desktop users and
//! demos. Each profile is a data folder (`--data-dir`, or
//! `HEARTH_DATA_DIR`); two folders make two partners on one computer, and
//! they pair and sync through a relay (`hearth relay URL`, `hearth pair`,
//! `hearth sync`). `hearth export --format json` saves everything and
//! `hearth import FILE` restores it into a new profile (`import.rs`).
//! `hearth demo` shows it all in seconds, relay included.
//!
//! Tests: `cargo test -p hearth` (they run the built binary on temporary
//! folders).
#![forbid(unsafe_code)]

mod args;
mod ask;
mod assess;
mod confirm;
mod demo;
mod devices;
mod drill;
mod error;
mod exercises;
mod game;
mod help;
mod import;
mod journal;
mod parse;
mod profile;
mod render;
mod safety;
mod setup;
mod sync;
mod terminal;
mod today;
mod us;
mod words;

use std::io::{self, Write};
use std::process::ExitCode;

use clap::FromArgMatches;

use time::{Date, OffsetDateTime};

use crate::args::{Cli, Command, PairCommand};
use crate::error::{CliError, Result};
use crate::sync::block_on;

fn main() -> ExitCode {
    // Read the local offset first: the `time` crate can only while this
    // process has a single thread.
    let today = local_today();
    let cli = Cli::from_arg_matches(&help::command().get_matches()).unwrap_or_else(|e| e.exit());
    let stdout = io::stdout();
    // Nothing a partner wrote reaches the terminal raw.
    let mut out = terminal::Escaped::new(stdout.lock());
    match run(cli, today, &mut out).and_then(|()| Ok(out.flush()?)) {
        Ok(()) => ExitCode::SUCCESS,
        // The reader went away (`hearth list | head`): not a failure.
        Err(CliError::Output(e)) if e.kind() == io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

/// Today on this computer's calendar (UTC if its offset is unknown): the
/// daily question follows the person's own day.
fn local_today() -> Date {
    OffsetDateTime::now_local()
        .unwrap_or_else(|_| OffsetDateTime::now_utc())
        .date()
}

fn run(cli: Cli, today: Date, out: &mut impl Write) -> Result<()> {
    // The demo makes its own profiles and the library needs none.
    match cli.command {
        Command::Demo => return block_on(demo::run(out)),
        Command::Exercises {
            id,
            dimension,
            barrier,
            kind,
            done,
            skipped,
            date,
        } => {
            let filter = hearth_core::ExerciseFilter {
                dimension,
                barrier,
                kind: kind.map(parse::Kind::core),
            };
            let log = (done || skipped).then(|| exercises::Log {
                done,
                day: date.unwrap_or(today),
            });
            return exercises::run(cli.data_dir, id.as_deref(), &filter, log, out);
        }
        Command::ContentStats => return exercises::content_stats(out),
        _ => {}
    }
    let dir = profile::data_dir(cli.data_dir)?;
    match cli.command {
        Command::Init { name } => setup::init(&dir, name, out),
        Command::Link { code, relay, label } => block_on(devices::link_here(
            devices::Joining::Link,
            &dir,
            (&code, &relay),
            label.as_deref(),
            out,
        )),
        Command::Rejoin { code, relay, label } => block_on(devices::link_here(
            devices::Joining::Rejoin,
            &dir,
            (&code, &relay),
            label.as_deref(),
            out,
        )),
        Command::Rename { name } => setup::rename(&dir, &name, out),
        Command::StartOver { name, yes } => setup::start_over(&dir, name, yes, out),
        Command::NewSpace { yes } => setup::new_space(&dir, yes, out),
        Command::Write(args) => journal::write(&profile::open(&dir)?, args, out),
        Command::List(args) => journal::list(&profile::open(&dir)?, args, out),
        Command::Show { id } => journal::show(&profile::open(&dir)?, &id, out),
        Command::Edit { id, title, words } => {
            journal::edit(&profile::open(&dir)?, &id, title, &words, out)
        }
        Command::Share { id } => journal::set_shared(&profile::open(&dir)?, &id, true, out),
        Command::Unshare { id } => journal::set_shared(&profile::open(&dir)?, &id, false, out),
        Command::Goals { command } => us::goals(&profile::open(&dir)?, command, out),
        Command::Dates { command } => us::dates(&profile::open(&dir)?, command, today, out),
        Command::Thanks { words } => us::thanks(&profile::open(&dir)?, &words, out),
        Command::Checkin { held, month } => {
            us::checkin(&profile::open(&dir)?, held, month, today, out)
        }
        Command::Programs { command } => us::programs(&profile::open(&dir)?, command, today, out),
        Command::Safety {
            resources,
            clear,
            resume,
            last,
        } => {
            let ask = match (resources, clear, resume, last) {
                (true, ..) => safety::Ask::Resources,
                (_, true, ..) => safety::Ask::Clear,
                (_, _, true, _) => safety::Ask::Resume,
                (.., true) => safety::Ask::Last,
                _ => safety::Ask::Take,
            };
            safety::safety(&profile::open(&dir)?, ask, out)
        }
        Command::OptIn { choice } => {
            us::opt_in(&profile::open(&dir)?, choice.map(|c| c == "yes"), out)
        }
        Command::Search { words, limit } => {
            journal::search(&profile::open(&dir)?, &words, limit, out)
        }
        Command::Delete { id, yes } => journal::delete(&profile::open(&dir)?, &id, yes, out),
        Command::React {
            id,
            reaction,
            clear,
        } => {
            let reaction = if clear { None } else { reaction };
            journal::react(&profile::open(&dir)?, &id, reaction, out)
        }
        Command::Comment { id, words, delete } => match delete {
            Some(comment) => journal::uncomment(&profile::open(&dir)?, &id, &comment, out),
            None => journal::comment(&profile::open(&dir)?, &id, &words, out),
        },
        Command::Import { file } => import::import(&dir, &file, out),
        Command::Export {
            format,
            out: file,
            force,
            include_safety,
        } => {
            let options = hearth_core::ExportOptions { include_safety };
            let hearth = profile::open(&dir)?;
            journal::export(&hearth, format, options, file.as_deref(), force, out)
        }
        Command::Today { date } => {
            today::today(&profile::open(&dir)?, today::Day::from(date, today), out)
        }
        Command::Answer { words, date } => today::answer(
            &profile::open(&dir)?,
            today::Day::from(date, today),
            &words,
            out,
        ),
        Command::Swap { date } => {
            today::swap(&profile::open(&dir)?, today::Day::from(date, today), out)
        }
        Command::Suggestions { limit } => {
            today::suggestions(&profile::open(&dir)?, today, limit, out)
        }
        Command::Drill { command } => drill::drill(&profile::open(&dir)?, command, out),
        Command::Assess { command } => assess::assess(&profile::open(&dir)?, command, out),
        Command::Game { command } => game::game(&profile::open(&dir)?, command, out),
        Command::Relay { url } => sync::relay(&profile::open(&dir)?, &url, out),
        Command::Pair(PairCommand::Create) => {
            let hearth = profile::open(&dir)?;
            block_on(sync::pair_create(&hearth, out))
        }
        Command::Pair(PairCommand::Join { code }) => {
            let hearth = profile::open(&dir)?;
            block_on(sync::pair_join(&hearth, &code, out))
        }
        Command::Sync { live } => {
            let hearth = profile::open(&dir)?;
            if live {
                block_on(sync::sync_live(&hearth, out))
            } else {
                block_on(sync::sync_once(&hearth, out))
            }
        }
        Command::Status => sync::status(&profile::open(&dir)?, out),
        Command::Devices { command: None } => devices::list(&profile::open(&dir)?, out),
        Command::Devices {
            command: Some(args::DevicesCommand::Link),
        } => {
            let hearth = profile::open(&dir)?;
            block_on(devices::link(&hearth, devices::Joining::Link, out))
        }
        Command::Devices {
            command: Some(args::DevicesCommand::LetIn),
        } => {
            let hearth = profile::open(&dir)?;
            block_on(devices::link(&hearth, devices::Joining::Rejoin, out))
        }
        Command::Devices {
            command: Some(args::DevicesCommand::Remove { id, yes }),
        } => {
            let hearth = profile::open(&dir)?;
            block_on(devices::remove(&hearth, &id, yes, out))
        }
        Command::Leave { yes } => {
            let hearth = profile::open(&dir)?;
            block_on(sync::leave(&hearth, yes, out))
        }
        // Handled above, before a profile is needed.
        Command::Demo | Command::Exercises { .. } | Command::ContentStats => Ok(()),
    }
}
