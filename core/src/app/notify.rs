//! When the content-free "something new from your partner" notification
//! is due, and what a background sync reports to the platform's scheduler.

/// How a background sync went, for the platform's scheduler.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum BackgroundSyncOutcome {
    /// Not set up, not paired, or the space was closed: nothing to sync.
    NothingToDo,
    /// Synced.
    Synced,
    /// The relay could not be reached or the device was locked: try again
    /// later. Nothing is lost.
    RetryLater,
}

/// Whether to post the notification: only when something arrived, the app
/// is not in front (the person would see it anyway), and the person turned
/// the notifications on (which they can only do once the platform granted
/// the permission).
pub(crate) fn partner_news_due(pulled: u32, in_front: bool, turned_on: bool) -> bool {
    pulled > 0 && !in_front && turned_on
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn news_is_told_only_when_something_arrived_out_of_sight_and_allowed() {
        assert!(partner_news_due(1, false, true));
        assert!(!partner_news_due(0, false, true), "nothing pulled");
        assert!(!partner_news_due(3, true, true), "the app is in front");
        assert!(!partner_news_due(3, false, false), "turned off");
    }
}
