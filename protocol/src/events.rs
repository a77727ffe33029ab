//! The live stream: `GET /v1/spaces/{space}/events`, signed like any
//! request, answered with Server-Sent Events.
//!
//! The relay sends a `head` event at once (so a client that was offline
//! knows whether to pull) and again whenever the space's log grows; several
//! quick pushes may arrive as one event carrying the latest head. A
//! comment line (`: ping`) every 15 seconds keeps proxies from closing the
//! stream. `erased` and `shutdown` end the stream.
//!
//! Opened with `?items=1` ([`paths::events_with_items`](crate::paths::events_with_items)),
//! the stream may instead send an `items` event carrying the new items
//! themselves, when the relay still holds all of them and they are small;
//! an online phone then needs no pull.

use serde::{Deserialize, Serialize};

use crate::blobs::LogItem;
use crate::deletion::Deletion;

/// One event on the live stream.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LiveEvent {
    /// The space's log now reaches `head`: pull after your cursor.
    Head {
        /// The highest sequence number in the space.
        head: u64,
    },
    /// Only on a stream opened with `?items=1`: every item with a seq in
    /// (`after`, `head`] that another device wrote, in seq order (the
    /// rest are this device's own writes). If your cursor is `after`, or
    /// only your own writes lie between it and `after`, apply the items
    /// and move your cursor to `head`; otherwise pull after your cursor.
    Items {
        /// The head of the previous event on this stream.
        after: u64,
        /// The highest sequence number in the space.
        head: u64,
        /// The other devices' new blobs and tombstones.
        items: Vec<LogItem>,
    },
    /// The relay says the space was erased; nothing more will come. Only
    /// an `erasure` signed by a device of the space proves it.
    Erased {
        /// The signed statement that erased the space.
        erasure: Option<Deletion>,
    },
    /// The relay is shutting down; reconnect after a short wait.
    Shutdown,
}

/// The `data:` of an `erased` event.
#[derive(Serialize, Deserialize)]
struct ErasedData {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    erasure: Option<Deletion>,
}

#[derive(Serialize, Deserialize)]
struct HeadData {
    head: u64,
}

/// The `data:` of an `items` event.
#[derive(Serialize, Deserialize)]
struct ItemsData {
    after: u64,
    head: u64,
    items: Vec<LogItem>,
}

/// Writes the `data:` of an `items` event from items already serialised
/// one by one (a relay serialises each new item once, for every stream).
#[must_use]
pub fn items_data<'a>(after: u64, head: u64, items: impl IntoIterator<Item = &'a str>) -> String {
    let mut data = format!("{{\"after\":{after},\"head\":{head},\"items\":[");
    for (i, item) in items.into_iter().enumerate() {
        if i > 0 {
            data.push(',');
        }
        data.push_str(item);
    }
    data.push_str("]}");
    data
}

/// Longest SSE line a client reads ([`EventReader`] drops longer ones).
pub const MAX_LINE: usize = 16 * 1024;

/// Longest `data:` text of an `items` event a relay sends: below
/// [`MAX_LINE`] with room for the `data: ` prefix. A relay whose items
/// would not fit sends a `head` event instead, and the phone pulls.
pub const MAX_ITEMS_DATA: usize = MAX_LINE - 64;

/// SSE event name of [`LiveEvent::Head`].
pub const EVENT_HEAD: &str = "head";
/// SSE event name of [`LiveEvent::Items`].
pub const EVENT_ITEMS: &str = "items";
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
            Self::Items { after, head, items } => {
                let items: Vec<String> = items
                    .iter()
                    .filter_map(|item| serde_json::to_string(item).ok())
                    .collect();
                (
                    EVENT_ITEMS,
                    items_data(*after, *head, items.iter().map(String::as_str)),
                )
            }
            Self::Erased { erasure } => (
                EVENT_ERASED,
                serde_json::to_string(&ErasedData {
                    erasure: erasure.clone(),
                })
                .unwrap_or_else(|_| "{}".to_owned()),
            ),
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
            EVENT_ITEMS => serde_json::from_str::<ItemsData>(data)
                .ok()
                .map(|d| Self::Items {
                    after: d.after,
                    head: d.head,
                    items: d.items,
                }),
            EVENT_ERASED => Some(Self::Erased {
                erasure: serde_json::from_str::<ErasedData>(data)
                    .ok()
                    .and_then(|d| d.erasure),
            }),
            EVENT_SHUTDOWN => Some(Self::Shutdown),
            _ => None,
        }
    }
}

