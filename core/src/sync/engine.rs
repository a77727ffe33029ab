//! One sync pass: push what changed here, pull what the partner wrote,
//! compact crowded documents.
//!
//! Push sends, per changed document, `save_after` the heads last pushed,
//! sealed under the space key. Pull verifies each blob against the devices
//! learned at pairing (never keys the relay hands out), opens it, and
//! merges a page of them in one transaction that also advances the cursor;
//! a blob that fails is rejected and reported, never applied, and does not
//! hold back the others.

use automerge::ActorId;
use hearth_protocol::{BlobId, DocumentId, ErrorCode, LogItem, NewBlob, SpaceId, StoredBlob};
use rusqlite::{Connection, params};

use super::client::{RelayClient, RelayError};
use super::state::{self, CURSOR};
use super::{SyncReport, payload};
use crate::crypto::{self, BlobContext, DeviceKeys, SpaceKey, relay_doc_id};
use crate::error::{Error, Result};
use crate::events::{Event, Registry};
use crate::journal::Actor;
use crate::merge::{self, MergeOutcome};
use crate::store::{Store, documents};

/// Blobs pulled per request.
const PULL_PAGE: u32 = 500;
/// Blobs pushed per request.
const PUSH_BATCH: usize = 100;
/// Ciphertext bytes per push request (the relay's default limit is larger).
const PUSH_BYTES: usize = 768 * 1024;
/// A document with this many blobs at the relay is compacted.
const COMPACT_AT: i64 = 24;

/// Everything a sync pass needs.
pub(crate) struct Engine<'a> {
    pub store: &'a Store,
    pub events: &'a Registry,
    pub keys: &'a DeviceKeys,
    pub member: &'a str,
    pub device: &'a ActorId,
    pub now: i64,
    pub client: RelayClient,
    pub space: SpaceId,
    pub space_key: SpaceKey,
}

