//! The sync methods of [`Hearth`]: choosing the relay, pairing with the
//! partner, syncing once or live, the sync status, and leaving the shared
//! space. Network calls are `suspend` in Kotlin and `async` in Swift; they
//! run on tokio.

use std::sync::Arc;

use hearth_core::sync::{PairingInvite, PairingResult, SyncReport, SyncStatus};

use crate::error::HearthError;
use crate::hearth::Hearth;
use crate::live_sync::LiveSync;

type Result<T, E = HearthError> = std::result::Result<T, E>;

#[uniffi::export(async_runtime = "tokio")]
impl Hearth {
    /// Sets the relay this phone syncs through, e.g.
    /// `https://relay.example.org`.
    pub fn set_relay(&self, url: String) -> Result<()> {
        Ok(self.core.set_relay(&url)?)
    }

    /// Starts pairing as the partner who shows the code. Show the code,
    /// then call [`finish_pairing`](Self::finish_pairing).
    pub async fn start_pairing(&self) -> Result<PairingInvite> {
        Ok(self.core.start_pairing().await?)
    }

    /// Waits for the partner to type the code, then shares the space with
    /// them. Both phones then show the same safety number.
    pub async fn finish_pairing(&self) -> Result<PairingResult> {
        Ok(self.core.finish_pairing().await?)
    }

    /// Joins the partner's space with the code their phone shows.
    pub async fn join_partner(&self, code: String) -> Result<PairingResult> {
        Ok(self.core.join_partner(&code).await?)
    }

    /// Pushes what changed here, pulls what the partner wrote, and
    /// compacts. With the relay unreachable nothing is lost: changes stay
    /// queued.
    pub async fn sync_now(&self) -> Result<SyncReport> {
        Ok(self.core.sync_now().await?)
    }

    /// Starts live sync in the background; it runs until the returned
    /// handle is stopped or dropped.
    pub fn start_live_sync(&self) -> Arc<LiveSync> {
        LiveSync::start(Arc::clone(&self.core), &self.background)
    }

    /// Where sync stands, for the Settings screen.
    pub fn sync_status(&self) -> Result<SyncStatus> {
        Ok(self.core.sync_status()?)
    }

    /// Clears the sync status's notice once the person has seen it.
    pub fn dismiss_sync_notice(&self) -> Result<()> {
        Ok(self.core.dismiss_sync_notice()?)
    }

    /// Leaves the shared space: the relay erases it, and both phones keep
    /// their copy, read-only and exportable.
    pub async fn leave_space(&self) -> Result<()> {
        Ok(self.core.leave_space().await?)
    }
}
