//! Wake-ups inside one relay process: live streams waiting for a space's
//! log to grow, pairing reads waiting for a message, and everyone waiting
//! for shutdown. The PostgreSQL backend feeds changes made by other relay
//! processes into the same hub.

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex};

use hearth_protocol::{DeviceId, LogItem, Nameplate, SpaceId};
use tokio::sync::{Notify, watch};

/// Resolves once `signal` (from [`LiveHub::shutdown_signal`]) turns true,
/// or its hub is gone.
pub async fn until_shutdown(signal: &mut watch::Receiver<bool>) {
    // The guard `wait_for` returns must not live across an await.
    let _ = signal.wait_for(|down| *down).await.map(|_| ());
}

/// Resolves once `device` is among `removals` (never, while it is not,
/// or when the hub is gone).
pub async fn until_removed(removals: &mut watch::Receiver<Vec<DeviceId>>, device: DeviceId) {
    if removals
        .wait_for(|removed| removed.contains(&device))
        .await
        .is_err()
    {
        std::future::pending::<()>().await;
    }
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

/// A new item as `items` events carry it: serialised once, for every
/// stream of its space.
#[derive(Debug, Clone)]
pub struct RecentItem {
    /// Its seq.
    pub seq: u64,
    /// The device that wrote it.
    pub writer: DeviceId,
    /// Its JSON, as in a pull.
    pub json: Arc<str>,
}

impl RecentItem {
    /// Largest ciphertext an `items` event carries; larger blobs are
    /// pulled. With [`RECENT_ITEMS`] it bounds what a followed space holds
    /// in memory (about 45 KB at worst, a few KB for journal entries).
    pub const MAX_CARRIED_BYTES: usize = 4 * 1024;

    /// A new item, if it is small enough to carry.
    pub fn new(item: &LogItem, writer: DeviceId) -> Option<Self> {
        if let LogItem::Blob(blob) = item
            && blob.data.len() > Self::MAX_CARRIED_BYTES
        {
            return None;
        }
        let json = serde_json::to_string(item).ok()?;
        Some(Self {
            seq: item.seq(),
            writer,
            json: Arc::from(json),
        })
    }
}

/// How many recent items a followed space keeps for `items` events: a
/// stream that fell further behind gets a `head` event and pulls.
const RECENT_ITEMS: usize = 8;

/// One followed space: its signal and its most recent items.
#[derive(Debug)]
struct SpaceChannel {
    signal: watch::Sender<SpaceSignal>,
    recent: Mutex<VecDeque<RecentItem>>,
    /// Devices removed from the space while someone followed it: their
    /// streams end.
    removed: watch::Sender<Vec<DeviceId>>,
}

impl SpaceChannel {
    fn new() -> Self {
        Self {
            signal: watch::Sender::new(SpaceSignal::head(0)),
            recent: Mutex::new(VecDeque::with_capacity(RECENT_ITEMS)),
            removed: watch::Sender::new(Vec::new()),
        }
    }

    /// Keeps `items`, in seq order, dropping the oldest past the limit.
    fn remember(&self, items: Vec<RecentItem>) {
        if items.is_empty() {
            return;
        }
        if let Ok(mut recent) = self.recent.lock() {
            for item in items {
                // Concurrent pushes may announce out of order.
                let at = recent.partition_point(|kept| kept.seq < item.seq);
                if recent.get(at).is_none_or(|kept| kept.seq != item.seq) {
                    recent.insert(at, item);
                }
            }
            while recent.len() > RECENT_ITEMS {
                recent.pop_front();
            }
        }
    }
}

/// The process-wide hub.
#[derive(Debug)]
pub struct LiveHub {
    spaces: Mutex<HashMap<SpaceId, Arc<SpaceChannel>>>,
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
        let channel = match self.spaces.lock() {
            Ok(mut spaces) => Arc::clone(
                spaces
                    .entry(space.clone())
                    .or_insert_with(|| Arc::new(SpaceChannel::new())),
            ),
            // A poisoned map still yields a working (if unannounced) watch;
            // the stream then only sees heartbeats and shutdown.
            Err(_) => Arc::new(SpaceChannel::new()),
        };
        SpaceWatch {
            hub: Arc::clone(self),
            space: space.clone(),
            receiver: Some(channel.signal.subscribe()),
            removals: channel.removed.subscribe(),
            channel,
        }
    }

    /// Whether a stream in this process follows `space` (only then are
    /// recent items worth keeping).
    pub fn is_watched(&self, space: &SpaceId) -> bool {
        self.spaces
            .lock()
            .is_ok_and(|spaces| spaces.contains_key(space))
    }

    /// Announces that `space`'s log reaches `head`. Older heads (arriving
    /// late from another relay instance) are ignored.
    pub fn announce(&self, space: &SpaceId, head: u64) {
        self.raise(space, SpaceSignal::head(head));
    }

    /// Announces that `writer`'s write moved `space`'s head from `from` to
    /// `head`, with the new items it made (those small enough to carry in
    /// `items` events; others are simply left out).
    pub fn announce_write(
        &self,
        space: &SpaceId,
        from: u64,
        head: u64,
        writer: DeviceId,
        items: Vec<RecentItem>,
    ) {
        let channel = self
            .spaces
            .lock()
            .ok()
            .and_then(|spaces| spaces.get(space).cloned());
        if let Some(channel) = channel {
            // Items first: a stream woken by the signal must find them.
            channel.remember(items);
            Self::signal(
                &channel,
                SpaceSignal::Head {
                    head,
                    last_write: Some((from, writer)),
                },
            );
        }
    }

    fn raise(&self, space: &SpaceId, next: SpaceSignal) {
        let channel = self
            .spaces
            .lock()
            .ok()
            .and_then(|spaces| spaces.get(space).cloned());
        if let Some(channel) = channel {
            Self::signal(&channel, next);
        }
    }

    fn signal(channel: &SpaceChannel, next: SpaceSignal) {
        let SpaceSignal::Head { head, .. } = next else {
            return;
        };
        {
            channel.signal.send_if_modified(|signal| match signal {
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
            && let Some(channel) = spaces.get(space)
        {
            if let Ok(mut recent) = channel.recent.lock() {
                recent.clear();
            }
            channel.signal.send_replace(SpaceSignal::Erased);
        }
    }

    /// Announces that `device` was removed from `space`: its live streams
    /// end.
    pub fn device_removed(&self, space: &SpaceId, device: DeviceId) {
        if let Ok(spaces) = self.spaces.lock()
            && let Some(channel) = spaces.get(space)
        {
            channel.removed.send_modify(|removed| {
                if !removed.contains(&device) {
                    removed.push(device);
                }
            });
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
            .map(|spaces| {
                spaces
                    .values()
                    .map(|channel| channel.signal.receiver_count())
                    .sum()
            })
            .unwrap_or(0)
    }
}

/// One live stream's view of its space. Dropping it lets the hub forget
/// the space once nobody follows it.
#[derive(Debug)]
pub struct SpaceWatch {
    hub: Arc<LiveHub>,
    space: SpaceId,
    channel: Arc<SpaceChannel>,
    receiver: Option<watch::Receiver<SpaceSignal>>,
    removals: watch::Receiver<Vec<DeviceId>>,
}

impl SpaceWatch {
    /// The devices removed from the space while this watch lived; wait
    /// on it with [`until_removed`].
    pub fn removals(&self) -> watch::Receiver<Vec<DeviceId>> {
        self.removals.clone()
    }

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

    /// Every item with a seq in (`after`, `head`], if all of them are still
    /// held (none is missing, too large, or evicted).
    pub fn recent_between(&self, after: u64, head: u64) -> Option<Vec<RecentItem>> {
        let recent = self.channel.recent.lock().ok()?;
        let wanted = usize::try_from(head.checked_sub(after)?).ok()?;
        let found: Vec<RecentItem> = recent
            .iter()
            .filter(|item| item.seq > after && item.seq <= head)
            .cloned()
            .collect();
        (found.len() == wanted).then_some(found)
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
                .is_some_and(|channel| channel.signal.receiver_count() == 0)
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
    async fn a_removal_wakes_only_the_removed_device() {
        let hub = Arc::new(LiveHub::default());
        let lost = DeviceId::from_bytes([1; 32]);
        let kept = DeviceId::from_bytes([2; 32]);
        let watch = hub.watch_space(&space("s"));
        let mut removals = watch.removals();
        hub.device_removed(&space("s"), kept);
        hub.device_removed(&space("other"), lost);
        let waiting = tokio::time::timeout(
            std::time::Duration::ZERO,
            until_removed(&mut removals, lost),
        )
        .await;
        assert!(waiting.is_err(), "a removal of another device woke it");
        hub.device_removed(&space("s"), lost);
        until_removed(&mut removals, lost).await;
        until_removed(&mut removals, kept).await;
    }

    fn item(seq: u64, writer: DeviceId) -> RecentItem {
        RecentItem {
            seq,
            writer,
            json: Arc::from(format!("{{\"seq\":{seq}}}")),
        }
    }

    #[tokio::test]
    async fn recent_items_are_served_only_when_the_range_is_complete() {
        let hub = Arc::new(LiveHub::default());
        let writer = DeviceId::from_bytes([1; 32]);
        let watch = hub.watch_space(&space("s"));
        hub.announce_write(
            &space("s"),
            0,
            2,
            writer,
            vec![item(2, writer), item(1, writer)],
        );
        let found = watch.recent_between(0, 2).unwrap();
        assert_eq!(found.iter().map(|i| i.seq).collect::<Vec<_>>(), [1, 2]);
        // Seq 3 was too large to keep: the range (1, 3] is incomplete.
        hub.announce_write(&space("s"), 2, 3, writer, vec![]);
        assert!(watch.recent_between(1, 3).is_none());
        assert_eq!(watch.recent_between(1, 2).unwrap().len(), 1);
        // Only the newest items are kept.
        let many: Vec<RecentItem> = (4..40).map(|seq| item(seq, writer)).collect();
        hub.announce_write(&space("s"), 3, 39, writer, many);
        assert!(watch.recent_between(30, 39).is_none());
        assert_eq!(watch.recent_between(31, 39).unwrap().len(), 8);
        // Unwatched spaces keep nothing.
        assert!(!hub.is_watched(&space("other")));
        hub.announce_write(&space("other"), 0, 1, writer, vec![item(1, writer)]);
        assert!(!hub.is_watched(&space("other")));
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
