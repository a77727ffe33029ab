//! [`Hearth`]: the core facade as one exported object: opening, the
//! profile, the journal, export and change events here; the guidance
//! methods in [`crate::guidance`], sync in [`crate::sync`]. Each method is
//! a thin wrapper, one delegating line; any logic a shell needs goes into
//! `hearth-core`, never here.

use std::fmt;
use std::sync::Arc;

use hearth_core::journal::entry::{Entry, EntryUpdate, NewEntry, Visibility};
use hearth_core::journal::query::{EntryFilter, EntryPage, SearchHit};
use hearth_core::journal::reaction::Reaction;
use hearth_core::{ExportOptions, OpenOptions, Profile};

use crate::error::HearthError;
use crate::key_store::{KeyStore, PlatformKeyStore};
use crate::listener::{EventListener, EventSubscription, ForeignListener};

type Result<T, E = HearthError> = std::result::Result<T, E>;

/// Hearth on this phone: one data directory and everything in it. The
/// shell opens it once and keeps it for the app's lifetime.
#[derive(uniffi::Object)]
pub struct Hearth {
    pub(crate) core: Arc<hearth_core::Hearth>,
    /// Where live sync runs.
    pub(crate) background: tokio::runtime::Handle,
}

impl fmt::Debug for Hearth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.core.fmt(f)
    }
}

/// How the shell asked to open a profile, as the core takes it.
pub(crate) fn open_options(
    display_name: Option<String>,
    key_store: Option<Arc<dyn KeyStore>>,
) -> OpenOptions {
    OpenOptions {
        display_name,
        clock: None,
        key_store: key_store.map(|s| Arc::new(PlatformKeyStore(s)) as _),
    }
}

impl Hearth {
    /// The exported handle on an opened core.
    pub(crate) fn wrap(core: hearth_core::Hearth) -> Result<Arc<Self>> {
        Ok(Arc::new(Self {
            core: Arc::new(core),
            background: crate::live_sync::background()?,
        }))
    }

    /// Runs blocking core work on tokio's blocking pool, so an async call
    /// leaves the caller's thread (the UI thread, often) free.
    async fn off_thread<T: Send + 'static>(
        &self,
        work: impl FnOnce(&hearth_core::Hearth) -> hearth_core::Result<T> + Send + 'static,
    ) -> Result<T> {
        let core = Arc::clone(&self.core);
        Ok(tokio::task::spawn_blocking(move || work(&core)).await??)
    }
}

#[uniffi::export(async_runtime = "tokio")]
impl Hearth {
    /// Opens the data directory `data_dir`, creating it and this device's
    /// keys on first use. `display_name` sets this partner's name (first
    /// open) or replaces it. `key_store` is the platform's secure storage;
    /// without one, keys are files in the data directory (desktop, tests).
    #[uniffi::constructor(default(display_name = None, key_store = None))]
    pub fn open(
        data_dir: String,
        display_name: Option<String>,
        key_store: Option<Arc<dyn KeyStore>>,
    ) -> Result<Arc<Self>> {
        Self::wrap(hearth_core::Hearth::open(
            data_dir,
            open_options(display_name, key_store),
        )?)
    }

    /// Starts a new, unpaired profile after `open` refused damaged files:
    /// they are set aside in the data directory, never deleted.
    #[uniffi::constructor(default(display_name = None, key_store = None))]
    pub fn start_over(
        data_dir: String,
        display_name: Option<String>,
        key_store: Option<Arc<dyn KeyStore>>,
    ) -> Result<Arc<Self>> {
        Self::wrap(hearth_core::Hearth::start_over(
            data_dir,
            open_options(display_name, key_store),
        )?)
    }

    /// Restores the JSON export at `export_path` into the new profile in
    /// `data_dir` (a folder with no profile, or one opened but never used)
    /// and opens it, unpaired and ready to pair again. A bad file is refused
    /// before anything is written; a profile in use is refused (NotAllowed).
    #[uniffi::constructor(default(key_store = None))]
    pub fn import_from_file(
        data_dir: String,
        export_path: String,
        key_store: Option<Arc<dyn KeyStore>>,
    ) -> Result<Arc<Self>> {
        Self::wrap(hearth_core::Hearth::import(
            data_dir,
            open_options(None, key_store),
            export_path,
        )?)
    }

