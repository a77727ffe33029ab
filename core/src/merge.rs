//! The merge entry point of the sync engine: bytes another device produced
//! for a shared document are applied here and the document's projections
//! refreshed, in one transaction. Order and duplicates do not matter:
//! Automerge keeps changes that arrive before their dependencies and applies
//! them once the rest arrives.

use automerge::{
    AutoCommit, Automerge, AutomergeError, LoadOptions, OnPartialLoad, ROOT, VerificationMode,
};
use rusqlite::Connection;

use crate::document::{KIND_KEY, get_str};
use crate::error::{Error, Result};
use crate::events::Event;
use crate::guidance;
use crate::journal::Actor;
use crate::journal::entry::{self, Visibility};
use crate::kind::DocumentKind;
use crate::store::documents::{self, PENDING_KIND};

/// What applying remote bytes did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum MergeOutcome {
    /// The bytes brought something new; projections are up to date.
    Applied,
    /// Everything in the bytes was already here.
    AlreadyHad,
    /// Stored, but the document is still missing earlier changes; it shows
    /// once they arrive.
    Waiting,
    /// The document was deleted; the bytes were dropped.
    Forgotten,
}

/// Bytes another device produced for one shared document.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct RemoteChange {
    /// The document's id on this phone.
    pub doc_id: String,
    /// A saved document, or changes from `save_after`.
    pub bytes: Vec<u8>,
}

/// What a merge did, and to which kind of document (once it is known).
pub(crate) type Applied = (MergeOutcome, Option<DocumentKind>);

/// Applies `bytes` (a saved document or changes from `save_after`) to
/// document `doc_id`.
pub(crate) fn apply(
    conn: &Connection,
    who: &Actor<'_>,
    doc_id: &str,
    bytes: &[u8],
) -> Result<Applied> {
    let device = who.device;
    if documents::is_forgotten(conn, doc_id)? {
        return Ok((MergeOutcome::Forgotten, None));
    }
    let existing = documents::load(conn, doc_id, device)?;
    let Some(mut doc) = existing else {
        return apply_new(conn, who, doc_id, bytes);
    };
    let heads_before = doc.get_heads();
    let missing_before = doc.get_missing_deps(&[]);
    match whole_changes(bytes) {
        // Changes only (what a device sends after its first save): each is
        // parsed once, completely, then applied.
        Some(changes) => doc
            .apply_changes(changes.map_err(|reason| Error::CorruptDocument {
                doc_id: doc_id.to_owned(),
                reason,
            })?)
            .map_err(|e| corrupt(doc_id, &e))?,
        // A saved document (a snapshot): checked whole first, since
        // `load_incremental` alone would apply its readable part and drop
        // the rest.
        None => {
            check_bytes(doc_id, bytes)?;
            doc.load_incremental(bytes)
                .map_err(|e| corrupt(doc_id, &e))?;
        }
    }
    let missing = doc.get_missing_deps(&[]);
    // Only when nothing waits for dependencies do unchanged heads prove the
    // bytes were old news: a change that depends on a waiting change joins
    // the queue without moving the heads or the missing set.
    if doc.get_heads() == heads_before && missing_before.is_empty() && missing.is_empty() {
        return Ok((MergeOutcome::AlreadyHad, None));
    }
    finish(conn, who, doc_id, doc, missing.is_empty(), None)
}

/// [`apply`] for bytes from elsewhere: a panic inside Automerge (or the
/// projection code) on hostile or damaged bytes becomes an error, so the
/// caller can roll the blob's savepoint back and quarantine it instead of
/// stalling every sync on it.
pub(crate) fn apply_untrusted(
    conn: &Connection,
    who: &Actor<'_>,
    doc_id: &str,
    bytes: &[u8],
) -> Result<Applied> {
    if !known_chunks(bytes) {
        return Err(Error::CorruptDocument {
            doc_id: doc_id.to_owned(),
            reason: "it holds a kind of Automerge chunk this version does not write".into(),
        });
    }
    let run = std::panic::AssertUnwindSafe(|| {
        #[cfg(test)]
        if PANIC_ON_MERGE.with(std::cell::Cell::get) {
            panic!("a merge panicked (test)");
        }
        apply(conn, who, doc_id, bytes)
    });
    std::panic::catch_unwind(run).unwrap_or_else(|_| {
        Err(Error::CorruptDocument {
            doc_id: doc_id.to_owned(),
            reason: "the merge stopped with a panic".into(),
        })
    })
}

