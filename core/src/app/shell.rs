//! What the core asks of the platform: render the view, and the effects only
//! the platform can perform (its owner prompt, notification permission and
//! display, background scheduling, saving a file). Each shell implements
//! [`Shell`] once; answers come back as [`Action`](super::Action)s.

use super::view::{AppView, ExportFormat};

/// An export ready to be saved where the person chooses.
#[derive(Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct ExportFile {
    /// A file name to suggest, e.g. `hearth-journal-2026-12-04.md`.
    pub file_name: String,
    /// Which form.
    pub format: ExportFormat,
    /// The whole export.
    pub text: String,
}

impl std::fmt::Debug for ExportFile {
    // The text is the whole journal: keep it out of logs.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ExportFile")
            .field("file_name", &self.file_name)
            .field("format", &self.format)
            .field("chars", &self.text.chars().count())
            .finish()
    }
}

/// The platform, as the core sees it. Calls come from the core's own
/// threads: hop to the UI thread before touching views, and return quickly.
/// An implementation must not throw: catch and drop a platform failure.
#[cfg_attr(feature = "uniffi", uniffi::export(with_foreign))]
pub trait Shell: Send + Sync {
    /// Shows `view`: the whole app as it is now.
    fn render(&self, view: AppView);

    /// Whether the device can confirm its owner (it has a screen lock,
    /// biometrics or a passcode).
    fn device_can_authenticate(&self) -> bool;

    /// The device's offset from UTC now, in seconds: the person's calendar
    /// day decides the question of the day and program days.
    fn utc_offset_seconds(&self) -> i32;

    /// Shows the platform's owner prompt; answer with `UnlockSucceeded` or
    /// `UnlockFailed`.
    fn request_unlock(&self);

    /// Asks for permission to post notifications; answer with
    /// `NotificationPermission`.
    fn request_notification_permission(&self);

    /// Posts the one content-free notification: something new from the
    /// partner. It carries no text of theirs, no title, no count.
    fn notify_partner_news(&self);

    /// Lets the person save `file` where they choose (a file picker or a
    /// share sheet). Nothing is kept in the app's own files.
    fn save_export(&self, file: ExportFile);

    /// Lets the person pick a JSON export to restore (a file picker); the
    /// platform sends the file's bytes back as
    /// [`crate::app::Action::RestoreFromExport`], or nothing if the person
    /// cancels.
    fn choose_export_to_restore(&self);

    /// Turns periodic background sync on (paired) or off.
    fn schedule_background_sync(&self, enabled: bool);

    /// Everything on this device was erased: the platform drops what it
    /// keeps of its own (a wrapping key, preferences).
    fn erased(&self);
}
