//! The single writer thread. SQLite allows one writer at a time, so every
//! write goes through one connection on one OS thread, off the async
//! runtime. Writes that queue up while a transaction commits are grouped
//! into the next transaction, each in its own savepoint, so one refused
//! write never undoes another and a burst of pushes shares one commit.

use std::sync::mpsc;
use std::thread::JoinHandle;

use rusqlite::Connection;
use tokio::sync::oneshot;

use crate::store::StoreError;

/// Most writes grouped into one transaction.
const MAX_GROUP: usize = 128;

/// A write: runs inside its savepoint (or, given `None`, fails without
/// running) and tells whether it succeeded; its answer is sent only once
/// the transaction's commit is known.
type Job = Box<dyn FnOnce(Option<&Connection>) -> Finished + Send>;

struct Finished {
    succeeded: bool,
    answer: Box<dyn FnOnce(Option<String>) + Send>,
}

/// Hands writes to the writer thread.
#[derive(Debug)]
pub(crate) struct Writer {
    jobs: std::sync::Mutex<Option<mpsc::Sender<Job>>>,
    thread: std::sync::Mutex<Option<JoinHandle<()>>>,
}

impl Writer {
    /// Starts the writer thread on `connection`.
    pub fn start(connection: Connection) -> Result<Self, StoreError> {
        let (sender, receiver) = mpsc::channel::<Job>();
        let thread = std::thread::Builder::new()
            .name("hearth-relay-sqlite-writer".into())
            .spawn(move || run(&connection, &receiver))
            .map_err(|_| StoreError::Backend("could not start the SQLite writer thread".into()))?;
        Ok(Self {
            jobs: std::sync::Mutex::new(Some(sender)),
            thread: std::sync::Mutex::new(Some(thread)),
        })
    }

    /// Runs `work` in a transaction on the writer thread; answers after the
    /// commit. An error from `work` rolls back only `work`.
    pub async fn write<T, F>(&self, work: F) -> Result<T, StoreError>
    where
        T: Send + 'static,
        F: FnOnce(&Connection) -> Result<T, StoreError> + Send + 'static,
    {
        let (tell, hear) = oneshot::channel();
        let job: Job = Box::new(move |connection| {
            let result = match connection {
                Some(connection) => work(connection),
                None => Err(StoreError::Backend(
                    "the SQLite write transaction could not start".into(),
                )),
            };
            Finished {
                succeeded: result.is_ok(),
                answer: Box::new(move |commit_failure| {
                    let outcome = match commit_failure {
                        None => result,
                        Some(failure) => Err(StoreError::Backend(failure)),
                    };
                    // The asker may have given up (timeout); the write
                    // stands either way and a retry finds it.
                    let _ = tell.send(outcome);
                }),
            }
        });
        let sent = match self.jobs.lock() {
            Ok(jobs) => jobs.as_ref().is_some_and(|jobs| jobs.send(job).is_ok()),
            Err(_) => false,
        };
        if !sent {
            return Err(StoreError::Closed);
        }
        hear.await.unwrap_or(Err(StoreError::Closed))
    }

    /// Stops taking writes, lets queued ones finish, and joins the thread.
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

fn run_group(connection: &Connection, group: Vec<Job>) {
    if let Err(error) = connection.execute_batch("BEGIN IMMEDIATE") {
        tracing::error!(error = %describe(&error), "sqlite: could not begin a write transaction");
        for job in group {
            (job(None).answer)(None);
        }
        return;
    }
    let mut answers = Vec::with_capacity(group.len());
    // Set when a savepoint cannot be opened or closed: the transaction's
    // state is then unknown, so the whole group is rolled back.
    let mut failure: Option<String> = None;
    for job in group {
        if failure.is_some() {
            answers.push(job(None).answer);
            continue;
        }
        if let Err(error) = connection.execute_batch("SAVEPOINT job") {
            failure = Some(describe(&error));
            answers.push(job(None).answer);
            continue;
        }
        let finished = job(Some(connection));
        let closed = if finished.succeeded {
            connection.execute_batch("RELEASE job")
        } else {
            connection.execute_batch("ROLLBACK TO job; RELEASE job")
        };
        if let Err(error) = closed {
            failure = Some(describe(&error));
        }
        answers.push(finished.answer);
    }
    if failure.is_none() {
        failure = connection
            .execute_batch("COMMIT")
            .err()
            .map(|error| describe(&error));
    }
    if let Some(failure) = &failure {
        tracing::error!(error = %failure, "sqlite: write group failed and was rolled back");
        let _ = connection.execute_batch("ROLLBACK");
    }
    for answer in answers {
        answer(failure.clone());
    }
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
