//! The embedded backend: one SQLite file in WAL mode, with a writing and a
//! reading connection, each on a thread of its own (`thread`).
//!
//! This module opens the file and maps the [`Store`] trait onto the
//! functions that do the work, one module per resource: `spaces`,
//! `devices`, the blob `log`, per-document `documents` (forget, compact),
//! `pairing` mailboxes, `maintenance` (purge, checkpoint) and `migration`
//! (the schema).

mod devices;
mod documents;
mod log;
mod maintenance;
mod migration;
mod pairing;
mod spaces;
mod thread;

use std::path::Path;

use hearth_protocol::{
    CompactResponse, Deletion, DeviceId, DocumentId, MemberTag, Nameplate, NewBlob, NewSnapshot,
    PairingClaimed, PairingMessages, PairingOpened, PairingSide, PullResponse, SpaceId, SpaceInfo,
};
use rusqlite::Connection;
use rusqlite::config::DbConfig;

use self::thread::ConnectionThreads;
pub(crate) use self::thread::describe;
use super::{NewDevice, Outcome, PullBounds, Pushed, Quota, Store, StoreError, StoreFuture};
use crate::nonces::NonceCache;

/// The SQLite backend.
#[derive(Debug)]
pub struct SqliteStore {
    connection: ConnectionThreads,
    nonces: NonceCache,
}

impl SqliteStore {
    /// Opens (creating if needed) the relay database at `path`.
    ///
    /// # Errors
    /// [`StoreError`] when the file cannot be opened, is not a relay
    /// database, or was written by a newer relay.
    pub fn open(path: &Path) -> Result<Self, StoreError> {
        // One relay process per file: an advisory lock on the file itself
        // (an empty new file is a new database to SQLite), taken before
        // anything else touches it and held while the writer is open.
        let owner = std::fs::File::options()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(path)?;
        lock_owner(&owner)?;
        let writer = open_connection(path)?;
        migration::migrate(&writer)?;
        let reader = open_connection(path)?;
        reader.execute_batch("PRAGMA query_only = ON;")?;
        Ok(Self {
            connection: ConnectionThreads::start(writer, reader, Some(owner))?,
            nonces: NonceCache::default(),
        })
    }
}

/// Takes the file's lock, waiting up to two seconds: a relay that was just
/// dropped (rather than shut down) may still be closing its connections.
fn lock_owner(owner: &std::fs::File) -> Result<(), StoreError> {
    for _ in 0..40 {
        match owner.try_lock() {
            Ok(()) => return Ok(()),
            Err(std::fs::TryLockError::WouldBlock) => {
                std::thread::sleep(std::time::Duration::from_millis(50));
            }
            Err(std::fs::TryLockError::Error(error)) => return Err(error.into()),
        }
    }
    Err(StoreError::FileInUse)
}

/// Opens a connection to the file and sets it up for the relay.
fn open_connection(path: &Path) -> Result<Connection, StoreError> {
    let connection = Connection::open(path)?;
    // FULL: a push the relay acknowledged survives a power cut, because
    // the pushing phone will not send those changes again.
    connection.execute_batch(
        "PRAGMA busy_timeout = 5000;
         PRAGMA journal_mode = WAL;
         PRAGMA synchronous = FULL;
         PRAGMA secure_delete = ON;
         PRAGMA cache_size = -32768;",
    )?;
    // Without the planner stability guarantee, this STAT4 build of
    // SQLite re-plans a statement whenever a range bound (the pull's
    // `seq > ?`) changes: a full parse on every pull.
    connection.set_db_config(DbConfig::SQLITE_DBCONFIG_ENABLE_QPSG, true)?;
    Ok(connection)
}

