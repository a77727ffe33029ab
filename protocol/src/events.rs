//! The live stream: `GET /v1/spaces/{space}/events`, signed like any
//! request, answered with Server-Sent Events.
//!
//! The relay sends a `head` event at once (so a client that was offline
//! knows whether to pull) and again whenever the space's log grows; several
//! quick pushes may arrive as one event carrying the latest head. A
//! comment line (`: ping`) every 15 seconds keeps proxies from closing the
//! stream. `erased` and `shutdown` end the stream.

use serde::{Deserialize, Serialize};

/// One event on the live stream.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LiveEvent {
    /// The space's log now reaches `head`: pull after your cursor.
    Head {
        /// The highest sequence number in the space.
        head: u64,
    },
    /// The space was erased; nothing more will come.
    Erased,
    /// The relay is shutting down; reconnect after a short wait.
    Shutdown,
}

#[derive(Serialize, Deserialize)]
struct HeadData {
    head: u64,
}

/// SSE event name of [`LiveEvent::Head`].
pub const EVENT_HEAD: &str = "head";
/// SSE event name of [`LiveEvent::Erased`].
pub const EVENT_ERASED: &str = "erased";
/// SSE event name of [`LiveEvent::Shutdown`].
pub const EVENT_SHUTDOWN: &str = "shutdown";

impl LiveEvent {
    /// The SSE `event:` name and `data:` line of this event.
    #[must_use]
    pub fn to_sse(&self) -> (&'static str, String) {
        match self {
            Self::Head { head } => (EVENT_HEAD, format!("{{\"head\":{head}}}")),
            Self::Erased => (EVENT_ERASED, "{}".to_owned()),
            Self::Shutdown => (EVENT_SHUTDOWN, "{}".to_owned()),
        }
    }

    /// Reads an event from its SSE `event:` name and `data:` text; `None`
    /// for an event this version does not know (skip it).
    #[must_use]
    pub fn from_sse(event: &str, data: &str) -> Option<Self> {
        match event {
            EVENT_HEAD => serde_json::from_str::<HeadData>(data)
                .ok()
                .map(|d| Self::Head { head: d.head }),
            EVENT_ERASED => Some(Self::Erased),
            EVENT_SHUTDOWN => Some(Self::Shutdown),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn events_round_trip_through_their_sse_form() {
        for event in [
            LiveEvent::Head { head: 42 },
            LiveEvent::Erased,
            LiveEvent::Shutdown,
        ] {
            let (name, data) = event.to_sse();
            assert_eq!(LiveEvent::from_sse(name, &data), Some(event));
        }
        assert_eq!(LiveEvent::from_sse("head", "{\"head\":\"x\"}"), None);
        assert_eq!(LiveEvent::from_sse("later", "{}"), None);
    }
}
