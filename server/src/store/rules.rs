//! The decisions both backends make the same way, kept here once: how a
//! push is sequenced, when a compaction is a retry, who may claim a
//! pairing side, and where a pull page ends. The backends only fetch the
//! facts and write the outcome.

use std::collections::HashMap;

use hearth_protocol::{
    BlobId, CompactResponse, Deletion, DeviceId, DocumentId, LogItem, NewBlob, PullResponse,
    PushResponse, Receipt,
};

use super::{StoreError, blob_digest};

/// A blob to insert, with the seq it gets.
#[derive(Debug)]
pub(crate) struct PlannedBlob {
    pub seq: u64,
    pub id: BlobId,
    pub doc: DocumentId,
    pub digest: [u8; 32],
    pub data: Vec<u8>,
}

/// The outcome of a push before it is written.
#[derive(Debug)]
pub(crate) struct PushPlan {
    pub inserts: Vec<PlannedBlob>,
    pub response: PushResponse,
}

impl PushPlan {
    /// Whether the head moved (nothing new means nothing to write).
    pub fn grew(&self, old_head: u64) -> bool {
        self.response.head > old_head
    }
}

/// Refuses a push of `adding` (bytes, blobs) to a space already holding
/// `used` when it would pass `quota`.
pub(crate) fn check_quota(
    used: (u64, u64),
    adding: (u64, u64),
    quota: super::Quota,
) -> Result<(), StoreError> {
    if used.0.saturating_add(adding.0) > quota.bytes {
        return Err(StoreError::QuotaExceeded {
            what: "bytes",
            limit: quota.bytes,
        });
    }
    if used.1.saturating_add(adding.1) > quota.blobs {
        return Err(StoreError::QuotaExceeded {
            what: "blobs",
            limit: quota.blobs,
        });
    }
    Ok(())
}

impl PushPlan {
    /// The (bytes, blobs) this push adds.
    pub fn adds(&self) -> (u64, u64) {
        let bytes = self.inserts.iter().map(|b| b.data.len() as u64).sum();
        (bytes, self.inserts.len() as u64)
    }
}

/// How many people a space holds at most: a couple.
pub(crate) const MAX_PEOPLE: usize = 2;

/// The person a stored device counts as: its member tag, or itself.
pub(crate) fn person(device: &DeviceId, member: Option<&str>) -> String {
    member.map_or_else(
        || format!("device:{}", device.encode()),
        |m| format!("member:{m}"),
    )
}

/// Admits a device of person `new` into a space whose devices count as
/// `people`: refused when that makes a third person.
pub(crate) fn check_couple(people: &[String], new: &str) -> Result<(), StoreError> {
    let mut distinct: Vec<&str> = people.iter().map(String::as_str).collect();
    distinct.sort_unstable();
    distinct.dedup();
    if distinct.contains(&new) || distinct.len() < MAX_PEOPLE {
        Ok(())
    } else {
        Err(StoreError::CoupleComplete)
    }
}

/// What a device to remove is, as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum RemovalTarget {
    /// In the device list, as this person.
    Listed(String),
    /// Removed before, as this person.
    Removed(String),
    /// Never in the space.
    Unknown,
}

/// Whether the device acting as person `by` may remove `target`: only a
/// device of the same person (a device admitted without a member tag is a
/// person of its own, so it can remove only itself). Answers true when
/// the removal is still to be written, false for a retry of a removal
/// already made.
pub(crate) fn check_removal(by: &str, target: &RemovalTarget) -> Result<bool, StoreError> {
    match target {
        RemovalTarget::Unknown => Err(StoreError::UnknownDevice),
        RemovalTarget::Listed(person) | RemovalTarget::Removed(person) if person != by => {
            Err(StoreError::NotYourDevice)
        }
        RemovalTarget::Listed(_) => Ok(true),
        RemovalTarget::Removed(_) => Ok(false),
    }
}

/// The document ids of a push, each once, in first-seen order.
pub(crate) fn push_documents(blobs: &[NewBlob]) -> Vec<&DocumentId> {
    let mut seen: Vec<&DocumentId> = Vec::new();
    for blob in blobs {
        if !seen.contains(&&blob.doc) {
            seen.push(&blob.doc);
        }
    }
    seen
}

