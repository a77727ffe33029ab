//! Change notifications for the shells: a listener registered on [`Hearth`]
//! hears when something it shows changed, here or on the partner's phone.
//! Events carry ids, never content; the shell reads what it needs.
//!
//! Listeners are called after the change is committed, on the thread that
//! made it, with no lock held, so a listener may call back into `Hearth`.
//!
//! [`Hearth`]: crate::Hearth

use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError, Weak};

/// Something a shell may want to refresh.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum Event {
    /// An entry was written, edited, reacted to or commented on.
    EntryChanged {
        /// The entry's id.
        id: String,
    },
    /// An entry was deleted (or moved to a new id when shared or unshared).
    EntryRemoved {
        /// The id it had.
        id: String,
    },
    /// A shared document of another kind changed (an answer, a goal, ...).
    DocumentChanged {
        /// What the document holds.
        kind: crate::DocumentKind,
        /// The document's id.
        id: String,
    },
    /// The sync status changed.
    SyncStatusChanged,
}

/// Receives [`Event`]s.
pub trait Listener: Send + Sync {
    /// Called once per event, after the change is committed.
    fn on_event(&self, event: Event);
}

/// Keeps a listener registered; dropping it unregisters the listener.
pub struct Subscription {
    id: u64,
    registry: Weak<Registry>,
}

impl fmt::Debug for Subscription {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Subscription")
            .field("id", &self.id)
            .finish()
    }
}

impl Drop for Subscription {
    fn drop(&mut self) {
        if let Some(registry) = self.registry.upgrade() {
            registry
                .listeners
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .retain(|(id, _)| *id != self.id);
        }
    }
}

/// The registered listeners.
#[derive(Default)]
pub(crate) struct Registry {
    next: AtomicU64,
    listeners: Mutex<Vec<(u64, Arc<dyn Listener>)>>,
}

impl fmt::Debug for Registry {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let count = self
            .listeners
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .len();
        f.debug_struct("Registry")
            .field("listeners", &count)
            .finish()
    }
}

impl Registry {
    /// Registers `listener` until the returned subscription is dropped.
    pub(crate) fn subscribe(self: &Arc<Self>, listener: Arc<dyn Listener>) -> Subscription {
        let id = self.next.fetch_add(1, Ordering::Relaxed);
        self.listeners
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push((id, listener));
        Subscription {
            id,
            registry: Arc::downgrade(self),
        }
    }

    /// Tells every listener, outside the lock.
    pub(crate) fn emit(&self, events: impl IntoIterator<Item = Event>) {
        let listeners: Vec<Arc<dyn Listener>> = self
            .listeners
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .iter()
            .map(|(_, l)| l.clone())
            .collect();
        if listeners.is_empty() {
            return;
        }
        for event in events {
            for listener in &listeners {
                listener.on_event(event.clone());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Default)]
    struct Recorder(Mutex<Vec<Event>>);

    impl Listener for Recorder {
        fn on_event(&self, event: Event) {
            self.0.lock().unwrap().push(event);
        }
    }

    #[test]
    fn dropping_the_subscription_stops_the_events() {
        let registry = Arc::new(Registry::default());
        let recorder = Arc::new(Recorder::default());
        let subscription = registry.subscribe(recorder.clone());
        registry.emit([Event::SyncStatusChanged]);
        drop(subscription);
        registry.emit([Event::SyncStatusChanged]);
        assert_eq!(recorder.0.lock().unwrap().len(), 1);
    }
}
