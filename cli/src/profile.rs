//! Where a profile's data lives, and opening it.

use std::path::{Path, PathBuf};

use hearth_core::store::DATABASE_FILE;
use hearth_core::{Hearth, OpenOptions};

use crate::error::{CliError, Result};

/// The data folder: `--data-dir` / `HEARTH_DATA_DIR`, else the platform's.
pub fn data_dir(given: Option<PathBuf>) -> Result<PathBuf> {
    match given {
        Some(dir) => Ok(dir),
        None => platform_data_dir().ok_or(CliError::NoDataDir),
    }
}

/// The platform's per-user data folder, with `hearth` appended.
fn platform_data_dir() -> Option<PathBuf> {
    let env = |name: &str| {
        std::env::var_os(name)
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
    };
    let base = if cfg!(target_os = "macos") {
        env("HOME").map(|home| home.join("Library").join("Application Support"))
    } else if cfg!(windows) {
        env("APPDATA")
    } else {
        // XDG: only an absolute XDG_DATA_HOME counts.
        env("XDG_DATA_HOME")
            .filter(|p| p.is_absolute())
            .or_else(|| env("HOME").map(|home| home.join(".local").join("share")))
    };
    base.map(|b| b.join("hearth"))
}

/// Whether `dir` already holds a profile.
pub fn exists(dir: &Path) -> bool {
    dir.join(DATABASE_FILE).is_file()
}

/// Opens the profile in `dir`, which must exist.
pub fn open(dir: &Path) -> Result<Hearth> {
    if !exists(dir) {
        return Err(CliError::NoProfile(dir.to_owned()));
    }
    Ok(Hearth::open(dir, OpenOptions::default())?)
}

/// Opens the profile in `dir`, creating it if needed.
pub fn create(dir: &Path, name: Option<String>) -> Result<Hearth> {
    let options = OpenOptions {
        display_name: name,
        ..OpenOptions::default()
    };
    Ok(Hearth::open(dir, options)?)
}