/// A pulled item, checked and opened outside the transaction.
enum Pulled {
    /// A change to merge.
    Change {
        relay: String,
        local: String,
        bytes: Vec<u8>,
    },
    /// A document the partner deleted.
    Forget { relay: String },
    /// This device's own blob, coming back.
    Own,
    /// A blob that failed a check.
    Rejected(&'static str),
}

struct Prepared {
    doc_id: String,
    relay_id: DocumentId,
    version: i64,
    heads: Vec<automerge::ChangeHash>,
    sealed: Vec<u8>,
    blob: BlobId,
}

impl Engine<'_> {
    fn actor(&self) -> Actor<'_> {
        Actor {
            member: self.member,
            device: self.device,
            now: self.now,
        }
    }

    fn relay_id(&self, doc_id: &str) -> Result<DocumentId> {
        DocumentId::parse(&relay_doc_id(&self.space_key, doc_id))
            .map_err(|e| Error::Sync(format!("a document id could not be made: {e}")))
    }

    fn context(&self, doc: &str, blob: &str, sender: &str) -> BlobContext {
        BlobContext {
            space_id: self.space.as_str().to_owned(),
            doc_id: doc.to_owned(),
            sender_device: sender.to_owned(),
            blob_id: blob.to_owned(),
        }
    }

    /// Seals `bytes` of document `doc_id` as a new blob from this device.
    fn seal(&self, doc_id: &str, relay: &DocumentId, bytes: &[u8]) -> Result<(BlobId, Vec<u8>)> {
        let blob = new_blob_id()?;
        let ctx = self.context(relay.as_str(), blob.as_str(), &self.keys.device_id());
        let sealed = crypto::seal(
            &self.space_key,
            self.keys,
            &ctx,
            &payload::encode(doc_id, bytes),
        )
        .map_err(|e| Error::Sync(e.to_string()))?;
        Ok((blob, sealed))
    }

    /// Pull, push, compact. Pulling first brings deletions in before
    /// pushing (so no edit of a deleted item is sent), and leaves the
    /// cursor at the head so this phone's own new blobs directly follow it
    /// and need not be pulled back (see `skip_own`).
    pub async fn sync_once(&self) -> Result<SyncReport> {
        let mut report = SyncReport::default();
        self.pull(&mut report).await?;
        self.push(&mut report).await?;
        self.compact(&mut report).await?;
        Ok(report)
    }

    // --- push ---------------------------------------------------------------------

    async fn push(&self, report: &mut SyncReport) -> Result<()> {
        let forgets: Vec<(String, i64)> = self.store.read(|c| outbox(c, "forget"))?;
        for (doc_id, version) in forgets {
            match self
                .client
                .forget(self.keys, &self.space, &self.relay_id(&doc_id)?)
                .await
            {
                Ok(_) => {}
                Err(e) if e.code() == Some(ErrorCode::DocumentForgotten) => {}
                Err(e) => return Err(e.into()),
            }
            self.store.write_unflushed(|tx| {
                done(tx, &doc_id, version)?;
                state::drop_document(tx, &doc_id)
            })?;
            report.forgotten += 1;
        }

        let mut refused: Vec<String> = Vec::new();
        loop {
            let prepared = self.prepare_pushes(&refused)?;
            if prepared.is_empty() {
                return Ok(());
            }
            for batch in batches(&prepared) {
                let blobs: Vec<NewBlob> = batch
                    .iter()
                    .map(|p| NewBlob {
                        id: p.blob.clone(),
                        doc: p.relay_id.clone(),
                        data: p.sealed.clone(),
                    })
                    .collect();
                match self.client.push(self.keys, &self.space, blobs).await {
                    Ok(pushed) => {
                        self.store.write_unflushed(|tx| {
                            for p in batch {
                                state::record_blob(
                                    tx,
                                    &p.doc_id,
                                    p.relay_id.as_str(),
                                    Some(&p.heads),
                                )?;
                                done(tx, &p.doc_id, p.version)?;
                            }
                            skip_own(tx, &pushed.receipts)
                        })?;
                        report.pushed += batch.len() as u32;
                    }
                    Err(RelayError::Refused {
                        code: ErrorCode::DocumentForgotten,
                        documents,
                        ..
                    }) => {
                        // The partner deleted these while this phone was
                        // offline: the edits made here are dropped, with a
                        // notice, and never bring the words back.
                        let gone: Vec<&Prepared> = batch
                            .iter()
                            .filter(|p| documents.contains(&p.relay_id))
                            .collect();
                        let removed = self.store.write_unflushed(|tx| {
                            let mut removed = Vec::new();
                            for p in &gone {
                                if let Some(kind) = merge::forget(tx, &p.doc_id, self.now)? {
                                    removed.push(merge::removed_event(kind, &p.doc_id));
                                }
                                drop_queued(tx, &p.doc_id)?;
                                state::drop_document(tx, &p.doc_id)?;
                            }
                            state::set(tx, state::NOTICE, DELETED_WHILE_OFFLINE)?;
                            Ok(removed)
                        })?;
                        self.events.emit(removed);
                        refused.extend(gone.iter().map(|p| p.doc_id.clone()));
                        // Prepare again: the rest of the batch still goes.
                        break;
                    }
                    Err(e) => return Err(e.into()),
                }
            }
        }
    }

    /// Seals, for every document queued for push, what the relay lacks.
    fn prepare_pushes(&self, skip: &[String]) -> Result<Vec<Prepared>> {
        let queued: Vec<(String, i64)> = self.store.read(|c| outbox(c, "push"))?;
        let mut prepared = Vec::new();
        for (doc_id, version) in queued {
            if skip.contains(&doc_id) {
                continue;
            }
            let found = self.store.read(|conn| {
                let Some(mut doc) = documents::load(conn, &doc_id, self.device)? else {
                    return Ok(None);
                };
                let bytes = match state::pushed(conn, &doc_id)? {
                    Some(heads) => doc.save_after(&heads),
                    None => doc.save(),
                };
                Ok(Some((bytes, doc.get_heads())))
            })?;
            let Some((bytes, heads)) = found else {
                self.store
                    .write_unflushed(|tx| done(tx, &doc_id, version))?;
                continue;
            };
            if bytes.is_empty() {
                self.store
                    .write_unflushed(|tx| done(tx, &doc_id, version))?;
                continue;
            }
            let relay_id = self.relay_id(&doc_id)?;
            let (blob, sealed) = self.seal(&doc_id, &relay_id, &bytes)?;
            prepared.push(Prepared {
                doc_id,
                relay_id,
                version,
                heads,
                sealed,
                blob,
            });
        }
        Ok(prepared)
    }

    // --- pull ---------------------------------------------------------------------

    async fn pull(&self, report: &mut SyncReport) -> Result<()> {
        loop {
            let cursor = self.store.read(|c| state::number(c, CURSOR))?;
            let page = match self
                .client
                .pull(self.keys, &self.space, cursor, PULL_PAGE)
                .await
            {
                Ok(page) => page,
                Err(RelayError::Refused {
                    code: ErrorCode::CursorPastEnd,
                    ..
                }) => {
                    // The relay lost its log (restored from an old backup):
                    // start over and offer it everything again.
                    self.store.write_unflushed(|tx| restart(tx))?;
                    continue;
                }
                Err(e) => return Err(e.into()),
            };
            let next = page.next_cursor(cursor);
            if page.items.is_empty() && next == cursor {
                return Ok(());
            }
            let pulled: Vec<Pulled> = self.store.read(|conn| {
                page.items
                    .iter()
                    .map(|item| self.open(conn, item))
                    .collect()
            })?;
            let (events, rejected) = self
                .store
                .write_unflushed(|tx| self.apply(tx, &pulled, next))?;
            self.events.emit(events);
            report.pulled += pulled.len() as u32;
            report.rejected += rejected;
            if !page.more {
                return Ok(());
            }
        }
    }

    /// Applies items the live stream carried, which follow the cursor
    /// directly, and moves the cursor to `head`: the same checks and
    /// merge as a pull, without the request.
    pub fn apply_streamed(&self, items: &[LogItem], head: u64) -> Result<u32> {
        let pulled: Vec<Pulled> = self
            .store
            .read(|conn| items.iter().map(|item| self.open(conn, item)).collect())?;
        let (events, rejected) = self
            .store
            .write_unflushed(|tx| self.apply(tx, &pulled, head))?;
        self.events.emit(events);
        Ok(rejected)
    }

    /// Checks and opens one pulled item.
    fn open(&self, conn: &Connection, item: &LogItem) -> Result<Pulled> {
        let blob: &StoredBlob = match item {
            LogItem::Tombstone(t) => {
                return Ok(Pulled::Forget {
                    relay: t.doc.as_str().to_owned(),
                });
            }
            LogItem::Blob(blob) => blob,
        };
        let sender = blob.device.encode();
        if sender == self.keys.device_id() {
            return Ok(Pulled::Own);
        }
        let Some(keys) = state::device(conn, &sender)? else {
            return Ok(Pulled::Rejected(
                "a blob signed by a device that is not in your space was rejected",
            ));
        };
        let ctx = self.context(blob.doc.as_str(), blob.id.as_str(), &sender);
        let Ok(plain) = crypto::open(&self.space_key, &ctx, &keys, &blob.data) else {
            return Ok(Pulled::Rejected(
                "a blob that failed its signature or decryption was rejected",
            ));
        };
        let Ok((local, bytes)) = payload::decode(&plain) else {
            return Ok(Pulled::Rejected(
                "a blob with an unknown layout was rejected",
            ));
        };
        // The relay id is a keyed hash of the local id: a blob cannot be
        // replayed under another document.
        if relay_doc_id(&self.space_key, &local) != blob.doc.as_str() {
            return Ok(Pulled::Rejected(
                "a blob filed under the wrong document was rejected",
            ));
        }
        Ok(Pulled::Change {
            relay: blob.doc.as_str().to_owned(),
            local,
            bytes: bytes.to_vec(),
        })
    }

    /// Merges a page and advances the cursor, in the caller's transaction.
    fn apply(&self, tx: &Connection, pulled: &[Pulled], next: u64) -> Result<(Vec<Event>, u32)> {
        let who = self.actor();
        let mut events = Vec::new();
        let mut rejected = 0;
        let mut reason = None;
        for item in pulled {
            tx.prepare_cached("SAVEPOINT item")?.execute([])?;
            let result: Result<()> = match item {
                Pulled::Own => Ok(()),
                Pulled::Rejected(why) => {
                    rejected += 1;
                    reason = Some((*why).to_owned());
                    Ok(())
                }
                Pulled::Change {
                    relay,
                    local,
                    bytes,
                } => merge::apply(tx, &who, local, bytes).and_then(|(outcome, kind)| {
                    if outcome != MergeOutcome::Forgotten {
                        state::record_blob(tx, local, relay, None)?;
                    }
                    if let Some(kind) = kind {
                        events.push(merge::changed_event(kind, local));
                    }
                    Ok(())
                }),
                Pulled::Forget { relay } => match state::local_id(tx, relay)? {
                    Some(local) => {
                        if pending_push(tx, &local)? {
                            state::set(tx, state::NOTICE, DELETED_WHILE_OFFLINE)?;
                        }
                        if let Some(kind) = merge::forget(tx, &local, self.now)? {
                            events.push(merge::removed_event(kind, &local));
                        }
                        drop_queued(tx, &local)?;
                        state::drop_document(tx, &local)
                    }
                    None => Ok(()),
                },
            };
            match result {
                Ok(()) => {
                    tx.prepare_cached("RELEASE item")?.execute([])?;
                }
                Err(e) => {
                    tx.prepare_cached("ROLLBACK TO item")?.execute([])?;
                    tx.prepare_cached("RELEASE item")?.execute([])?;
                    rejected += 1;
                    reason = Some(format!(
                        "a change that could not be applied was skipped ({e})"
                    ));
                }
            }
        }
        state::set(tx, CURSOR, &next.to_string())?;
        if let Some(reason) = reason {
            let total = state::number(tx, state::REJECTED)? + u64::from(rejected);
            state::set(tx, state::REJECTED, &total.to_string())?;
            state::set(tx, state::LAST_ERROR, &reason)?;
        }
        Ok((events, rejected))
    }

    // --- compaction -----------------------------------------------------------------

    async fn compact(&self, report: &mut SyncReport) -> Result<()> {
        let cursor = self.store.read(|c| state::number(c, CURSOR))?;
        let crowded = self.store.read(|c| state::crowded(c, COMPACT_AT))?;
        for (doc_id, relay_id) in crowded {
            let snapshot = self.store.read(|conn| {
                if pending_push(conn, &doc_id)? {
                    return Ok(None);
                }
                let Some(mut doc) = documents::load(conn, &doc_id, self.device)? else {
                    return Ok(None);
                };
                if !doc.get_missing_deps(&[]).is_empty() {
                    return Ok(None);
                }
                Ok(Some((doc.save(), doc.get_heads())))
            })?;
            let Some((bytes, heads)) = snapshot else {
                continue;
            };
            let relay = self.relay_id(&doc_id)?;
            if relay.as_str() != relay_id {
                continue;
            }
            let (blob, sealed) = self.seal(&doc_id, &relay, &bytes)?;
            match self
                .client
                .compact(self.keys, &self.space, &relay, cursor, blob, sealed)
                .await
            {
                Ok(_) => report.compacted += 1,
                Err(e) if e.code() == Some(ErrorCode::NothingToCompact) => {}
                Err(e) if e.code() == Some(ErrorCode::DocumentForgotten) => continue,
                Err(e) => return Err(e.into()),
            }
            self.store
                .write(|tx| state::record_snapshot(tx, &doc_id, &heads))?;
        }
        Ok(())
    }
}

