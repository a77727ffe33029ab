//! [`AppCore`]: the app's state in the core, for the shells. A shell starts
//! one per profile with its [`Shell`] (rendering and platform effects),
//! sends it [`Action`]s and renders each [`AppView`] it is handed. One
//! delegating line per method; the rules live in `hearth_core::app`.

use std::sync::Arc;

use hearth_core::app::{Action, App, AppConfig, AppView, BackgroundSyncOutcome, Shell};

use crate::error::HearthError;
use crate::key_store::{KeyStore, PlatformKeyStore};

/// Hearth's screens and rules on this device.
#[derive(Debug, uniffi::Object)]
pub struct AppCore {
    app: App,
}

#[uniffi::export(async_runtime = "tokio")]
impl AppCore {
    /// Starts the app on the profile in `data_dir` (opened if set up; the
    /// view asks for a name otherwise), rendering through `shell`.
    /// `key_store` is the platform's secure storage (files in the data
    /// folder without one); `default_relay` is set on first open.
    #[uniffi::constructor(default(key_store = None, default_relay = None))]
    pub fn start(
        data_dir: String,
        shell: Arc<dyn Shell>,
        key_store: Option<Arc<dyn KeyStore>>,
        default_relay: Option<String>,
    ) -> Result<Arc<Self>, HearthError> {
        let config = AppConfig {
            key_store: key_store.map(|s| Arc::new(PlatformKeyStore(s)) as _),
            default_relay,
            ..AppConfig::new(data_dir)
        };
        Ok(Arc::new(Self {
            app: App::start(config, shell)?,
        }))
    }

    /// Hands the core an action; returns at once.
    pub fn dispatch(&self, action: Action) {
        self.app.dispatch(action);
    }

    /// The view as last rendered.
    pub fn view(&self) -> AppView {
        self.app.view()
    }

    /// Waits until the actions sent so far are handled and their work
    /// reported back (tests; a shell never needs it).
    pub async fn settle(&self) {
        self.app.settle().await;
    }

    /// One sync for the platform's background scheduler.
    pub async fn background_sync(&self) -> BackgroundSyncOutcome {
        self.app.background_sync().await
    }

    /// Stops live sync and closes the profile. Calling it again does
    /// nothing. (Named `stop`: `close` is the handle's own, in Kotlin.)
    pub async fn stop(&self) {
        self.app.close().await;
    }
}
