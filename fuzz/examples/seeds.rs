//! Writes the seed corpora into `fuzz/seeds/<target>/` from real
//! messages: documents a phone wrote (read back from its database),
//! blobs sealed the way a phone seals them, an honest pairing exchange,
//! live events as the relay encodes them, and the requests a phone sends.
//! Run by `scripts/fuzz seeds`.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a generator: a panic is a failure

use std::path::Path;

use automerge::AutoCommit;
use hearth_core::fuzzing::{Receiver, Sender, payload};
use hearth_core::guidance::goal::GoalStatus;
use hearth_core::journal::entry::EntryUpdate;
use hearth_core::testing::Phone;
use hearth_fuzz::{envelope, join, pairing, relay, snapshot};
use hearth_protocol::{
    AddDevice, BlobId, CompactRequest, CreateSpace, Deletion, DeviceId, DocumentId, LiveEvent,
    LogItem, NewBlob, NewSnapshot, PushRequest, SpaceId,
};

fn main() {
    let out = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "fuzz/seeds".into());
    let out = Path::new(&out);
    let docs = documents();
    let receiver = Receiver::new().unwrap();
    write_snapshot(out, &docs);
    let envelope_items = write_envelope(out, &receiver, &docs);
    write_live(out, &envelope_items);
    write_pairing(out);
    write_relay(out);
}

/// (id, kind, snapshot, changes) of every document a phone wrote.
type Doc = (String, String, Vec<u8>, Vec<u8>);

fn documents() -> Vec<Doc> {
    let phone = Phone::new("Alex");
    let entry = phone.write("We cooked together.");
    phone
        .hearth
        .edit_entry(
            &entry.id,
            EntryUpdate {
                title: Some("Sunday".into()),
                body: "We cooked together, then walked.".into(),
                emotions: Vec::new(),
            },
        )
        .unwrap();
    phone.write("A quiet evening.");
    phone
        .hearth
        .answer_daily_question("2026-11-26", "The walk.")
        .unwrap();
    let goal = phone.hearth.add_goal("Cook on Sundays").unwrap();
    phone.hearth.add_date_idea("Picnic by the lake").unwrap();
    phone.hearth.appreciate("Thank you for dinner").unwrap();
    phone.hearth.record_check_in("2026-11-26").unwrap();
    let before = read_documents(&phone);
    phone
        .hearth
        .set_goal_status(&goal.id, GoalStatus::Chosen)
        .unwrap();
    let mut after = read_documents(&phone);
    // What a push sends for an edit: the changes since the heads the
    // partner has (`save_after`), kept in the `changes` column here.
    for doc in &mut after {
        let Some(old) = before.iter().find(|d| d.0 == doc.0) else {
            continue;
        };
        let mut full = AutoCommit::load(&doc.2).unwrap();
        full.load_incremental(&doc.3).unwrap();
        let mut old_doc = AutoCommit::load(&old.2).unwrap();
        old_doc.load_incremental(&old.3).unwrap();
        let since = full.save_after(&old_doc.get_heads());
        if !since.is_empty() {
            doc.2 = old_doc.save();
            doc.3 = since;
        }
    }
    after
}

fn read_documents(phone: &Phone) -> Vec<Doc> {
    let conn = rusqlite::Connection::open(phone.dir.path().join("hearth.db")).unwrap();
    let mut stmt = conn
        .prepare("SELECT id, kind, snapshot, changes FROM documents ORDER BY kind, updated_at, id")
        .unwrap();
    stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

fn save(out: &Path, target: &str, name: &str, bytes: &[u8]) {
    let dir = out.join(target);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join(name), bytes).unwrap();
}

/// A name for document `index` that stays the same from run to run (ids
/// are random).
fn name(docs: &[Doc], index: usize) -> String {
    let kind = &docs[index].1;
    let nth = docs[..index].iter().filter(|d| &d.1 == kind).count();
    format!("{kind}-{nth}")
}

