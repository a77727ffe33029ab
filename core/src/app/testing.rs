//! A [`Shell`] for tests: it records every view and effect, and lets a test
//! say whether the device has a screen lock. Shared by the core's tests and
//! the cross-crate ones (feature `test-support`).
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)] // test support: a panic is a failure

use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use super::{AppView, ExportFile, Shell};

/// An effect the core asked the platform for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    /// The owner prompt.
    RequestUnlock,
    /// The notification permission.
    RequestNotificationPermission,
    /// The content-free notification.
    NotifyPartnerNews,
    /// Saving an export.
    SaveExport(ExportFile),
    /// The file picker for an export to restore.
    ChooseExportToRestore,
    /// Background sync on or off.
    ScheduleBackgroundSync(bool),
    /// Everything was erased.
    Erased,
}

/// Records what the core asks of the platform.
#[derive(Debug)]
pub struct RecordingShell {
    device_lock: AtomicBool,
    renders: AtomicUsize,
    effects: Mutex<Vec<Effect>>,
}

impl Default for RecordingShell {
    fn default() -> Self {
        Self {
            device_lock: AtomicBool::new(true),
            renders: AtomicUsize::new(0),
            effects: Mutex::new(Vec::new()),
        }
    }
}

impl RecordingShell {
    /// Whether the device has a screen lock from now on.
    pub fn set_device_lock(&self, present: bool) {
        self.device_lock.store(present, Ordering::SeqCst);
    }

    /// How many views were rendered.
    pub fn renders(&self) -> usize {
        self.renders.load(Ordering::SeqCst)
    }

    /// The effects asked for so far, taken.
    pub fn take_effects(&self) -> Vec<Effect> {
        std::mem::take(&mut *self.effects.lock().unwrap())
    }

    fn record(&self, effect: Effect) {
        self.effects.lock().unwrap().push(effect);
    }
}

impl Shell for RecordingShell {
    fn render(&self, _view: AppView) {
        self.renders.fetch_add(1, Ordering::SeqCst);
    }

    fn device_can_authenticate(&self) -> bool {
        self.device_lock.load(Ordering::SeqCst)
    }

    fn utc_offset_seconds(&self) -> i32 {
        0
    }

    fn request_unlock(&self) {
        self.record(Effect::RequestUnlock);
    }

    fn request_notification_permission(&self) {
        self.record(Effect::RequestNotificationPermission);
    }

    fn notify_partner_news(&self) {
        self.record(Effect::NotifyPartnerNews);
    }

    fn save_export(&self, file: ExportFile) {
        self.record(Effect::SaveExport(file));
    }

    fn choose_export_to_restore(&self) {
        self.record(Effect::ChooseExportToRestore);
    }

    fn schedule_background_sync(&self, enabled: bool) {
        self.record(Effect::ScheduleBackgroundSync(enabled));
    }

    fn erased(&self) {
        self.record(Effect::Erased);
    }
}

/// An app driven as a person would, with a [`RecordingShell`].
#[derive(Debug)]
pub struct Device {
    pub app: super::App,
    pub shell: std::sync::Arc<RecordingShell>,
}

impl Device {
    /// Starts an app on `config` and waits for its first view.
    pub async fn start(config: super::AppConfig, shell: std::sync::Arc<RecordingShell>) -> Self {
        let app = super::App::start(config, shell.clone()).unwrap();
        app.settle().await;
        Self { app, shell }
    }

    /// Does `action` and waits until it is handled.
    pub async fn act(&self, action: super::Action) {
        self.app.dispatch(action);
        self.app.settle().await;
    }

    /// The screens; a test that asks expects them shown.
    pub fn screens(&self) -> super::Screens {
        self.app.view().screens.expect("the screens are shown")
    }

    /// Waits (at most 10 s) until `check` holds for the screens: for what
    /// arrives from the partner's device.
    pub async fn until(&self, what: &str, check: impl Fn(&super::Screens) -> bool) {
        for _ in 0..200 {
            self.app.settle().await;
            if self.app.view().screens.as_ref().is_some_and(&check) {
                return;
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        panic!("never happened: {what}");
    }
}
