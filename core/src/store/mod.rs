//! The phone's SQLite database: shared documents, their typed projections,
//! full-text search, sync state and device-local data.
//!
//! One writer connection and one reader connection in WAL mode, so the UI's
//! reads never wait for a write (sync's own reads use the writer, whose page
//! cache is warm: [`Store::read_warm`]). Every write runs in one
//! `BEGIN IMMEDIATE` transaction: either all of a user action lands or none
//! of it. `synchronous = FULL` makes
//! each commit durable before the call returns; `secure_delete` zeroes deleted
//! content in the files.
//!
//! The schema lives in `schema/*.sql`, applied in order and recorded in
//! `PRAGMA user_version`. A database from a newer app version is refused
//! before anything is written.

pub(crate) mod device;
pub(crate) mod documents;
pub mod files;
pub(crate) mod members;
pub(crate) mod space;

use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use rusqlite::{Connection, OpenFlags, TransactionBehavior};

use crate::error::{Error, Result};

/// The schema, one script per version. Append only: never edit a shipped
/// script, add the next one.
const MIGRATIONS: &[&str] = &[
    include_str!("schema/0001_init.sql"),
    include_str!("schema/0002_guidance.sql"),
    include_str!("schema/0003_sync.sql"),
    include_str!("schema/0004_guidance_care.sql"),
    include_str!("schema/0005_quarantine.sql"),
    include_str!("schema/0006_edits.sql"),
    include_str!("schema/0007_devices.sql"),
    include_str!("schema/0008_device_labels.sql"),
    include_str!("schema/0009_crowded_index.sql"),
    include_str!("schema/0010_outbox_heads.sql"),
    include_str!("schema/0011_sync_documents_keyed.sql"),
    include_str!("schema/0012_search_catches_up.sql"),
];

/// The schema version this build writes.
pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

/// Prepared statements kept per connection.
const STATEMENT_CACHE: usize = 256;

/// The file name of the database inside a data directory.
pub const DATABASE_FILE: &str = "hearth.db";

/// The database: one writer, one reader.
#[derive(Debug)]
pub struct Store {
    writer: Mutex<Connection>,
    /// Whether the writer is at `synchronous = FULL` (else `NORMAL`); read
    /// and changed only with the writer held.
    flushing: AtomicBool,
    reader: Mutex<Connection>,
    path: PathBuf,
}

impl Store {
    /// Opens (creating if needed) the database at `path` and brings its
    /// schema up to date.
    pub fn open(path: &Path) -> Result<Self> {
        let mut writer = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_WRITE
                | OpenFlags::SQLITE_OPEN_CREATE
                | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        // Look before touching anything: a newer or foreign file is refused
        // with the file exactly as it was.
        let found = schema_version(&writer)?;
        if found > SCHEMA_VERSION {
            return Err(Error::NewerSchema {
                found,
                supported: SCHEMA_VERSION,
            });
        }
        configure_writer(&writer)?;
        stable_plans(&writer)?;
        migrate(&mut writer, found)?;
        // The store uses well over rusqlite's default of 16 distinct
        // statements; evicted ones would be parsed again on every use.
        writer.set_prepared_statement_cache_capacity(STATEMENT_CACHE);

        let reader = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        reader.busy_timeout(Duration::from_secs(5))?;
        stable_plans(&reader)?;
        reader.set_prepared_statement_cache_capacity(STATEMENT_CACHE);
        Ok(Self {
            writer: Mutex::new(writer),
            flushing: AtomicBool::new(true),
            reader: Mutex::new(reader),
            path: path.to_owned(),
        })
    }

    /// Where the database file is.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Runs `f` in one write transaction, committed only if `f` succeeds.
    pub fn write<T>(&self, f: impl FnOnce(&Connection) -> Result<T>) -> Result<T> {
        blocking(|| {
            let conn = lock(&self.writer);
            self.flush(&conn, true)?;
            write_in(&conn, f)
        })
    }

