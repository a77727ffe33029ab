//! Live mode ([`Hearth::sync_live`], over a [`LiveStream`]): while the
//! phone is online, a stream from the relay announces
//! new sequence numbers and local changes trigger a push, so an entry
//! reaches the other phone within moments. When the relay cannot be
//! reached, writes wait in the outbox and reconnects back off with jitter.

use std::collections::VecDeque;
use std::future::Future;
use std::time::Duration;

use hearth_protocol::LiveEvent;
use hearth_protocol::events::EventReader;

use crate::Hearth;
use crate::error::{Error, Result};
use crate::events::Event;
use crate::sync::SyncReport;
use crate::sync::engine::{Streamed, UNPROVEN_ERASURE};
use crate::sync::state::{self, CURSOR};

/// The relay's live stream as events: the bytes of one response, read as
/// they arrive and split into the events they carry.
pub(crate) struct LiveStream {
    response: reqwest::Response,
    reader: EventReader,
    ready: VecDeque<LiveEvent>,
}

impl LiveStream {
    pub(crate) fn new(response: reqwest::Response) -> Self {
        Self {
            response,
            reader: EventReader::default(),
            ready: VecDeque::new(),
        }
    }

    /// The next event; an error when the stream broke or ended.
    pub(crate) async fn next(&mut self) -> Result<LiveEvent> {
        loop {
            if let Some(event) = self.ready.pop_front() {
                return Ok(event);
            }
            let chunk = self
                .response
                .chunk()
                .await
                .map_err(|_| Error::Sync("the live stream broke".into()))?;
            let Some(bytes) = chunk else {
                return Err(Error::Sync("the live stream ended".into()));
            };
            self.ready.extend(self.reader.feed(&bytes));
        }
    }
}

impl Hearth {
    /// Keeps this phone in sync until `stop` completes: syncs, then listens
    /// to the relay's live stream and to changes made here; reconnects with
    /// backoff when the relay is unreachable. Returns when stopped, or with
    /// an error only if sync cannot work at all (not paired, space closed,
    /// this device removed).
    pub async fn sync_live(&self, stop: impl Future<Output = ()>) -> Result<()> {
        tokio::pin!(stop);
        let mut backoff = Backoff::new();
        loop {
            let session = self.live_session();
            let ended = tokio::select! {
                () = &mut stop => return Ok(()),
                ended = session => ended,
            };
            match ended {
                Err(
                    e @ (Error::NotPaired
                    | Error::SpaceClosed
                    | Error::NoRelay
                    | Error::DeviceRemoved),
                ) => return Err(e),
                Err(_) => {
                    let wait = backoff.next_wait();
                    tokio::select! {
                        () = &mut stop => return Ok(()),
                        () = tokio::time::sleep(wait) => {}
                    }
                }
                Ok(()) => backoff.reset(),
            }
        }
    }

    /// One connection's worth of live sync; returns when the stream ends.
    async fn live_session(&self) -> Result<()> {
        self.sync_now().await?;
        let engine = self.engine()?;
        let mut stream = match engine.client.events(engine.keys, &engine.space).await {
            Ok(response) => LiveStream::new(response),
            Err(e) => {
                let result = Err(self.stop_if_removed(e.into()));
                self.record_outcome(&result, false)?;
                return result.map(|_: SyncReport| ());
            }
        };
        loop {
            tokio::select! {
                event = stream.next() => {
                        match event? {
                            LiveEvent::Head { head } => {
                                let cursor = self.store().read_warm(|c| state::number(c, CURSOR))?;
                                if head > cursor {
                                    self.sync_now().await?;
                                }
                            }
                            LiveEvent::Items { after, head, items } => {
                                match self.apply_streamed(&items, after, head)? {
                                    Streamed::Applied { rejected } => self.record_outcome(
                                        &Ok(SyncReport {
                                            pulled: items.len() as u32,
                                            rejected,
                                            ..SyncReport::default()
                                        }),
                                        true,
                                    )?,
                                    Streamed::Had => {}
                                    Streamed::Gap => {
                                        self.sync_now().await?;
                                    }
                                }
                            }
                            LiveEvent::Erased { erasure } => {
                                // Closed only on a signed erasure; any other
                                // `erased` is a relay fault and deletes
                                // nothing: reconnect and sync as before.
                                let proven = self
                                    .store()
                                    .read(|c| engine.proves_erasure(c, erasure.as_ref()))?;
                                self.store().write(|tx| {
                                    if proven {
                                        crate::sync::engine::close(tx)
                                    } else {
                                        state::relay_fault(tx, 1, UNPROVEN_ERASURE)
                                    }
                                })?;
                                self.emit([Event::SyncStatusChanged]);
                                return Err(if proven {
                                    Error::SpaceClosed
                                } else {
                                    Error::Sync("the relay ended the live stream".into())
                                });
                            }
                            LiveEvent::Shutdown => {
                                return Err(Error::Sync("the relay is restarting".into()));
                            }
                        }
                }
                () = self.wake().notified() => {
                    self.push_now().await?;
                }
            }
        }
    }
}

/// Exponential backoff with full jitter: 0.5 s, 1 s, 2 s ... up to a minute,
/// each wait a random point between half and all of it, so two phones (or a
/// thousand) do not retry in lockstep.
#[derive(Debug, Clone)]
pub(crate) struct Backoff {
    attempt: u32,
}

/// The first wait.
const FIRST: Duration = Duration::from_millis(500);
/// The longest wait.
const MAX: Duration = Duration::from_secs(60);

impl Backoff {
    pub fn new() -> Self {
        Self { attempt: 0 }
    }

    /// After a success.
    pub fn reset(&mut self) {
        self.attempt = 0;
    }

    /// The wait before the next attempt.
    pub fn next_wait(&mut self) -> Duration {
        let ceiling = FIRST.saturating_mul(1u32 << self.attempt.min(16)).min(MAX);
        self.attempt = self.attempt.saturating_add(1);
        let mut bytes = [0u8; 8];
        let fraction = match crate::crypto::fill_random(&mut bytes) {
            Ok(()) => 0.5 + (u64::from_le_bytes(bytes) >> 11) as f64 / (1u64 << 53) as f64 / 2.0,
            Err(_) => 0.75,
        };
        ceiling.mul_f64(fraction)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn waits_grow_to_a_ceiling_with_jitter_and_reset() {
        let mut b = Backoff::new();
        let first = b.next_wait();
        assert!(first >= FIRST / 2 && first <= FIRST, "{first:?}");
        for _ in 0..20 {
            let w = b.next_wait();
            assert!(w <= MAX && w >= MAX / 2 || b.attempt < 8, "{w:?}");
        }
        let waits: Vec<Duration> = (0..8).map(|_| b.next_wait()).collect();
        assert!(waits.iter().any(|w| *w != waits[0]), "no jitter");
        b.reset();
        assert!(b.next_wait() <= FIRST);
    }
}
