//! Change notifications for the shell: it registers an [`EventListener`]
//! and keeps the returned [`EventSubscription`] for as long as it wants
//! events (a screen's lifetime, say). Dropping the handle, or calling
//! [`EventSubscription::cancel`], ends the subscription.

use std::fmt;
use std::sync::{Arc, Mutex, PoisonError};

use hearth_core::events::{Event, Listener, Subscription};

/// Receives change events: journal entries, answers and other shared
/// documents, and the sync status. Events carry ids only; the shell reads
/// what it shows through [`Hearth`](crate::Hearth).
///
/// Called after the change is committed, on the thread that made it, with
/// no lock held: hop to the UI thread before touching views, and keep the
/// call short.
#[uniffi::export(with_foreign)]
pub trait EventListener: Send + Sync {
    /// One change.
    fn on_event(&self, event: Event);
}

/// The shell's listener, registered with the core.
pub(crate) struct ForeignListener(pub(crate) Arc<dyn EventListener>);

impl Listener for ForeignListener {
    fn on_event(&self, event: Event) {
        self.0.on_event(event);
    }
}

/// Keeps a listener registered. Dropping it (in Kotlin `close()`, in Swift
/// releasing it) or calling [`cancel`](Self::cancel) stops the events.
#[derive(uniffi::Object)]
pub struct EventSubscription {
    subscription: Mutex<Option<Subscription>>,
}

impl fmt::Debug for EventSubscription {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EventSubscription")
            .field("active", &self.is_active())
            .finish()
    }
}

impl EventSubscription {
    pub(crate) fn new(subscription: Subscription) -> Arc<Self> {
        Arc::new(Self {
            subscription: Mutex::new(Some(subscription)),
        })
    }
}

#[uniffi::export]
impl EventSubscription {
    /// Stops the events now. Calling it again does nothing.
    pub fn cancel(&self) {
        // Taken out of the lock first, so the unsubscribe runs unlocked.
        let subscription = self
            .subscription
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take();
        drop(subscription);
    }

    /// Whether events still arrive.
    pub fn is_active(&self) -> bool {
        self.subscription
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .is_some()
    }
}