    /// Like [`Store::write`], atomic but not flushed to the disk before it
    /// returns (`synchronous = NORMAL`): for sync
    /// bookkeeping that a power cut may roll back harmlessly, because the
    /// work is simply done again (a page pulled again with its cursor, a
    /// blob pushed again). A person's own writes always use `write`.
    ///
    /// Without the flush the commit waits for no disk, so it runs in place
    /// like a read: handing the worker's tasks to another thread would cost
    /// more than the commit.
    pub fn write_unflushed<T>(&self, f: impl FnOnce(&Connection) -> Result<T>) -> Result<T> {
        let conn = lock(&self.writer);
        self.flush(&conn, false)?;
        write_in(&conn, f)
    }

    /// Puts the writer at `synchronous = FULL` (`full`) or `NORMAL`, if it
    /// is not there already: the level stays where the last write left it,
    /// and every write sets the one it needs before it begins, so a run of
    /// sync bookkeeping switches once, and a write cut short by a panic
    /// leaves no later write of the person's unflushed.
    fn flush(&self, conn: &Connection, full: bool) -> Result<()> {
        use std::sync::atomic::Ordering;
        if self.flushing.load(Ordering::Acquire) == full {
            return Ok(());
        }
        // The level cannot change inside a transaction.
        end_cut_short(conn)?;
        let level = if full {
            "PRAGMA synchronous = FULL"
        } else {
            "PRAGMA synchronous = NORMAL"
        };
        conn.prepare_cached(level)?.execute([])?;
        self.flushing.store(full, Ordering::Release);
        Ok(())
    }

    /// Runs `f` on the reader connection, in one read transaction: every
    /// statement in `f` sees the same commit, the last one when it began,
    /// and the database's locks are taken once, not once per statement. A
    /// read waits for no commit (WAL) and takes microseconds, so it runs in
    /// place, without handing the worker's other tasks to another thread.
    pub fn read<T>(&self, f: impl FnOnce(&Connection) -> Result<T>) -> Result<T> {
        read_in(&lock(&self.reader), f)
    }

    /// Runs `f` in one read transaction on the writer connection: for sync,
    /// whose reads sit between its own commits. The writer's page cache
    /// still holds what it last committed, where the reader's is dropped at
    /// every commit and read back from the log page by page. It waits for a
    /// commit under way, which sync does anyway; the UI reads with
    /// [`Store::read`] and never waits. Never call it from inside `write`:
    /// the writer is taken once at a time.
    pub fn read_warm<T>(&self, f: impl FnOnce(&Connection) -> Result<T>) -> Result<T> {
        read_in(&lock(&self.writer), f)
    }

    /// Copies the write-ahead log into the database file and empties it, so
    /// nothing deleted lingers in the log.
    pub fn checkpoint(&self) -> Result<()> {
        let conn = lock(&self.writer);
        conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
        Ok(())
    }
}

/// How many commits at once, across every profile open in the process,
/// may hand their worker's tasks to another thread (each such hand-over
/// can cost tokio a thread).
const HANDED_OVER: usize = 4;

/// Commits handing over their worker's tasks right now.
static HANDING_OVER: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

/// Runs a commit, which may wait on the disk. Called from a task of a
/// multi-threaded tokio runtime (sync, the bindings' async methods), it
/// lets that worker hand its other tasks to another thread meanwhile, so a
/// commit's fsync does not stall the network or the other phones' work.
/// At most [`HANDED_OVER`] do so at once; past that a commit runs in place,
/// so the process's threads stay bounded however many profiles are open
/// (tokio would otherwise start a thread for every commit waiting at once).
fn blocking<T>(f: impl FnOnce() -> T) -> T {
    use std::sync::atomic::Ordering;
    let multi_thread = tokio::runtime::Handle::try_current()
        .is_ok_and(|r| r.runtime_flavor() == tokio::runtime::RuntimeFlavor::MultiThread);
    if !multi_thread {
        return f();
    }
    let slot = HANDING_OVER.fetch_update(Ordering::AcqRel, Ordering::Acquire, |n| {
        (n < HANDED_OVER).then_some(n + 1)
    });
    if slot.is_err() {
        return f();
    }
    struct Release;
    impl Drop for Release {
        fn drop(&mut self) {
            HANDING_OVER.fetch_sub(1, Ordering::AcqRel);
        }
    }
    let _release = Release;
    tokio::task::block_in_place(f)
}