    /// `import_from_file` with the export's bytes, for a platform whose
    /// file picker hands over contents rather than a path.
    #[uniffi::constructor(default(key_store = None))]
    pub fn import_from_bytes(
        data_dir: String,
        export: Vec<u8>,
        key_store: Option<Arc<dyn KeyStore>>,
    ) -> Result<Arc<Self>> {
        Self::wrap(hearth_core::Hearth::import_bytes(
            data_dir,
            open_options(None, key_store),
            &export,
        )?)
    }

    /// This partner, the other partner once paired, and this device.
    pub fn profile(&self) -> Result<Profile> {
        Ok(self.core.profile()?)
    }

    /// Changes this partner's display name.
    pub fn set_display_name(&self, name: String) -> Result<()> {
        Ok(self.core.set_display_name(&name)?)
    }

    /// Writes a new entry and returns it.
    pub fn write_entry(&self, entry: NewEntry) -> Result<Entry> {
        Ok(self.core.write_entry(entry)?)
    }

    /// Replaces an entry's title, text and emotions; returns the entry.
    pub fn edit_entry(&self, id: String, update: EntryUpdate) -> Result<Entry> {
        Ok(self.core.edit_entry(&id, update)?)
    }

    /// Deletes an entry here, at the relay and on the partner's phone.
    pub fn delete_entry(&self, id: String) -> Result<()> {
        Ok(self.core.delete_entry(&id)?)
    }

    /// Shares a private entry or makes a shared one private; the entry gets
    /// a new id, returned with it.
    pub fn set_entry_visibility(&self, id: String, visibility: Visibility) -> Result<Entry> {
        Ok(self.core.set_entry_visibility(&id, visibility)?)
    }

    /// One entry.
    pub fn entry(&self, id: String) -> Result<Entry> {
        Ok(self.core.entry(&id)?)
    }

    /// A page of entries matching `filter`, newest first; pass the previous
    /// page's `next` as `cursor` for the following one.
    pub fn list_entries(
        &self,
        filter: EntryFilter,
        limit: u32,
        cursor: Option<String>,
    ) -> Result<EntryPage> {
        Ok(self.core.list_entries(&filter, limit, cursor.as_deref())?)
    }

    /// Searches entry titles and texts, newest matches first.
    pub fn search_entries(
        &self,
        text: String,
        filter: EntryFilter,
        limit: u32,
    ) -> Result<Vec<SearchHit>> {
        Ok(self.core.search_entries(&text, &filter, limit)?)
    }

    /// Sets (or with `None` clears) this partner's reaction to an entry.
    pub fn react(&self, entry_id: String, reaction: Option<Reaction>) -> Result<Entry> {
        Ok(self.core.react(&entry_id, reaction)?)
    }

    /// Adds a comment to a shared entry; returns the entry.
    pub fn add_comment(&self, entry_id: String, body: String) -> Result<Entry> {
        Ok(self.core.add_comment(&entry_id, &body)?)
    }

    /// Deletes one of this partner's comments; returns the entry.
    pub fn delete_comment(&self, entry_id: String, comment_id: String) -> Result<Entry> {
        Ok(self.core.delete_comment(&entry_id, &comment_id)?)
    }

    /// Everything this person can see as JSON (what `import_from_file`
    /// restores), without safety data, built off the caller's thread.
    pub async fn export_json(&self) -> Result<String> {
        self.off_thread(hearth_core::Hearth::export_json).await
    }

    /// The JSON export with what `options` adds (the safety data, when the
    /// person asked for it), built off the caller's thread.
    pub async fn export_json_with(&self, options: ExportOptions) -> Result<String> {
        self.off_thread(move |core| core.export_json_with(options))
            .await
    }

    /// The whole journal as Markdown, built off the caller's thread.
    pub async fn export_markdown(&self) -> Result<String> {
        self.off_thread(hearth_core::Hearth::export_markdown).await
    }

    /// Registers `listener` for change events until the returned handle is
    /// dropped or cancelled.
    pub fn subscribe(&self, listener: Arc<dyn EventListener>) -> Arc<EventSubscription> {
        EventSubscription::new(self.core.subscribe(Arc::new(ForeignListener(listener))))
    }
}
