//! The `Hearth` facade: the one object a shell holds. Every method takes and
//! returns plain records and reports failures as typed [`Error`]s. The
//! journal and profile are here; the guidance methods in [`guidance`].

mod devices;
mod export;
mod guidance;
mod import;
mod link;
mod new_space;
mod sync;
#[cfg(any(test, feature = "test-support"))]
mod testing;

pub use devices::DeviceInfo;
pub use export::ExportOptions;
pub use guidance::{ExerciseFilter, Today};
pub use import::ImportError;
pub use link::LinkResult;
pub use new_space::NewSpace;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use automerge::ActorId;
use rusqlite::Connection;

use crate::clock::{Clock, SystemClock};
use crate::crypto::key_cache::KeyCache;
use crate::crypto::{DeviceKeys, FileKeyStore, KeyError, KeyStore};
use crate::error::{Error, Result};
use crate::events::{Event, Listener, Registry, Subscription};
use crate::journal::entry::{Entry, EntryUpdate, NewEntry, People, Person, Visibility};
use crate::journal::query::{EntryFilter, EntryPage, SearchHit};
use crate::journal::reaction::Reaction;
use crate::journal::{self, Actor, query};
use crate::store::files::{self, Damage, DatabaseFile};
use crate::store::{DATABASE_FILE, Store, device, members};

/// The longest display name, in characters.
pub const MAX_NAME_CHARS: usize = 40;

/// How to open a data directory.
#[derive(Clone, Default)]
pub struct OpenOptions {
    /// This partner's display name. Set on first open; when given later and
    /// different, it replaces the stored name.
    pub display_name: Option<String>,
    /// The clock; the system clock when `None`.
    pub clock: Option<Arc<dyn Clock>>,
    /// Where this device's keys live: the phone's Keychain or Keystore
    /// through the shell, or (when `None`) files in `keys/` inside the data
    /// directory, for the CLI and tests.
    pub key_store: Option<Arc<dyn KeyStore>>,
}

/// Who this is, on which device.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Profile {
    /// This partner.
    pub me: Person,
    /// The other partner, once paired.
    pub partner: Option<Person>,
    /// This device's id: its public signing key, as the relay sees it.
    pub device_id: String,
    /// The couple's space: this phone's own until paired, then shared.
    pub space_id: String,
}

impl std::fmt::Debug for OpenOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OpenOptions")
            .field("display_name", &self.display_name.as_ref().map(|_| "<set>"))
            .field("clock", &self.clock)
            .field("key_store", &self.key_store.as_ref().map(|_| "<platform>"))
            .finish()
    }
}

/// Hearth on one phone: a data directory and everything in it.
pub struct Hearth {
    store: Store,
    data_dir: PathBuf,
    member: String,
    device: ActorId,
    keys: DeviceKeys,
    key_store: Arc<dyn KeyStore>,
    /// A pairing this phone started, waiting for the partner.
    pairing: std::sync::Mutex<Option<crate::sync::pairing::Invite>>,
    /// Wakes live sync when something changed here.
    wake: tokio::sync::Notify,
    /// The relay client, for the relay address it was built for.
    relay_client: std::sync::Mutex<Option<(String, crate::sync::client::RelayClient)>>,
    /// When a sync that rejected nothing was last written down (see
    /// `record_outcome`), `i64::MIN` when the last one written was not.
    clean_sync_noted: std::sync::atomic::AtomicI64,
    clock: Arc<dyn Clock>,
    events: Arc<Registry>,
}

impl std::fmt::Debug for Hearth {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Hearth")
            .field("data_dir", &self.data_dir)
            .field("device", &self.keys.device_id())
            .finish_non_exhaustive()
    }
}