/// Runs `f` on `conn` in one write transaction (`BEGIN IMMEDIATE`), committed
/// only if `f` succeeds. The statements that begin and end it are kept
/// compiled, like every other.
fn write_in<T>(conn: &Connection, f: impl FnOnce(&Connection) -> Result<T>) -> Result<T> {
    end_cut_short(conn)?;
    conn.prepare_cached("BEGIN IMMEDIATE")?.execute([])?;
    let _ended = Ended(conn);
    let value = f(conn)?;
    conn.prepare_cached("COMMIT")?.execute([])?;
    Ok(value)
}

/// Runs `f` on `conn` in one read transaction.
fn read_in<T>(conn: &Connection, f: impl FnOnce(&Connection) -> Result<T>) -> Result<T> {
    end_cut_short(conn)?;
    conn.prepare_cached("BEGIN")?.execute([])?;
    let _ended = Ended(conn);
    let value = f(conn);
    conn.prepare_cached("COMMIT")?.execute([])?;
    value
}

/// Rolls back, when dropped, the transaction its connection still has open:
/// one that an error, a failed commit or a panic cut short. The error that
/// stopped it is the one reported; a failed rollback is tried again before
/// the connection's next use.
struct Ended<'c>(&'c Connection);

impl Drop for Ended<'_> {
    fn drop(&mut self) {
        let _ = end_cut_short(self.0);
    }
}

/// Ends the transaction a read or write cut short left open.
fn end_cut_short(conn: &Connection) -> Result<()> {
    if !conn.is_autocommit() {
        conn.prepare_cached("ROLLBACK")?.execute([])?;
    }
    Ok(())
}

/// A panic while a connection was held leaves it usable: a write's
/// transaction is rolled back as the panic unwinds, and any transaction
/// still open is ended before the connection's next use.
fn lock(conn: &Mutex<Connection>) -> MutexGuard<'_, Connection> {
    conn.lock().unwrap_or_else(PoisonError::into_inner)
}

fn schema_version(conn: &Connection) -> Result<i64> {
    conn.pragma_query_value(None, "user_version", |row| row.get(0))
        .map_err(|e| match e {
            rusqlite::Error::SqliteFailure(code, _)
                if code.code == rusqlite::ErrorCode::NotADatabase =>
            {
                Error::DamagedDatabase("the file is not a Hearth database".into())
            }
            other => Error::Database(other),
        })
}

/// One query plan per statement, whatever its parameters are bound to
/// (SQLite's query planner stability guarantee). Without it, SQLite (built
/// with STAT4) marks statements to be compiled again when a parameter is
/// bound anew, wherever a value might change the plan: the outbox lookup
/// of every push was parsed and planned again at every run. Hearth never
/// runs ANALYZE, so no plan could depend on the values anyway.
fn stable_plans(conn: &Connection) -> Result<()> {
    conn.set_db_config(
        rusqlite::config::DbConfig::SQLITE_DBCONFIG_ENABLE_QPSG,
        true,
    )?;
    Ok(())
}

fn configure_writer(conn: &Connection) -> Result<()> {
    conn.busy_timeout(Duration::from_secs(5))?;
    conn.pragma_update(None, "journal_mode", "WAL")?;
    conn.pragma_update(None, "synchronous", "FULL")?;
    conn.pragma_update(None, "foreign_keys", true)?;
    conn.pragma_update(None, "secure_delete", true)?;
    Ok(())
}

