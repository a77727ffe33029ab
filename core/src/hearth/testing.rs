//! What tests and benchmarks need beyond the app's own calls: feeding a
//! store bytes from "another device" by hand, reading what waits to be
//! sent, and adopting a space id without pairing. Behind the
//! `test-support` feature, so no shell can call them.

use super::Hearth;
use crate::error::Result;
use crate::merge::{self, MergeOutcome, RemoteChange};

impl Hearth {
    /// Takes a shared space id by hand, as pairing does for the joiner: two
    /// test phones then share the daily question's seed.
    pub fn adopt_space_id(&self, space_id: &str) -> Result<()> {
        self.store
            .write(|tx| crate::store::device::set_space_id(tx, space_id))
    }

    /// Applies bytes another device produced for shared document `doc_id`
    /// and refreshes its projections, in one transaction. Damaged bytes are
    /// refused with [`Error::CorruptDocument`] and change nothing.
    pub fn apply_remote(&self, doc_id: &str, bytes: &[u8]) -> Result<MergeOutcome> {
        let change = RemoteChange {
            doc_id: doc_id.to_owned(),
            bytes: bytes.to_vec(),
        };
        let mut outcomes = self.apply_remote_batch(std::slice::from_ref(&change))?;
        Ok(outcomes.pop().unwrap_or(MergeOutcome::AlreadyHad))
    }

    /// Applies many remote changes in one transaction: all of them, or
    /// (on the first error) none.
    pub fn apply_remote_batch(&self, changes: &[RemoteChange]) -> Result<Vec<MergeOutcome>> {
        let who = self.actor();
        let applied: Vec<merge::Applied> = self.store.write(|tx| {
            changes
                .iter()
                .map(|c| merge::apply(tx, &who, &c.doc_id, &c.bytes))
                .collect()
        })?;
        self.emit(
            applied
                .iter()
                .zip(changes)
                .filter_map(|((_, kind), c)| kind.map(|k| merge::changed_event(k, &c.doc_id))),
        );
        Ok(applied.into_iter().map(|(outcome, _)| outcome).collect())
    }

    /// Removes a shared document the partner deleted. Returns whether it was
    /// here.
    pub fn forget_remote(&self, doc_id: &str) -> Result<bool> {
        let now = self.now_ms();
        let kind = self.store.write(|tx| merge::forget(tx, doc_id, now))?;
        if let Some(kind) = kind {
            self.emit([merge::removed_event(kind, doc_id)]);
        }
        self.store.checkpoint()?;
        Ok(kind.is_some())
    }

    /// The whole of shared document `doc_id` as bytes, or `None` if it is
    /// not here.
    pub fn document_bytes(&self, doc_id: &str) -> Result<Option<Vec<u8>>> {
        self.store.read(|conn| {
            Ok(
                crate::store::documents::load(conn, doc_id, &self.device)?
                    .map(|mut doc| doc.save()),
            )
        })
    }

    /// Ids of the shared documents deleted here that the relay and the
    /// partner's phone have not been told about yet.
    pub fn pending_forgets(&self) -> Result<Vec<String>> {
        self.outbox("forget")
    }

    /// Ids of the shared documents changed here since they were last pushed.
    pub fn pending_documents(&self) -> Result<Vec<String>> {
        self.outbox("push")
    }

    fn outbox(&self, action: &str) -> Result<Vec<String>> {
        self.store.read(|conn| {
            let mut stmt = conn.prepare_cached(
                "SELECT doc_id FROM outbox WHERE action = ?1 ORDER BY queued_at, doc_id",
            )?;
            let ids = stmt
                .query_map([action], |r| r.get(0))?
                .collect::<rusqlite::Result<_>>()?;
            Ok(ids)
        })
    }
}
