//! Wake-ups inside one relay process: live streams waiting for a space's
//! log to grow, pairing reads waiting for a message, and everyone waiting
//! for shutdown. The PostgreSQL backend feeds changes made by other relay
//! processes into the same hub.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use hearth_protocol::{DeviceId, Nameplate, SpaceId};
use tokio::sync::{Notify, watch};

/// Resolves once `signal` (from [`LiveHub::shutdown_signal`]) turns true,
/// or its hub is gone.
pub async fn until_shutdown(signal: &mut watch::Receiver<bool>) {
    // The guard `wait_for` returns must not live across an await.
    let _ = signal.wait_for(|down| *down).await.map(|_| ());
}

/// What a live stream learns about its space.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SpaceSignal {
    /// The log reaches `head`.
    Head {
        /// The highest seq.
        head: u64,
        /// When one device's write moved the head here, the head before
        /// it and that device: a stream of that device that already saw
        /// `from` has nothing new to hear (it knows its own writes).
        last_write: Option<(u64, DeviceId)>,
    },
    /// The space is gone.
    Erased,
}

impl SpaceSignal {
    fn head(head: u64) -> Self {
        Self::Head {
            head,
            last_write: None,
        }
    }
}

/// The process-wide hub.
#[derive(Debug)]
pub struct LiveHub {
    spaces: Mutex<HashMap<SpaceId, watch::Sender<SpaceSignal>>>,
    pairings: Mutex<HashMap<Nameplate, Arc<Notify>>>,
    shutdown: watch::Sender<bool>,
}

impl Default for LiveHub {
    fn default() -> Self {
        Self {
            spaces: Mutex::new(HashMap::new()),
            pairings: Mutex::new(HashMap::new()),
            shutdown: watch::Sender::new(false),
        }
    }
}

impl LiveHub {
    /// Starts following `space`. Subscribe before reading the head from
    /// storage, then [`SpaceWatch::raise`] to it, so no push falls between.
    pub fn watch_space(self: &Arc<Self>, space: &SpaceId) -> SpaceWatch {
        let receiver = match self.spaces.lock() {
            Ok(mut spaces) => spaces
                .entry(space.clone())
                .or_insert_with(|| watch::Sender::new(SpaceSignal::head(0)))
                .subscribe(),
            // A poisoned map still yields a working (if unannounced) watch;
            // the stream then only sees heartbeats and shutdown.
            Err(_) => watch::Sender::new(SpaceSignal::head(0)).subscribe(),
        };
        SpaceWatch {
            hub: Arc::clone(self),
            space: space.clone(),
            receiver: Some(receiver),
        }
    }

    /// Announces that `space`'s log reaches `head`. Older heads (arriving
    /// late from another relay instance) are ignored.
    pub fn announce(&self, space: &SpaceId, head: u64) {
        self.raise(space, SpaceSignal::head(head));
    }

    /// Announces that `writer`'s write moved `space`'s head from `from` to
    /// `head`.
    pub fn announce_write(&self, space: &SpaceId, from: u64, head: u64, writer: DeviceId) {
        self.raise(
            space,
            SpaceSignal::Head {
                head,
                last_write: Some((from, writer)),
            },
        );
    }

    fn raise(&self, space: &SpaceId, next: SpaceSignal) {
        let SpaceSignal::Head { head, .. } = next else {
            return;
        };
        if let Ok(spaces) = self.spaces.lock()
            && let Some(sender) = spaces.get(space)
        {
            sender.send_if_modified(|signal| match signal {
                SpaceSignal::Head { head: current, .. } if *current >= head => false,
                // A lower head, or an erased space that was created anew
                // under the same id (streams of the old one have ended).
                _ => {
                    *signal = next;
                    true
                }
            });
        }
    }

    /// Announces that `space` was erased.
    pub fn erased(&self, space: &SpaceId) {
        if let Ok(spaces) = self.spaces.lock()
            && let Some(sender) = spaces.get(space)
        {
            sender.send_replace(SpaceSignal::Erased);
        }
    }

    /// The spaces someone in this process is following (to catch up after
    /// a missed notification).
    pub fn watched_spaces(&self) -> Vec<SpaceId> {
        self.spaces
            .lock()
            .map(|spaces| spaces.keys().cloned().collect())
            .unwrap_or_default()
    }

    /// The wake-up for a pairing mailbox. Call `enable` on the
    /// `notified()` future before reading, then wait on it.
    pub fn pairing(self: &Arc<Self>, nameplate: &Nameplate) -> PairingWatch {
        let notify = match self.pairings.lock() {
            Ok(mut pairings) => Arc::clone(
                pairings
                    .entry(nameplate.clone())
                    .or_insert_with(|| Arc::new(Notify::new())),
            ),
            Err(_) => Arc::new(Notify::new()),
        };
        PairingWatch {
            hub: Arc::clone(self),
            nameplate: nameplate.clone(),
            notify,
        }
    }

