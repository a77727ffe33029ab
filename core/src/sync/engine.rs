//! One sync pass: push what changed here, pull what the partner wrote,
//! compact crowded documents.
//!
//! Push sends, per changed document, `save_after` the heads last pushed,
//! sealed under the space key. Pull verifies each blob against the devices
//! learned at pairing (never keys the relay hands out), opens it, and
//! merges a page of them in one transaction that also advances the cursor;
//! a blob that fails is rejected and reported, never applied, and does not
//! hold back the others.
//!
//! Nothing is deleted on the relay's word alone: a tombstone, a `410
//! document_forgotten` or a `404 unknown_space` deletes or closes only
//! with a statement signed by a device of this space (see
//! `hearth_protocol::deletion`). Anything else is a relay fault: counted,
//! described in the sync status, and nothing is deleted. A relay that lost
//! the space gets it back from this phone.

use automerge::ActorId;
use hearth_protocol::{
    BlobId, Deletion, DocumentId, ErrorCode, LogItem, MemberTag, NewBlob, PullResponse, SpaceId,
    StoredBlob,
};
use rusqlite::{Connection, params};

use super::client::{RelayClient, RelayError};
use super::state::{self, CURSOR};
use super::{SyncReport, payload, quarantine};
use crate::crypto::{self, BlobContext, DeviceKeys, DocIdKey, SpaceKey};
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
/// Keys of `sync_state`: the highest seq the relay has acknowledged to
/// this phone (a push's receipt, a forget's tombstone, a pulled item), and
/// which item it was. A head below that seq, or another item at it, means
/// the relay lost part of its log (restored from an older backup) even
/// when the cursor is not past the end, also once the partner's pushes
/// have filled the log past it again: the lost part may hold this phone's
/// own changes and deletions, which it then sends again.
const HEAD_SEEN: &str = "relay_head_seen";
const HEAD_ITEM: &str = "relay_head_item";
/// Key of `sync_state`, set while the partner's devices are still to be
/// admitted to a space this phone gave back to the relay: an admission
/// cut short (the network failed) is finished at the next pass, or the
/// partner would stay locked out.
const ADMIT_PARTNERS: &str = "admit_partners";

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
    /// The key from pairing: it keys relay document ids and member tags.
    pub space_key: SpaceKey,
    /// `space_key`'s document-id key, derived once for the pass.
    pub doc_ids: DocIdKey,
    /// The keys blobs are sealed and opened with (`sync::epochs`).
    pub epochs: super::epochs::Epochs,
    /// Devices announced in this pass (`sync::announce`).
    pub announced: super::announce::Announced,
}

/// A pulled item, checked and opened outside the transaction.
enum Pulled {
    /// A change to merge.
    Change {
        relay: String,
        blob: String,
        local: String,
        bytes: Vec<u8>,
    },
    /// An opened payload this version cannot read (a newer app's layout):
    /// quarantined, tried again later.
    Unreadable {
        relay: String,
        blob: String,
        plain: Vec<u8>,
    },
    /// A document the partner deleted (the signed deletion checked out).
    Forget { relay: String },
    /// A tombstone no device of the space signed: deletes nothing.
    Unproven,
    /// This device's own blob, coming back, or a key update (taken in
    /// while opening): nothing to apply.
    Own,
    /// A blob that failed a check.
    Rejected(&'static str),
    /// A device of the partner's (or this person's) joined or left.
    Roster(super::announce::RosterChange),
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
        DocumentId::parse(&self.doc_ids.relay_doc_id(doc_id))
            .map_err(|e| Error::sync_failed_at("a document id could not be made", e))
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
        let sealed = self
            .epochs
            .seal(self.keys, &ctx, &payload::encode(doc_id, bytes))?;
        Ok((blob, sealed))
    }

    /// Pull, push, compact. Pulling first brings deletions in before
    /// pushing (so no edit of a deleted item is sent), and leaves the
    /// cursor at the head so this phone's own new blobs directly follow it
    /// and need not be pulled back (see `skip_own`).
    ///
    /// A relay that answers `unknown_space` without a signed erasure lost
    /// the space: this phone creates it again, admits the partner's
    /// devices and offers its whole copy. With a signed erasure, the
    /// space is closed here too.
    pub async fn sync_once(&self) -> Result<SyncReport> {
        match self.pass().await {
            Err(Error::Relay(RelayError::Refused {
                code: ErrorCode::UnknownSpace,
                erasure,
                ..
            })) => {
                self.unknown_space(erasure.as_deref()).await?;
                self.pass().await
            }
            other => other,
        }
    }

    /// Sends what changed here and compacts, without pulling: for live
    /// mode, whose stream brings the partner's changes. A deletion that
    /// has not come yet is met at the push (`document_forgotten`, with its
    /// signed proof), as in a full pass. Anything a push alone cannot
    /// handle (a relay that lost the space) gets a full pass. `plan` is
    /// what [`Engine::push_plan`] read, in the read that built the engine
    /// (`None`: read it now).
    pub async fn push_once(&self, plan: Option<PushPlan>) -> Result<SyncReport> {
        let PushPlan {
            admit,
            forgets,
            queue,
        } = match plan {
            Some(plan) => plan,
            None => self.store.read_warm(|c| self.push_plan(c))?,
        };
        if admit {
            return self.sync_once().await;
        }
        let mut report = SyncReport::default();
        let pushed = async {
            let crowded = self.push_after(forgets, queue, &mut report).await?;
            self.compact(crowded, &mut report).await
        }
        .await;
        match pushed {
            Ok(()) => Ok(report),
            Err(Error::Relay(RelayError::Refused {
                code: ErrorCode::UnknownSpace,
                ..
            })) => self.sync_once().await,
            Err(e) => Err(e),
        }
    }

    /// What a live push reads before it sends anything: whether the
    /// partner's devices are still to be admitted, the queued forgets,
    /// and, when there are none (they change what is left to push), the
    /// queued pushes and what the first batch of them lacks at the relay.
    pub(crate) fn push_plan(&self, conn: &Connection) -> Result<PushPlan> {
        let admit = state::get(conn, ADMIT_PARTNERS)?.is_some();
        let forgets = outbox(conn, Queued::Forget)?;
        let queue = if admit || !forgets.is_empty() {
            None
        } else {
            Some(self.queue(conn, &[])?)
        };
        Ok(PushPlan {
            admit,
            forgets,
            queue,
        })
    }

    async fn pass(&self) -> Result<SyncReport> {
        if self
            .store
            .read_warm(|c| state::get(c, ADMIT_PARTNERS))?
            .is_some()
        {
            self.admit_partners().await?;
        }
        let mut report = SyncReport::default();
        self.retry_quarantined()?;
        self.pull(&mut report).await?;
        let crowded = self.push(&mut report).await?;
        self.compact(crowded, &mut report).await?;
        Ok(report)
    }

