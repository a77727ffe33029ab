//! The one runtime every open app in the process shares: a bounded number
//! of threads however many profiles are open.

use std::sync::{Mutex, OnceLock, PoisonError};

use tokio::runtime::{Builder, Handle, Runtime};

use crate::error::{Error, Result};

static RUNTIME: OnceLock<Runtime> = OnceLock::new();
/// Held while the runtime starts, so two first callers cannot start two.
static STARTING: Mutex<()> = Mutex::new(());

/// The shared runtime, started on first use.
pub(crate) fn handle() -> Result<Handle> {
    if let Some(runtime) = RUNTIME.get() {
        return Ok(runtime.handle().clone());
    }
    let _starting = STARTING.lock().unwrap_or_else(PoisonError::into_inner);
    if let Some(runtime) = RUNTIME.get() {
        return Ok(runtime.handle().clone());
    }
    let runtime = Builder::new_multi_thread()
        .worker_threads(2)
        .thread_name("hearth-app")
        .enable_all()
        .build()
        .map_err(|e| Error::Background(e.to_string()))?;
    Ok(RUNTIME.get_or_init(|| runtime).handle().clone())
}
