//! The profile commands: make one (`init`), change your name (`rename`),
//! and start over when the files are damaged (`start-over`).

use std::io::Write;
use std::path::Path;

use crate::confirm;
use crate::error::{CliError, Result};
use crate::profile;

/// `hearth init`: creates the profile, or shows the one already there. It
/// never renames: a different --name on an existing profile is refused
/// and points to `hearth rename`.
pub fn init(dir: &Path, name: Option<String>, out: &mut impl Write) -> Result<()> {
    if profile::exists(dir) {
        let hearth = profile::open(dir)?;
        let me = hearth.profile()?;
        if let Some(asked) = name.filter(|n| n.trim() != me.me.name) {
            return Err(CliError::AlreadyNamed {
                name: me.me.name,
                asked: asked.trim().to_owned(),
            });
        }
        writeln!(
            out,
            "This is {}'s Hearth profile, in {}.",
            me.me.name,
            dir.display()
        )?;
        return keys(&me.device_id, dir, out);
    }
    let hearth = profile::create(dir, name)?;
    let me = hearth.profile()?;
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
    keys(&me.device_id, dir, out)
}

fn keys(device: &str, dir: &Path, out: &mut impl Write) -> Result<()> {
    writeln!(out, "device: {device}")?;
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

/// `hearth rename NAME`: the name your partner sees, changed on both
/// sides at the next sync.
pub fn rename(dir: &Path, name: &str, out: &mut impl Write) -> Result<()> {
    let hearth = profile::open(dir)?;
    let before = hearth.profile()?.me.name;
    hearth.set_display_name(name)?;
    let after = hearth.profile()?.me.name;
    if before == after {
        writeln!(out, "Your name is already {after}.")?;
    } else {
        let when = if hearth.sync_status()?.paired {
            "after the next sync"
        } else {
            "once you pair"
        };
        writeln!(
            out,
            "Your name is now {after} (it was {before}); your partner sees it {when}."
        )?;
    }
    Ok(())
}

/// `hearth new-space`: asks first on a terminal, unless `--yes`.
pub fn new_space(dir: &Path, yes: bool, out: &mut impl Write) -> Result<()> {
    // Refused before asking: no profile, an open space, one never paired.
    let state = profile::open(dir)?.sync_status()?;
    if !state.closed {
        let why = if state.paired {
            hearth_core::Error::AlreadyPaired
        } else {
            hearth_core::Error::NotPaired
        };
        return Err(why.into());
    }
    let asked = "Keep this profile, read-only, in a folder of its own and start afresh here?";
    if !yes && !confirm::confirm("starting a new shared space", asked, out)? {
        writeln!(out, "Nothing was changed.")?;
        return Ok(());
    }
    let started = hearth_core::Hearth::start_new_space(dir, hearth_core::OpenOptions::default())?;
    let old = started.old_profile.display();
    writeln!(
        out,
        "Started afresh as {}. Your old journal is kept, read-only, in {old}; read it with `hearth --data-dir {old} list`.",
        started.hearth.profile()?.me.name
    )?;
    writeln!(
        out,
        "Pair again with `hearth pair create`, or `hearth pair join CODE`."
    )?;
    Ok(())
}

/// `hearth start-over`: asks first on a terminal, unless `--yes`.
pub fn start_over(dir: &Path, name: Option<String>, yes: bool, out: &mut impl Write) -> Result<()> {
    let asked = "Set this profile's files aside and start a new, unpaired one?";
    if !yes && !confirm::confirm("starting over", asked, out)? {
        writeln!(out, "Nothing was changed.")?;
        return Ok(());
    }
    let hearth = profile::start_over(dir, name)?;
    writeln!(
        out,
        "Started a new profile for {} in {}; the old files are in a set-aside folder there.",
        hearth.profile()?.me.name,
        dir.display()
    )?;
    Ok(())
}