    /// The relay does not know the space: closed by a signed erasure, or
    /// lost by the relay and given back.
    async fn unknown_space(&self, erasure: Option<&Deletion>) -> Result<()> {
        if self.store.read_warm(|c| self.proves_erasure(c, erasure))? {
            self.store.write(close)?;
            return Err(Error::SpaceClosed);
        }
        let me = member_tag(&self.space_key, self.member)?;
        // Noted before asking: when the relay creates the space but its
        // answer is lost, the next pass still admits the partner's devices
        // (admitting one already in is answered `200`); otherwise the
        // partner would stay shut out of a space only this phone is in.
        self.store.write_unflushed(|tx| {
            state::set(tx, ADMIT_PARTNERS, "1")?;
            restart(tx)
        })?;
        match self
            .client
            .create_space(self.keys, &self.space, Some(me))
            .await
        {
            Ok(_) => {}
            // The partner's phone gave the space back first (and admits
            // this device): carry on in it.
            Err(e) if e.code() == Some(ErrorCode::SpaceExists) => {
                return self.store.write_unflushed(|tx| {
                    state::clear(tx, ADMIT_PARTNERS)?;
                    state::relay_fault(tx, 1, RELAY_LOST_SPACE)
                });
            }
            Err(e) => return Err(e.into()),
        }
        self.admit_partners().await
    }

    /// Admits the partner's devices to the space this phone gave back. The
    /// relay fault is counted once they are all in, so a status that shows
    /// it means the partner's phones can sync again.
    async fn admit_partners(&self) -> Result<()> {
        let partners: Vec<(String, String)> = self.store.read_warm(state::device_ids)?;
        for (device, member) in partners {
            let device = hearth_protocol::DeviceId::parse(&device)
                .map_err(|_| Error::DamagedDatabase("a partner device id is damaged".into()))?;
            let member = member_tag(&self.space_key, &member)?;
            self.client
                .add_device(self.keys, &self.space, device, Some(member))
                .await?;
        }
        self.store.write_unflushed(|tx| {
            state::clear(tx, ADMIT_PARTNERS)?;
            state::relay_fault(tx, 1, RELAY_LOST_SPACE)
        })
    }

    /// True when `deletion` is a valid statement, signed by this device or
    /// a device of the space learned at pairing, and `names` what the
    /// relay claims was deleted.
    fn proves(
        &self,
        conn: &Connection,
        deletion: Option<&Deletion>,
        names: impl FnOnce(&Deletion) -> bool,
    ) -> Result<bool> {
        let Some(deletion) = deletion else {
            return Ok(false);
        };
        if !names(deletion) || deletion.verify().is_err() {
            return Ok(false);
        }
        let signer = deletion.device.encode();
        Ok(signer == self.keys.device_id() || state::active_device(conn, &signer)?.is_some())
    }

    /// True when `erasure` proves the space was erased by one of its devices.
    pub fn proves_erasure(&self, conn: &Connection, erasure: Option<&Deletion>) -> Result<bool> {
        self.proves(conn, erasure, |d| d.names_space(&self.space))
    }

    // --- push ---------------------------------------------------------------------

    async fn push(&self, report: &mut SyncReport) -> Result<Option<Crowded>> {
        let forgets = self.store.read_warm(|c| outbox(c, Queued::Forget))?;
        self.push_after(forgets, None, report).await
    }

