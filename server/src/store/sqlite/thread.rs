//! The two threads that own the relay's SQLite connections, off the async
//! runtime: one writes, one reads.
//!
//! SQLite allows one writer at a time anyway, so all writes go through one
//! connection on one thread. Writes that queue up while a transaction
//! commits are grouped into the next one, each in its own savepoint, so
//! one refused write never undoes another and a burst of pushes shares one
//! commit (and its fsync). A write is answered after the commit: nobody is
//! told of a write that might still roll back.
//!
//! Reads have a connection and a thread of their own, so they never wait
//! for the writer's fsync, which takes milliseconds when the disk is busy.
//! Reads queued together share one read transaction: one snapshot of
//! committed data.

use std::sync::mpsc;
use std::thread::JoinHandle;

use rusqlite::Connection;
use tokio::sync::oneshot;

use crate::store::StoreError;

/// Most pieces of work grouped into one transaction: enough that a burst
/// from every connected phone shares one fsync, few enough that a group
/// holds its answers back for milliseconds at most.
const MAX_GROUP: usize = 512;

/// A piece of work: runs (given the connection) or fails without running
/// (given `None`), and tells whether it succeeded; its answer is sent once
/// the transaction's outcome is known.
type Work = Box<dyn FnOnce(Option<&Connection>) -> Finished + Send>;

/// Sends the answer, given the transaction's failure if it failed.
type Answer = Box<dyn FnOnce(Option<String>) + Send>;

struct Finished {
    succeeded: bool,
    answer: Answer,
}

/// One thread with one connection and a queue of work.
#[derive(Debug)]
struct Worker {
    /// Work, and whether it runs alone, outside any transaction.
    jobs: std::sync::Mutex<Option<mpsc::Sender<(bool, Work)>>>,
    thread: std::sync::Mutex<Option<JoinHandle<()>>>,
}

impl Worker {
    /// Starts the thread; `keep` is dropped only after the connection is
    /// closed.
    fn start(
        name: &str,
        connection: Connection,
        run: fn(&Connection, Vec<Work>),
        keep: Option<std::fs::File>,
    ) -> Result<Self, StoreError> {
        let (sender, receiver) = mpsc::channel::<(bool, Work)>();
        let thread = std::thread::Builder::new()
            .name(name.into())
            .spawn(move || {
                let _keep = keep;
                let mut next = receiver.recv().ok();
                while let Some((alone, first)) = next.take() {
                    if alone {
                        if let Some(finished) = guarded(first, &connection) {
                            (finished.answer)(None);
                        }
                        next = receiver.recv().ok();
                        continue;
                    }
                    let mut group = vec![first];
                    while group.len() < MAX_GROUP {
                        match receiver.try_recv() {
                            Ok((false, job)) => group.push(job),
                            Ok(job) => {
                                next = Some(job);
                                break;
                            }
                            Err(_) => break,
                        }
                    }
                    run(&connection, group);
                    if next.is_none() {
                        next = receiver.recv().ok();
                    }
                }
            })
            .map_err(|_| StoreError::Backend("could not start a SQLite thread".into()))?;
        Ok(Self {
            jobs: std::sync::Mutex::new(Some(sender)),
            thread: std::sync::Mutex::new(Some(thread)),
        })
    }

    async fn call<T, F>(&self, alone: bool, work: F) -> Result<T, StoreError>
    where
        T: Send + 'static,
        F: FnOnce(&Connection) -> Result<T, StoreError> + Send + 'static,
    {
        let (tell, hear) = oneshot::channel();
        let run: Work = Box::new(move |connection: Option<&Connection>| {
            let result = match connection {
                Some(connection) => work(connection),
                None => Err(StoreError::Backend(
                    "the SQLite transaction could not start".into(),
                )),
            };
            Finished {
                succeeded: result.is_ok(),
                answer: Box::new(move |failure: Option<String>| {
                    let outcome = match failure {
                        None => result,
                        Some(failure) => Err(StoreError::Backend(failure)),
                    };
                    // The asker may have given up (timeout); a write stands
                    // either way and a retry finds it.
                    let _ = tell.send(outcome);
                }),
            }
        });
        let sent = match self.jobs.lock() {
            Ok(jobs) => jobs
                .as_ref()
                .is_some_and(|jobs| jobs.send((alone, run)).is_ok()),
            Err(_) => false,
        };
        if !sent {
            return Err(StoreError::Closed);
        }
        hear.await.unwrap_or(Err(StoreError::Closed))
    }

    async fn close(&self) {
        if let Ok(mut jobs) = self.jobs.lock() {
            jobs.take();
        }
        let thread = self.thread.lock().ok().and_then(|mut t| t.take());
        if let Some(thread) = thread {
            let _ = tokio::task::spawn_blocking(move || thread.join()).await;
        }
    }
}

/// Hands work to the writer and reader threads.
#[derive(Debug)]
pub(crate) struct ConnectionThreads {
    writer: Worker,
    reader: Worker,
}

impl ConnectionThreads {
    /// Starts the threads on a writing and a reading connection to one
    /// file. `owner` (the file's exclusive lock) is released after the
    /// writing connection closes: closing any descriptor of the file drops
    /// the process's POSIX locks on it, SQLite's included.
    pub fn start(
        writer: Connection,
        reader: Connection,
        owner: Option<std::fs::File>,
    ) -> Result<Self, StoreError> {
        Ok(Self {
            writer: Worker::start("hearth-relay-sqlite-writer", writer, run_writes, owner)?,
            reader: Worker::start("hearth-relay-sqlite-reader", reader, run_reads, None)?,
        })
    }

