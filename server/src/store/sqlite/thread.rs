//! The thread that owns the relay's SQLite connection.
//!
//! One connection, opened in exclusive locking mode, does all the work,
//! on one OS thread, off the async runtime. Why one: SQLite allows one
//! writer at a time anyway; a single connection keeps its page cache warm
//! across writes (a separate reader's cache is dropped after every write)
//! and, holding the file exclusively, takes no file locks per transaction.
//! Work that queues up while a transaction commits is taken as a group:
//! its reads run first, on committed data, and are answered at once; its
//! writes then share one transaction, each in its own savepoint, so one
//! refused write never undoes another and a burst of pushes shares one
//! commit. Writes are answered after the commit: nobody is told of a write
//! that might still roll back.

use std::sync::mpsc;
use std::thread::JoinHandle;

use rusqlite::Connection;
use tokio::sync::oneshot;

use crate::store::StoreError;

/// Most pieces of work grouped into one transaction.
const MAX_GROUP: usize = 128;

/// A piece of work: runs (given the connection) or fails without running
/// (given `None`), and tells whether it succeeded; its answer is sent once
/// the transaction's outcome is known.
struct Job {
    writes: bool,
    run: Work,
}

type Work = Box<dyn FnOnce(Option<&Connection>) -> Finished + Send>;

/// Sends the answer, given the transaction's failure if it failed.
type Answer = Box<dyn FnOnce(Option<String>) + Send>;

struct Finished {
    succeeded: bool,
    answer: Answer,
}

/// Hands work to the connection thread.
#[derive(Debug)]
pub(crate) struct ConnectionThread {
    jobs: std::sync::Mutex<Option<mpsc::Sender<Job>>>,
    thread: std::sync::Mutex<Option<JoinHandle<()>>>,
}

impl ConnectionThread {
    /// Starts the thread on `connection`.
    pub fn start(connection: Connection) -> Result<Self, StoreError> {
        let (sender, receiver) = mpsc::channel::<Job>();
        let thread = std::thread::Builder::new()
            .name("hearth-relay-sqlite".into())
            .spawn(move || run(&connection, &receiver))
            .map_err(|_| StoreError::Backend("could not start the SQLite thread".into()))?;
        Ok(Self {
            jobs: std::sync::Mutex::new(Some(sender)),
            thread: std::sync::Mutex::new(Some(thread)),
        })
    }

    /// Runs `work` in a transaction; answers after the commit. An error
    /// from `work` rolls back only `work`.
    pub async fn write<T, F>(&self, work: F) -> Result<T, StoreError>
    where
        T: Send + 'static,
        F: FnOnce(&Connection) -> Result<T, StoreError> + Send + 'static,
    {
        self.call(true, work).await
    }

    /// Runs `work`, which only reads (it sees committed data only).
    pub async fn read<T, F>(&self, work: F) -> Result<T, StoreError>
    where
        T: Send + 'static,
        F: FnOnce(&Connection) -> Result<T, StoreError> + Send + 'static,
    {
        self.call(false, work).await
    }

    async fn call<T, F>(&self, writes: bool, work: F) -> Result<T, StoreError>
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
                .is_some_and(|jobs| jobs.send(Job { writes, run }).is_ok()),
            Err(_) => false,
        };
        if !sent {
            return Err(StoreError::Closed);
        }
        hear.await.unwrap_or(Err(StoreError::Closed))
    }

    /// Stops taking work, lets queued work finish, and joins the thread
    /// (closing the connection and releasing the file).
    pub async fn close(&self) {
        if let Ok(mut jobs) = self.jobs.lock() {
            jobs.take();
        }
        let thread = self.thread.lock().ok().and_then(|mut t| t.take());
        if let Some(thread) = thread {
            let _ = tokio::task::spawn_blocking(move || thread.join()).await;
        }
    }
}

fn run(connection: &Connection, jobs: &mpsc::Receiver<Job>) {
    while let Ok(first) = jobs.recv() {
        let mut group = vec![first];
        while group.len() < MAX_GROUP {
            match jobs.try_recv() {
                Ok(job) => group.push(job),
                Err(_) => break,
            }
        }
        run_group(connection, group);
    }
}

/// Runs a cached statement that takes no parameters (transaction control:
/// parsed once, not on every use).
fn control(connection: &Connection, sql: &str) -> Result<(), rusqlite::Error> {
    connection.prepare_cached(sql)?.execute([]).map(|_| ())
}

fn run_group(connection: &Connection, group: Vec<Job>) {
    // Reads go first and are answered at once: they see only committed
    // data (the previous group's), so they need not wait for this group's
    // commit and its fsync, which can take milliseconds on a busy disk.
    // No client can be waiting on a write of this group before its read:
    // writes are acknowledged, and announced, only after their commit.
    let (reads, writes): (Vec<Job>, Vec<Job>) = group.into_iter().partition(|job| !job.writes);
    for job in reads {
        if let Some(finished) = guarded(job.run, connection) {
            (finished.answer)(None);
        }
    }
    if writes.is_empty() {
        return;
    }
    if let Err(error) = control(connection, "BEGIN IMMEDIATE") {
        tracing::error!(error = %describe(&error), "sqlite: could not begin a transaction");
        for job in writes {
            ((job.run)(None).answer)(None);
        }
        return;
    }
    let mut answers = Vec::with_capacity(writes.len());
    // Set when a savepoint cannot be opened or closed: the transaction's
    // state is then unknown, so the whole group is rolled back.
    let mut failure: Option<String> = None;
    for job in writes {
        if failure.is_some() {
            answers.push((job.run)(None).answer);
            continue;
        }
        if let Err(error) = control(connection, "SAVEPOINT job") {
            failure = Some(describe(&error));
            answers.push((job.run)(None).answer);
            continue;
        }
        let Some(finished) = guarded(job.run, connection) else {
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
/// closed store (503); the group is rolled back.
fn guarded(run: Work, connection: &Connection) -> Option<Finished> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| run(Some(connection)))).ok()
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
        let connection = Connection::open_in_memory().unwrap();
        connection
            .execute_batch("CREATE TABLE t (x INTEGER)")
            .unwrap();
        let thread = ConnectionThread::start(connection).unwrap();
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
