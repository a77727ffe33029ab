//! `hearth`: a terminal client on the Hearth core, for desktop users and
//! demos. Each profile is a data folder (`--data-dir`, or
//! `HEARTH_DATA_DIR`); two folders make two partners on one computer.
//!
//! Tests: `cargo test -p hearth` (they run the built binary on temporary
//! folders).
#![forbid(unsafe_code)]

mod args;
mod error;
mod guidance;
mod journal;
mod profile;
mod render;

use std::io::{self, Write};
use std::process::ExitCode;

use clap::Parser;

use crate::args::{Cli, Command};
use crate::error::{CliError, Result};

fn main() -> ExitCode {
    let cli = Cli::parse();
    let stdout = io::stdout();
    let mut out = stdout.lock();
    match run(cli, &mut out).and_then(|()| Ok(out.flush()?)) {
        Ok(()) => ExitCode::SUCCESS,
        // The reader went away (`hearth list | head`): not a failure.
        Err(CliError::Output(e)) if e.kind() == io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

fn run(cli: Cli, out: &mut impl Write) -> Result<()> {
    let dir = profile::data_dir(cli.data_dir)?;
    match cli.command {
        Command::Init { name } => {
            let existed = profile::exists(&dir);
            let hearth = profile::create(&dir, name)?;
            let me = hearth.profile()?;
            if existed {
                writeln!(
                    out,
                    "This is {}'s Hearth profile, in {}.",
                    me.me.name,
                    dir.display()
                )?;
            } else {
                writeln!(
                    out,
                    "Created a Hearth profile for {} in {}.",
                    me.me.name,
                    dir.display()
                )?;
                writeln!(
                    out,
                    "Write your first entry with: hearth write \"what happened today\""
                )?;
            }
            writeln!(out, "device: {}", me.device_id)?;
            // The core's file key store restricts them to the owner on Unix.
            let readers = if cfg!(unix) {
                " that only your user can read"
            } else {
                ""
            };
            writeln!(
                out,
                "This device's keys are files in {}{readers}.",
                dir.join("keys").display()
            )?;
            Ok(())
        }
        Command::Write(args) => journal::write(&profile::open(&dir)?, args, out),
        Command::List(args) => journal::list(&profile::open(&dir)?, args, out),
        Command::Show { id } => journal::show(&profile::open(&dir)?, &id, out),
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
        Command::Comment { id, words } => journal::comment(&profile::open(&dir)?, &id, &words, out),
        Command::Export {
            format,
            out: file,
            force,
        } => journal::export(&profile::open(&dir)?, format, file.as_deref(), force, out),
        Command::Today { date } => guidance::today(&profile::open(&dir)?, date, out),
        Command::Exercises { id, dimension } => guidance::exercises(id.as_deref(), dimension, out),
    }
}