    /// Runs `work` in a transaction; answers after the commit. An error
    /// from `work` rolls back only `work`.
    pub async fn write<T, F>(&self, work: F) -> Result<T, StoreError>
    where
        T: Send + 'static,
        F: FnOnce(&Connection) -> Result<T, StoreError> + Send + 'static,
    {
        self.writer.call(false, work).await
    }

    /// Runs `work` on the writing connection outside any transaction
    /// (a checkpoint cannot run inside one).
    pub async fn write_alone<T, F>(&self, work: F) -> Result<T, StoreError>
    where
        T: Send + 'static,
        F: FnOnce(&Connection) -> Result<T, StoreError> + Send + 'static,
    {
        self.writer.call(true, work).await
    }

    /// Runs `work`, which only reads, on one snapshot of committed data.
    pub async fn read<T, F>(&self, work: F) -> Result<T, StoreError>
    where
        T: Send + 'static,
        F: FnOnce(&Connection) -> Result<T, StoreError> + Send + 'static,
    {
        self.reader.call(false, work).await
    }

    /// Stops taking work, lets queued work finish, and joins both threads
    /// (closing the connections and releasing the file).
    pub async fn close(&self) {
        self.reader.close().await;
        self.writer.close().await;
    }
}

/// Runs a cached statement that takes no parameters (transaction control:
/// parsed once, not on every use).
fn control(connection: &Connection, sql: &str) -> Result<(), rusqlite::Error> {
    connection.prepare_cached(sql)?.execute([]).map(|_| ())
}

fn run_reads(connection: &Connection, group: Vec<Work>) {
    if let Err(error) = control(connection, "BEGIN") {
        tracing::error!(error = %describe(&error), "sqlite: could not begin a read");
        for work in group {
            (work(None).answer)(None);
        }
        return;
    }
    for work in group {
        // Answered at once: reads change nothing, so nothing can undo them.
        if let Some(finished) = guarded(work, connection) {
            (finished.answer)(None);
        }
    }
    if let Err(error) = control(connection, "COMMIT") {
        tracing::error!(error = %describe(&error), "sqlite: could not end a read");
        let _ = connection.execute_batch("ROLLBACK");
    }
}

fn run_writes(connection: &Connection, group: Vec<Work>) {
    if let Err(error) = control(connection, "BEGIN IMMEDIATE") {
        tracing::error!(error = %describe(&error), "sqlite: could not begin a transaction");
        for work in group {
            (work(None).answer)(None);
        }
        return;
    }
    let mut answers = Vec::with_capacity(group.len());
    // Set when a savepoint cannot be opened or closed: the transaction's
    // state is then unknown, so the whole group is rolled back.
    let mut failure: Option<String> = None;
    for work in group {
        if failure.is_some() {
            answers.push(work(None).answer);
            continue;
        }
        if let Err(error) = control(connection, "SAVEPOINT job") {
            failure = Some(describe(&error));
            answers.push(work(None).answer);
            continue;
        }
        let Some(finished) = guarded(work, connection) else {
            failure = Some(PANICKED.to_owned());
            continue;
        };
        let closed = if finished.succeeded {
            control(connection, "RELEASE job")
        } else {
            control(connection, "ROLLBACK TO job").and_then(|()| control(connection, "RELEASE job"))
        };
        if let Err(error) = closed {
            failure = Some(describe(&error));
        }
        answers.push(finished.answer);
    }
    if failure.is_none() {
        failure = control(connection, "COMMIT")
            .err()
            .map(|error| describe(&error));
    }
    if let Some(failure) = &failure {
        tracing::error!(error = %failure, "sqlite: a transaction failed and was rolled back");
        let _ = connection.execute_batch("ROLLBACK");
    }
    for answer in answers {
        answer(failure.clone());
    }
}

const PANICKED: &str = "a storage call panicked; its group was rolled back";

/// Runs one piece of work, turning a panic into `None` so the thread (and
/// with it the relay's storage) survives a bug in one request. The
/// panicking request's answer is dropped, which its caller sees as a
/// closed store (503); a write group is rolled back.
fn guarded(work: Work, connection: &Connection) -> Option<Finished> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| work(Some(connection)))).ok()
}

/// An SQLite error for the log: its kind and code, never bound values.
pub(crate) fn describe(error: &rusqlite::Error) -> String {
    match error {
        rusqlite::Error::SqliteFailure(code, _) => {
            format!("{:?} ({})", code.code, code.extended_code)
        }
        other => format!("{other}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_panicking_call_is_rolled_back_and_the_thread_carries_on() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.db");
        let writer = Connection::open(&path).unwrap();
        writer
            .execute_batch("PRAGMA journal_mode = WAL; CREATE TABLE t (x INTEGER)")
            .unwrap();
        let reader = Connection::open(&path).unwrap();
        let thread = ConnectionThreads::start(writer, reader, None).unwrap();
        let panicked = thread
            .write(|connection| {
                connection.execute("INSERT INTO t VALUES (1)", [])?;
                let values: Vec<u8> = Vec::new();
                // An out-of-bounds index: a bug, not an error.
                Ok(values[usize::from(values.is_empty())])
            })
            .await;
        assert!(matches!(panicked, Err(StoreError::Closed)));
        thread
            .write(|connection| Ok(connection.execute("INSERT INTO t VALUES (2)", [])?))
            .await
            .unwrap();
        let rows: Vec<i64> = thread
            .read(|connection| {
                let mut statement = connection.prepare("SELECT x FROM t ORDER BY x")?;
                let rows = statement.query_map([], |row| row.get(0))?;
                Ok(rows.collect::<Result<_, _>>()?)
            })
            .await
            .unwrap();
        assert_eq!(rows, [2]);
        thread.close().await;
    }
}