impl Hearth {
    /// Opens the data directory `data_dir`, creating it and this device's
    /// identity on first use.
    pub fn open(data_dir: impl AsRef<Path>, options: OpenOptions) -> Result<Self> {
        let data_dir = data_dir.as_ref().to_owned();
        let data_dir_error = |source| Error::DataDir {
            path: data_dir.clone(),
            source,
        };
        std::fs::create_dir_all(&data_dir).map_err(data_dir_error)?;
        owner_only(&data_dir, 0o700).map_err(data_dir_error)?;
        let name = options
            .display_name
            .as_deref()
            .map(clean_name)
            .transpose()?;
        let database = data_dir.join(DATABASE_FILE);
        // Look at the files before anything opens them: damage is refused
        // with every byte as it was (see `store::files`).
        let found = files::inspect(&database)?;
        let keys_in_folder = options.key_store.is_none();
        let key_store: Arc<dyn KeyStore> = match options.key_store {
            Some(store) => store,
            None => Arc::new(FileKeyStore::open(data_dir.join("keys")).map_err(KeyError::from)?),
        };
        let key_store: Arc<dyn KeyStore> = Arc::new(KeyCache::new(key_store));
        let keys = DeviceKeys::load(key_store.as_ref())?;
        match found {
            // A key in the folder's own key store outlives only a lost
            // database; a platform store's key may outlive a reinstall,
            // which starts a new profile with it.
            DatabaseFile::Absent { leftovers }
                if leftovers || (keys_in_folder && keys.is_some()) =>
            {
                return Err(Error::DamagedProfile(Damage::MissingDatabase));
            }
            DatabaseFile::Present if keys.is_none() && files::is_paired(&database)? => {
                return Err(Error::DamagedProfile(Damage::MissingDeviceKey));
            }
            _ => {}
        }
        let store = Store::open(&database)?;
        // The key is made after the database, so a first open cut short
        // leaves a database without a key (unpaired: a new key is fine),
        // never a key without a database.
        let keys = match keys {
            Some(keys) => keys,
            None => DeviceKeys::create(key_store.as_ref())?,
        };
        let clock = options.clock.unwrap_or_else(|| Arc::new(SystemClock));
        let (member, device) = store.write(|tx| identity(tx, name.as_deref()))?;
        for file in [
            DATABASE_FILE.to_owned(),
            format!("{DATABASE_FILE}-wal"),
            format!("{DATABASE_FILE}-shm"),
        ] {
            let path = data_dir.join(file);
            if path.exists() {
                owner_only(&path, 0o600).map_err(|source| Error::DataDir {
                    path: path.clone(),
                    source,
                })?;
            }
        }
        let hearth = Self {
            store,
            data_dir,
            member,
            device,
            keys,
            key_store,
            pairing: std::sync::Mutex::new(None),
            wake: tokio::sync::Notify::new(),
            relay_client: std::sync::Mutex::new(None),
            clean_sync_noted: std::sync::atomic::AtomicI64::new(i64::MIN),
            clock,
            events: Arc::default(),
        };
        hearth.publish_member(None)?;
        Ok(hearth)
    }

    /// Starts a new, unpaired profile in `data_dir` after [`Hearth::open`]
    /// refused damaged files: the database and its side files move into a
    /// `set-aside-<time>` folder inside `data_dir` (nothing is deleted), and
    /// a device key still in the key store is kept under a set-aside entry
    /// name before a new one is made. The only call that acts on damaged
    /// files; import an export afterwards to get the journal back.
    pub fn start_over(data_dir: impl AsRef<Path>, options: OpenOptions) -> Result<Self> {
        let data_dir = data_dir.as_ref();
        let now = options
            .clock
            .as_ref()
            .map_or_else(|| SystemClock.now_ms(), |c| c.now_ms());
        files::set_aside(data_dir, DATABASE_FILE, now)?;
        let key_store: Arc<dyn KeyStore> = match &options.key_store {
            Some(store) => Arc::clone(store),
            None => Arc::new(FileKeyStore::open(data_dir.join("keys")).map_err(KeyError::from)?),
        };
        let entry = crate::crypto::keys::DEVICE_KEYS_ENTRY;
        if let Some(old) = key_store.load(entry.to_owned()).map_err(KeyError::from)? {
            key_store
                .store(format!("{entry}.set-aside-{now}"), old)
                .map_err(KeyError::from)?;
            key_store.delete(entry.to_owned()).map_err(KeyError::from)?;
        }
        Self::open(data_dir, options)
    }

    /// Writes this partner's member document (name, question bank size;
    /// the sexual-content choice when given) if anything changed.
    fn publish_member(&self, sexual_opt_in: Option<bool>) -> Result<()> {
        let who = self.actor();
        let bank = crate::content::embedded::question_bank()?.len();
        let bank = u32::try_from(bank).unwrap_or(u32::MAX);
        self.store.write(|tx| {
            let name = members::name(tx, &self.member)?
                .ok_or_else(|| Error::DamagedDatabase("this person's name is missing".into()))?;
            crate::guidance::member::publish(tx, &who, &name, sexual_opt_in, bank)
        })
    }

    /// The couple's space id: this phone's own until pairing, then the one
    /// both phones share. It seeds the daily question.
    pub(crate) fn space_id(&self, conn: &Connection) -> Result<String> {
        device::space_id(conn)
    }

    /// The profile's store, for the sync loop.
    pub(crate) fn store(&self) -> &Store {
        &self.store
    }

    /// Wakes live sync when something changed here.
    pub(crate) fn wake(&self) -> &tokio::sync::Notify {
        &self.wake
    }

