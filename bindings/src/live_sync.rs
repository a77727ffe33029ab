//! Live sync for the shell: [`Hearth::start_live_sync`](crate::Hearth)
//! starts the core's `sync_live` in the background and returns a
//! [`LiveSync`] handle; stopping the handle, or dropping it, ends it.
//!
//! The work runs on one small tokio runtime of this library's own, because
//! starting it is a plain (not `suspend`/`async`) call: the shell holds the
//! handle for as long as the app is in the foreground.

use std::fmt;
use std::sync::{Arc, Mutex, PoisonError};

use tokio::runtime::Handle;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use crate::error::HearthError;

/// The runtime live sync runs on, started once per process.
static BACKGROUND: Mutex<Option<Handle>> = Mutex::new(None);

/// The background runtime, started on first use: a single-threaded tokio
/// runtime driven by one thread of its own for the life of the process.
/// One thread is plenty: live sync mostly waits on the network.
pub(crate) fn background() -> Result<Handle, HearthError> {
    // Held while starting, so two first callers cannot start two.
    let mut slot = BACKGROUND.lock().unwrap_or_else(PoisonError::into_inner);
    if let Some(handle) = slot.as_ref() {
        return Ok(handle.clone());
    }
    let failed = |e: std::io::Error| HearthError::Internal {
        reason: format!("could not start the background sync runtime ({e})"),
    };
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(failed)?;
    let handle = runtime.handle().clone();
    std::thread::Builder::new()
        .name("hearth-sync".into())
        .spawn(move || runtime.block_on(std::future::pending::<()>()))
        .map_err(failed)?;
    *slot = Some(handle.clone());
    Ok(handle)
}

/// Keeps this phone in sync while it is held: new entries and answers from
/// the partner arrive within moments (the shell's [`EventListener`] hears
/// of them), and changes made here are sent right away. It reconnects by
/// itself when the network comes back.
///
/// Call [`stop`](Self::stop) (or drop it: in Kotlin `close()`, in Swift
/// release it) when the app goes to the background. If it ends on its own
/// because sync cannot work at all (not paired, no relay set, the shared
/// space was closed), [`is_running`](Self::is_running) turns false and
/// `sync_status()` says why.
///
/// [`EventListener`]: crate::EventListener
#[derive(uniffi::Object)]
pub struct LiveSync {
    stop: Mutex<Option<oneshot::Sender<()>>>,
    task: JoinHandle<()>,
}

impl fmt::Debug for LiveSync {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LiveSync")
            .field("running", &self.is_running())
            .finish()
    }
}

impl LiveSync {
    /// Starts `core.sync_live` on `runtime`, until the handle is stopped or
    /// dropped.
    pub(crate) fn start(core: Arc<hearth_core::Hearth>, runtime: &Handle) -> Arc<Self> {
        let (stop, stopped) = oneshot::channel::<()>();
        let task = runtime.spawn(async move {
            // A sent stop and a dropped handle both end the wait.
            let until_stopped = async move {
                let _ = stopped.await;
            };
            // The core records why live sync gave up in the sync status
            // (and tells listeners), so the result needs no second home.
            let _ = core.sync_live(until_stopped).await;
        });
        Arc::new(Self {
            stop: Mutex::new(Some(stop)),
            task,
        })
    }
}

#[uniffi::export]
impl LiveSync {
    /// Stops live sync. It ends within moments: a request in flight is
    /// abandoned, what was already saved stays, and the next sync picks up
    /// the rest. Calling it again does nothing.
    pub fn stop(&self) {
        let stop = self
            .stop
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take();
        if let Some(stop) = stop {
            // The task may have ended on its own already; then no one
            // listens, which is fine.
            let _ = stop.send(());
        }
    }

    /// Whether live sync is still running: false once stopped, or once it
    /// gave up because sync cannot work (see `sync_status()`).
    pub fn is_running(&self) -> bool {
        !self.task.is_finished()
    }
}
