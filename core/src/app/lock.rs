//! When the app hides its content behind the owner prompt: at launch and
//! after [`GRACE_MS`] or more in the background, if the person turned the
//! lock on. A device that no longer has a screen lock cannot confirm its
//! owner, so the lock screen then offers a way in: turning Hearth's lock
//! off. Whoever removed the device's own lock already knew its credential,
//! so this gives nothing away that the device itself did not.

/// A quick switch to another app (to copy a pairing code, say) does not lock.
pub const GRACE_MS: i64 = 30_000;

/// The lock's state.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Lock {
    enabled: bool,
    locked: bool,
    away_since: Option<i64>,
}

/// Why the lock cannot be turned on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct NoDeviceLock;

impl Lock {
    /// The lock of a profile just opened: locked at once if it is on.
    pub(crate) fn opened(enabled: bool) -> Self {
        Self {
            enabled,
            locked: enabled,
            away_since: None,
        }
    }

    pub(crate) fn enabled(&self) -> bool {
        self.enabled
    }

    pub(crate) fn locked(&self) -> bool {
        self.locked
    }

    /// The app went to the background at `now`.
    pub(crate) fn background(&mut self, now: i64) {
        self.away_since.get_or_insert(now);
    }

    /// The app came back at `now`; returns whether it just locked.
    pub(crate) fn foreground(&mut self, now: i64) -> bool {
        let Some(since) = self.away_since.take() else {
            return false;
        };
        if self.enabled && !self.locked && now - since >= GRACE_MS {
            self.locked = true;
            return true;
        }
        false
    }

    /// The owner prompt succeeded.
    pub(crate) fn unlock(&mut self) {
        self.locked = false;
    }

    /// Turns the lock on (only where the device can confirm its owner) or off.
    pub(crate) fn set_enabled(
        &mut self,
        enabled: bool,
        device_can_authenticate: bool,
    ) -> Result<(), NoDeviceLock> {
        if enabled && !device_can_authenticate {
            return Err(NoDeviceLock);
        }
        self.enabled = enabled;
        if !enabled {
            self.locked = false;
        }
        Ok(())
    }

    /// The way in when the device has no lock any more: the lock goes off.
    /// Refused while the device can still confirm its owner.
    pub(crate) fn turn_off_without_device(
        &mut self,
        device_can_authenticate: bool,
    ) -> Result<(), DeviceStillLocks> {
        if device_can_authenticate {
            return Err(DeviceStillLocks);
        }
        self.enabled = false;
        self.locked = false;
        Ok(())
    }
}

/// The device can still confirm its owner: use its prompt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct DeviceStillLocks;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_enabled_lock_locks_at_launch_and_a_disabled_one_never() {
        assert!(Lock::opened(true).locked());
        let mut off = Lock::opened(false);
        off.background(0);
        assert!(!off.foreground(GRACE_MS * 10));
        assert!(!off.locked());
    }

    #[test]
    fn a_short_trip_away_does_not_lock_and_a_long_one_does() {
        let mut lock = Lock::opened(true);
        lock.unlock();
        lock.background(1_000);
        assert!(!lock.foreground(1_000 + GRACE_MS - 1));
        assert!(!lock.locked());
        lock.background(50_000);
        assert!(lock.foreground(50_000 + GRACE_MS));
        assert!(lock.locked());
    }

    #[test]
    fn coming_back_without_having_left_changes_nothing() {
        let mut lock = Lock::opened(true);
        lock.unlock();
        assert!(!lock.foreground(i64::MAX));
    }

    #[test]
    fn the_lock_goes_on_only_where_the_device_can_confirm_its_owner() {
        let mut lock = Lock::opened(false);
        assert_eq!(lock.set_enabled(true, false), Err(NoDeviceLock));
        assert!(!lock.enabled());
        assert_eq!(lock.set_enabled(true, true), Ok(()));
        assert!(lock.enabled());
    }

    #[test]
    fn with_the_device_lock_gone_there_is_a_way_in_and_not_before() {
        let mut lock = Lock::opened(true);
        assert_eq!(lock.turn_off_without_device(true), Err(DeviceStillLocks));
        assert!(lock.locked());
        assert_eq!(lock.turn_off_without_device(false), Ok(()));
        assert!(!lock.locked());
        assert!(!lock.enabled());
    }

    #[test]
    fn turning_the_lock_off_unlocks() {
        let mut lock = Lock::opened(true);
        lock.set_enabled(false, true).unwrap();
        assert!(!lock.locked());
    }
}
