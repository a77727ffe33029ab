//! Import: a JSON export restored into a new, unpaired profile, which can
//! then pair again. A person whose only phone was lost keeps their journal.
//!
//! The file is read and checked whole before the profile is touched
//! ([`file`]); the restore is one transaction ([`restore`]), so a file
//! refused at any point leaves the profile as it was. A profile already in
//! use (any item, or paired) is refused: an import never writes over what
//! is there.

mod file;
mod restore;

use std::path::Path;

use super::{Hearth, OpenOptions};
use crate::error::Result;

/// Why an export could not be imported. Nothing was changed in each case.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ImportError {
    /// The file could not be read from the disk.
    #[error("the file could not be read ({0}): check it is there and this app may open it")]
    Unreadable(String),
    /// The file is not a JSON export of Hearth (a Markdown export, another
    /// app's file).
    #[error(
        "this file is not a Hearth JSON export: choose the .json file Hearth saved (a Markdown export cannot be imported)"
    )]
    NotAnExport,
    /// A newer Hearth wrote the file.
    #[error(
        "this export was made by a newer Hearth (format version {found}; this app reads version {supported}): update Hearth, then import it again"
    )]
    NewerVersion {
        /// The file's version.
        found: u64,
        /// The version this app writes and reads.
        supported: u32,
    },
    /// The file is cut short, edited or otherwise not as Hearth wrote it.
    #[error(
        "this export is damaged ({0}); it may have been cut short or changed. Use another copy, or export again"
    )]
    Damaged(String),
    /// The profile already holds items or is paired.
    #[error(
        "this profile is already in use (it holds entries or other items, or is paired), and an import never writes over it. Import into a new profile instead"
    )]
    ProfileInUse,
}

impl Hearth {
    /// Restores the JSON export at `file` into the profile in `data_dir`,
    /// which must be new: a folder with no profile yet, or a profile that
    /// is unpaired and holds no items. Returns the opened profile.
    ///
    /// The restored profile keeps this person's member id, so shared items
    /// keep their ids and authors (the partner's as the partner's), and
    /// their documents merge without duplicates if both partners' phones
    /// meet again. It is unpaired, with this device's new keys, and can
    /// pair with [`Hearth::start_pairing`] or [`Hearth::join_partner`];
    /// everything restored waits to be sent then. The partner's name comes
    /// back with their member document after pairing.
    ///
    /// A file that cannot be read, is not an export, is from a newer
    /// Hearth or is damaged is refused with [`ImportError`] before the
    /// profile is opened: no file in `data_dir` is created or changed. A
    /// profile in use is refused with [`ImportError::ProfileInUse`] and
    /// keeps every item. The display name in `options` is not used: the
    /// export's is.
    pub fn import(
        data_dir: impl AsRef<Path>,
        options: OpenOptions,
        file: impl AsRef<Path>,
    ) -> Result<Self> {
        let bytes = std::fs::read(file.as_ref())
            .map_err(|e| ImportError::Unreadable(e.kind().to_string()))?;
        Self::import_bytes(data_dir, options, &bytes)
    }

    /// [`Hearth::import`] from the export's bytes, for a platform that hands
    /// over a picked file's contents rather than a path.
    pub fn import_bytes(
        data_dir: impl AsRef<Path>,
        options: OpenOptions,
        bytes: &[u8],
    ) -> Result<Self> {
        let export = file::read(bytes)?;
        let options = OpenOptions {
            display_name: None,
            ..options
        };
        let data_dir = data_dir.as_ref();
        let hearth = Self::open(data_dir, options.clone())?;
        let device = hearth.device.clone();
        let now = hearth.now_ms();
        hearth
            .store
            .write(|tx| restore::restore(tx, &export, &device, now))?;
        drop(hearth);
        // Opened again so everything this instance knows (this person's
        // member id first) is the restored profile's.
        Self::open(data_dir, options)
    }
}
