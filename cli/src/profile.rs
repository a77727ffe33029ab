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
    private_folder(dir)?;
    let hearth = Hearth::open(dir, OpenOptions::default())?;
    private_files(dir)?;
    Ok(hearth)
}

/// Opens the profile in `dir`, creating it if needed.
pub fn create(dir: &Path, name: Option<String>) -> Result<Hearth> {
    let options = OpenOptions {
        display_name: name,
        ..OpenOptions::default()
    };
    private_folder(dir)?;
    let hearth = Hearth::open(dir, options)?;
    private_files(dir)?;
    Ok(hearth)
}

/// Sets the damaged profile in `dir` aside and starts a new one.
pub fn start_over(dir: &Path, name: Option<String>) -> Result<Hearth> {
    let options = OpenOptions {
        display_name: name,
        ..OpenOptions::default()
    };
    private_folder(dir)?;
    let hearth = Hearth::start_over(dir, options)?;
    private_files(dir)?;
    Ok(hearth)
}

/// Creates the profile folder readable by its owner only (0700), before
/// anything is written into it, whatever the umask.
fn private_folder(dir: &Path) -> Result<()> {
    std::fs::create_dir_all(dir).map_err(|source| CliError::WriteFile {
        path: dir.to_owned(),
        source,
    })?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700)).map_err(
            |source| CliError::WriteFile {
                path: dir.to_owned(),
                source,
            },
        )?;
    }
    Ok(())
}

/// Makes every file of the profile readable by its owner only (0600) and
/// every folder in it 0700. SQLite creates the WAL and shared-memory files
/// with the database file's mode, so later ones follow.
fn private_files(dir: &Path) -> Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        let entries = std::fs::read_dir(dir).map_err(|source| CliError::WriteFile {
            path: dir.to_owned(),
            source,
        })?;
        for entry in entries.flatten() {
            let Ok(kind) = entry.file_type() else {
                continue;
            };
            let mode = if kind.is_dir() { 0o700 } else { 0o600 };
            if kind.is_symlink() {
                continue;
            }
            let path = entry.path();
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(mode))
                .map_err(|source| CliError::WriteFile { path, source })?;
        }
    }
    #[cfg(not(unix))]
    let _ = dir;
    Ok(())
}