    /// A device-local value (an app setting, a draft): never synced.
    pub(crate) fn local_value(&self, key: &str) -> Result<Option<String>> {
        self.store.read(|conn| device::get(conn, key))
    }

    /// Sets (or with `None` removes) a device-local value.
    pub(crate) fn set_local_value(&self, key: &str, value: Option<&str>) -> Result<()> {
        self.store.write(|tx| device::set(tx, key, value))
    }

    /// Registers `listener` for change events until the returned
    /// subscription is dropped.
    pub fn subscribe(&self, listener: Arc<dyn Listener>) -> Subscription {
        self.events.subscribe(listener)
    }

    /// Tells the listeners, after a commit, and wakes live sync when
    /// something changed (a status change alone must not, or live sync
    /// would wake itself after every pass).
    pub(crate) fn emit(&self, events: impl IntoIterator<Item = Event>) {
        let events: Vec<Event> = events.into_iter().collect();
        let changed = events.iter().any(|e| *e != Event::SyncStatusChanged);
        self.events.emit(events);
        if changed {
            self.wake.notify_one();
        }
    }

    /// The data directory.
    pub fn data_dir(&self) -> &Path {
        &self.data_dir
    }

    /// Now, by this instance's clock (Unix milliseconds).
    pub fn now_ms(&self) -> i64 {
        self.clock.now_ms()
    }

    fn actor(&self) -> Actor<'_> {
        Actor {
            member: &self.member,
            device: &self.device,
            now: self.clock.now_ms(),
        }
    }

    fn people(&self) -> People<'_> {
        People { me: &self.member }
    }

    // --- profile ---------------------------------------------------------------

    /// This partner, the other partner once paired, and this device.
    pub fn profile(&self) -> Result<Profile> {
        self.store.read(|conn| {
            let people = self.people();
            let partner = members::partner(conn)?;
            Ok(Profile {
                me: people.get(conn, &self.member)?,
                partner: partner.map(|id| people.get(conn, &id)).transpose()?,
                device_id: self.keys.device_id(),
                space_id: self.space_id(conn)?,
            })
        })
    }

    /// Changes this partner's display name.
    pub fn set_display_name(&self, name: &str) -> Result<()> {
        let name = clean_name(name)?;
        self.store
            .write(|tx| members::rename(tx, &self.member, &name))?;
        self.publish_member(None)
    }

    // --- journal ---------------------------------------------------------------

    /// Writes a new entry and returns it. A link must name a question,
    /// exercise, program or check-in the entry may be about (a missing one
    /// is [`Error::NotFound`], sexual content before both opted in
    /// [`Error::NotOptedIn`]).
    pub fn write_entry(&self, new: NewEntry) -> Result<Entry> {
        let who = self.actor();
        let entry = self.store.write(|tx| {
            if let Some(link) = &new.link {
                let consent = crate::guidance::member::consent(tx, &self.member)?;
                guidance::check_link(link, consent)?;
            }
            let row = journal::write(tx, &who, &new)?;
            journal::entry::hydrate_new(tx, &self.people(), row)
        })?;
        self.emit([Event::EntryChanged {
            id: entry.id.clone(),
        }]);
        Ok(entry)
    }

    /// Replaces an entry's title, text and emotions; returns the entry. A
    /// shared entry that changed gets a new id (its old document, which
    /// holds the old words, is forgotten everywhere), returned with it. The
    /// old words are erased from this phone's files before this returns.
    pub fn edit_entry(&self, id: &str, update: EntryUpdate) -> Result<Entry> {
        let who = self.actor();
        let entry = self.store.write(|tx| {
            let new_id = journal::edit(tx, &who, id, &update)?;
            self.fetch(tx, &new_id)
        })?;
        if entry.id == id {
            self.emit([changed(id)]);
        } else {
            self.emit([
                Event::EntryRemoved { id: id.to_owned() },
                changed(&entry.id),
            ]);
        }
        self.store.checkpoint()?;
        Ok(entry)
    }

    /// Deletes an entry here, at the relay and on the partner's phone.
    /// Its words are erased from this phone's files before this returns.
    pub fn delete_entry(&self, id: &str) -> Result<()> {
        let who = self.actor();
        self.store.write(|tx| journal::delete(tx, &who, id))?;
        self.emit([Event::EntryRemoved { id: id.to_owned() }]);
        self.store.checkpoint()
    }

    /// Shares a private entry or makes a shared one private. The entry gets a
    /// new id, which is returned with it.
    pub fn set_entry_visibility(&self, id: &str, visibility: Visibility) -> Result<Entry> {
        let who = self.actor();
        let entry = self.store.write(|tx| {
            let new_id = journal::set_visibility(tx, &who, id, visibility)?;
            self.fetch(tx, &new_id)
        })?;
        if entry.id != id {
            self.emit([
                Event::EntryRemoved { id: id.to_owned() },
                changed(&entry.id),
            ]);
        }
        self.store.checkpoint()?;
        Ok(entry)
    }

    /// One entry.
    pub fn entry(&self, id: &str) -> Result<Entry> {
        self.store.read(|conn| self.fetch(conn, id))
    }

    fn fetch(&self, conn: &Connection, id: &str) -> Result<Entry> {
        let row =
            journal::entry::row(conn, id)?.ok_or_else(|| Error::EntryNotFound(id.to_owned()))?;
        journal::entry::hydrate(conn, &self.people(), row)
    }

    /// A page of entries matching `filter`, newest first. Pass the previous
    /// page's `next` as `cursor` for the following page.
    pub fn list_entries(
        &self,
        filter: &EntryFilter,
        limit: u32,
        cursor: Option<&str>,
    ) -> Result<EntryPage> {
        self.store
            .read(|conn| query::list(conn, &self.people(), filter, limit, cursor))
    }

    /// Searches entry titles and texts, best matches first. The search
    /// index first takes the words of entries written or changed since the
    /// last search (see `journal::entry::catch_up_index`).
    pub fn search_entries(
        &self,
        text: &str,
        filter: &EntryFilter,
        limit: u32,
    ) -> Result<Vec<SearchHit>> {
        // A search with no words is refused before the index is touched.
        query::match_expression(text).ok_or(Error::EmptySearch)?;
        if self.store.read(journal::entry::index_behind)? {
            // The index can always be rebuilt from the entries, so it is
            // written as sync's bookkeeping is: atomic, not flushed.
            self.store.write_unflushed(journal::entry::catch_up_index)?;
        }
        self.store
            .read(|conn| query::search(conn, &self.people(), text, filter, limit))
    }

    /// Sets (or with `None` clears) this partner's reaction to an entry.
    pub fn react(&self, entry_id: &str, reaction: Option<Reaction>) -> Result<Entry> {
        let who = self.actor();
        let entry = self.store.write(|tx| {
            journal::react(tx, &who, entry_id, reaction)?;
            self.fetch(tx, entry_id)
        })?;
        self.emit([changed(entry_id)]);
        Ok(entry)
    }

    /// Adds a comment to a shared entry; returns the entry.
    pub fn add_comment(&self, entry_id: &str, body: &str) -> Result<Entry> {
        let who = self.actor();
        let entry = self.store.write(|tx| {
            journal::comment(tx, &who, entry_id, body)?;
            self.fetch(tx, entry_id)
        })?;
        self.emit([changed(entry_id)]);
        Ok(entry)
    }

    /// Deletes one of this partner's comments; returns the entry.
    pub fn delete_comment(&self, entry_id: &str, comment_id: &str) -> Result<Entry> {
        let who = self.actor();
        let entry = self.store.write(|tx| {
            journal::delete_comment(tx, &who, entry_id, comment_id)?;
            self.fetch(tx, entry_id)
        })?;
        self.emit([changed(entry_id)]);
        Ok(entry)
    }
}