    /// Wakes everyone waiting on `nameplate`.
    pub fn pairing_changed(&self, nameplate: &Nameplate) {
        if let Ok(pairings) = self.pairings.lock()
            && let Some(notify) = pairings.get(nameplate)
        {
            notify.notify_waiters();
        }
    }

    /// Wakes every pairing read (after a missed notification).
    pub fn wake_all_pairings(&self) {
        if let Ok(pairings) = self.pairings.lock() {
            for notify in pairings.values() {
                notify.notify_waiters();
            }
        }
    }

    /// Tells every stream and waiting read to finish.
    pub fn begin_shutdown(&self) {
        self.shutdown.send_replace(true);
    }

    /// A receiver that turns true when the relay shuts down.
    pub fn shutdown_signal(&self) -> watch::Receiver<bool> {
        self.shutdown.subscribe()
    }

    /// How many live streams are open in this process.
    pub fn live_streams(&self) -> usize {
        self.spaces
            .lock()
            .map(|spaces| spaces.values().map(watch::Sender::receiver_count).sum())
            .unwrap_or(0)
    }
}

/// One live stream's view of its space. Dropping it lets the hub forget
/// the space once nobody follows it.
#[derive(Debug)]
pub struct SpaceWatch {
    hub: Arc<LiveHub>,
    space: SpaceId,
    receiver: Option<watch::Receiver<SpaceSignal>>,
}

impl SpaceWatch {
    /// Raises the known head to `head` (read from storage after
    /// subscribing) and answers the current signal.
    pub fn raise(&mut self, head: u64) -> SpaceSignal {
        self.hub.announce(&self.space, head);
        match &mut self.receiver {
            // Marks the value seen, so `changed` waits for the next one.
            Some(receiver) => *receiver.borrow_and_update(),
            None => SpaceSignal::head(head),
        }
    }

    /// Waits for the next change; `None` when the hub is gone.
    pub async fn changed(&mut self) -> Option<SpaceSignal> {
        let receiver = self.receiver.as_mut()?;
        receiver.changed().await.ok()?;
        Some(*receiver.borrow_and_update())
    }
}

impl Drop for SpaceWatch {
    fn drop(&mut self) {
        drop(self.receiver.take());
        if let Ok(mut spaces) = self.hub.spaces.lock()
            && spaces
                .get(&self.space)
                .is_some_and(|sender| sender.receiver_count() == 0)
        {
            spaces.remove(&self.space);
        }
    }
}

/// One pairing read's wake-up. Dropping it lets the hub forget the
/// mailbox once nobody waits on it.
#[derive(Debug)]
pub struct PairingWatch {
    hub: Arc<LiveHub>,
    nameplate: Nameplate,
    notify: Arc<Notify>,
}

impl PairingWatch {
    /// The shared wake-up.
    pub fn notify(&self) -> &Notify {
        &self.notify
    }
}

impl Drop for PairingWatch {
    fn drop(&mut self) {
        // The map's handle and ours: nobody else waits on this mailbox.
        if let Ok(mut pairings) = self.hub.pairings.lock()
            && pairings
                .get(&self.nameplate)
                .is_some_and(|notify| Arc::strong_count(notify) == 2)
        {
            pairings.remove(&self.nameplate);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn space(id: &str) -> SpaceId {
        SpaceId::parse(id).unwrap()
    }

    #[tokio::test]
    async fn a_watch_sees_heads_rise_and_never_fall() {
        let hub = Arc::new(LiveHub::default());
        let mut watch = hub.watch_space(&space("s"));
        assert_eq!(watch.raise(5), SpaceSignal::head(5));
        hub.announce(&space("s"), 3);
        hub.announce(&space("s"), 7);
        assert_eq!(watch.changed().await, Some(SpaceSignal::head(7)));
        hub.erased(&space("s"));
        assert_eq!(watch.changed().await, Some(SpaceSignal::Erased));
        // Created anew under the same id: a new stream starts from its head.
        let mut again = hub.watch_space(&space("s"));
        assert_eq!(again.raise(1), SpaceSignal::head(1));
    }

    #[tokio::test]
    async fn the_hub_forgets_spaces_nobody_follows() {
        let hub = Arc::new(LiveHub::default());
        let first = hub.watch_space(&space("s"));
        let second = hub.watch_space(&space("s"));
        assert_eq!(hub.live_streams(), 2);
        drop(first);
        assert_eq!(hub.watched_spaces().len(), 1);
        drop(second);
        assert!(hub.watched_spaces().is_empty());
        assert_eq!(hub.live_streams(), 0);
    }

    #[tokio::test]
    async fn pairing_waiters_are_woken_and_then_forgotten() {
        let hub = Arc::new(LiveHub::default());
        let nameplate = Nameplate::parse("1234").unwrap();
        let watch = hub.pairing(&nameplate);
        {
            let notified = watch.notify().notified();
            tokio::pin!(notified);
            notified.as_mut().enable();
            hub.pairing_changed(&nameplate);
            tokio::time::timeout(std::time::Duration::from_secs(1), notified)
                .await
                .unwrap();
        }
        drop(watch);
        assert!(hub.pairings.lock().unwrap().is_empty());
    }
}