#[cfg(test)]
thread_local! {
    /// Makes the next merges on this thread panic, as Automerge may on
    /// malformed input.
    pub(crate) static PANIC_ON_MERGE: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// A document this phone has never seen: one full, strict parse serves as
/// both the check and the load, and the bytes as received become its
/// snapshot (they are a saved document or whole changes, which is what a
/// snapshot holds). Bytes that depend on changes not here yet take the
/// incremental path, which keeps them until the rest arrives.
fn apply_new(conn: &Connection, who: &Actor<'_>, doc_id: &str, bytes: &[u8]) -> Result<Applied> {
    if bytes.is_empty() {
        return Err(Error::CorruptDocument {
            doc_id: doc_id.to_owned(),
            reason: "no data".into(),
        });
    }
    let options = LoadOptions::new()
        .on_partial_load(OnPartialLoad::Error)
        .verification_mode(VerificationMode::Check);
    match AutoCommit::load_with_options(bytes, options) {
        Ok(doc) => {
            let doc = doc.with_actor(who.device.clone());
            finish(conn, who, doc_id, doc, true, Some(bytes))
        }
        Err(AutomergeError::MissingDeps) => {
            let mut doc = AutoCommit::new().with_actor(who.device.clone());
            doc.load_incremental(bytes)
                .map_err(|e| corrupt(doc_id, &e))?;
            let complete = doc.get_missing_deps(&[]).is_empty();
            finish(conn, who, doc_id, doc, complete, None)
        }
        Err(e) => Err(corrupt(doc_id, &e)),
    }
}

/// Refreshes the projection of a complete document of a known kind and
/// stores the document: `as_received` when the bytes can stand as its
/// snapshot, else a fresh save (which keeps changes still waiting).
fn finish(
    conn: &Connection,
    who: &Actor<'_>,
    doc_id: &str,
    mut doc: AutoCommit,
    complete: bool,
    as_received: Option<&[u8]>,
) -> Result<Applied> {
    let now = who.now;
    let word = get_str(&doc, &ROOT, KIND_KEY);
    if complete
        && word.as_deref() == Some(DocumentKind::Entry.as_str())
        && deleted_line_here(conn, &entry::read_replaced(&doc))?
    {
        // The partner edited an entry this person deleted (or edited here
        // and then deleted) before the deletion reached them: the deletion
        // wins, everywhere.
        documents::forget(conn, doc_id, DocumentKind::Entry.as_str(), now)?;
        documents::mark_deleted_here(conn, doc_id)?;
        documents::queue_forget(conn, doc_id, now)?;
        return Ok((MergeOutcome::Forgotten, None));
    }
    if complete
        && word.as_deref() == Some(DocumentKind::Entry.as_str())
        && let Some(rival) = rival_edit(conn, doc_id, &doc)?
    {
        // Both phones edited the same entry and both edits survived: the
        // relay lost the tombstone that settles such a race (restored
        // from a backup, or wiped). Both phones keep the edit with the
        // smaller id and forget the other with a signed forget, so they
        // end with one version, not two.
        let loser = if rival.as_str() < doc_id {
            doc_id
        } else {
            rival.as_str()
        };
        forget(conn, loser, now)?;
        documents::queue_forget(conn, loser, now)?;
        if loser == doc_id {
            return Ok((MergeOutcome::Forgotten, None));
        }
    }
    let outcome = match &word {
        Some(word) if complete => {
            // A kind this version does not know (written by a newer app) is
            // kept, unshown, under its own word.
            if let Some(kind) = DocumentKind::parse(word) {
                refresh(conn, who.member, doc_id, kind, &doc)?;
            }
            MergeOutcome::Applied
        }
        _ => MergeOutcome::Waiting,
    };
    let (stored_kind, kind) = match (&outcome, word.as_deref()) {
        (MergeOutcome::Applied, Some(word)) => (word, DocumentKind::parse(word)),
        _ => (PENDING_KIND, None),
    };
    match as_received {
        Some(bytes) => documents::put_bytes(conn, doc_id, stored_kind, bytes, now)?,
        // A merge rewrites the snapshot: it keeps changes still waiting for
        // their dependencies, which an append of `save_after` would not.
        None => documents::put_snapshot(conn, doc_id, stored_kind, &mut doc, now)?,
    }
    Ok((outcome, kind))
}

/// Whether this person deleted any document of an entry's line of earlier
/// documents, or an edit of one made here.
fn deleted_line_here(conn: &Connection, line: &[String]) -> Result<bool> {
    for id in line {
        if documents::deleted_here_in_line(conn, id)? {
            return Ok(true);
        }
    }
    Ok(false)
}

/// An edit made here, still here, that replaced a document in the line of
/// the partner's entry `doc` without being in that line itself: the two
/// phones edited the same entry and neither edit overtook the other.
fn rival_edit(conn: &Connection, doc_id: &str, doc: &AutoCommit) -> Result<Option<String>> {
    let line = entry::read_replaced(doc);
    for id in &line {
        let mut current = id.clone();
        // A replacement chain is short; the bound only guards a damaged table.
        for _ in 0..1024 {
            let Some(next) = documents::replacement(conn, &current)? else {
                break;
            };
            current = next;
        }
        if current != *id
            && current != doc_id
            && !line.contains(&current)
            && documents::exists(conn, &current)?
        {
            return Ok(Some(current));
        }
    }
    Ok(None)
}

/// Removes document `doc_id` because the partner deleted it: the document,
/// its projections and search rows go, and its id is remembered so it can
/// never come back. Returns the kind of what was here, if anything was.
pub(crate) fn forget(conn: &Connection, doc_id: &str, now: i64) -> Result<Option<DocumentKind>> {
    let word: Option<String> = conn
        .prepare_cached("SELECT kind FROM documents WHERE id = ?1")?
        .query_row([doc_id], |r| r.get(0))
        .map(Some)
        .or_else(|e| match e {
            rusqlite::Error::QueryReturnedNoRows => Ok(None),
            other => Err(other),
        })?;
    let kind = word.as_deref().and_then(DocumentKind::parse);
    match kind {
        Some(DocumentKind::Entry) => entry::unproject(conn, doc_id)?,
        Some(other) => guidance::remove(conn, other, doc_id)?,
        None => {}
    }
    documents::forget(conn, doc_id, word.as_deref().unwrap_or(PENDING_KIND), now)?;
    Ok(kind)
}

/// The event telling the shells that document `id` of `kind` changed.
pub(crate) fn changed_event(kind: DocumentKind, id: &str) -> Event {
    if kind == DocumentKind::Entry {
        Event::EntryChanged { id: id.to_owned() }
    } else {
        Event::DocumentChanged {
            kind,
            id: id.to_owned(),
        }
    }
}

/// The event telling the shells that document `id` of `kind` is gone.
pub(crate) fn removed_event(kind: DocumentKind, id: &str) -> Event {
    if kind == DocumentKind::Entry {
        Event::EntryRemoved { id: id.to_owned() }
    } else {
        Event::DocumentChanged {
            kind,
            id: id.to_owned(),
        }
    }
}

/// Rebuilds the projection of a complete document of kind `kind`. A kind
/// this version does not know (written by a newer app) is kept, unshown.
fn refresh(
    conn: &Connection,
    me: &str,
    doc_id: &str,
    kind: DocumentKind,
    doc: &AutoCommit,
) -> Result<()> {
    if guidance::refresh(conn, me, kind, doc_id, doc)? {
        return Ok(());
    }
    match kind {
        DocumentKind::Entry => {
            if entry::row(conn, doc_id)?.is_some_and(|r| r.visibility == Visibility::Private) {
                return Err(Error::InvalidDocument {
                    doc_id: doc_id.to_owned(),
                    kind: entry::KIND,
                    reason: "its id belongs to a private entry".into(),
                });
            }
            let read = entry::read_document(doc, doc_id)?;
            entry::project(conn, doc_id, &read)
        }
        _ => Ok(()),
    }
}

/// `bytes` as Automerge changes, each parsed completely, when they hold
/// change chunks only; `None` when they hold a document chunk (or are not
/// chunks at all, which the strict parse then refuses).
fn whole_changes(bytes: &[u8]) -> Option<std::result::Result<Vec<automerge::Change>, String>> {
    let chunks = chunks(bytes).filter(|c| !c.is_empty())?;
    if chunks.iter().any(|(kind, _)| *kind == DOCUMENT_CHUNK) {
        return None;
    }
    Some(
        chunks
            .into_iter()
            .map(|(_, chunk)| {
                let change = automerge::Change::try_from(chunk).map_err(|e| e.to_string())?;
                // A chunk's checksum is the start of its change's hash
                // (for a compressed chunk too, which the strict load would
                // also check): a changed byte makes another change, not
                // this one.
                if change.hash().0[..4] == chunk[4..8] {
                    Ok(change)
                } else {
                    Err("a change's checksum does not match its contents".to_owned())
                }
            })
            .collect(),
    )
}

/// Refuses bytes Automerge cannot parse completely. `load_incremental`
/// alone would apply the readable part of a damaged blob and drop the rest.
fn check_bytes(doc_id: &str, bytes: &[u8]) -> Result<()> {
    if bytes.is_empty() {
        return Err(Error::CorruptDocument {
            doc_id: doc_id.to_owned(),
            reason: "no data".into(),
        });
    }
    let options = LoadOptions::new()
        .on_partial_load(OnPartialLoad::Error)
        .verification_mode(VerificationMode::Check);
    match Automerge::load_with_options(bytes, options) {
        // Changes whose dependencies are elsewhere parse fine: that is the
        // normal case for incremental bytes.
        Ok(_) | Err(AutomergeError::MissingDeps) => Ok(()),
        Err(e) => Err(corrupt(doc_id, &e)),
    }
}

/// Whether `bytes` are whole Automerge chunks of the kinds Hearth writes:
/// a document (0), a change (1) or a compressed change (2). Anything else
/// (such as a bundle, 3) is refused before Automerge parses it: fuzzing
/// found a 62-byte bundle that makes Automerge's loader ask for 4 GiB.
/// Layout of a chunk: magic (4 bytes), checksum (4), kind (1), length
/// (unsigned LEB128), contents.
pub(crate) fn known_chunks(bytes: &[u8]) -> bool {
    chunks(bytes).is_some()
}

/// The kind of a document chunk.
const DOCUMENT_CHUNK: u8 = 0;

/// `bytes` split into whole chunks, each with its kind, if every chunk is
/// of a kind Hearth writes (see [`known_chunks`]).
fn chunks(bytes: &[u8]) -> Option<Vec<(u8, &[u8])>> {
    const MAGIC: [u8; 4] = [0x85, 0x6f, 0x4a, 0x83];
    let mut found = Vec::new();
    let mut rest = bytes;
    while !rest.is_empty() {
        let [m0, m1, m2, m3, _, _, _, _, kind, tail @ ..] = rest else {
            return None;
        };
        if [*m0, *m1, *m2, *m3] != MAGIC || *kind > 2 {
            return None;
        }
        let mut len: u64 = 0;
        let mut used = 0;
        loop {
            let byte = tail.get(used)?;
            if used >= 9 {
                return None;
            }
            len |= u64::from(byte & 0x7f) << (7 * used);
            used += 1;
            if byte & 0x80 == 0 {
                break;
            }
        }
        let len = usize::try_from(len).ok()?;
        let next = tail.get(used..)?.get(len..)?;
        let whole = rest.len() - next.len();
        found.push((*kind, &rest[..whole]));
        rest = next;
    }
    Some(found)
}

fn corrupt(doc_id: &str, e: &AutomergeError) -> Error {
    Error::CorruptDocument {
        doc_id: doc_id.to_owned(),
        reason: e.to_string(),
    }
}
