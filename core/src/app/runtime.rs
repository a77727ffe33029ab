//! The one runtime every open app in the process shares: a bounded number
//! of threads however many profiles are open.

use std::sync::OnceLock;

use tokio::runtime::{Builder, Handle, Runtime};

use crate::error::{Error, Result};

static RUNTIME: OnceLock<Runtime> = OnceLock::new();

/// The shared runtime, started on first use.
pub(crate) fn handle() -> Result<Handle> {
    if let Some(runtime) = RUNTIME.get() {
        return Ok(runtime.handle().clone());
    }
    let runtime = Builder::new_multi_thread()
        .worker_threads(2)
        .thread_name("hearth-app")
        .enable_all()
        .build()
        .map_err(|e| Error::Background(e.to_string()))?;
    // Two first callers may both build one; the second is dropped unused.
    let runtime = RUNTIME.get_or_init(|| runtime);
    Ok(runtime.handle().clone())
}
