//! The couple journal: entries, reactions and comments.
//!
//! A shared entry is its own Automerge document (see [`entry`]); every user
//! action is one Automerge change and one SQLite transaction that also
//! rebuilds the entry's projection rows and queues the document for sync.
//! A private entry is a row on this phone and nothing else.
//!
//! Tests: `cargo test -p hearth-core journal`.

pub mod emotion;
pub mod entry;
mod excerpt;
pub mod export;
mod packed_text;
pub mod query;
pub mod reaction;
mod vocabulary;

use automerge::{ActorId, AutoCommit};
use rusqlite::Connection;

use crate::error::{Error, Result};
use crate::store::documents;
use emotion::Emotion;
use entry::{EntryDoc, EntryRow, NewEntry, StoredComment, Visibility};
use reaction::Reaction;

/// Who is acting, on which device, and when.
#[derive(Debug, Clone)]
pub(crate) struct Actor<'a> {
    /// This partner's member id.
    pub member: &'a str,
    /// This device's Automerge actor.
    pub device: &'a ActorId,
    /// Now, in Unix milliseconds.
    pub now: i64,
}

/// A fresh random id for an entry, a comment or a member: 128 random bits
/// as 22 URL-safe characters (shorter than a UUID's 36, and ids are stored
/// in several indexes).
pub(crate) fn new_id() -> String {
    use base64::Engine;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(uuid::Uuid::new_v4().as_bytes())
}

/// Writes a new entry; returns its row as written (the caller shows it
/// without reading it back).
pub(crate) fn write(conn: &Connection, who: &Actor<'_>, new: &NewEntry) -> Result<EntryRow> {
    let (id, written) = write_dated(conn, who, new, who.now)?;
    Ok(EntryRow::written(id, new.visibility, written))
}

/// Writes a new entry dated `created_at`.
fn write_dated(
    conn: &Connection,
    who: &Actor<'_>,
    new: &NewEntry,
    created_at: i64,
) -> Result<(String, EntryDoc)> {
    entry::check_body(&new.body)?;
    let written = EntryDoc {
        author: who.member.to_owned(),
        created_at,
        updated_at: who.now,
        edited_by: None,
        title: entry::clean_title(new.title.as_deref())?,
        body: new.body.clone(),
        emotions: entry::emotion_set(&new.emotions),
        link: new.link.clone(),
        reactions: Vec::new(),
        comments: Vec::new(),
        replaces: Vec::new(),
    };
    let id = new_id();
    match new.visibility {
        Visibility::Private => entry::put_private(conn, &id, &written)?,
        Visibility::Shared => put_shared(conn, who, &id, &written)?,
    }
    Ok((id, written))
}

/// The stored row of entry `id`, or why there is none.
fn existing(conn: &Connection, id: &str) -> Result<EntryRow> {
    match entry::row(conn, id)? {
        Some(row) => Ok(row),
        None if documents::is_forgotten(conn, id)? => Err(Error::EntryDeleted(id.to_owned())),
        None => Err(Error::EntryNotFound(id.to_owned())),
    }
}

/// Runs `change` on shared entry `id`'s document and, if it changed
/// anything, stores the new changes, rebuilds the projection and queues the
/// document for sync.
fn change_shared(
    conn: &Connection,
    who: &Actor<'_>,
    id: &str,
    change: impl FnOnce(&mut AutoCommit, &EntryDoc) -> Result<()>,
) -> Result<()> {
    let mut doc = documents::load(conn, id, who.device)?
        .ok_or_else(|| Error::DamagedDatabase(format!("the document of entry {id} is missing")))?;
    let before = doc.get_heads();
    let current = entry::read_document(&doc, id)?;
    change(&mut doc, &current)?;
    if doc.get_heads() == before {
        return Ok(());
    }
    let read = entry::read_document(&doc, id)?;
    entry::project(conn, id, &read)?;
    documents::append_changes(conn, id, entry::KIND.as_str(), &mut doc, &before, who.now)?;
    documents::queue_push(conn, id, Some(&doc.get_heads()), who.now)
}

/// Replaces an entry's title, text and emotions; returns the entry's id,
/// which is new when a shared entry changed.
///
/// A shared entry's edit is a new document, not a change to the old one:
/// an Automerge document keeps every change, so the edited-away words would
/// stay in its history on both phones and at the relay. The new document
/// carries the entry's date, author, link, reactions and comments; the old
/// one is forgotten here and, with a signed deletion, at the relay and on
/// the partner's phone. A reaction or comment the partner adds to the old
/// document before they learn of the edit is lost with it.
pub(crate) fn edit(
    conn: &Connection,
    who: &Actor<'_>,
    id: &str,
    update: &entry::EntryUpdate,
) -> Result<String> {
    entry::check_body(&update.body)?;
    let title = entry::clean_title(update.title.as_deref())?;
    let emotions = entry::emotion_set(&update.emotions);
    let row = existing(conn, id)?;
    match row.visibility {
        Visibility::Private => {
            if row.author != who.member {
                return Err(Error::NotYourEntry);
            }
            let updated = EntryDoc {
                author: row.author,
                created_at: row.created_at,
                updated_at: who.now,
                edited_by: None,
                title,
                body: update.body.clone(),
                emotions,
                link: row.link,
                reactions: Vec::new(),
                comments: Vec::new(),
                replaces: Vec::new(),
            };
            entry::put_private(conn, id, &updated)?;
            Ok(id.to_owned())
        }
        Visibility::Shared => {
            let doc = documents::load(conn, id, who.device)?.ok_or_else(|| {
                Error::DamagedDatabase(format!("the document of entry {id} is missing"))
            })?;
            let current = entry::read_document(&doc, id)?;
            if current.title == title && current.body == update.body && current.emotions == emotions
            {
                return Ok(id.to_owned());
            }
            let edited = EntryDoc {
                updated_at: who.now,
                edited_by: Some(who.member.to_owned()),
                title,
                body: update.body.clone(),
                emotions,
                replaces: current
                    .replaces
                    .iter()
                    .cloned()
                    .chain([id.to_owned()])
                    .collect(),
                ..current
            };
            forget_shared(conn, who, id)?;
            let new_id = new_id();
            documents::mark_replaced(conn, id, &new_id)?;
            put_shared(conn, who, &new_id, &edited)?;
            Ok(new_id)
        }
    }
}