fn changed(id: &str) -> Event {
    Event::EntryChanged { id: id.to_owned() }
}

/// Makes a profile's folder (0700) or file (0600) readable by its owner
/// only, whatever the umask: it holds private entries and the journal.
#[cfg(unix)]
fn owner_only(path: &Path, mode: u32) -> std::io::Result<()> {
    use std::os::unix::fs::PermissionsExt as _;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode))
}

/// Platforms without file modes keep app data in their own private storage.
#[cfg(not(unix))]
fn owner_only(_path: &Path, _mode: u32) -> std::io::Result<()> {
    Ok(())
}

/// Trims a display name and checks its length.
fn clean_name(name: &str) -> Result<String> {
    let name = name.trim();
    let len = name.chars().count();
    if len == 0 || len > MAX_NAME_CHARS {
        return Err(Error::InvalidName {
            max: MAX_NAME_CHARS,
        });
    }
    Ok(name.to_owned())
}

/// Loads this device's member id and actor, creating them on first open.
fn identity(conn: &Connection, name: Option<&str>) -> Result<(String, ActorId)> {
    let member = match members::me(conn)? {
        Some((id, stored)) => {
            if let Some(name) = name.filter(|n| *n != stored) {
                members::rename(conn, &id, name)?;
            }
            id
        }
        None => {
            let id = journal::new_id();
            members::add_me(conn, &id, name.unwrap_or("Me"))?;
            id
        }
    };
    Ok((member, device::identity(conn)?))
}