/// Sequences a push: refuses it whole when it names forgotten documents or
/// reuses a blob id for other content; answers retried blobs with their
/// first seq; gives new blobs the next seqs in request order.
///
/// `existing` maps blob ids already stored (live or compacted away) to
/// their (seq, digest).
pub(crate) fn plan_push(
    blobs: Vec<NewBlob>,
    head: u64,
    forgotten: Vec<(DocumentId, Option<Deletion>)>,
    existing: &HashMap<String, (u64, Vec<u8>)>,
) -> Result<PushPlan, StoreError> {
    if !forgotten.is_empty() {
        let (mut documents, deletions): (Vec<DocumentId>, Vec<Option<Deletion>>) =
            forgotten.into_iter().unzip();
        documents.sort();
        documents.dedup();
        let deletions = deletions.into_iter().flatten().collect();
        return Err(StoreError::DocumentsForgotten(documents, deletions));
    }
    let mut next = head;
    let mut receipts = Vec::with_capacity(blobs.len());
    let mut inserts = Vec::new();
    for blob in blobs {
        let digest = blob_digest(&blob.doc, &blob.data);
        if let Some((seq, stored)) = existing.get(blob.id.as_str()) {
            if stored.as_slice() != digest.as_slice() {
                return Err(StoreError::BlobIdReused(blob.id));
            }
            receipts.push(Receipt {
                id: blob.id,
                seq: *seq,
            });
            continue;
        }
        next += 1;
        receipts.push(Receipt {
            id: blob.id.clone(),
            seq: next,
        });
        inserts.push(PlannedBlob {
            seq: next,
            id: blob.id,
            doc: blob.doc,
            digest,
            data: blob.data,
        });
    }
    Ok(PushPlan {
        inserts,
        response: PushResponse {
            receipts,
            head: next,
        },
    })
}

/// Checks a compaction before any blob is touched. `Some` answers a retry
/// of a compaction already done; `None` means go ahead.
///
/// `existing` is the (seq, digest) already stored under the snapshot's id.
pub(crate) fn check_compaction(
    doc: &DocumentId,
    forgotten: Option<Option<Deletion>>,
    upto: u64,
    head: u64,
    snapshot_id: &BlobId,
    snapshot_digest: &[u8; 32],
    existing: Option<(u64, Vec<u8>)>,
) -> Result<Option<CompactResponse>, StoreError> {
    if let Some(deletion) = forgotten {
        return Err(StoreError::DocumentsForgotten(
            vec![doc.clone()],
            deletion.into_iter().collect(),
        ));
    }
    if let Some((seq, digest)) = existing {
        return if digest.as_slice() == snapshot_digest.as_slice() {
            Ok(Some(CompactResponse { seq, replaced: 0 }))
        } else {
            Err(StoreError::BlobIdReused(snapshot_id.clone()))
        };
    }
    if upto > head {
        return Err(StoreError::CursorPastEnd { head });
    }
    Ok(None)
}

/// The seq a snapshot takes: the highest one it replaces.
pub(crate) fn snapshot_seq(replaced: &[u64]) -> Result<u64, StoreError> {
    replaced
        .iter()
        .copied()
        .max()
        .ok_or(StoreError::NothingToCompact)
}

/// What claiming a pairing side does.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Claim {
    /// The side already holds the mailbox.
    Held,
    /// The side takes the free second place.
    Take,
}

/// Decides a claim from the mailbox's two places.
pub(crate) fn claim(side_a: &str, side_b: Option<&str>, side: &str) -> Result<Claim, StoreError> {
    if side == side_a || side_b == Some(side) {
        Ok(Claim::Held)
    } else if side_b.is_none() {
        Ok(Claim::Take)
    } else {
        Err(StoreError::PairingFull)
    }
}

/// Checks `side` holds one of the mailbox's places.
pub(crate) fn check_side(side_a: &str, side_b: Option<&str>, side: &str) -> Result<(), StoreError> {
    if side == side_a || side_b == Some(side) {
        Ok(())
    } else {
        Err(StoreError::PairingSideUnknown)
    }
}