fn migrate(conn: &mut Connection, from: i64) -> Result<()> {
    for (version, script) in (1..)
        .zip(MIGRATIONS)
        .skip(usize::try_from(from).unwrap_or(0))
    {
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        tx.execute_batch(script)?;
        tx.pragma_update(None, "user_version", version)?;
        tx.commit()?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn creates_the_schema_and_reopens() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(DATABASE_FILE);
        Store::open(&path).unwrap();
        let store = Store::open(&path).unwrap();
        let version = store
            .read(|c| Ok(c.pragma_query_value(None, "user_version", |r| r.get::<_, i64>(0))?))
            .unwrap();
        assert_eq!(version, SCHEMA_VERSION);
        let mode: String = store
            .read(|c| Ok(c.pragma_query_value(None, "journal_mode", |r| r.get(0))?))
            .unwrap();
        assert_eq!(mode, "wal");
    }

    /// A statement kept in the cache runs with new values as compiled:
    /// the outbox lookup each push makes is the one that was compiled again
    /// at every run before the planner's stability guarantee was on.
    #[test]
    fn binding_new_values_does_not_compile_a_statement_again() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join(DATABASE_FILE)).unwrap();
        for id in ["doc-a", "doc-b", "doc-c"] {
            store
                .write(|tx| {
                    documents::put_bytes(tx, id, "entry", b"bytes", 1)?;
                    documents::queue_push(tx, id, None, 1)
                })
                .unwrap();
        }
        let reprepared = |stmt: &mut rusqlite::CachedStatement<'_>| {
            stmt.get_status(rusqlite::StatementStatus::RePrepare)
        };
        for conn in [&store.writer, &store.reader] {
            let conn = lock(conn);
            for id in ["doc-a", "doc-b", "doc-c", "doc-a"] {
                assert!(documents::stored(&conn, id).unwrap().is_some());
            }
            let mut stmt = conn.prepare_cached(documents::STORED).unwrap();
            assert_eq!(reprepared(&mut stmt), 0);
        }
    }

    /// A phone on schema 10 keeps its sync bookkeeping through the rebuild
    /// of `sync_documents` (schema 11), and its crowded document is found
    /// through the new partial index.
    #[test]
    fn sync_bookkeeping_survives_the_move_to_schema_11() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(DATABASE_FILE);
        {
            let conn = Connection::open(&path).unwrap();
            configure_writer(&conn).unwrap();
            for script in &MIGRATIONS[..10] {
                conn.execute_batch(script).unwrap();
            }
            conn.pragma_update(None, "user_version", 10).unwrap();
            conn.execute_batch(
                "INSERT INTO sync_documents (doc_id, relay_id, pushed, blobs)
                 VALUES ('doc-a', 'relay-a', x'0102', 30), ('doc-b', 'relay-b', NULL, 2)",
            )
            .unwrap();
        }
        let store = Store::open(&path).unwrap();
        type Row = (String, String, Option<Vec<u8>>, i64);
        let rows: Vec<Row> = store
            .read(|c| {
                Ok(c.prepare(
                    "SELECT doc_id, relay_id, pushed, blobs FROM sync_documents ORDER BY doc_id",
                )?
                .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?
                .collect::<rusqlite::Result<_>>()?)
            })
            .unwrap();
        assert_eq!(
            rows,
            vec![
                ("doc-a".into(), "relay-a".into(), Some(vec![1, 2]), 30),
                ("doc-b".into(), "relay-b".into(), None, 2),
            ]
        );
        assert_eq!(
            store.read(crate::sync::state::crowded).unwrap(),
            vec![("doc-a".to_owned(), "relay-a".to_owned())]
        );
    }

    #[test]
    fn refuses_a_newer_schema_and_leaves_the_file_alone() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(DATABASE_FILE);
        {
            let conn = Connection::open(&path).unwrap();
            conn.execute_batch("CREATE TABLE future (x); PRAGMA user_version = 99;")
                .unwrap();
        }
        let before = std::fs::read(&path).unwrap();
        let err = Store::open(&path).unwrap_err();
        assert!(
            matches!(err, Error::NewerSchema { found: 99, supported } if supported == SCHEMA_VERSION),
            "{err:?}"
        );
        assert_eq!(std::fs::read(&path).unwrap(), before);
        assert!(!dir.path().join("hearth.db-wal").exists());
    }

    #[test]
    fn refuses_a_file_that_is_not_a_database() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(DATABASE_FILE);
        std::fs::write(&path, vec![7u8; 4096]).unwrap();
        let err = Store::open(&path).unwrap_err();
        assert!(matches!(err, Error::DamagedDatabase(_)), "{err:?}");
        assert_eq!(std::fs::read(&path).unwrap(), vec![7u8; 4096]);
    }

    #[test]
    fn a_failed_write_leaves_nothing_behind() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join(DATABASE_FILE)).unwrap();
        let result: Result<()> = store.write(|tx| {
            tx.execute("INSERT INTO device (key, value) VALUES ('k', 'v')", [])?;
            Err(Error::EmptyBody)
        });
        assert!(result.is_err());
        let count: i64 = store
            .read(|c| Ok(c.query_row("SELECT count(*) FROM device", [], |r| r.get(0))?))
            .unwrap();
        assert_eq!(count, 0);
    }

    fn devices(c: &Connection) -> Result<i64> {
        Ok(c.query_row("SELECT count(*) FROM device", [], |r| r.get(0))?)
    }

    #[test]
    fn a_read_sees_one_commit_throughout() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join(DATABASE_FILE)).unwrap();
        let (before, during) = store
            .read(|c| {
                let before = devices(c)?;
                store.write(|tx| {
                    tx.execute("INSERT INTO device (key, value) VALUES ('k', 'v')", [])?;
                    Ok(())
                })?;
                Ok((before, devices(c)?))
            })
            .unwrap();
        assert_eq!(before, during);
        assert_eq!(store.read(devices).unwrap(), before + 1);
    }

    #[test]
    fn a_read_cut_short_by_a_panic_leaves_the_reader_usable() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join(DATABASE_FILE)).unwrap();
        let before = store.read(devices).unwrap();
        let panicked = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            store.read(|c| -> Result<()> {
                devices(c)?;
                panic!("cut short")
            })
        }));
        assert!(panicked.is_err());
        store
            .write(|tx| {
                tx.execute("INSERT INTO device (key, value) VALUES ('k', 'v')", [])?;
                Ok(())
            })
            .unwrap();
        assert_eq!(store.read(devices).unwrap(), before + 1);
    }

    /// Each write commits at its own level whatever came before it: the
    /// person's at FULL (flushed before it returns), sync bookkeeping at
    /// NORMAL.
    #[test]
    fn every_write_runs_at_its_own_flush_level() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join(DATABASE_FILE)).unwrap();
        let level = |c: &Connection| -> Result<i64> {
            Ok(c.pragma_query_value(None, "synchronous", |r| r.get(0))?)
        };
        let levels: Vec<i64> = [false, false, true, true, false, true]
            .into_iter()
            .map(|flushed| {
                if flushed {
                    store.write(level)
                } else {
                    store.write_unflushed(level)
                }
                .unwrap()
            })
            .collect();
        assert_eq!(levels, [1, 1, 2, 2, 1, 2]);
    }

    /// A read or a write on the writer connection cut short by a panic
    /// leaves it usable: the next write commits, and the one cut short
    /// left nothing.
    #[test]
    fn a_write_or_warm_read_cut_short_by_a_panic_leaves_the_writer_usable() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join(DATABASE_FILE)).unwrap();
        let before = store.read(devices).unwrap();
        let insert = |tx: &Connection, key: &str| -> Result<()> {
            tx.execute("INSERT INTO device (key, value) VALUES (?1, 'v')", [key])?;
            Ok(())
        };
        let read = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            store.read_warm(|c| -> Result<()> {
                devices(c)?;
                panic!("cut short")
            })
        }));
        assert!(read.is_err());
        let write = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            store.write_unflushed(|tx| -> Result<()> {
                insert(tx, "lost")?;
                panic!("cut short")
            })
        }));
        assert!(write.is_err());
        let level: i64 = store
            .write(|tx| {
                insert(tx, "kept")?;
                Ok(tx.pragma_query_value(None, "synchronous", |r| r.get(0))?)
            })
            .unwrap();
        assert_eq!(level, 2, "the person's next write is flushed (FULL)");
        assert_eq!(store.read(devices).unwrap(), before + 1);
        assert_eq!(store.read_warm(devices).unwrap(), before + 1);
    }
}
