//! The Journal screen: pages of entries, filters, search, the entry shown
//! in full with what this person may do to it, and the editor, whose draft
//! is kept on this device until it is saved or dropped.

use crate::error::Result;
use crate::journal::entry::{Entry, EntryLink, EntryUpdate, LinkKind, NewEntry, Visibility};
use crate::journal::query::EntryFilter;
use crate::journal::reaction::Reaction;

use super::Cx;
use super::local::{self, ComposerDraft};
use super::view::{ComposerView, JournalView, OpenEntry, Problem, SearchView};

/// Entries per page.
pub(crate) const PAGE: u32 = 30;
/// The most entries one reload brings back (a long scroll is kept).
const MAX_RELOAD: u32 = 200;
/// Search results shown.
const SEARCH_LIMIT: u32 = 50;

#[derive(Debug, Default)]
pub(crate) struct Journal {
    entries: Vec<Entry>,
    next: Option<String>,
    filter: EntryFilter,
    search: Option<SearchView>,
    open: Option<Entry>,
    composer: Option<ComposerDraft>,
    saving: bool,
    restored: bool,
    pub(crate) problem: Option<Problem>,
}

impl Journal {
    pub(crate) fn load(&mut self, cx: &Cx<'_>) -> Result<()> {
        if !self.restored {
            // A draft the app was killed over comes back.
            self.composer = local::composer(cx.hearth)?;
            self.restored = true;
        }
        let shown = u32::try_from(self.entries.len())
            .unwrap_or(MAX_RELOAD)
            .clamp(PAGE, MAX_RELOAD);
        let page = cx.hearth.list_entries(&self.filter, shown, None)?;
        self.entries = page.entries;
        self.next = page.next;
        if let Some(open) = &self.open {
            self.open = match cx.hearth.entry(&open.id) {
                Ok(entry) => Some(entry),
                Err(e) if e.kind() == crate::error::ErrorKind::NotFound => None,
                Err(e) => return Err(e),
            };
        }
        if let Some(search) = &self.search {
            let text = search.text.clone();
            self.run_search(cx, text)?;
        }
        Ok(())
    }

    pub(crate) fn view(&self, cx: &Cx<'_>) -> JournalView {
        let open = self.open.as_ref().map(|entry| {
            let mine = entry.author.is_me;
            let private = entry.visibility == Visibility::Private;
            OpenEntry {
                can_edit: mine && (private || !cx.closed),
                can_respond: !private && !cx.closed,
                can_change_visibility: mine && cx.paired,
                about: entry.link.as_ref().and_then(crate::content::link_title),
                entry: entry.clone(),
            }
        });
        JournalView {
            entries: self.entries.clone(),
            has_more: self.next.is_some(),
            filter: self.filter.clone(),
            search: self.search.clone(),
            open,
            composer: self.composer.as_ref().map(|d| ComposerView {
                title: d.title.clone(),
                body: d.body.clone(),
                emotions: d.emotions.clone(),
                // Unpaired, every entry stays on this device anyway.
                private: d.private || !cx.paired,
                editing: d.editing.clone(),
                link: d.link.clone(),
                prompt: d.prompt.clone(),
                can_choose_private: d.editing.is_none() && cx.paired && !cx.closed,
                saving: self.saving,
            }),
            can_write: !cx.closed,
            problem: self.problem.clone(),
        }
    }

    pub(crate) fn load_more(&mut self, cx: &Cx<'_>) -> Result<()> {
        let Some(cursor) = self.next.clone() else {
            return Ok(());
        };
        let page = cx.hearth.list_entries(&self.filter, PAGE, Some(&cursor))?;
        let known: std::collections::HashSet<String> =
            self.entries.iter().map(|e| e.id.clone()).collect();
        self.entries
            .extend(page.entries.into_iter().filter(|e| !known.contains(&e.id)));
        self.next = page.next;
        Ok(())
    }

    pub(crate) fn set_filter(&mut self, cx: &Cx<'_>, filter: EntryFilter) -> Result<()> {
        self.filter = filter;
        self.entries.clear();
        self.load(cx)
    }

