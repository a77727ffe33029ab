//! The Settings screen's state: sync status, the relay, name, sexual-content
//! opt-in, app lock, content-free notifications, export, the devices
//! (`devices.rs`) and leaving. The
//! network work (sync, export, leave) runs in the background; see `mod.rs`.

use crate::error::Result;
use crate::guidance::consent::SexualContentConsent;
use crate::sync::SyncStatus;

use super::Cx;
use super::devices::Devices;
use super::local;
use super::view::{Problem, SettingsView};

#[derive(Debug, Default)]
pub(crate) struct Settings {
    sync: Option<SyncStatus>,
    consent: SexualContentConsent,
    partner_news: bool,
    pub(crate) notifications_blocked: bool,
    pub(crate) syncing: bool,
    pub(crate) exporting: bool,
    pub(crate) leaving: bool,
    pub(crate) devices: Devices,
    pub(crate) problem: Option<Problem>,
}

impl Settings {
    pub(crate) fn load(&mut self, cx: &Cx<'_>) -> Result<()> {
        self.sync = Some(cx.hearth.sync_status()?);
        self.consent = cx.hearth.sexual_content_consent()?;
        self.partner_news = local::partner_news(cx.hearth)?;
        self.devices.load(cx)
    }

    pub(crate) fn view(&self, cx: &Cx<'_>, app_lock: bool, can_lock: bool) -> SettingsView {
        SettingsView {
            sync: self.sync.clone().unwrap_or(SyncStatus {
                paired: cx.paired,
                relay_url: None,
                last_synced_at_ms: None,
                pending: 0,
                last_error: None,
                rejected_blobs: 0,
                notice: None,
                closed: cx.closed,
                relay_faults: 0,
                relay_fault: None,
                quarantined: 0,
            }),
            syncing: self.syncing,
            consent: self.consent,
            app_lock,
            can_lock,
            partner_news: self.partner_news,
            notifications_blocked: self.notifications_blocked,
            exporting: self.exporting,
            leaving: self.leaving,
            devices: self.devices.view(),
            problem: self.problem.clone(),
        }
    }

    pub(crate) fn set_partner_news(&mut self, cx: &Cx<'_>, on: bool) -> Result<()> {
        local::set_partner_news(cx.hearth, on)?;
        self.partner_news = on;
        if on {
            self.notifications_blocked = false;
        }
        Ok(())
    }
}
