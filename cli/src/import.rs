//! `hearth import FILE`: restores a JSON export (`hearth export --format
//! json`) into a new profile, for someone whose phone or computer was lost.
//! The restored profile is unpaired and can pair again.

use std::io::Write;
use std::path::Path;

use hearth_core::{Error, Hearth, ImportError, OpenOptions};

use crate::error::Result;

/// Restores `file` into the profile folder `dir`, which must be new (or
/// hold a profile that was never used).
pub fn import(dir: &Path, file: &Path, out: &mut impl Write) -> Result<()> {
    let hearth = match Hearth::import(dir, OpenOptions::default(), file) {
        Ok(hearth) => hearth,
        Err(Error::Import(ImportError::ProfileInUse)) => {
            writeln!(
                out,
                "The profile in {} is in use, so nothing was imported. Choose a new folder with --data-dir to restore the export there.",
                dir.display()
            )?;
            return Err(Error::Import(ImportError::ProfileInUse).into());
        }
        Err(e) => return Err(e.into()),
    };
    let me = hearth.profile()?.me;
    let pending = hearth.sync_status()?.pending;
    writeln!(
        out,
        "Restored {}'s Hearth from the export into {}.",
        me.name,
        dir.display()
    )?;
    writeln!(
        out,
        "This profile is not paired: set a relay (hearth relay URL), then pair again with hearth pair create or hearth pair join CODE. {pending} shared items will be sent once you are paired."
    )?;
    Ok(())
}