    pub(crate) fn search(&mut self, cx: &Cx<'_>, text: String) -> Result<()> {
        self.run_search(cx, text)
    }

    fn run_search(&mut self, cx: &Cx<'_>, text: String) -> Result<()> {
        let hits = cx
            .hearth
            .search_entries(&text, &self.filter, SEARCH_LIMIT)?;
        self.search = Some(SearchView { text, hits });
        Ok(())
    }

    pub(crate) fn clear_search(&mut self) {
        self.search = None;
    }

    pub(crate) fn open(&mut self, cx: &Cx<'_>, id: &str) -> Result<()> {
        self.open = Some(cx.hearth.entry(id)?);
        Ok(())
    }

    pub(crate) fn close_entry(&mut self) {
        self.open = None;
    }

    /// Opens the editor on `draft`, unless another is already being
    /// written (open, or closed with the back gesture): that one comes back
    /// instead, never silently replaced.
    fn start(&mut self, cx: &Cx<'_>, draft: ComposerDraft) -> Result<()> {
        if self.composer.is_some() {
            return Ok(());
        }
        let draft = match local::composer(cx.hearth)? {
            Some(kept) => kept,
            None => {
                local::save_composer(cx.hearth, Some(&draft))?;
                draft
            }
        };
        self.composer = Some(draft);
        Ok(())
    }

    pub(crate) fn compose(&mut self, cx: &Cx<'_>) -> Result<()> {
        self.start(cx, ComposerDraft::default())
    }

    /// A new entry about an exercise, with its prompt. What a person writes
    /// for themselves after a solo or personal exercise starts private.
    pub(crate) fn write_about_exercise(&mut self, cx: &Cx<'_>, exercise_id: &str) -> Result<()> {
        let exercise = cx.hearth.exercise(exercise_id)?;
        let personal = exercise.personal || exercise.mode == crate::content::exercise::Mode::Solo;
        self.start(
            cx,
            ComposerDraft {
                private: personal,
                link: Some(EntryLink {
                    kind: LinkKind::Exercise,
                    id: exercise.id,
                }),
                prompt: Some(exercise.prompt),
                ..ComposerDraft::default()
            },
        )
    }

    /// A new entry about the question of the day.
    pub(crate) fn write_about_question(&mut self, cx: &Cx<'_>) -> Result<()> {
        let question = cx.hearth.daily_question(&cx.day)?;
        self.start(
            cx,
            ComposerDraft {
                link: Some(EntryLink {
                    kind: LinkKind::Question,
                    id: question.question.id,
                }),
                prompt: Some(question.question.text),
                ..ComposerDraft::default()
            },
        )
    }

    pub(crate) fn edit(&mut self, cx: &Cx<'_>, id: &str) -> Result<()> {
        let entry = cx.hearth.entry(id)?;
        if !entry.author.is_me {
            return Err(crate::Error::NotYourEntry);
        }
        if self.composer.is_some() || local::composer(cx.hearth)?.is_some() {
            // Another draft is being written: it comes back first.
            return self.start(cx, ComposerDraft::default());
        }
        self.start(
            cx,
            ComposerDraft {
                title: entry.title.unwrap_or_default(),
                body: entry.body,
                emotions: entry.emotions,
                private: entry.visibility == Visibility::Private,
                editing: Some(entry.id),
                link: entry.link,
                prompt: None,
            },
        )
    }

    pub(crate) fn edit_draft(
        &mut self,
        cx: &Cx<'_>,
        title: String,
        body: String,
        emotions: Vec<crate::journal::emotion::Emotion>,
        private: bool,
    ) -> Result<()> {
        let Some(draft) = &mut self.composer else {
            return Ok(());
        };
        draft.title = title;
        draft.body = body;
        draft.emotions = emotions;
        if draft.editing.is_none() {
            draft.private = private;
        }
        local::save_composer(cx.hearth, Some(draft))
    }

