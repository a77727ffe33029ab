//! Pulled blobs, through envelope open -> payload decode -> merge into a
//! real store (the projections included), as a pull or the live stream
//! delivers them to a paired phone.
//!
//! Input: records separated by [`SEPARATOR`](crate::SEPARATOR), each one
//! blob: a mode byte, then bytes.
//!
//! - mode 0: the bytes are a payload (version, id length, id, Automerge
//!   bytes), sealed by the partner under the document the payload names;
//! - mode 1: the bytes are the ciphertext itself, from the partner;
//! - mode 2: a payload sealed by the partner under another document;
//! - mode 3: a payload sealed by a device outside the space;
//! - mode 4: a payload sealed by this phone (its own blob coming back).
//!
//! Fails when the pass errs (a stalled sync), a stored document no longer
//! loads, or anything panics outside the merge's `catch_unwind`.

use hearth_core::fuzzing::{Receiver, Sender};
use hearth_protocol::LogItem;

/// Blobs per input.
const MAX_BLOBS: usize = 16;

/// The document raw ciphertexts and unreadable payloads are filed under.
pub const FIXED_DOC: &str = "entry-fuzz";

thread_local! {
    static RECEIVER: Receiver = Receiver::new().expect("a receiving phone");
}

/// Runs `f` with this thread's receiving phone (one store, every input
/// rolled back).
pub fn with_receiver<T>(f: impl FnOnce(&Receiver) -> T) -> T {
    RECEIVER.with(f)
}

/// The blobs an input stands for.
#[must_use]
pub fn items(receiver: &Receiver, data: &[u8]) -> Vec<LogItem> {
    let mut items = Vec::new();
    for (i, record) in crate::records(data, MAX_BLOBS).into_iter().enumerate() {
        let Some((&mode, bytes)) = record.split_first() else {
            continue;
        };
        let seq = i as u64 + 1;
        let named = hearth_core::fuzzing::payload_doc(bytes).unwrap_or_else(|| FIXED_DOC.into());
        let item = match mode % 5 {
            0 => receiver.sealed(Sender::Partner, &receiver.relay_doc(&named), seq, bytes),
            1 => receiver.blob(
                Sender::Partner,
                &receiver.relay_doc(FIXED_DOC),
                seq,
                bytes.to_vec(),
            ),
            2 => receiver.sealed(Sender::Partner, &receiver.relay_doc("other"), seq, bytes),
            3 => receiver.sealed(Sender::Stranger, &receiver.relay_doc(&named), seq, bytes),
            _ => receiver.sealed(Sender::Me, &receiver.relay_doc(&named), seq, bytes),
        };
        items.push(item.expect("a relay id is always valid"));
    }
    items
}

/// Runs one input.
pub fn run(data: &[u8]) {
    crate::unwind_panics();
    with_receiver(|receiver| {
        let items = items(receiver, data);
        // A merge that panics inside Automerge is caught and quarantined,
        // as designed; a panic anywhere else aborts the run.
        receiver
            .receive(&items)
            .expect("hostile blobs stalled the sync pass or damaged the store");
    });
}
