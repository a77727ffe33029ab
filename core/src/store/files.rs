//! The profile's files as they lie on the disk, looked at before SQLite
//! opens them: a database that is missing, empty or cut short is refused
//! with the files exactly as they were, because SQLite would take an empty
//! file for a new database and overwrite the journal (`-wal`) beside it.
//! Only [`set_aside`], called by an explicit "start over", moves them.

use std::fs;
use std::io::{self, Read as _};
use std::path::{Path, PathBuf};

use rusqlite::{Connection, OpenFlags};

use crate::error::{Error, Result};

/// What is wrong with a profile's files. Found before anything is written;
/// every message says what to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum Damage {
    /// The database file is gone, but the folder still holds this profile's
    /// journal log or device key.
    #[error(
        "Hearth's database file (hearth.db) is missing from this profile, though the folder still holds its other files"
    )]
    MissingDatabase,
    /// The database file has no bytes at all (a full disk, a failed copy).
    #[error("Hearth's database file (hearth.db) is empty (0 bytes)")]
    EmptyDatabase,
    /// The database file is shorter than its own header says.
    #[error("Hearth's database file (hearth.db) is cut short: {found} of {expected} bytes")]
    TruncatedDatabase {
        /// Bytes the file's header promises.
        expected: u64,
        /// Bytes on the disk.
        found: u64,
    },
    /// The profile is paired but this device's key is gone from the key
    /// store; a new key would not be a member of the couple's space.
    #[error("this device's key is missing from secure storage, though this profile is paired")]
    MissingDeviceKey,
}

/// The database file, as found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum DatabaseFile {
    /// No database yet. `leftovers` when a journal log or lock file of one
    /// is still there.
    Absent { leftovers: bool },
    /// A file that looks whole (SQLite checks the rest).
    Present,
}

/// The files SQLite keeps beside the database.
const SIDE_FILES: [&str; 3] = ["-wal", "-shm", "-journal"];

fn side_file(db: &Path, suffix: &str) -> PathBuf {
    let mut name = db.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

/// Looks at the database at `db` without opening it.
pub(crate) fn inspect(db: &Path) -> Result<DatabaseFile> {
    let io = |source| Error::DataDir {
        path: db.to_owned(),
        source,
    };
    let mut file = match fs::File::open(db) {
        Ok(file) => file,
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            let leftovers = SIDE_FILES.iter().any(|s| side_file(db, s).exists());
            return Ok(DatabaseFile::Absent { leftovers });
        }
        Err(e) => return Err(io(e)),
    };
    let found = file.metadata().map_err(io)?.len();
    if found == 0 {
        return Err(Error::DamagedProfile(Damage::EmptyDatabase));
    }
    // A log with frames in it may still hold pages the file lacks (a
    // checkpoint cut off by a crash); SQLite finishes it on open.
    let wal_len = fs::metadata(side_file(db, "-wal")).map_or(0, |m| m.len());
    if wal_len > 0 {
        return Ok(DatabaseFile::Present);
    }
    let mut header = [0u8; 100];
    let mut read = 0;
    while read < header.len() {
        match file.read(&mut header[read..]).map_err(io)? {
            0 => break,
            n => read += n,
        }
    }
    if !header.starts_with(b"SQLite format 3\0") {
        // Not a database at all: SQLite refuses it without writing.
        return Ok(DatabaseFile::Present);
    }
    if read < header.len() {
        return Err(Error::DamagedProfile(Damage::TruncatedDatabase {
            expected: 100,
            found,
        }));
    }
    let be32 = |at: usize| {
        u32::from_be_bytes([header[at], header[at + 1], header[at + 2], header[at + 3]])
    };
    let page_size = match u16::from_be_bytes([header[16], header[17]]) {
        1 => 65_536,
        n => u64::from(n),
    };
    let pages = u64::from(be32(28));
    // The page count is valid only when the change counter matches.
    let expected = if pages > 0 && be32(24) == be32(92) {
        pages * page_size
    } else {
        page_size
    };
    if found < expected {
        return Err(Error::DamagedProfile(Damage::TruncatedDatabase {
            expected,
            found,
        }));
    }
    Ok(DatabaseFile::Present)
}

/// Whether the database at `db` knows a partner, read without writing a
/// byte: the file alone as immutable when no journal log is beside it,
/// otherwise read-only (SQLite may then rebuild its `-shm` index).
pub(crate) fn is_paired(db: &Path) -> Result<bool> {
    let has_log = fs::metadata(side_file(db, "-wal")).is_ok_and(|m| m.len() > 0);
    let conn = if has_log {
        Connection::open_with_flags(
            db,
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?
    } else {
        let path = db.to_string_lossy();
        let escaped = path
            .replace('%', "%25")
            .replace('?', "%3f")
            .replace('#', "%23");
        Connection::open_with_flags(
            format!("file:{escaped}?immutable=1"),
            OpenFlags::SQLITE_OPEN_READ_ONLY
                | OpenFlags::SQLITE_OPEN_URI
                | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?
    };
    let has_members: bool = conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'members')",
        [],
        |r| r.get(0),
    )?;
    if !has_members {
        return Ok(false);
    }
    Ok(conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM members WHERE is_me = 0)",
        [],
        |r| r.get(0),
    )?)
}

/// Moves the database and its side files into a new folder
/// `set-aside-<now_ms>` inside `dir`, deleting nothing; returns the folder.
pub(crate) fn set_aside(dir: &Path, db_name: &str, now_ms: i64) -> Result<PathBuf> {
    move_into(dir, db_name, &format!("set-aside-{now_ms}"))
}

/// Moves the database file and its side files from `dir` into the new
/// folder `dir/folder`, which it returns.
pub(crate) fn move_into(dir: &Path, db_name: &str, folder: &str) -> Result<PathBuf> {
    let aside = dir.join(folder);
    let io = |path: &Path, source| Error::DataDir {
        path: path.to_owned(),
        source,
    };
    fs::create_dir_all(&aside).map_err(|e| io(&aside, e))?;
    let db = dir.join(db_name);
    let names = std::iter::once(String::new()).chain(SIDE_FILES.iter().map(|s| (*s).to_owned()));
    for suffix in names {
        let from = side_file(&db, &suffix);
        if !from.exists() {
            continue;
        }
        let to = aside.join(format!("{db_name}{suffix}"));
        fs::rename(&from, &to).map_err(|e| io(&from, e))?;
    }
    Ok(aside)
}