/// Stores `entry` as a new shared document `id` and queues it for sync.
pub(crate) fn put_shared(
    conn: &Connection,
    who: &Actor<'_>,
    id: &str,
    entry: &EntryDoc,
) -> Result<()> {
    let mut doc = AutoCommit::new().with_actor(who.device.clone());
    entry::new_document(&mut doc, entry)?;
    entry::project(conn, id, entry)?;
    documents::put_snapshot(conn, id, entry::KIND.as_str(), &mut doc, who.now)?;
    documents::queue_push(conn, id, Some(&doc.get_heads()), who.now)
}

/// Forgets shared entry `id` here and queues the signed deletion.
fn forget_shared(conn: &Connection, who: &Actor<'_>, id: &str) -> Result<()> {
    entry::unproject(conn, id)?;
    documents::forget(conn, id, entry::KIND.as_str(), who.now)?;
    documents::queue_forget(conn, id, who.now)
}

/// Deletes an entry everywhere: its document, projection and search rows
/// here, and (through the outbox) at the relay and on the partner's phone.
pub(crate) fn delete(conn: &Connection, who: &Actor<'_>, id: &str) -> Result<()> {
    let row = existing(conn, id)?;
    if row.author != who.member {
        return Err(Error::NotYourEntry);
    }
    match row.visibility {
        Visibility::Shared => {
            forget_shared(conn, who, id)?;
            documents::mark_deleted_here(conn, id)
        }
        Visibility::Private => entry::unproject(conn, id),
    }
}

/// Moves an entry between the shared journal and this phone only. The entry
/// gets a new id: a shared document, once forgotten, can never come back.
pub(crate) fn set_visibility(
    conn: &Connection,
    who: &Actor<'_>,
    id: &str,
    visibility: Visibility,
) -> Result<String> {
    let row = existing(conn, id)?;
    if row.visibility == visibility {
        return Ok(id.to_owned());
    }
    if row.author != who.member {
        return Err(Error::NotYourEntry);
    }
    let moved = NewEntry {
        title: row.title.clone(),
        body: row.body.clone(),
        emotions: Emotion::from_bits(row.emotions),
        link: row.link.clone(),
        visibility,
    };
    delete(conn, who, id)?;
    // Keep the original date: moving an entry does not rewrite its history.
    Ok(write_dated(conn, who, &moved, row.created_at)?.0)
}

/// The shared entry `id`, or why it cannot take reactions or comments.
fn shared(conn: &Connection, id: &str) -> Result<EntryRow> {
    let row = existing(conn, id)?;
    if row.visibility == Visibility::Private {
        return Err(Error::NotShared);
    }
    Ok(row)
}

/// Sets or clears this partner's reaction to a shared entry.
pub(crate) fn react(
    conn: &Connection,
    who: &Actor<'_>,
    id: &str,
    reaction: Option<Reaction>,
) -> Result<()> {
    shared(conn, id)?;
    change_shared(conn, who, id, |doc, current| {
        let mine = current
            .reactions
            .iter()
            .find(|(member, _)| member == who.member)
            .map(|(_, r)| *r);
        if mine == reaction {
            return Ok(());
        }
        entry::set_reaction(doc, id, who.member, reaction)
    })
}

/// Adds a comment to a shared entry; returns the comment's id.
pub(crate) fn comment(conn: &Connection, who: &Actor<'_>, id: &str, body: &str) -> Result<String> {
    entry::check_comment(body)?;
    shared(conn, id)?;
    let comment = StoredComment {
        id: new_id(),
        author: who.member.to_owned(),
        created_at: who.now,
        body: body.to_owned(),
    };
    change_shared(conn, who, id, |doc, _| {
        entry::add_comment(doc, id, &comment)
    })?;
    Ok(comment.id)
}

/// Deletes one of this partner's comments.
pub(crate) fn delete_comment(
    conn: &Connection,
    who: &Actor<'_>,
    id: &str,
    comment_id: &str,
) -> Result<()> {
    shared(conn, id)?;
    change_shared(conn, who, id, |doc, current| {
        let found = current
            .comments
            .iter()
            .find(|c| c.id == comment_id)
            .ok_or_else(|| Error::CommentNotFound(comment_id.to_owned()))?;
        if found.author != who.member {
            return Err(Error::NotYourComment);
        }
        entry::remove_comment(doc, id, comment_id)
    })
}
