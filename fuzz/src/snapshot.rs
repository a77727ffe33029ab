//! Loading a document snapshot: the first bytes of a document from the
//! partner (strict load, projections, the stored copy read back) and a
//! stored snapshot read from this phone's database.
//!
//! Input: the first byte picks the document id (and so the kind a merge
//! may project as); the rest is the snapshot.

/// Ids of the kinds of documents a phone holds.
pub const DOC_IDS: [&str; 6] = [
    "entry-fuzz",
    "answer:2026-11-26",
    "member:fuzz",
    "goal-fuzz",
    "assessment-fuzz",
    "checkins",
];

/// Runs one input.
pub fn run(data: &[u8]) {
    crate::unwind_panics();
    let Some((&pick, bytes)) = data.split_first() else {
        return;
    };
    let doc_id = DOC_IDS[usize::from(pick) % DOC_IDS.len()];
    crate::envelope::with_receiver(|r| r.load_snapshot(doc_id, bytes))
        .expect("a snapshot made the merge or the store fail");
}