    pub(crate) fn cancel_compose(&mut self, cx: &Cx<'_>) -> Result<()> {
        self.composer = None;
        local::save_composer(cx.hearth, None)
    }

    /// Saves the editor's entry; on a refusal the editor stays open with
    /// the draft and the reason.
    pub(crate) fn save(&mut self, cx: &Cx<'_>) -> Result<()> {
        let Some(draft) = self.composer.clone() else {
            return Ok(());
        };
        let title = Some(draft.title.trim().to_owned()).filter(|t| !t.is_empty());
        self.saving = true;
        let saved = match &draft.editing {
            None => cx.hearth.write_entry(NewEntry {
                title,
                body: draft.body.clone(),
                emotions: draft.emotions.clone(),
                link: draft.link.clone(),
                visibility: if draft.private || !cx.paired {
                    Visibility::Private
                } else {
                    Visibility::Shared
                },
            }),
            Some(id) => cx.hearth.edit_entry(
                id,
                EntryUpdate {
                    title,
                    body: draft.body.clone(),
                    emotions: draft.emotions.clone(),
                },
            ),
        };
        self.saving = false;
        let saved = saved?;
        self.composer = None;
        local::save_composer(cx.hearth, None)?;
        // An edited shared entry has a new id: the entry shown follows it.
        let edited = draft.editing.as_deref().unwrap_or(&saved.id);
        if self.open.as_ref().is_some_and(|o| o.id == edited) {
            self.open = Some(saved);
        }
        self.load(cx)
    }

    pub(crate) fn delete(&mut self, cx: &Cx<'_>, id: &str) -> Result<()> {
        cx.hearth.delete_entry(id)?;
        self.forget(id);
        Ok(())
    }

    pub(crate) fn react(
        &mut self,
        cx: &Cx<'_>,
        id: &str,
        reaction: Option<Reaction>,
    ) -> Result<()> {
        let entry = cx.hearth.react(id, reaction)?;
        self.replace(entry);
        Ok(())
    }

    pub(crate) fn comment(&mut self, cx: &Cx<'_>, id: &str, body: &str) -> Result<()> {
        let entry = cx.hearth.add_comment(id, body)?;
        self.replace(entry);
        Ok(())
    }

    pub(crate) fn delete_comment(&mut self, cx: &Cx<'_>, id: &str, comment: &str) -> Result<()> {
        let entry = cx.hearth.delete_comment(id, comment)?;
        self.replace(entry);
        Ok(())
    }

    /// Makes an entry private or shares it; it gets a new id, and the
    /// entry shown follows it.
    pub(crate) fn set_private(&mut self, cx: &Cx<'_>, id: &str, private: bool) -> Result<()> {
        let visibility = if private {
            Visibility::Private
        } else {
            Visibility::Shared
        };
        let moved = cx.hearth.set_entry_visibility(id, visibility)?;
        if self.open.as_ref().is_some_and(|o| o.id == id) {
            self.open = Some(moved);
        }
        self.load(cx)
    }

    /// The back gesture: the editor first, then the entry, then the search.
    /// Returns whether something closed.
    pub(crate) fn back(&mut self) -> bool {
        if self.composer.take().is_some() {
            // The draft stays on the device: writing again brings it back.
            return true;
        }
        if self.open.take().is_some() {
            return true;
        }
        self.search.take().is_some()
    }

    /// An entry was removed here or on the partner's device.
    pub(crate) fn forget(&mut self, id: &str) {
        self.entries.retain(|e| e.id != id);
        if self.open.as_ref().is_some_and(|o| o.id == id) {
            self.open = None;
        }
        if let Some(search) = &mut self.search {
            search.hits.retain(|h| h.entry.id != id);
        }
    }

    fn replace(&mut self, entry: Entry) {
        for shown in &mut self.entries {
            if shown.id == entry.id {
                *shown = entry.clone();
            }
        }
        if self.open.as_ref().is_some_and(|o| o.id == entry.id) {
            self.open = Some(entry);
        }
    }
}
