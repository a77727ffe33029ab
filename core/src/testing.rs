//! The one test phone every test crate uses: a `Hearth` in a temporary
//! folder, with helpers to write, list and compare journals and to read its
//! files byte for byte. Behind the `test-support` feature.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)] // test support: a panic is a failure

use std::path::Path;
use std::sync::Arc;

use tempfile::TempDir;

use crate::clock::{Clock, ManualClock};
use crate::journal::entry::{Entry, NewEntry, Visibility};
use crate::journal::query::EntryFilter;
use crate::store::DATABASE_FILE;
use crate::{Hearth, OpenOptions};

/// 2026-11-26T09:00:00Z, where a phone on a manual clock starts.
pub const START_MS: i64 = 1_795_683_600_000;

/// A phone: Hearth in its own temporary folder.
#[derive(Debug)]
pub struct Phone {
    pub hearth: Hearth,
    pub dir: TempDir,
    pub name: String,
    /// The phone's clock when a test moves time by hand; `None` on the
    /// system clock (a relay checks request times against its own).
    pub clock: Option<Arc<ManualClock>>,
}

impl Phone {
    /// A phone on a manual clock starting at [`START_MS`].
    pub fn new(name: &str) -> Self {
        Self::open(name, Some(Arc::new(ManualClock::new(START_MS))))
    }

    /// A phone on the system clock, for tests against a real relay.
    pub fn on_system_clock(name: &str) -> Self {
        Self::open(name, None)
    }

    fn open(name: &str, clock: Option<Arc<ManualClock>>) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let hearth = open(dir.path(), name, clock.clone());
        Self {
            hearth,
            dir,
            name: name.into(),
            clock,
        }
    }

    /// Moves this phone's manual clock forward.
    pub fn advance(&self, ms: i64) {
        self.clock
            .as_ref()
            .expect("a phone on a manual clock")
            .advance(ms);
    }

    /// Sets this phone's manual clock.
    pub fn set_time(&self, now_ms: i64) {
        self.clock
            .as_ref()
            .expect("a phone on a manual clock")
            .set(now_ms);
    }

    /// Closes and reopens the data folder, as after an app restart.
    pub fn restart(&mut self) {
        let placeholder = tempfile::tempdir().unwrap();
        let old = std::mem::replace(
            &mut self.hearth,
            open(placeholder.path(), "placeholder", None),
        );
        drop(old);
        self.hearth = open(self.dir.path(), &self.name, self.clock.clone());
    }

    /// Writes a shared entry with `body` (a minute after the last one on a
    /// manual clock).
    pub fn write(&self, body: &str) -> Entry {
        self.write_as(body, Visibility::Shared)
    }

    /// Writes a private entry with `body`.
    pub fn write_private(&self, body: &str) -> Entry {
        self.write_as(body, Visibility::Private)
    }

    fn write_as(&self, body: &str, visibility: Visibility) -> Entry {
        if let Some(clock) = &self.clock {
            clock.advance(60_000);
        }
        self.hearth
            .write_entry(NewEntry {
                body: body.into(),
                visibility,
                ..Default::default()
            })
            .unwrap()
    }

    /// Every entry, newest first, following every page.
    pub fn entries(&self) -> Vec<Entry> {
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
    /// but who "me" is, in list order (entries of the same second too).
    pub fn shared_view(&self) -> Vec<String> {
        self.entries()
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
    /// and tells it of every document deleted here: sync by hand.
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
        for name in [DATABASE_FILE.to_owned(), format!("{DATABASE_FILE}-wal")] {
            if let Ok(bytes) = std::fs::read(self.dir.path().join(name)) {
                all.extend(bytes);
            }
        }
        all
    }

    /// This phone's data folder.
    pub fn path(&self) -> &Path {
        self.dir.path()
    }
}

fn open(dir: &Path, name: &str, clock: Option<Arc<ManualClock>>) -> Hearth {
    Hearth::open(
        dir,
        OpenOptions {
            display_name: Some(name.into()),
            clock: clock.map(|c| c as Arc<dyn Clock>),
            ..Default::default()
        },
    )
    .unwrap()
}

/// Whether `needle` occurs anywhere in `haystack`.
pub fn contains(haystack: &[u8], needle: &str) -> bool {
    haystack
        .windows(needle.len())
        .any(|w| w == needle.as_bytes())
}
