//! The live stream's event reader (server-sent events), and the items an
//! `items` event carries, which a phone applies like a pulled page.
//!
//! Input: the first byte sets the chunk size the stream is cut into (0:
//! one chunk); the rest is the stream.

use hearth_protocol::LiveEvent;
use hearth_protocol::events::EventReader;

/// Runs one input.
pub fn run(data: &[u8]) {
    crate::unwind_panics();
    let Some((&size, stream)) = data.split_first() else {
        return;
    };
    let whole = EventReader::default().feed(stream);
    let mut reader = EventReader::default();
    let mut chunked = Vec::new();
    let size = if size == 0 {
        stream.len().max(1)
    } else {
        usize::from(size)
    };
    for chunk in stream.chunks(size) {
        chunked.extend(reader.feed(chunk));
    }
    assert_eq!(whole, chunked, "the events depend on how the bytes arrived");
    for event in &whole {
        let (name, data) = event.to_sse();
        assert_eq!(
            LiveEvent::from_sse(name, &data).as_ref(),
            Some(event),
            "an event does not survive its own encoding"
        );
        if let LiveEvent::Items { items, .. } = event {
            crate::envelope::with_receiver(|r| r.receive(items))
                .expect("streamed items stalled the sync pass");
        }
    }
}