    /// Pushes the queued `forgets` (outbox rows), then the changes (`queue`:
    /// the queue as read with the forgets, when there were none). Returns
    /// the crowded documents as the last commit of pushed blobs found them
    /// (`None` when nothing was pushed).
    async fn push_after(
        &self,
        forgets: Vec<(String, i64)>,
        mut queue: Option<Queue>,
        report: &mut SyncReport,
    ) -> Result<Option<Crowded>> {
        for (doc_id, version) in forgets {
            let seq = match self
                .client
                .forget(self.keys, &self.space, &self.relay_id(&doc_id)?)
                .await
            {
                Ok(forgotten) => forgotten.seq,
                Err(e) if e.code() == Some(ErrorCode::DocumentForgotten) => 0,
                Err(e) => return Err(e.into()),
            };
            let relay = self.relay_id(&doc_id)?;
            self.store.write_unflushed(|tx| {
                saw_item(tx, seq, &tombstone_identity(&relay))?;
                done(tx, &doc_id, version)?;
                state::drop_document(tx, &doc_id)
            })?;
            report.forgotten += 1;
        }

        let mut refused: Vec<String> = Vec::new();
        let mut crowded = None;
        loop {
            let prepared = self.prepare_pushes(&refused, queue.take())?;
            if prepared.is_empty() {
                return Ok(crowded);
            }
            // Prepared again only after a refusal; a change made here
            // meanwhile wakes a push of its own.
            let mut again = false;
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
                        crowded = Some(self.store.write_unflushed(|tx| {
                            for p in batch {
                                state::record_blob(
                                    tx,
                                    &p.doc_id,
                                    p.relay_id.as_str(),
                                    Some(&p.heads),
                                )?;
                                done(tx, &p.doc_id, p.version)?;
                            }
                            if let Some(last) = pushed.receipts.iter().max_by_key(|r| r.seq) {
                                saw_item(tx, last.seq, &blob_identity(&last.id))?;
                            }
                            // Read here, the compaction that follows
                            // needs no read of its own.
                            Ok(Crowded {
                                cursor: skip_own(tx, &pushed.receipts)?,
                                documents: state::crowded(tx)?,
                            })
                        })?);
                        report.pushed += batch.len() as u32;
                    }
                    Err(RelayError::Refused {
                        code: ErrorCode::DocumentForgotten,
                        documents,
                        deletions,
                        ..
                    }) => {
                        // The partner deleted these while this phone was
                        // offline: the edits made here are dropped, with a
                        // notice, and never bring the words back. Only
                        // those a signed deletion proves; the others stay
                        // here and queued, and the refusal is a relay fault.
                        let named: Vec<&Prepared> = batch
                            .iter()
                            .filter(|p| documents.contains(&p.relay_id))
                            .collect();
                        let (gone, kept): (Vec<&Prepared>, Vec<&Prepared>) =
                            self.store.read_warm(|conn| {
                                let mut gone = Vec::new();
                                let mut kept = Vec::new();
                                for p in named {
                                    let proof = deletions
                                        .iter()
                                        .find(|d| d.names_document(&self.space, &p.relay_id));
                                    if self.proves(conn, proof, |_| true)? {
                                        gone.push(p);
                                    } else {
                                        kept.push(p);
                                    }
                                }
                                Ok((gone, kept))
                            })?;
                        if !kept.is_empty() {
                            self.store.write_unflushed(|tx| {
                                state::relay_fault(tx, kept.len(), &refused_words(kept.len()))
                            })?;
                            refused.extend(kept.iter().map(|p| p.doc_id.clone()));
                        }
                        if gone.is_empty() {
                            if kept.is_empty() {
                                return Err(Error::Sync(
                                    "the relay refused a push without naming a deleted item".into(),
                                ));
                            }
                            again = true;
                            break;
                        }
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
                        self.store.checkpoint()?;
                        self.events.emit(removed);
                        refused.extend(gone.iter().map(|p| p.doc_id.clone()));
                        // Prepare again: the rest of the batch still goes.
                        again = true;
                        break;
                    }
                    Err(e) if e.code() == Some(ErrorCode::SpaceQuotaExceeded) => {
                        return Err(Error::Sync(SPACE_FULL.into()));
                    }
                    Err(e) => return Err(e.into()),
                }
            }
            if !again {
                return Ok(crowded);
            }
        }
    }

    /// Seals, for every document queued for push, what the relay lacks.
    /// Documents are read a batch at a time: the outbox and the first batch
    /// in one read, which is the whole of a usual push, and when everything
    /// is offered again (thousands of documents, some loaded and saved) the
    /// writer is free between batches. The documents with nothing to send
    /// leave the outbox in one commit per batch.
    /// `queue`: the queue as already read, if it was.
    fn prepare_pushes(&self, skip: &[String], queue: Option<Queue>) -> Result<Vec<Prepared>> {
        let Queue { queued, first } = match queue {
            Some(queue) => queue,
            None => self.store.read_warm(|conn| self.queue(conn, skip))?,
        };
        let mut first = Some(first);
        let mut prepared = Vec::new();
        for batch in queued.chunks(PUSH_BATCH) {
            let unsent = match first.take() {
                Some(unsent) => unsent,
                None => self
                    .store
                    .read_warm(|conn| self.unsent_batch(conn, batch))?,
            };
            let nothing: Vec<(&str, i64)> = batch
                .iter()
                .zip(&unsent)
                .filter(|(_, unsent)| unsent.as_ref().is_none_or(|(bytes, _)| bytes.is_empty()))
                .map(|((doc_id, version), _)| (doc_id.as_str(), *version))
                .collect();
            if !nothing.is_empty() {
                self.store.write_unflushed(|tx| {
                    nothing
                        .iter()
                        .try_for_each(|(doc_id, version)| done(tx, doc_id, *version))
                })?;
            }
            for ((doc_id, version), unsent) in batch.iter().zip(unsent) {
                let Some((bytes, heads)) = unsent.filter(|(bytes, _)| !bytes.is_empty()) else {
                    continue;
                };
                let relay_id = self.relay_id(doc_id)?;
                let (blob, sealed) = self.seal(doc_id, &relay_id, &bytes)?;
                prepared.push(Prepared {
                    doc_id: doc_id.clone(),
                    relay_id,
                    version: *version,
                    heads,
                    sealed,
                    blob,
                });
            }
        }
        Ok(prepared)
    }

    /// The documents queued for push, but for `skip`, and what the first
    /// batch of them lacks at the relay.
    fn queue(&self, conn: &Connection, skip: &[String]) -> Result<Queue> {
        let queued: Vec<(String, i64)> = outbox(conn, Queued::Push)?
            .into_iter()
            .filter(|(doc_id, _)| !skip.contains(doc_id))
            .collect();
        let first = self.unsent_batch(conn, queued.chunks(PUSH_BATCH).next().unwrap_or(&[]))?;
        Ok(Queue { queued, first })
    }

    /// [`Engine::unsent`] for each queued document of `batch`, in order.
    fn unsent_batch(&self, conn: &Connection, batch: &[(String, i64)]) -> Result<Vec<Unsent>> {
        batch
            .iter()
            .map(|(doc_id, _)| self.unsent(conn, doc_id))
            .collect()
    }

    /// What the relay lacks of document `doc_id`, with the heads it brings
    /// the relay to: empty when the relay has it all, `None` when the
    /// document is gone.
    fn unsent(&self, conn: &Connection, doc_id: &str) -> Result<Unsent> {
        let pushed = state::pushed(conn, doc_id)?;
        // Queued with its heads, a document is sent as stored when the
        // relay has none of it, and not at all when it has all.
        if let Some(documents::Stored {
            bytes,
            heads: Some(heads),
        }) = documents::stored(conn, doc_id)?
        {
            match &pushed {
                None if merge::known_chunks(&bytes) => return Ok(Some((bytes, heads))),
                Some(sent) if same_heads(sent, &heads) => return Ok(Some((Vec::new(), heads))),
                _ => {}
            }
        }
        let Some(mut doc) = documents::load(conn, doc_id, self.device)? else {
            return Ok(None);
        };
        let bytes = match pushed {
            Some(heads) => doc.save_after(&heads),
            None => doc.save(),
        };
        Ok(Some((bytes, doc.get_heads())))
    }

    // --- pull ---------------------------------------------------------------------

    async fn pull(&self, report: &mut SyncReport) -> Result<()> {
        let mut first = match self.check_log().await? {
            Checked::Intact(first) => first,
            Checked::Lost => {
                // The relay lost seqs it acknowledged: restored from an
                // older backup. Start over as for `cursor_past_end`.
                self.store.write_unflushed(restart)?;
                None
            }
        };
        loop {
            let cursor = self.store.read_warm(|c| state::number(c, CURSOR))?;
            let fetched = match first.take() {
                Some(page) => Ok(page),
                None => {
                    self.client
                        .pull(self.keys, &self.space, cursor, PULL_PAGE)
                        .await
                }
            };
            let page = match fetched {
                Ok(page) => page,
                Err(RelayError::Refused {
                    code: ErrorCode::CursorPastEnd,
                    ..
                }) => {
                    // The relay lost its log (restored from an old backup):
                    // start over and offer it everything again.
                    self.store.write_unflushed(restart)?;
                    continue;
                }
                Err(e) => return Err(e.into()),
            };
            if let Some(incarnation) = page.incarnation {
                let known = self
                    .store
                    .read_warm(|c| state::get(c, state::INCARNATION))?;
                let seen = incarnation.to_string();
                if known.as_deref() != Some(seen.as_str()) {
                    self.store.write_unflushed(|tx| {
                        state::set(tx, state::INCARNATION, &seen)?;
                        // The space was created anew (the relay lost it and
                        // a phone gave it back): its seqs start over, so
                        // this phone pulls from 0 and offers everything.
                        if known.is_some() {
                            restart(tx)?;
                        }
                        Ok(())
                    })?;
                    if known.is_some() {
                        continue;
                    }
                }
            }
            let next = page.next_cursor(cursor);
            if page.items.is_empty() && next == cursor {
                return Ok(());
            }
            let pulled: Vec<Pulled> = self.store.read_warm(|conn| {
                page.items
                    .iter()
                    .map(|item| self.open(conn, item))
                    .collect()
            })?;
            let (events, rejected) = self.store.write_unflushed(|tx| {
                saw_last(tx, &page.items)?;
                self.apply(tx, &pulled, next)
            })?;
            erase_traces(self.store, &pulled)?;
            self.events.emit(events);
            report.pulled += pulled.len() as u32;
            report.rejected += rejected;
            if !page.more {
                return Ok(());
            }
        }
    }

    /// Whether the relay still holds the last item it acknowledged to this
    /// phone at its seq. A snapshot there, or nothing (compacted or
    /// forgotten since), proves nothing either way.
    ///
    /// One request: it pulls from just before that item. When the cursor
    /// is at that item, as after almost every pass, the same answer is the
    /// first page after the cursor (without the item), returned to be
    /// applied; otherwise the page holds only the item.
    async fn check_log(&self) -> Result<Checked> {
        let (seen, item, cursor) = self.store.read_warm(|c| {
            Ok((
                state::number(c, HEAD_SEEN)?,
                state::get(c, HEAD_ITEM)?,
                state::number(c, CURSOR)?,
            ))
        })?;
        if seen == 0 {
            return Ok(Checked::Intact(None));
        }
        let limit = if cursor == seen { PULL_PAGE } else { 1 };
        let mut page = match self
            .client
            .pull(self.keys, &self.space, seen - 1, limit)
            .await
        {
            Ok(page) => page,
            Err(RelayError::Refused {
                code: ErrorCode::CursorPastEnd,
                ..
            }) => return Ok(Checked::Lost),
            Err(e) => return Err(e.into()),
        };
        if page.head < seen {
            return Ok(Checked::Lost);
        }
        let intact = match page.items.first() {
            Some(LogItem::Blob(blob)) if blob.seq == seen && !blob.snapshot => {
                item.as_deref() == Some(blob_identity(&blob.id).as_str())
            }
            Some(LogItem::Tombstone(t)) if t.seq == seen => {
                item.as_deref() == Some(tombstone_identity(&t.doc).as_str())
            }
            _ => true,
        };
        if !intact {
            return Ok(Checked::Lost);
        }
        if cursor != seen {
            return Ok(Checked::Intact(None));
        }
        // The item at the cursor was applied when it came.
        page.items.retain(|i| i.seq() > seen);
        // A page cut short by its size after that one item says nothing
        // of what follows: pull again.
        if page.items.is_empty() && page.more {
            return Ok(Checked::Intact(None));
        }
        Ok(Checked::Intact(Some(page)))
    }

    /// Applies items the live stream carried after seq `after`, up to
    /// `head`: the same checks and merge as a pull, without the request.
    /// In one commit, which also reads the cursor: items this phone has
    /// already are passed over, and items that do not follow the cursor
    /// directly are left for a pull ([`Streamed::Gap`]). (Live mode runs
    /// [`Engine::apply_streamed_in`] in a commit that also builds the
    /// engine: see `Hearth::apply_streamed`.)
    #[cfg(test)]
    pub fn apply_streamed(&self, items: &[LogItem], after: u64, head: u64) -> Result<Streamed> {
        self.store
            .write_unflushed(|tx| self.apply_streamed_in(tx, items, after, head))?
            .finish(self.store, self.events)
    }

    /// Applies streamed items in `tx`, as `apply_streamed` describes. What
    /// it returns must be [finished](StreamedIn::finish) once `tx` has
    /// committed.
    pub(crate) fn apply_streamed_in(
        &self,
        tx: &Connection,
        items: &[LogItem],
        after: u64,
        head: u64,
    ) -> Result<StreamedIn> {
        let cursor = state::number(tx, CURSOR)?;
        let nothing = |streamed| StreamedIn {
            streamed,
            pulled: Vec::new(),
            events: Vec::new(),
        };
        if head <= cursor {
            return Ok(nothing(Streamed::Had));
        }
        if cursor != after {
            return Ok(nothing(Streamed::Gap));
        }
        let pulled = items
            .iter()
            .map(|item| self.open(tx, item))
            .collect::<Result<Vec<_>>>()?;
        saw_last(tx, items)?;
        let (events, rejected) = self.apply(tx, &pulled, head)?;
        Ok(StreamedIn {
            streamed: Streamed::Applied { rejected },
            pulled,
            events,
        })
    }

    /// Tries every quarantined blob again (this version may read what an
    /// older one could not); those that apply leave the quarantine.
    pub(crate) fn retry_quarantined(&self) -> Result<u32> {
        let held = self.store.read_warm(quarantine::all)?;
        if held.is_empty() {
            return Ok(0);
        }
        let who = self.actor();
        let (events, applied) = self.store.write_unflushed(|tx| {
            let mut events = Vec::new();
            let mut applied = 0;
            for item in &held {
                tx.prepare_cached("SAVEPOINT item")?.execute([])?;
                let result = match payload::decode(&item.payload) {
                    Err(_) => Err(UNREADABLE.to_owned()),
                    Ok((local, _)) if self.doc_ids.relay_doc_id(&local) != item.relay_doc => {
                        Err("filed under the wrong document".to_owned())
                    }
                    Ok((local, bytes)) => {
                        merge_change(tx, &who, &item.relay_doc, &local, bytes, &mut events)
                            .map(|()| local)
                            .map_err(|e| failed_words(&e))
                    }
                };
                match result {
                    Ok(_) => {
                        tx.prepare_cached("RELEASE item")?.execute([])?;
                        quarantine::release(tx, &item.blob)?;
                        applied += 1;
                    }
                    Err(why) => {
                        tx.prepare_cached("ROLLBACK TO item")?.execute([])?;
                        tx.prepare_cached("RELEASE item")?.execute([])?;
                        let local = payload::decode(&item.payload).ok().map(|(l, _)| l);
                        quarantine::keep(tx, item, local.as_deref(), &why, self.now)?;
                    }
                }
            }
            Ok((events, applied))
        })?;
        self.events.emit(events);
        Ok(applied)
    }

    /// Opens and merges `items` in the caller's transaction, exactly as a
    /// pull does, without the relay: the entry point of the envelope fuzz
    /// target (`fuzz/`). Returns how many were rejected.
    #[cfg(feature = "fuzzing")]
    pub(crate) fn receive_in(&self, tx: &Connection, items: &[LogItem], head: u64) -> Result<u32> {
        let pulled = items
            .iter()
            .map(|item| self.open(tx, item))
            .collect::<Result<Vec<_>>>()?;
        Ok(self.apply(tx, &pulled, head)?.1)
    }

    /// Checks and opens one pulled item.
    fn open(&self, conn: &Connection, item: &LogItem) -> Result<Pulled> {
        let blob: &StoredBlob = match item {
            LogItem::Tombstone(t) => {
                let proof = t.deletion.as_ref();
                if !self.proves(conn, proof, |d| d.names_document(&self.space, &t.doc))? {
                    return Ok(Pulled::Unproven);
                }
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
        if blob.doc.as_str() == super::epochs::EPOCH_DOC {
            return Ok(
                match self.epochs.pulled(conn, self.keys, &sender, &blob.data)? {
                    None => Pulled::Own,
                    Some(why) => Pulled::Rejected(why),
                },
            );
        }
        let ctx = self.context(blob.doc.as_str(), blob.id.as_str(), &sender);
        if blob.doc.as_str() == super::announce::DEVICES_DOC {
            let opened = super::announce::open(
                conn,
                &self.epochs,
                &self.announced,
                self.keys,
                &ctx,
                &blob.data,
            )?;
            return Ok(match opened {
                Ok(Some(change)) => Pulled::Roster(change),
                Ok(None) => Pulled::Own,
                Err(why) => Pulled::Rejected(why),
            });
        }
        let Some(keys) = self.announced.keys_of(conn, &sender)? else {
            return Ok(Pulled::Rejected(
                "a blob signed by a device that is not in your space was rejected",
            ));
        };
        let Some(plain) = self.epochs.open(&ctx, &keys, &blob.data) else {
            return Ok(Pulled::Rejected(
                "a blob that failed its signature or decryption was rejected",
            ));
        };
        let Ok((local, bytes)) = payload::decode(&plain) else {
            return Ok(Pulled::Unreadable {
                relay: blob.doc.as_str().to_owned(),
                blob: blob.id.as_str().to_owned(),
                plain,
            });
        };
        // The relay id is a keyed hash of the local id: a blob cannot be
        // replayed under another document.
        if self.doc_ids.relay_doc_id(&local) != blob.doc.as_str() {
            return Ok(Pulled::Rejected(
                "a blob filed under the wrong document was rejected",
            ));
        }
        Ok(Pulled::Change {
            relay: blob.doc.as_str().to_owned(),
            blob: blob.id.as_str().to_owned(),
            local,
            bytes: bytes.to_vec(),
        })
    }

    /// Merges a page and advances the cursor, in the caller's transaction.
    fn apply(&self, tx: &Connection, pulled: &[Pulled], next: u64) -> Result<(Vec<Event>, u32)> {
        let who = self.actor();
        let mut events = Vec::new();
        let mut rejected = 0;
        let mut unproven = 0;
        let mut reason = None;
        for item in pulled {
            tx.prepare_cached("SAVEPOINT item")?.execute([])?;
            let result: Result<()> = match item {
                Pulled::Own => Ok(()),
                Pulled::Roster(change) => super::announce::apply(tx, change, self.member, self.now),
                Pulled::Unproven => {
                    unproven += 1;
                    Ok(())
                }
                Pulled::Rejected(why) => {
                    rejected += 1;
                    reason = Some((*why).to_owned());
                    Ok(())
                }
                Pulled::Change {
                    relay,
                    local,
                    bytes,
                    ..
                } => merge_change(tx, &who, relay, local, bytes, &mut events),
                Pulled::Unreadable { relay, blob, plain } => {
                    let held = quarantine::Held {
                        blob: blob.clone(),
                        relay_doc: relay.clone(),
                        payload: plain.clone(),
                    };
                    quarantine::keep(tx, &held, None, UNREADABLE, self.now)
                }
                Pulled::Forget { relay } => match quarantine::drop_relay_doc(tx, relay)
                    .and_then(|()| state::local_id(tx, relay))?
                {
                    Some(local) => {
                        if pending_push(tx, &local)? {
                            state::set(tx, state::NOTICE, DELETED_WHILE_OFFLINE)?;
                        }
                        if let Some(kind) = merge::forget(tx, &local, self.now)? {
                            events.push(merge::removed_event(kind, &local));
                        }
                        if drop_overtaken_edits(tx, &local, self.now, &mut events)? {
                            state::set(tx, state::NOTICE, EDIT_OVERTAKEN)?;
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
                    // Kept, not skipped: the cursor moves past it, so the
                    // quarantine is the only copy this phone has.
                    if let Pulled::Change {
                        relay,
                        blob,
                        local,
                        bytes,
                    } = item
                    {
                        let held = quarantine::Held {
                            blob: blob.clone(),
                            relay_doc: relay.clone(),
                            payload: payload::encode(local, bytes),
                        };
                        quarantine::keep(tx, &held, Some(local), &failed_words(&e), self.now)?;
                    } else {
                        rejected += 1;
                        reason = Some(format!(
                            "a change that could not be applied was skipped ({e})"
                        ));
                    }
                }
            }
        }
        state::set(tx, CURSOR, &next.to_string())?;
        if unproven > 0 {
            state::relay_fault(tx, unproven, &unproven_words(unproven))?;
        }
        if let Some(reason) = reason {
            let total = state::number(tx, state::REJECTED)? + u64::from(rejected);
            state::set(tx, state::REJECTED, &total.to_string())?;
            state::set(tx, state::LAST_ERROR, &reason)?;
        }
        Ok((events, rejected))
    }

    // --- compaction -----------------------------------------------------------------

    /// Compacts the crowded documents: `crowded` as a push's commit found
    /// them, or read now (`None`).
    async fn compact(&self, crowded: Option<Crowded>, report: &mut SyncReport) -> Result<()> {
        let Crowded {
            cursor,
            documents: crowded,
        } = match crowded {
            Some(crowded) => crowded,
            None => self.store.read_warm(|c| {
                Ok(Crowded {
                    cursor: state::number(c, CURSOR)?,
                    documents: state::crowded(c)?,
                })
            })?,
        };
        for (doc_id, relay_id) in crowded {
            let snapshot = self.store.read_warm(|conn| {
                if !may_compact(conn, &doc_id, &relay_id)? {
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

/// Whether this phone may replace a document's blobs at the relay with a
/// snapshot: not while an edit waits to be pushed, and never while the
/// document has quarantined blobs (the snapshot would lack them, and the
/// phones would never converge again).
fn may_compact(conn: &Connection, doc_id: &str, relay_id: &str) -> Result<bool> {
    Ok(!pending_push(conn, doc_id)? && !quarantine::holds(conn, relay_id)?)
}

/// Merges one opened change and records its blob.
fn merge_change(
    tx: &Connection,
    who: &Actor<'_>,
    relay: &str,
    local: &str,
    bytes: &[u8],
    events: &mut Vec<Event>,
) -> Result<()> {
    let (outcome, kind) = merge::apply_untrusted(tx, who, local, bytes)?;
    if outcome != MergeOutcome::Forgotten {
        state::record_blob(tx, local, relay, None)?;
    }
    if let Some(kind) = kind {
        events.push(merge::changed_event(kind, local));
    }
    Ok(())
}

/// Why a blob is quarantined when its payload cannot be read.
const UNREADABLE: &str = "its layout is newer than this version of Hearth";

/// Why a blob is quarantined when its merge failed. The error's words hold
/// no content (ids and Automerge's reason only).
fn failed_words(e: &Error) -> String {
    format!("it could not be merged ({e})")
}

/// What the person reads when the relay refuses a push past the space's
/// quota.
const SPACE_FULL: &str = "your shared space is full at the relay, so new changes cannot be sent: they are kept on this device. Delete items you no longer need, or ask whoever runs your relay for more room";

/// What the person reads when the relay lost the space and this phone
/// gave it back.
const RELAY_LOST_SPACE: &str = "The relay no longer had your shared space, so this device gave it back its copy; nothing was deleted.";

/// What the person reads when the relay claimed deletions no device of
/// the space signed.
fn unproven_words(count: usize) -> String {
    if count == 1 {
        "The relay claimed 1 item was deleted, but neither of you deleted it; it is kept.".into()
    } else {
        format!(
            "The relay claimed {count} items were deleted, but neither of you deleted them; they are kept."
        )
    }
}

/// What the person reads when the relay refused changes, claiming their
/// items were deleted, without a signed deletion.
fn refused_words(count: usize) -> String {
    if count == 1 {
        "The relay refused a change, claiming its item was deleted, but neither of you deleted it; it is kept on this device.".into()
    } else {
        format!(
            "The relay refused {count} changes, claiming their items were deleted, but neither of you deleted them; they are kept on this device."
        )
    }
}

/// What the person reads when the relay said the space was erased without
/// a signed erasure.
pub(crate) const UNPROVEN_ERASURE: &str = "The relay claimed your shared space was closed, but neither of you closed it; nothing was deleted.";

/// Closes the space here: shared data becomes read-only.
pub(crate) fn close(conn: &Connection) -> Result<()> {
    state::set(conn, state::CLOSED, "1")
}

/// The notice shown when an edit made offline was dropped because the
/// partner had deleted the item.
pub(crate) const DELETED_WHILE_OFFLINE: &str = "Something you changed while offline had been deleted on your partner's phone, so your change was not kept.";

/// The notice shown when an edit made here was dropped because the
/// partner had deleted or edited the same entry first.
pub(crate) const EDIT_OVERTAKEN: &str = "Your partner deleted or changed an entry you edited before your edit reached them, so your edit was not kept.";

/// The partner's deletion (or edit) of `doc_id` reached the relay before
/// this phone's edit of it, which replaced it by a new document not sent
/// yet: that edit, and any later edit of it, is dropped unsent, so a
/// deletion is never undone and two edits never make two entries. Returns
/// whether anything was dropped.
fn drop_overtaken_edits(
    conn: &Connection,
    doc_id: &str,
    now: i64,
    events: &mut Vec<Event>,
) -> Result<bool> {
    let mut dropped = false;
    let mut current = doc_id.to_owned();
    while let Some(next) = documents::replacement(conn, &current)? {
        if let Some(kind) = merge::forget(conn, &next, now)? {
            events.push(merge::removed_event(kind, &next));
        }
        drop_queued(conn, &next)?;
        dropped = true;
        current = next;
    }
    Ok(dropped)
}

/// After a page that deleted documents: the freed pages are zeroed
/// (`secure_delete`, and the search index's secure-delete), and this
/// empties the WAL, so the deleted words are gone from every file of the
/// receiving phone too, not only from its screens.
fn erase_traces(store: &Store, pulled: &[Pulled]) -> Result<()> {
    if pulled.iter().any(|p| matches!(p, Pulled::Forget { .. })) {
        store.checkpoint()?;
    }
    Ok(())
}

/// What an outbox row asks for.
#[derive(Clone, Copy)]
enum Queued {
    Push,
    Forget,
}

/// Outbox rows of one kind with their versions, oldest first. The action is
/// written into the SQL: with a bound parameter in its WHERE and an ORDER
/// BY, SQLite (built with STAT4) compiles a statement again at every run,
/// which every sync pass paid twice.
fn outbox(conn: &Connection, queued: Queued) -> Result<Vec<(String, i64)>> {
    let sql = match queued {
        Queued::Push => {
            "SELECT doc_id, version FROM outbox WHERE action = 'push' ORDER BY queued_at, doc_id"
        }
        Queued::Forget => {
            "SELECT doc_id, version FROM outbox WHERE action = 'forget' ORDER BY queued_at, doc_id"
        }
    };
    let rows = conn
        .prepare_cached(sql)?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
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
/// every document offered again, and every deletion this phone knows of
/// signed again. The lost log may have held the only tombstone of a
/// document the partner still has (deleted, or replaced by an edit, here):
/// without it the partner's re-upload would bring the document back.
/// Forgets go before pushes, so the old version of an edited entry is
/// gone at the relay before its replacement arrives.
fn restart(conn: &Connection) -> Result<()> {
    state::set(conn, CURSOR, "0")?;
    state::set(conn, HEAD_SEEN, "0")?;
    state::clear(conn, HEAD_ITEM)?;
    conn.execute("UPDATE sync_documents SET pushed = NULL, blobs = 0", [])?;
    conn.execute(
        "INSERT OR IGNORE INTO outbox (doc_id, action, queued_at)
         SELECT id, 'forget', 0 FROM forgotten_documents",
        [],
    )?;
    conn.execute(
        "INSERT OR IGNORE INTO outbox (doc_id, action, queued_at)
         SELECT id, 'push', 0 FROM documents",
        [],
    )?;
    Ok(())
}

/// What the relay lacks of a queued document and the heads it brings the
/// relay to (see [`Engine::unsent`]).
type Unsent = Option<(Vec<u8>, Vec<automerge::ChangeHash>)>;

/// What became of items the live stream carried.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Streamed {
    /// Merged; `rejected` of them failed their checks.
    Applied {
        /// How many were rejected.
        rejected: u32,
    },
    /// This phone had them all already.
    Had,
    /// They do not follow the cursor: a pull fetches what lies between.
    Gap,
}

/// Streamed items merged in a commit, with what is left to do once it
/// has committed.
pub(crate) struct StreamedIn {
    streamed: Streamed,
    pulled: Vec<Pulled>,
    events: Vec<Event>,
}

impl StreamedIn {
    /// Erases the traces of what the partner deleted, then tells the
    /// shells what changed.
    pub(crate) fn finish(self, store: &Store, events: &Registry) -> Result<Streamed> {
        erase_traces(store, &self.pulled)?;
        events.emit(self.events);
        Ok(self.streamed)
    }
}

/// What a live push reads before it sends: see [`Engine::push_plan`].
pub(crate) struct PushPlan {
    admit: bool,
    forgets: Vec<(String, i64)>,
    queue: Option<Queue>,
}

/// The documents queued for push and what the first batch of them lacks
/// at the relay.
pub(crate) struct Queue {
    queued: Vec<(String, i64)>,
    first: Vec<Unsent>,
}

/// The documents with blobs enough to compact, and the cursor then.
struct Crowded {
    cursor: u64,
    documents: Vec<(String, String)>,
}

/// What checking the relay's log found.
enum Checked {
    /// The log holds what it acknowledged; with the first page after the
    /// cursor when the check brought it.
    Intact(Option<PullResponse>),
    /// The relay lost items it acknowledged.
    Lost,
}

/// Records that the relay acknowledged item `identity` at `seq`.
fn saw_item(conn: &Connection, seq: u64, identity: &str) -> Result<()> {
    if seq > state::number(conn, HEAD_SEEN)? {
        state::set_two(conn, [(HEAD_SEEN, &seq.to_string()), (HEAD_ITEM, identity)])?;
    }
    Ok(())
}

/// Records the last of pulled `items`.
fn saw_last(conn: &Connection, items: &[LogItem]) -> Result<()> {
    match items.last() {
        Some(LogItem::Blob(blob)) => saw_item(conn, blob.seq, &blob_identity(&blob.id)),
        Some(LogItem::Tombstone(t)) => saw_item(conn, t.seq, &tombstone_identity(&t.doc)),
        None => Ok(()),
    }
}

fn blob_identity(blob: &BlobId) -> String {
    format!("blob {}", blob.as_str())
}

fn tombstone_identity(doc: &DocumentId) -> String {
    format!("tombstone {}", doc.as_str())
}

/// Moves the cursor past blobs this phone just pushed when they directly
/// follow it (nobody else wrote in between), so they are not pulled back.
/// Returns the cursor, moved or not.
fn skip_own(conn: &Connection, receipts: &[hearth_protocol::Receipt]) -> Result<u64> {
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
        return Ok(*last);
    }
    Ok(cursor)
}

/// The tag the relay knows `member` by in this space.
pub(crate) fn member_tag(space_key: &SpaceKey, member: &str) -> Result<MemberTag> {
    MemberTag::parse(&crypto::relay_member_tag(space_key, member))
        .map_err(|e| Error::sync_failed_at("a member tag could not be made", e))
}

/// Whether two lists of heads name the same changes, in any order.
fn same_heads(a: &[automerge::ChangeHash], b: &[automerge::ChangeHash]) -> bool {
    a.len() == b.len() && a.iter().all(|h| b.contains(h))
}

fn new_blob_id() -> Result<BlobId> {
    let mut bytes = [0u8; 16];
    crypto::fill_random(&mut bytes).map_err(Error::sync_failed)?;
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

#[cfg(test)]
mod tests {
    use automerge::transaction::Transactable as _;
    use automerge::{AutoCommit, ROOT};

    use super::*;
    use crate::crypto::relay_doc_id;

    struct Fixture {
        _dir: tempfile::TempDir,
        store: Store,
        events: Registry,
        keys: DeviceKeys,
        device: ActorId,
        space_key: SpaceKey,
    }

    impl Fixture {
        fn new() -> Self {
            let dir = tempfile::tempdir().unwrap();
            let store = Store::open(&dir.path().join("hearth.db")).unwrap();
            Self {
                _dir: dir,
                store,
                events: Registry::default(),
                keys: DeviceKeys::generate().unwrap(),
                device: ActorId::random(),
                space_key: SpaceKey::generate().unwrap(),
            }
        }

        fn engine(&self) -> Engine<'_> {
            Engine {
                store: &self.store,
                events: &self.events,
                keys: &self.keys,
                member: "me",
                device: &self.device,
                now: 1_000,
                client: RelayClient::new("http://127.0.0.1:9").unwrap(),
                space: SpaceId::parse("space-1").unwrap(),
                space_key: self.space_key.clone(),
                doc_ids: DocIdKey::new(&self.space_key),
                epochs: self
                    .store
                    .read(|conn| {
                        super::super::epochs::Epochs::load(
                            std::sync::Arc::new(crate::crypto::MemoryKeyStore::default()),
                            "space-1",
                            &self.space_key,
                            conn,
                        )
                    })
                    .unwrap(),
                announced: super::super::announce::Announced::default(),
            }
        }

        /// A change to document `local` as it arrives from the partner.
        fn change(&self, blob: &str, local: &str, bytes: Vec<u8>) -> Pulled {
            Pulled::Change {
                relay: relay_doc_id(&self.space_key, local),
                blob: blob.into(),
                local: local.into(),
                bytes,
            }
        }

        fn apply(&self, pulled: &[Pulled], next: u64) -> u32 {
            let engine = self.engine();
            self.store
                .write_unflushed(|tx| engine.apply(tx, pulled, next))
                .unwrap()
                .1
        }

        fn quarantined(&self) -> u32 {
            self.store.read(quarantine::count).unwrap()
        }

        fn cursor(&self) -> u64 {
            self.store.read(|c| state::number(c, CURSOR)).unwrap()
        }

        fn has_document(&self, id: &str) -> bool {
            self.store
                .read(|c| documents::load(c, id, &self.device))
                .unwrap()
                .is_some()
        }
    }

    /// Items the live stream carried are merged only where they follow
    /// the cursor; ones this phone has are passed over, and a gap is left
    /// for a pull, with the cursor where it was.
    #[test]
    fn streamed_items_apply_only_where_they_follow_the_cursor() {
        let f = Fixture::new();
        let engine = f.engine();
        f.store
            .write_unflushed(|tx| state::set(tx, CURSOR, "5"))
            .unwrap();
        // Blobs this device pushed itself: opened without keys.
        let own = |seq: u64| {
            LogItem::Blob(StoredBlob {
                seq,
                id: new_blob_id().unwrap(),
                doc: DocumentId::parse(&relay_doc_id(&f.space_key, "doc-a")).unwrap(),
                device: hearth_protocol::DeviceId::parse(&f.keys.device_id()).unwrap(),
                snapshot: false,
                data: Vec::new(),
            })
        };
        assert_eq!(
            engine.apply_streamed(&[own(9)], 8, 9).unwrap(),
            Streamed::Gap
        );
        assert_eq!(f.cursor(), 5, "a gap is left for a pull");
        assert_eq!(
            engine.apply_streamed(&[own(6)], 5, 6).unwrap(),
            Streamed::Applied { rejected: 0 }
        );
        assert_eq!(f.cursor(), 6);
        assert_eq!(
            engine.apply_streamed(&[own(6)], 5, 6).unwrap(),
            Streamed::Had
        );
        assert_eq!(f.cursor(), 6);
    }

    /// A whole document of a kind from a newer app: stored, not shown.
    fn document_bytes() -> Vec<u8> {
        let mut doc = AutoCommit::new();
        doc.put(ROOT, "kind", "future-kind").unwrap();
        doc.put(ROOT, "text", "hello").unwrap();
        doc.save()
    }

    #[test]
    fn bytes_automerge_refuses_are_quarantined_not_skipped() {
        let f = Fixture::new();
        let rejected = f.apply(&[f.change("b1", "doc-a", b"not automerge".to_vec())], 7);
        assert_eq!(rejected, 0);
        assert_eq!(f.quarantined(), 1);
        assert_eq!(
            f.cursor(),
            7,
            "the cursor moves on; the quarantine keeps the blob"
        );
        assert_eq!(
            f.store.read(|c| state::number(c, state::REJECTED)).unwrap(),
            0
        );
        // Tried again: still refused, still kept, one more attempt.
        assert_eq!(f.engine().retry_quarantined().unwrap(), 0);
        let attempts: i64 = f
            .store
            .read(|c| Ok(c.query_row("SELECT attempts FROM quarantine", [], |r| r.get(0))?))
            .unwrap();
        assert_eq!(attempts, 2);
        let status_count = f.store.read(quarantine::count).unwrap();
        assert_eq!(status_count, 1);
    }

    /// Bytes on which Automerge's loader panics (an index out of bounds in
    /// its column decoder), found by the `snapshot` fuzz target; kept in
    /// `fuzz/regressions/snapshot/`.
    const AUTOMERGE_PANICS: &[u8] = &[
        0x85, 0x6f, 0x4a, 0x83, 0x60, 0x3b, 0xf0, 0xcc, 0x03, 0x74, 0x01, 0x5a, 0x10, 0x70, 0x64,
        0x61, 0x65, 0x74, 0x64, 0x5f, 0x61, 0x74, 0x02, 0x02, 0x01, 0x80, 0x66, 0x64, 0x63, 0x68,
        0x61, 0x75, 0x74, 0x01, 0x3b, 0x25, 0x02, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x03, 0x03,
        0x03, 0x03, 0x03, 0x03, 0x03, 0x03, 0x03, 0x03, 0x03, 0x03, 0x08, 0x03, 0x03, 0x02, 0x03,
        0x03, 0x03, 0x03, 0x03, 0x03, 0x03, 0x03, 0x03, 0x03, 0x03, 0x03, 0x03, 0x03, 0x03, 0x03,
        0x03, 0x23, 0x03, 0x03, 0x5b, 0x03, 0x03, 0x85, 0x03, 0x03, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x03, 0x03, 0x03, 0x03, 0x03, 0x03, 0x03, 0x03,
        0x03, 0x03, 0x03, 0x03, 0x03, 0x03, 0x03, 0x03, 0x03, 0x03, 0x00, 0x98, 0x00, 0xff, 0xff,
        0xfb, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
        0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x00, 0x00, 0x00, 0x7f, 0x02,
    ];

    #[test]
    fn bytes_on_which_automerge_panics_are_quarantined_not_a_crash() {
        let f = Fixture::new();
        let pulled = [f.change("b1", "doc-a", AUTOMERGE_PANICS.to_vec())];
        assert_eq!(f.apply(&pulled, 1), 0);
        assert_eq!(f.quarantined(), 1);
        let reason: String = f
            .store
            .read(|c| Ok(c.query_row("SELECT reason FROM quarantine", [], |r| r.get(0))?))
            .unwrap();
        // A bundle chunk: refused before Automerge reads it (a panic
        // there would be caught the same way, see the next tests).
        assert!(reason.contains("kind of Automerge chunk"), "{reason}");
        assert_eq!(f.cursor(), 1);
    }

    /// 62 bytes, an Automerge bundle chunk, on which Automerge's loader
    /// asks for 4 GiB (found by the `snapshot` fuzz target).
    const AUTOMERGE_ASKS_4_GIB: &[u8] = &[
        0x85, 0x6f, 0x4a, 0x83, 0x97, 0xb2, 0x55, 0x4e, 0x03, 0x2c, 0x00, 0x00, 0x00, 0x02, 0x01,
        0x02, 0x23, 0x13, 0x00, 0x03, 0x15, 0x08, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
        0x21, 0x02, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xf0, 0xcc, 0x01, 0x5a, 0x1f,
        0xc0, 0x68, 0x65, 0x6c, 0x64, 0x2e, 0x22, 0x30, 0x32, 0x36, 0x2d, 0x31, 0x31, 0x2d, 0x32,
        0x36, 0x04,
    ];

    #[test]
    fn a_chunk_kind_hearth_never_writes_is_quarantined_before_automerge_reads_it() {
        let f = Fixture::new();
        let pulled = [f.change("b1", "doc-a", AUTOMERGE_ASKS_4_GIB.to_vec())];
        assert_eq!(f.apply(&pulled, 1), 0);
        assert_eq!(f.quarantined(), 1);
        let reason: String = f
            .store
            .read(|c| Ok(c.query_row("SELECT reason FROM quarantine", [], |r| r.get(0))?))
            .unwrap();
        assert!(reason.contains("kind of Automerge chunk"), "{reason}");
    }

    #[test]
    fn stored_bytes_automerge_cannot_read_safely_are_a_damaged_database_error() {
        let f = Fixture::new();
        for bytes in [AUTOMERGE_PANICS, AUTOMERGE_ASKS_4_GIB] {
            f.store
                .write(|tx| documents::put_bytes(tx, "doc-a", "entry", bytes, 0))
                .unwrap();
            let loaded = f.store.read(|c| documents::load(c, "doc-a", &f.device));
            assert!(
                matches!(loaded, Err(Error::DamagedDatabase(_))),
                "{loaded:?}"
            );
        }
    }

    #[test]
    fn a_panic_in_the_merge_quarantines_the_blob_and_the_page_goes_on() {
        let f = Fixture::new();
        crate::merge::PANIC_ON_MERGE.with(|p| p.set(true));
        let pulled = [f.change("b1", "doc-a", document_bytes())];
        let rejected = f.apply(&pulled, 3);
        crate::merge::PANIC_ON_MERGE.with(|p| p.set(false));
        assert_eq!(rejected, 0);
        assert_eq!(f.quarantined(), 1);
        assert_eq!(f.cursor(), 3);
        assert!(!f.has_document("doc-a"), "the savepoint was rolled back");

        // The next pass (say, after an update that fixed the panic) applies
        // it and empties the quarantine.
        assert_eq!(f.engine().retry_quarantined().unwrap(), 1);
        assert_eq!(f.quarantined(), 0);
        assert!(f.has_document("doc-a"));
    }

    #[test]
    fn a_payload_from_a_newer_app_is_quarantined_and_kept() {
        let f = Fixture::new();
        let relay = relay_doc_id(&f.space_key, "doc-a");
        let mut plain = payload::encode("doc-a", &document_bytes());
        plain[0] = 9; // a layout version this build does not know
        let pulled = [Pulled::Unreadable {
            relay: relay.clone(),
            blob: "b1".into(),
            plain: plain.clone(),
        }];
        assert_eq!(f.apply(&pulled, 1), 0);
        assert_eq!(f.quarantined(), 1);
        f.engine().retry_quarantined().unwrap();
        assert_eq!(f.quarantined(), 1);
        let kept: Vec<u8> = f
            .store
            .read(|c| Ok(c.query_row("SELECT payload FROM quarantine", [], |r| r.get(0))?))
            .unwrap();
        assert_eq!(kept, plain);
        // A document with quarantined blobs is never compacted here.
        assert!(!f.store.read(|c| may_compact(c, "doc-a", &relay)).unwrap());
        assert!(f.store.read(|c| may_compact(c, "doc-b", "other")).unwrap());
        // Deleting the document (a signed deletion) drops them.
        f.apply(&[Pulled::Forget { relay }], 2);
        assert_eq!(f.quarantined(), 0);
    }

    #[test]
    fn a_bad_blob_does_not_hold_back_the_rest_of_the_page() {
        let f = Fixture::new();
        let pulled = [
            f.change("b1", "doc-a", b"garbage".to_vec()),
            f.change("b2", "doc-b", document_bytes()),
        ];
        f.apply(&pulled, 2);
        assert_eq!(f.quarantined(), 1);
        assert!(f.has_document("doc-b"));
        // Compaction of the quarantined document waits; the other may go.
        let relay_a = relay_doc_id(&f.space_key, "doc-a");
        assert!(!f.store.read(|c| may_compact(c, "doc-a", &relay_a)).unwrap());
        let relay_b = relay_doc_id(&f.space_key, "doc-b");
        assert!(f.store.read(|c| may_compact(c, "doc-b", &relay_b)).unwrap());
    }
}