fn write_snapshot(out: &Path, docs: &[Doc]) {
    for (i, (_, kind, snap, changes)) in docs.iter().enumerate() {
        let pick = snapshot::DOC_IDS
            .iter()
            .position(|d| d.starts_with(kind.as_str()))
            .unwrap_or(0);
        let mut input = vec![u8::try_from(pick).unwrap()];
        input.extend_from_slice(snap);
        save(out, "snapshot", &name(docs, i), &input);
        if !changes.is_empty() {
            let mut input = vec![u8::try_from(pick).unwrap()];
            input.extend_from_slice(changes);
            save(
                out,
                "snapshot",
                &format!("{}-changes", name(docs, i)),
                &input,
            );
        }
    }
}

fn record(mode: u8, bytes: &[u8]) -> Vec<u8> {
    let mut r = vec![mode];
    r.extend_from_slice(bytes);
    r
}

/// Writes the envelope seeds; returns pulled items for the live seeds.
fn write_envelope(out: &Path, receiver: &Receiver, docs: &[Doc]) -> Vec<LogItem> {
    let mut all = Vec::new();
    for (i, (id, _, snap, changes)) in docs.iter().enumerate() {
        let mut records = vec![record(0, &payload(id, snap))];
        if !changes.is_empty() {
            records.push(record(0, &payload(id, changes)));
        }
        save(out, "envelope", &name(docs, i), &join(&records));
        all.extend(records);
    }
    // Later changes first, then the document: order must not matter.
    let mut reversed = all.clone();
    reversed.reverse();
    save(
        out,
        "envelope",
        "all-reversed",
        &join(&reversed[..reversed.len().min(16)]),
    );
    // The other modes, on the first document.
    let (id, _, snap, _) = &docs[0];
    let plain = payload(id, snap);
    for mode in [2, 3, 4] {
        save(
            out,
            "envelope",
            &format!("mode-{mode}"),
            &join(&[record(mode, &plain)]),
        );
    }
    // A raw ciphertext that opens: the partner's blob 1 of the fixed document.
    let fixed = payload(envelope::FIXED_DOC, snap);
    let Ok(LogItem::Blob(blob)) = receiver.sealed(
        Sender::Partner,
        &receiver.relay_doc(envelope::FIXED_DOC),
        1,
        &fixed,
    ) else {
        panic!("a sealed blob")
    };
    save(
        out,
        "envelope",
        "raw-ciphertext",
        &join(&[record(1, &blob.data)]),
    );
    // A payload from a newer app (layout version 2).
    let mut newer = plain.clone();
    newer[0] = 2;
    save(out, "envelope", "newer-layout", &join(&[record(0, &newer)]));
    envelope::items(receiver, &join(&all[..all.len().min(4)]))
}

fn sse(event: &LiveEvent) -> String {
    let (name, data) = event.to_sse();
    format!("event: {name}\ndata: {data}\n\n")
}

fn write_live(out: &Path, items: &[LogItem]) {
    let streams = [
        ("head", sse(&LiveEvent::Head { head: 7 })),
        (
            "items",
            sse(&LiveEvent::Items {
                after: 0,
                head: items.len() as u64,
                items: items.to_vec(),
            }),
        ),
        (
            "shutdown",
            format!(": ping\n\n{}", sse(&LiveEvent::Shutdown)),
        ),
        ("erased", sse(&LiveEvent::Erased { erasure: None })),
        (
            "crlf",
            "event: head\r\ndata: {\"head\":3}\r\n\r\nevent: future\ndata: x\n\n".to_owned(),
        ),
    ];
    for (name, text) in streams {
        for size in [0u8, 7] {
            let mut input = vec![size];
            input.extend_from_slice(text.as_bytes());
            save(out, "live", &format!("{name}-{size}"), &input);
        }
    }
}

fn write_pairing(out: &Path) {
    let messages = pairing::honest_messages();
    let hosts: Vec<Vec<u8>> = vec![
        messages[1].clone(),
        messages[3].clone(),
        messages[5].clone(),
    ];
    let joiners: Vec<Vec<u8>> = vec![
        messages[0].clone(),
        messages[2].clone(),
        messages[4].clone(),
    ];
    let mut host = vec![0, 0];
    host.extend(join(&hosts));
    save(out, "pairing", "to-host", &host);
    let mut joiner = vec![1, 0];
    joiner.extend(join(&joiners));
    save(out, "pairing", "to-joiner", &joiner);
    for (step, message) in messages.iter().enumerate() {
        let step = u8::try_from(step).unwrap();
        let mut replace = vec![2, step];
        replace.extend_from_slice(message);
        save(out, "pairing", &format!("replace-{step}"), &replace);
        save(out, "pairing", &format!("xor-{step}"), &[3, step, 0, 0, 1]);
    }
}

