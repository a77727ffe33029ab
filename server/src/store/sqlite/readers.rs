//! Reader connections. In WAL mode readers never block the writer or each
//! other; each read runs on the blocking thread pool with a connection
//! from a small pool, so queries stay off the async threads.

use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use rusqlite::{Connection, OpenFlags};
use tokio::sync::Semaphore;

use crate::store::StoreError;

/// A bounded pool of read-only connections to one SQLite file.
#[derive(Debug)]
pub(crate) struct Readers {
    path: PathBuf,
    idle: Arc<Mutex<Vec<Connection>>>,
    slots: Arc<Semaphore>,
}

impl Readers {
    pub fn new(path: PathBuf, size: usize) -> Self {
        Self {
            path,
            idle: Arc::new(Mutex::new(Vec::with_capacity(size))),
            slots: Arc::new(Semaphore::new(size)),
        }
    }

    /// Runs `work` on a reader connection inside one read transaction, so
    /// everything it reads comes from the same snapshot.
    pub async fn read<T, F>(&self, work: F) -> Result<T, StoreError>
    where
        T: Send + 'static,
        F: FnOnce(&Connection) -> Result<T, StoreError> + Send + 'static,
    {
        let permit = Arc::clone(&self.slots)
            .acquire_owned()
            .await
            .map_err(|_| StoreError::Closed)?;
        let idle = Arc::clone(&self.idle);
        let path = self.path.clone();
        tokio::task::spawn_blocking(move || {
            let _permit = permit;
            let taken = idle.lock().ok().and_then(|mut idle| idle.pop());
            let connection = match taken {
                Some(connection) => connection,
                None => open_reader(&path)?,
            };
            connection.execute_batch("BEGIN")?;
            let result = work(&connection);
            let ended = connection.execute_batch("COMMIT");
            if ended.is_ok()
                && let Ok(mut idle) = idle.lock()
            {
                idle.push(connection);
            }
            result
        })
        .await
        .map_err(|_| StoreError::Backend("a SQLite read was cancelled".into()))?
    }

    /// Closes idle connections and refuses further reads.
    pub fn close(&self) {
        self.slots.close();
        if let Ok(mut idle) = self.idle.lock() {
            idle.clear();
        }
    }
}

fn open_reader(path: &PathBuf) -> Result<Connection, StoreError> {
    let connection = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    connection.execute_batch("PRAGMA busy_timeout = 5000; PRAGMA query_only = ON;")?;
    Ok(connection)
}