/// Collects a pull page from rows fetched in seq order (fetch `limit + 1`
/// so the page knows whether more follow).
#[derive(Debug)]
pub(crate) struct Page {
    items: Vec<LogItem>,
    bytes: usize,
    limit: usize,
    max_bytes: usize,
    more: bool,
}

impl Page {
    pub fn new(limit: u32, max_bytes: usize) -> Self {
        Self {
            items: Vec::new(),
            bytes: 0,
            limit: usize::try_from(limit).unwrap_or(usize::MAX),
            max_bytes,
            more: false,
        }
    }

    /// Adds the next row; false once the page is full (stop fetching).
    pub fn offer(&mut self, item: LogItem) -> bool {
        let size = match &item {
            LogItem::Blob(blob) => blob.data.len(),
            LogItem::Tombstone(_) => 0,
        };
        let over_bytes = !self.items.is_empty() && self.bytes + size > self.max_bytes;
        if self.items.len() >= self.limit || over_bytes {
            self.more = true;
            return false;
        }
        self.bytes += size;
        self.items.push(item);
        true
    }

    pub fn finish(self, head: u64, incarnation: u64) -> PullResponse {
        PullResponse {
            items: self.items,
            head,
            more: self.more,
            incarnation: Some(incarnation),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use hearth_protocol::{DeviceId, StoredBlob, Tombstone};

    fn blob(id: &str, doc: &str, data: &[u8]) -> NewBlob {
        NewBlob {
            id: BlobId::parse(id).unwrap(),
            doc: DocumentId::parse(doc).unwrap(),
            data: data.to_vec(),
        }
    }

    #[test]
    fn only_a_device_of_the_same_person_removes_a_device() {
        let sam = || "member:sam".to_string();
        let alex = || "member:alex".to_string();
        assert!(check_removal(&sam(), &RemovalTarget::Listed(sam())).unwrap());
        assert!(!check_removal(&sam(), &RemovalTarget::Removed(sam())).unwrap());
        assert!(matches!(
            check_removal(&sam(), &RemovalTarget::Listed(alex())),
            Err(StoreError::NotYourDevice)
        ));
        assert!(matches!(
            check_removal(&sam(), &RemovalTarget::Removed(alex())),
            Err(StoreError::NotYourDevice)
        ));
        assert!(matches!(
            check_removal(&sam(), &RemovalTarget::Unknown),
            Err(StoreError::UnknownDevice)
        ));
    }

    #[test]
    fn new_blobs_take_the_next_seqs_in_order() {
        let plan = plan_push(
            vec![blob("a", "d", b"1"), blob("b", "d", b"2")],
            10,
            vec![],
            &HashMap::new(),
        )
        .unwrap();
        let seqs: Vec<u64> = plan.response.receipts.iter().map(|r| r.seq).collect();
        assert_eq!(seqs, [11, 12]);
        assert_eq!(plan.response.head, 12);
        assert!(plan.grew(10));
    }

    #[test]
    fn a_retried_blob_keeps_its_first_seq_and_a_reused_id_is_refused() {
        let doc = DocumentId::parse("d").unwrap();
        let mut existing = HashMap::new();
        existing.insert("a".to_owned(), (3, blob_digest(&doc, b"1").to_vec()));
        let plan = plan_push(
            vec![blob("a", "d", b"1"), blob("b", "d", b"2")],
            5,
            vec![],
            &existing,
        )
        .unwrap();
        let seqs: Vec<u64> = plan.response.receipts.iter().map(|r| r.seq).collect();
        assert_eq!(seqs, [3, 6]);
        assert_eq!(plan.inserts.len(), 1);
        let reused = plan_push(vec![blob("a", "d", b"other")], 5, vec![], &existing);
        assert!(matches!(reused, Err(StoreError::BlobIdReused(id)) if id.as_str() == "a"));
        let other_doc = plan_push(vec![blob("a", "e", b"1")], 5, vec![], &existing);
        assert!(matches!(other_doc, Err(StoreError::BlobIdReused(_))));
    }

    #[test]
    fn forgotten_documents_refuse_the_whole_push_and_are_listed_once() {
        let d = DocumentId::parse("d").unwrap();
        let result = plan_push(
            vec![blob("a", "d", b"1")],
            0,
            vec![(d.clone(), None), (d.clone(), None)],
            &HashMap::new(),
        );
        assert!(matches!(result, Err(StoreError::DocumentsForgotten(docs, _)) if docs == [d]));
    }

    #[test]
    fn compaction_checks_come_in_a_fixed_order() {
        let doc = DocumentId::parse("d").unwrap();
        let id = BlobId::parse("s").unwrap();
        let digest = [1u8; 32];
        assert!(matches!(
            check_compaction(&doc, Some(None), 1, 5, &id, &digest, None),
            Err(StoreError::DocumentsForgotten(..))
        ));
        assert!(matches!(
            check_compaction(&doc, None, 6, 5, &id, &digest, None),
            Err(StoreError::CursorPastEnd { head: 5 })
        ));
        assert!(matches!(
            check_compaction(&doc, None, 4, 5, &id, &digest, Some((4, digest.to_vec()))),
            Ok(Some(CompactResponse {
                seq: 4,
                replaced: 0
            }))
        ));
        assert!(matches!(
            check_compaction(&doc, None, 4, 5, &id, &digest, Some((4, vec![2; 32]))),
            Err(StoreError::BlobIdReused(_))
        ));
        assert!(matches!(
            check_compaction(&doc, None, 4, 5, &id, &digest, None),
            Ok(None)
        ));
        assert_eq!(snapshot_seq(&[2, 9, 4]).unwrap(), 9);
        assert!(matches!(
            snapshot_seq(&[]),
            Err(StoreError::NothingToCompact)
        ));
    }

    #[test]
    fn a_space_holds_two_people_with_any_number_of_devices() {
        let one =
            DeviceId::from_key(&ed25519_dalek::SigningKey::from_bytes(&[1; 32]).verifying_key());
        let robin = person(&one, Some("robin"));
        let sam = person(&one, Some("sam"));
        assert!(check_couple(std::slice::from_ref(&robin), &sam).is_ok());
        assert!(check_couple(&[robin.clone(), sam.clone()], &robin).is_ok());
        assert!(matches!(
            check_couple(&[robin.clone(), sam.clone()], &person(&one, Some("kit"))),
            Err(StoreError::CoupleComplete)
        ));
        // A device without a tag is a person of its own.
        assert!(matches!(
            check_couple(&[robin, sam], &person(&one, None)),
            Err(StoreError::CoupleComplete)
        ));
    }

    #[test]
    fn a_mailbox_has_exactly_two_places() {
        assert_eq!(claim("a", None, "a").unwrap(), Claim::Held);
        assert_eq!(claim("a", None, "b").unwrap(), Claim::Take);
        assert_eq!(claim("a", Some("b"), "b").unwrap(), Claim::Held);
        assert!(matches!(
            claim("a", Some("b"), "c"),
            Err(StoreError::PairingFull)
        ));
        assert!(check_side("a", Some("b"), "b").is_ok());
        assert!(matches!(
            check_side("a", None, "b"),
            Err(StoreError::PairingSideUnknown)
        ));
    }

    #[test]
    fn pages_stop_at_the_item_or_byte_limit_but_never_come_back_empty() {
        let key = ed25519_dalek::SigningKey::from_bytes(&[1; 32]).verifying_key();
        let device = DeviceId::from_key(&key);
        let item = |seq: u64, size: usize| {
            LogItem::Blob(StoredBlob {
                seq,
                id: BlobId::parse("b").unwrap(),
                doc: DocumentId::parse("d").unwrap(),
                device,
                snapshot: false,
                data: vec![0; size],
            })
        };
        let mut page = Page::new(2, 1000);
        assert!(page.offer(item(1, 10)));
        assert!(page.offer(LogItem::Tombstone(Tombstone {
            seq: 2,
            doc: DocumentId::parse("d").unwrap(),
            deletion: None,
        })));
        assert!(!page.offer(item(3, 10)));
        let full = page.finish(3, 1);
        assert_eq!(full.items.len(), 2);
        assert!(full.more);

        let mut page = Page::new(10, 100);
        assert!(page.offer(item(1, 500)));
        assert!(!page.offer(item(2, 1)));
        let big = page.finish(2, 1);
        assert_eq!(big.items.len(), 1);
        assert!(big.more);

        let page = Page::new(10, 100);
        assert!(!page.finish(0, 1).more);
    }
}