/// Reads live events out of the raw bytes of an SSE response, chunk by
/// chunk, as they arrive (for a client on reqwest's `bytes_stream`).
///
/// ```
/// use hearth_protocol::events::{EventReader, LiveEvent};
///
/// let mut reader = EventReader::default();
/// assert!(reader.feed(b"event: head\ndata: {\"he").is_empty());
/// let events = reader.feed(b"ad\":3}\n\n: ping\n\n");
/// assert_eq!(events, [LiveEvent::Head { head: 3 }]);
/// ```
#[derive(Debug, Default)]
pub struct EventReader {
    line: Vec<u8>,
    event: String,
    data: String,
    overlong: bool,
}

impl EventReader {
    /// Longest line kept; longer ones (never sent by a relay) are dropped
    /// so a broken peer cannot make the reader grow without bound.
    pub const MAX_LINE: usize = MAX_LINE;

    /// Takes the next bytes of the stream; answers the events they
    /// complete, in order.
    pub fn feed(&mut self, chunk: &[u8]) -> Vec<LiveEvent> {
        let mut events = Vec::new();
        for &byte in chunk {
            if byte == b'\n' {
                if !self.overlong {
                    let line = std::mem::take(&mut self.line);
                    if let Some(event) = self.take_line(&line) {
                        events.push(event);
                    }
                }
                self.line.clear();
                self.overlong = false;
            } else if self.line.len() < Self::MAX_LINE {
                self.line.push(byte);
            } else {
                self.overlong = true;
            }
        }
        events
    }

    fn take_line(&mut self, line: &[u8]) -> Option<LiveEvent> {
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        if line.is_empty() {
            // A blank line ends the event.
            let event = std::mem::take(&mut self.event);
            let data = std::mem::take(&mut self.data);
            if event.is_empty() && data.is_empty() {
                return None;
            }
            return LiveEvent::from_sse(&event, &data);
        }
        if line.first() == Some(&b':') {
            return None;
        }
        let text = String::from_utf8_lossy(line);
        let (field, value) = text.split_once(':').unwrap_or((&text, ""));
        let value = value.strip_prefix(' ').unwrap_or(value);
        match field {
            "event" => value.clone_into(&mut self.event),
            "data" => {
                if !self.data.is_empty() {
                    self.data.push('\n');
                }
                self.data.push_str(value);
            }
            _ => {}
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_reader_handles_split_chunks_comments_and_unknown_events() {
        let mut reader = EventReader::default();
        let stream = b": ping\n\nevent: later\ndata: {}\n\nevent: head\r\ndata: {\"head\":7}\r\n\r\nevent: erased\ndata: {}\n\n";
        let mut events = Vec::new();
        for chunk in stream.chunks(5) {
            events.extend(reader.feed(chunk));
        }
        assert_eq!(
            events,
            [
                LiveEvent::Head { head: 7 },
                LiveEvent::Erased { erasure: None }
            ]
        );
    }

    #[test]
    fn overlong_lines_are_dropped() {
        let mut reader = EventReader::default();
        let mut junk = b"data: ".to_vec();
        junk.extend(std::iter::repeat_n(b'x', EventReader::MAX_LINE * 2));
        junk.extend(b"\n\nevent: shutdown\ndata: {}\n\n");
        assert_eq!(reader.feed(&junk), [LiveEvent::Shutdown]);
    }

    #[test]
    fn events_round_trip_through_their_sse_form() {
        let tombstone = LogItem::Tombstone(crate::blobs::Tombstone {
            seq: 41,
            doc: crate::ids::DocumentId::parse("d").unwrap(),
            deletion: None,
        });
        let key = ed25519_dalek::SigningKey::from_bytes(&[3; 32]);
        let erasure = Deletion::erase(&key, &crate::ids::SpaceId::parse("s").unwrap(), 9);
        for event in [
            LiveEvent::Head { head: 42 },
            LiveEvent::Items {
                after: 40,
                head: 42,
                items: vec![tombstone],
            },
            LiveEvent::Items {
                after: 40,
                head: 42,
                items: vec![],
            },
            LiveEvent::Erased { erasure: None },
            LiveEvent::Erased {
                erasure: Some(erasure),
            },
            LiveEvent::Shutdown,
        ] {
            let (name, data) = event.to_sse();
            assert_eq!(LiveEvent::from_sse(name, &data), Some(event));
        }
        assert_eq!(LiveEvent::from_sse("head", "{\"head\":\"x\"}"), None);
        assert_eq!(LiveEvent::from_sse("later", "{}"), None);
    }
}