impl Store for SqliteStore {
    fn create_space(
        &self,
        space: SpaceId,
        device: DeviceId,
        person: Option<MemberTag>,
        now: u64,
    ) -> StoreFuture<'_, Outcome<SpaceInfo>> {
        Box::pin(
            self.connection.write(move |connection| {
                spaces::create_space(connection, space, device, person, now)
            }),
        )
    }

    fn space_info(&self, space: SpaceId, device: DeviceId) -> StoreFuture<'_, SpaceInfo> {
        Box::pin(self.connection.read(move |connection| {
            let found = spaces::member(connection, &space, &device)?;
            spaces::space_info(connection, &space, found.key, found.head)
        }))
    }

    fn add_device(
        &self,
        space: SpaceId,
        by: DeviceId,
        new: NewDevice,
        max_devices: u32,
        now: u64,
    ) -> StoreFuture<'_, Outcome<SpaceInfo>> {
        Box::pin(self.connection.write(move |connection| {
            devices::add_device(connection, space, by, new, max_devices, now)
        }))
    }

    fn remove_device(
        &self,
        space: SpaceId,
        by: DeviceId,
        device: DeviceId,
        now: u64,
    ) -> StoreFuture<'_, bool> {
        Box::pin(
            self.connection.write(move |connection| {
                devices::remove_device(connection, &space, &by, &device, now)
            }),
        )
    }

    fn erase_space(
        &self,
        space: SpaceId,
        by: DeviceId,
        erasure: Deletion,
        now: u64,
    ) -> StoreFuture<'_, ()> {
        Box::pin(
            self.connection
                .write(move |connection| spaces::erase(connection, &space, &by, &erasure, now)),
        )
    }

    fn erasure(&self, space: SpaceId) -> StoreFuture<'_, Option<Deletion>> {
        Box::pin(
            self.connection
                .read(move |connection| spaces::erasure(connection, &space)),
        )
    }

    fn push(
        &self,
        space: SpaceId,
        by: DeviceId,
        blobs: Vec<NewBlob>,
        quota: Quota,
    ) -> StoreFuture<'_, Pushed> {
        Box::pin(
            self.connection
                .write(move |connection| log::push(connection, &space, &by, blobs, quota)),
        )
    }

    fn pull(
        &self,
        space: SpaceId,
        by: DeviceId,
        bounds: PullBounds,
    ) -> StoreFuture<'_, PullResponse> {
        Box::pin(
            self.connection
                .read(move |connection| log::pull(connection, &space, &by, bounds)),
        )
    }

    fn forget(
        &self,
        space: SpaceId,
        by: DeviceId,
        doc: DocumentId,
        deletion: Deletion,
    ) -> StoreFuture<'_, Outcome<u64>> {
        Box::pin(async move {
            let outcome = self
                .connection
                .write(move |connection| {
                    documents::forget(connection, &space, &by, &doc, &deletion)
                })
                .await?;
            if outcome.created {
                // The forgotten ciphertext is zeroed in the file
                // (secure_delete); this empties the WAL of it too, at once
                // rather than at the next upkeep: an edited entry's old
                // words leave the relay with the sync that sent the edit.
                self.connection.write_alone(maintenance::checkpoint).await?;
            }
            Ok(outcome)
        })
    }

    fn compact(
        &self,
        space: SpaceId,
        by: DeviceId,
        doc: DocumentId,
        upto: u64,
        snapshot: NewSnapshot,
    ) -> StoreFuture<'_, CompactResponse> {
        Box::pin(self.connection.write(move |connection| {
            documents::compact(connection, &space, &by, &doc, upto, &snapshot)
        }))
    }

    fn head(&self, space: SpaceId, device: DeviceId) -> StoreFuture<'_, u64> {
        Box::pin(
            self.connection
                .read(move |connection| Ok(spaces::member(connection, &space, &device)?.head)),
        )
    }

    fn claim_nonce(&self, key: [u8; 16], expires_at: u64) -> StoreFuture<'_, bool> {
        let fresh = self.nonces.claim(key, expires_at);
        Box::pin(async move { Ok(fresh) })
    }

    fn open_pairing(
        &self,
        side: PairingSide,
        now: u64,
        ttl_secs: u64,
    ) -> StoreFuture<'_, PairingOpened> {
        Box::pin(
            self.connection
                .write(move |connection| pairing::open_pairing(connection, &side, now, ttl_secs)),
        )
    }

    fn claim_pairing(
        &self,
        nameplate: Nameplate,
        side: PairingSide,
        now: u64,
    ) -> StoreFuture<'_, PairingClaimed> {
        Box::pin(
            self.connection.write(move |connection| {
                pairing::claim_pairing(connection, &nameplate, &side, now)
            }),
        )
    }

    fn post_pairing(
        &self,
        nameplate: Nameplate,
        side: PairingSide,
        body: Vec<u8>,
        max_messages: u32,
        now: u64,
    ) -> StoreFuture<'_, u64> {
        Box::pin(self.connection.write(move |connection| {
            pairing::post_pairing(connection, &nameplate, &side, &body, max_messages, now)
        }))
    }

    fn read_pairing(
        &self,
        nameplate: Nameplate,
        side: PairingSide,
        after: u64,
        now: u64,
    ) -> StoreFuture<'_, PairingMessages> {
        Box::pin(self.connection.read(move |connection| {
            pairing::read_pairing(connection, &nameplate, &side, after, now)
        }))
    }

    fn close_pairing(&self, nameplate: Nameplate, side: PairingSide) -> StoreFuture<'_, ()> {
        Box::pin(
            self.connection
                .write(move |connection| pairing::close_pairing(connection, &nameplate, &side)),
        )
    }

    fn purge(&self, now: u64, grace_secs: u64) -> StoreFuture<'_, ()> {
        self.nonces.purge(now);
        Box::pin(async move {
            self.connection
                .write(move |connection| maintenance::purge(connection, now, grace_secs))
                .await?;
            // What was deleted since is zeroed in the file (secure_delete)
            // and, with this, gone from the WAL too.
            self.connection.write_alone(maintenance::checkpoint).await
        })
    }

    fn ping(&self) -> StoreFuture<'_, ()> {
        Box::pin(self.connection.read(|connection| {
            connection
                .prepare("SELECT 1 FROM spaces LIMIT 1")?
                .exists([])?;
            Ok(())
        }))
    }

    fn close(&self) -> StoreFuture<'_, ()> {
        Box::pin(async move {
            self.connection.close().await;
            Ok(())
        })
    }
}
