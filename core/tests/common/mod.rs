//! Helpers shared by the core's integration tests.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;

use hearth_core::clock::ManualClock;
use hearth_core::journal::entry::{Entry, NewEntry, Visibility};
use hearth_core::journal::query::EntryFilter;
use hearth_core::{Hearth, OpenOptions};
use tempfile::TempDir;

/// 2026-11-26T09:00:00Z
pub const START_MS: i64 = 1_795_683_600_000;

/// A Hearth in a temporary directory with a manual clock.
pub struct Phone {
    pub hearth: Hearth,
    pub clock: Arc<ManualClock>,
    pub dir: TempDir,
}

impl Phone {
    pub fn new(name: &str) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let clock = Arc::new(ManualClock::new(START_MS));
        let hearth = Hearth::open(
            dir.path(),
            OpenOptions {
                display_name: Some(name.into()),
                clock: Some(clock.clone()),
                ..Default::default()
            },
        )
        .unwrap();
        Self { hearth, clock, dir }
    }

    /// Writes a shared entry with `body`, a minute after the last one.
    pub fn write(&self, body: &str) -> Entry {
        self.clock.advance(60_000);
        self.hearth
            .write_entry(NewEntry {
                body: body.into(),
                ..Default::default()
            })
            .unwrap()
    }

    pub fn write_private(&self, body: &str) -> Entry {
        self.clock.advance(60_000);
        self.hearth
            .write_entry(NewEntry {
                body: body.into(),
                visibility: Visibility::Private,
                ..Default::default()
            })
            .unwrap()
    }

    /// Every entry, newest first, following every page.
    pub fn all(&self) -> Vec<Entry> {
        let mut all = Vec::new();
        let mut cursor = None;
        loop {
            let page = self
                .hearth
                .list_entries(&EntryFilter::default(), 7, cursor.as_deref())
                .unwrap();
            all.extend(page.entries);
            match page.next {
                Some(next) => cursor = Some(next),
                None => return all,
            }
        }
    }

    /// What both phones must agree on about the shared journal: everything
    /// but who "me" is, in list order (entries written in the same second
    /// too).
    pub fn shared_view(&self) -> Vec<String> {
        self.all()
            .into_iter()
            .filter(|e| e.visibility == Visibility::Shared)
            .map(|e| {
                let reactions: Vec<String> = e
                    .reactions
                    .iter()
                    .map(|r| format!("{}={}", r.by.id, r.reaction))
                    .collect();
                let comments: Vec<String> = e
                    .comments
                    .iter()
                    .map(|c| format!("{}/{}/{}", c.id, c.author.id, c.body))
                    .collect();
                format!(
                    "{} {} {} {:?} {:?} {:?} {:?} {:?}",
                    e.id,
                    e.author.id,
                    e.created_at_ms,
                    e.title,
                    e.body,
                    e.emotions,
                    reactions,
                    comments
                )
            })
            .collect()
    }

    /// Gives `other` every shared document this phone has queued, whole,
    /// and tells it of every document deleted here.
    pub fn send_all_to(&self, other: &Phone) {
        for id in self.hearth.pending_forgets().unwrap() {
            other.hearth.forget_remote(&id).unwrap();
        }
        for id in self.hearth.pending_documents().unwrap() {
            if let Some(bytes) = self.hearth.document_bytes(&id).unwrap() {
                other.hearth.apply_remote(&id, &bytes).unwrap();
            }
        }
    }

    /// Every file of the database (main file, WAL), concatenated.
    pub fn database_bytes(&self) -> Vec<u8> {
        let mut all = Vec::new();
        for name in ["hearth.db", "hearth.db-wal"] {
            if let Ok(bytes) = std::fs::read(self.dir.path().join(name)) {
                all.extend(bytes);
            }
        }
        all
    }
}

/// Whether `needle` occurs anywhere in `haystack`.
pub fn contains(haystack: &[u8], needle: &str) -> bool {
    haystack
        .windows(needle.len())
        .any(|w| w == needle.as_bytes())
}