fn json(value: &impl serde::Serialize) -> String {
    serde_json::to_string(value).unwrap()
}

fn write_relay(out: &Path) {
    let space = SpaceId::parse("space-1").unwrap();
    let doc = DocumentId::from_random_bytes([4; 16]);
    let a = relay::device_key(b'A');
    let b_device = DeviceId::from_key(&relay::device_key(b'B').verifying_key());
    let s = format!("/v1/spaces/{space}");
    let create = format!(
        "A PUT {s}\ncontent-type: application/json\n\n{}",
        json(&CreateSpace { member: None })
    );
    let add = format!(
        "A POST {s}/devices\ncontent-type: application/json\n\n{}",
        json(&AddDevice {
            device: b_device,
            member: None
        })
    );
    let push = format!(
        "A POST {s}/blobs\ncontent-type: application/json\n\n{}",
        json(&PushRequest {
            blobs: vec![NewBlob {
                id: BlobId::from_random_bytes([1; 16]),
                doc: doc.clone(),
                data: b"ciphertext".to_vec(),
            }],
        })
    );
    let pull = format!("B GET {s}/blobs?after=0&limit=10\n\n");
    let compact = format!(
        "A POST {s}/documents/{doc}/compact\ncontent-type: application/json\n\n{}",
        json(&CompactRequest {
            upto: 1,
            snapshot: NewSnapshot {
                id: BlobId::from_random_bytes([2; 16]),
                data: b"snapshot".to_vec(),
            },
        })
    );
    let forget = format!(
        "A DELETE {s}/documents/{doc}\ncontent-type: application/json\n\n{}",
        json(&Deletion::forget(
            &a,
            &space,
            &doc,
            hearth_relay::fuzzing::NOW
        ))
    );
    let erase = format!(
        "A DELETE {s}\ncontent-type: application/json\n\n{}",
        json(&Deletion::erase(&a, &space, hearth_relay::fuzzing::NOW))
    );
    let read = format!("B GET {s}\n\n");
    let events = format!("B GET {s}/events?items=1\n\n");
    let side_a = "hearth-pairing-side: aaaaaaaaaaaaaaaaaaaaaa";
    let side_b = "hearth-pairing-side: bbbbbbbbbbbbbbbbbbbbbb";
    let pairing = [
        format!("- POST /v1/pairing\n{side_a}\n\n"),
        format!("- POST /v1/pairing/$NP/claim\n{side_b}\n\n"),
        format!(
            "- POST /v1/pairing/$NP/messages\n{side_a}\ncontent-type: application/json\n\n{{\"body\":\"aGVsbG8\"}}"
        ),
        format!("- GET /v1/pairing/$NP/messages?after=0&wait=20\n{side_b}\n\n"),
        format!("- DELETE /v1/pairing/$NP\n{side_a}\n\n"),
    ];
    let unsigned = format!(
        "- GET {s}/blobs?after=0&limit=10\nhearth-device: x\nhearth-timestamp: 1\nhearth-nonce: n\nhearth-signature: s\n\n"
    );
    let seeds: Vec<(&str, Vec<String>)> = vec![
        (
            "space-life",
            vec![
                create.clone(),
                add.clone(),
                push.clone(),
                pull.clone(),
                read.clone(),
                events,
                compact,
                pull.clone(),
                forget,
                pull.clone(),
                erase,
                read,
            ],
        ),
        ("push-pull", vec![create.clone(), add, push, pull]),
        ("pairing", pairing.to_vec()),
        (
            "ops",
            vec![
                "- GET /healthz\n\n".into(),
                "- GET /readyz\n\n".into(),
                "- GET /metrics\n\n".into(),
            ],
        ),
        ("unsigned", vec![create, unsigned]),
    ];
    for (name, requests) in seeds {
        let records: Vec<Vec<u8>> = requests.into_iter().map(String::into_bytes).collect();
        save(out, "relay", name, &join(&records));
    }
}