/// The notice shown when an edit made offline was dropped because the
/// partner had deleted the item.
pub(crate) const DELETED_WHILE_OFFLINE: &str = "Something you changed while offline had been deleted on your partner's phone, so your change was not kept.";

/// Outbox rows of `action` with their versions, oldest first.
fn outbox(conn: &Connection, action: &str) -> Result<Vec<(String, i64)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT doc_id, version FROM outbox WHERE action = ?1 ORDER BY queued_at, doc_id",
    )?;
    let rows = stmt
        .query_map([action], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

/// Removes an outbox row, unless the document changed again since it was
/// read (its version moved on), in which case it stays queued.
fn done(conn: &Connection, doc_id: &str, version: i64) -> Result<()> {
    conn.prepare_cached("DELETE FROM outbox WHERE doc_id = ?1 AND version = ?2")?
        .execute(params![doc_id, version])?;
    Ok(())
}

/// Removes an outbox row whatever its version.
fn drop_queued(conn: &Connection, doc_id: &str) -> Result<()> {
    conn.prepare_cached("DELETE FROM outbox WHERE doc_id = ?1")?
        .execute([doc_id])?;
    Ok(())
}

fn pending_push(conn: &Connection, doc_id: &str) -> Result<bool> {
    Ok(conn
        .prepare_cached("SELECT 1 FROM outbox WHERE doc_id = ?1 AND action = 'push'")?
        .exists([doc_id])?)
}

/// Starts over after the relay lost its log: cursor back to the start,
/// every document offered again.
fn restart(conn: &Connection) -> Result<()> {
    state::set(conn, CURSOR, "0")?;
    conn.execute("UPDATE sync_documents SET pushed = NULL, blobs = 0", [])?;
    conn.execute(
        "INSERT OR IGNORE INTO outbox (doc_id, action, queued_at)
         SELECT id, 'push', 0 FROM documents",
        [],
    )?;
    Ok(())
}

/// Moves the cursor past blobs this phone just pushed when they directly
/// follow it (nobody else wrote in between), so they are not pulled back.
fn skip_own(conn: &Connection, receipts: &[hearth_protocol::Receipt]) -> Result<()> {
    let cursor = state::number(conn, CURSOR)?;
    let mut seqs: Vec<u64> = receipts.iter().map(|r| r.seq).collect();
    seqs.sort_unstable();
    seqs.dedup();
    let contiguous = seqs
        .iter()
        .enumerate()
        .all(|(i, seq)| *seq == cursor + 1 + i as u64);
    if let (true, Some(last)) = (contiguous, seqs.last()) {
        state::set(conn, CURSOR, &last.to_string())?;
    }
    Ok(())
}

fn new_blob_id() -> Result<BlobId> {
    let mut bytes = [0u8; 16];
    crypto::fill_random(&mut bytes).map_err(|e| Error::Sync(e.to_string()))?;
    Ok(BlobId::from_random_bytes(bytes))
}

/// Splits prepared blobs into requests under the relay's limits.
fn batches(prepared: &[Prepared]) -> Vec<&[Prepared]> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut bytes = 0;
    for (i, p) in prepared.iter().enumerate() {
        let size = p.sealed.len() * 4 / 3 + 128;
        if i > start && (i - start >= PUSH_BATCH || bytes + size > PUSH_BYTES) {
            out.push(&prepared[start..i]);
            start = i;
            bytes = 0;
        }
        bytes += size;
    }
    if start < prepared.len() {
        out.push(&prepared[start..]);
    }
    out
}
