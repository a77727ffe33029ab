//! A journal entry: the types a shell sees, the shared Automerge document a
//! shared entry lives in, and the projection rows rebuilt from it.
//!
//! Document layout (root map), version 2:
//!
//! | key | value |
//! |---|---|
//! | `kind` | `"entry"` |
//! | `v` | 2 |
//! | `author` | member id of the writer |
//! | `created_at`, `updated_at` | Unix milliseconds |
//! | `edited_by` | member id of the last editor (absent until edited) |
//! | `title` | string, absent when there is none |
//! | `body` | string (version 1: a text object; read either way) |
//! | `emotions` | map of emotion name to `true` (a set that merges) |
//! | `link_kind`, `link_id` | what the entry is about (absent if nothing) |
//! | `reactions` | map of member id to reaction name |
//! | `comments` | map of comment id to `{author, created_at, body}` |
//!
//! Both partners may edit a shared entry (it is the couple's journal); only
//! its author may delete it or make it private. An edit of the words makes
//! a new document (see `journal::edit`), so the body is written once and
//! never merged: version 2 stores it as one string rather than a text
//! object of one operation per character, which made a new entry's
//! document several times slower to build, save and load. A phone of
//! version 1 quarantines a version 2 entry until it is updated.

use automerge::{AutoCommit, ObjId, ObjType, ROOT, ReadDoc, transaction::Transactable};
use rusqlite::{Connection, OptionalExtension, Row, params};
use serde::{Deserialize, Serialize};

use super::emotion::Emotion;
use super::packed_text;
use super::reaction::Reaction;
use super::vocabulary::vocabulary;
use crate::document::{KIND_KEY, get_i64, get_obj, get_str, get_text, keys};
use crate::error::{Error, Result};
use crate::kind::DocumentKind;
use crate::text::{self, Refused};

/// The longest entry body, in characters (Unicode scalar values).
pub const MAX_BODY_CHARS: usize = 10_000;
/// The longest entry title, in characters.
pub const MAX_TITLE_CHARS: usize = 120;
/// The longest comment, in characters.
pub const MAX_COMMENT_CHARS: usize = 2_000;

/// The `kind` of an entry document.
pub(crate) const KIND: DocumentKind = DocumentKind::Entry;

/// Who can see an entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum Visibility {
    /// In the couple's shared journal: syncs to the partner's phone.
    #[default]
    Shared,
    /// Only on this phone; never synced.
    Private,
}

impl Visibility {
    fn as_str(self) -> &'static str {
        match self {
            Visibility::Shared => "shared",
            Visibility::Private => "private",
        }
    }

    fn from_column(text: &str) -> Self {
        if text == "private" {
            Visibility::Private
        } else {
            Visibility::Shared
        }
    }
}

vocabulary! {
    /// What kind of thing an entry is about.
    LinkKind, unknown = Error::UnknownLinkKind {
        Exercise = "exercise",
        Question = "question",
        Program = "program",
        CheckIn = "check_in",
    }
}

/// An entry written about an exercise, a daily question, a program day or a
/// check-in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct EntryLink {
    /// What the entry is about.
    pub kind: LinkKind,
    /// The id of that exercise, question, program or check-in.
    pub id: String,
}

/// A new entry, as the person wrote it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct NewEntry {
    /// An optional title (at most [`MAX_TITLE_CHARS`]).
    pub title: Option<String>,
    /// The text (1 to [`MAX_BODY_CHARS`] characters).
    pub body: String,
    /// Feelings named on the entry.
    pub emotions: Vec<Emotion>,
    /// What the entry is about, if anything.
    pub link: Option<EntryLink>,
    /// Shared with the partner, or private to this phone.
    pub visibility: Visibility,
}

/// The edited form of an entry: its title, text and emotions as they should
/// now be. Only what differs is written, so an edit made at the same time on
/// the partner's phone merges with this one.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct EntryUpdate {
    /// The title, or `None` for no title.
    pub title: Option<String>,
    /// The text.
    pub body: String,
    /// The feelings.
    pub emotions: Vec<Emotion>,
}

/// Someone in the couple's space.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Person {
    /// Their member id.
    pub id: String,
    /// Their display name.
    pub name: String,
    /// Whether this is the person holding this phone.
    pub is_me: bool,
}

/// A partner's reaction to an entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct EntryReaction {
    /// Who reacted.
    pub by: Person,
    /// How.
    pub reaction: Reaction,
}

/// A comment on a shared entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Comment {
    /// The comment's id.
    pub id: String,
    /// Who wrote it.
    pub author: Person,
    /// When, in Unix milliseconds.
    pub created_at_ms: i64,
    /// What they wrote.
    pub body: String,
}

/// A journal entry as the shells show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Entry {
    /// The entry's id.
    pub id: String,
    /// Shared or private.
    pub visibility: Visibility,
    /// Who wrote it.
    pub author: Person,
    /// When it was written, in Unix milliseconds.
    pub created_at_ms: i64,
    /// When it last changed, in Unix milliseconds.
    pub updated_at_ms: i64,
    /// Who edited it last, if anyone did after writing it.
    pub edited_by: Option<Person>,
    /// Its title, if it has one.
    pub title: Option<String>,
    /// Its text.
    pub body: String,
    /// The feelings named on it, in vocabulary order.
    pub emotions: Vec<Emotion>,
    /// What it is about, if anything.
    pub link: Option<EntryLink>,
    /// One reaction per partner at most.
    pub reactions: Vec<EntryReaction>,
    /// Comments, oldest first.
    pub comments: Vec<Comment>,
}

// --- validation ---------------------------------------------------------

/// Checks an entry body against the documented limits.
pub(crate) fn check_body(body: &str) -> Result<()> {
    text::check(body, MAX_BODY_CHARS).map_err(|refused| match refused {
        Refused::Blank => Error::EmptyBody,
        Refused::TooLong(len) => Error::BodyTooLong {
            len,
            max: MAX_BODY_CHARS,
        },
    })
}

/// Trims a title; a blank one means no title.
pub(crate) fn clean_title(title: Option<&str>) -> Result<Option<String>> {
    let Some(title) = title.map(str::trim).filter(|t| !t.is_empty()) else {
        return Ok(None);
    };
    let len = title.chars().count();
    if len > MAX_TITLE_CHARS {
        return Err(Error::TitleTooLong {
            len,
            max: MAX_TITLE_CHARS,
        });
    }
    Ok(Some(title.to_owned()))
}

/// Checks a comment against the documented limits.
pub(crate) fn check_comment(body: &str) -> Result<()> {
    text::check(body, MAX_COMMENT_CHARS).map_err(|refused| match refused {
        Refused::Blank => Error::EmptyComment,
        Refused::TooLong(len) => Error::CommentTooLong {
            len,
            max: MAX_COMMENT_CHARS,
        },
    })
}

/// Emotions as a sorted set.
pub(crate) fn emotion_set(emotions: &[Emotion]) -> Vec<Emotion> {
    let mut set = emotions.to_vec();
    set.sort();
    set.dedup();
    set
}

// --- the shared document --------------------------------------------------

/// An entry as its document holds it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct EntryDoc {
    pub author: String,
    pub created_at: i64,
    pub updated_at: i64,
    pub edited_by: Option<String>,
    pub title: Option<String>,
    pub body: String,
    pub emotions: Vec<Emotion>,
    pub link: Option<EntryLink>,
    pub reactions: Vec<(String, Reaction)>,
    pub comments: Vec<StoredComment>,
    /// The documents this one replaced, oldest first: an edited entry is a
    /// new document, and its line of earlier documents travels with it, so
    /// a phone that never saw the middle of the line still knows the whole.
    pub replaces: Vec<String>,
}

/// A comment as the document holds it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct StoredComment {
    pub id: String,
    pub author: String,
    pub created_at: i64,
    pub body: String,
}

/// Writes a new entry document in one change. The entry's title is
/// already clean and its body checked. Its editor, reactions and comments
/// are written too: an edited entry is a new document carrying them over
/// (see [`crate::journal::edit`]).
///
/// `doc` must be empty. The whole tree goes in as one batch: the same
/// operations as a put per field, at a third of the cost (every put
/// splices each of Automerge's columns once).
pub(crate) fn new_document(doc: &mut AutoCommit, entry: &EntryDoc) -> Result<()> {
    use automerge::hydrate::Value;
    use std::collections::HashMap;

    let mut root: HashMap<&str, Value> = HashMap::new();
    root.insert(KIND_KEY, KIND.as_str().into());
    root.insert("v", 2_i64.into());
    root.insert("author", entry.author.as_str().into());
    root.insert("created_at", entry.created_at.into());
    root.insert("updated_at", entry.updated_at.into());
    if let Some(editor) = &entry.edited_by {
        root.insert("edited_by", editor.as_str().into());
    }
    if let Some((replaced, earlier)) = entry.replaces.split_last() {
        root.insert("replaces", replaced.as_str().into());
        if !earlier.is_empty() {
            let line: Vec<Value> = earlier.iter().map(|id| id.as_str().into()).collect();
            root.insert("earlier", line.into());
        }
    }
    if let Some(title) = &entry.title {
        root.insert("title", title.as_str().into());
    }
    root.insert("body", entry.body.as_str().into());
    let set: HashMap<&str, Value> = entry
        .emotions
        .iter()
        .map(|emotion| (emotion.name(), Value::scalar(true)))
        .collect();
    root.insert("emotions", set.into());
    if let Some(link) = &entry.link {
        root.insert("link_kind", link.kind.name().into());
        root.insert("link_id", link.id.as_str().into());
    }
    let reactions: HashMap<&str, Value> = entry
        .reactions
        .iter()
        .map(|(member, reaction)| (member.as_str(), reaction.name().into()))
        .collect();
    root.insert("reactions", reactions.into());
    let comments: HashMap<&str, Value> = entry
        .comments
        .iter()
        .map(|c| {
            let fields: HashMap<&str, Value> = HashMap::from([
                ("author", c.author.as_str().into()),
                ("created_at", c.created_at.into()),
                ("body", c.body.as_str().into()),
            ]);
            (c.id.as_str(), fields.into())
        })
        .collect();
    root.insert("comments", comments.into());
    doc.init_root_from_hydrate(&root.into())?;
    doc.commit();
    Ok(())
}

fn put_comment(doc: &mut AutoCommit, map: &ObjId, comment: &StoredComment) -> Result<()> {
    let obj = doc.put_object(map, comment.id.as_str(), ObjType::Map)?;
    doc.put(&obj, "author", comment.author.as_str())?;
    doc.put(&obj, "created_at", comment.created_at)?;
    doc.put(&obj, "body", comment.body.as_str())?;
    Ok(())
}

/// Sets (or with `None` clears) `member`'s reaction.
pub(crate) fn set_reaction(
    doc: &mut AutoCommit,
    doc_id: &str,
    member: &str,
    reaction: Option<Reaction>,
) -> Result<()> {
    let map = get_obj(doc, &ROOT, "reactions", ObjType::Map)
        .ok_or_else(|| invalid_doc(doc_id, "the reactions are missing"))?;
    match reaction {
        Some(r) => doc.put(&map, member, r.name())?,
        None => doc.delete(&map, member)?,
    }
    doc.commit();
    Ok(())
}

/// Adds a comment.
pub(crate) fn add_comment(
    doc: &mut AutoCommit,
    doc_id: &str,
    comment: &StoredComment,
) -> Result<()> {
    let map = get_obj(doc, &ROOT, "comments", ObjType::Map)
        .ok_or_else(|| invalid_doc(doc_id, "the comments are missing"))?;
    put_comment(doc, &map, comment)?;
    doc.commit();
    Ok(())
}

/// Removes a comment.
pub(crate) fn remove_comment(doc: &mut AutoCommit, doc_id: &str, comment_id: &str) -> Result<()> {
    let map = get_obj(doc, &ROOT, "comments", ObjType::Map)
        .ok_or_else(|| invalid_doc(doc_id, "the comments are missing"))?;
    doc.delete(&map, comment_id)?;
    doc.commit();
    Ok(())
}

fn invalid_doc(doc_id: &str, reason: &str) -> Error {
    Error::InvalidDocument {
        doc_id: doc_id.to_owned(),
        kind: KIND,
        reason: reason.to_owned(),
    }
}

/// Reads an entry out of its document. Names this app does not know (an
/// emotion or reaction added by a newer version) are skipped, not fatal.
pub(crate) fn read_document(doc: &AutoCommit, doc_id: &str) -> Result<EntryDoc> {
    let need = |what: &str| invalid_doc(doc_id, &format!("{what} is missing"));
    let author = get_str(doc, &ROOT, "author").ok_or_else(|| need("the author"))?;
    let created_at = get_i64(doc, &ROOT, "created_at").ok_or_else(|| need("the date"))?;
    let updated_at = get_i64(doc, &ROOT, "updated_at").unwrap_or(created_at);
    let body = get_str(doc, &ROOT, "body")
        .or_else(|| get_text(doc, &ROOT, "body"))
        .ok_or_else(|| need("the body"))?;
    let emotions = get_obj(doc, &ROOT, "emotions", ObjType::Map)
        .map(|set| {
            let mut found: Vec<Emotion> = keys(doc, &set)
                .iter()
                .filter_map(|name| Emotion::parse(name).ok())
                .collect();
            found.sort();
            found
        })
        .unwrap_or_default();
    let link = match (
        get_str(doc, &ROOT, "link_kind").and_then(|k| LinkKind::parse(&k).ok()),
        get_str(doc, &ROOT, "link_id"),
    ) {
        (Some(kind), Some(id)) => Some(EntryLink { kind, id }),
        _ => None,
    };
    let reactions = get_obj(doc, &ROOT, "reactions", ObjType::Map)
        .map(|map| read_reactions(doc, &map))
        .unwrap_or_default();
    let comments = get_obj(doc, &ROOT, "comments", ObjType::Map)
        .map(|map| read_comments(doc, &map))
        .unwrap_or_default();
    Ok(EntryDoc {
        author,
        created_at,
        updated_at,
        edited_by: get_str(doc, &ROOT, "edited_by"),
        title: get_str(doc, &ROOT, "title"),
        body,
        emotions,
        link,
        reactions,
        comments,
        replaces: read_replaced(doc),
    })
}

/// The documents entry document `doc` replaced, oldest first (see
/// [`EntryDoc::replaces`]).
pub(crate) fn read_replaced(doc: &AutoCommit) -> Vec<String> {
    let mut line: Vec<String> = get_obj(doc, &ROOT, "earlier", ObjType::List)
        .map(|list| {
            (0..doc.length(&list))
                .filter_map(|at| match doc.get(&list, at) {
                    Ok(Some((automerge::Value::Scalar(s), _))) => match s.as_ref() {
                        automerge::ScalarValue::Str(id) => Some(id.to_string()),
                        _ => None,
                    },
                    _ => None,
                })
                .collect()
        })
        .unwrap_or_default();
    line.extend(get_str(doc, &ROOT, "replaces"));
    line
}

fn read_reactions(doc: &AutoCommit, map: &ObjId) -> Vec<(String, Reaction)> {
    keys(doc, map)
        .into_iter()
        .filter_map(|member| {
            let reaction = get_str(doc, map, &member).and_then(|r| Reaction::parse(&r).ok())?;
            Some((member, reaction))
        })
        .collect()
}

fn read_comments(doc: &AutoCommit, map: &ObjId) -> Vec<StoredComment> {
    let mut comments: Vec<StoredComment> = keys(doc, map)
        .into_iter()
        .filter_map(|id| {
            let obj = get_obj(doc, map, &id, ObjType::Map)?;
            Some(StoredComment {
                author: get_str(doc, &obj, "author")?,
                created_at: get_i64(doc, &obj, "created_at")?,
                body: get_str(doc, &obj, "body")?,
                id,
            })
        })
        .collect();
    comments.sort_by(|a, b| (a.created_at, &a.id).cmp(&(b.created_at, &b.id)));
    comments
}

// --- the projection --------------------------------------------------------

/// Rebuilds the projection rows of shared entry `id` from its document.
pub(crate) fn project(conn: &Connection, id: &str, entry: &EntryDoc) -> Result<()> {
    upsert_row(conn, id, Visibility::Shared, entry)?;
    conn.prepare_cached("DELETE FROM reactions WHERE entry_id = ?1")?
        .execute([id])?;
    let mut insert = conn
        .prepare_cached("INSERT INTO reactions (entry_id, member, reaction) VALUES (?1, ?2, ?3)")?;
    for (member, reaction) in &entry.reactions {
        insert.execute(params![id, member, reaction.name()])?;
    }
    conn.prepare_cached("DELETE FROM comments WHERE entry_id = ?1")?
        .execute([id])?;
    let mut insert = conn.prepare_cached(
        "INSERT INTO comments (id, entry_id, author, created_at, body) VALUES (?1, ?2, ?3, ?4, ?5)
         ON CONFLICT (id) DO NOTHING",
    )?;
    for c in &entry.comments {
        insert.execute(params![c.id, id, c.author, c.created_at, c.body])?;
    }
    Ok(())
}

/// Inserts or updates a private entry, which has no document.
pub(crate) fn put_private(conn: &Connection, id: &str, entry: &EntryDoc) -> Result<()> {
    upsert_row(conn, id, Visibility::Private, entry)
}

/// Removes every projection row of entry `id`: its search tokens, and
/// (through the foreign keys) its reactions and comments.
pub(crate) fn unproject(conn: &Connection, id: &str) -> Result<()> {
    if let Some(row) = row_text(conn, id)? {
        if row.indexed {
            unindex(conn, row.rowid, row.title.as_deref(), &row.body)?;
        }
        conn.prepare_cached("DELETE FROM entries WHERE rowid = ?1")?
            .execute([row.rowid])?;
    }
    Ok(())
}

/// Writes the `entries` row of entry `id`. A new row's rowid is its date
/// (see [`place_row`]). A new row, or one whose words changed, is marked
/// for the search index, which takes its words at the next search
/// ([`catch_up_index`]); changed words that the index held leave it now.
fn upsert_row(conn: &Connection, id: &str, visibility: Visibility, entry: &EntryDoc) -> Result<()> {
    let link_kind = entry.link.as_ref().map(|l| l.kind.name());
    let link_id = entry.link.as_ref().map(|l| l.id.as_str());
    match row_text(conn, id)? {
        Some(old) => {
            let changed = old.title != entry.title || old.body != entry.body;
            if changed && old.indexed {
                unindex(conn, old.rowid, old.title.as_deref(), &old.body)?;
            }
            // A reaction or a comment leaves the words as they were: the
            // stored text is kept, not deflated again.
            let body = (old.body != entry.body).then(|| packed_text::pack(&entry.body));
            conn.prepare_cached(
                "UPDATE entries SET visibility = ?2, author = ?3, created_at = ?4, updated_at = ?5,
                     edited_by = ?6, title = ?7, body = coalesce(?8, body), emotions = ?9,
                     link_kind = ?10, link_id = ?11, unindexed = max(unindexed, ?12)
                 WHERE rowid = ?1",
            )?
            .execute(params![
                old.rowid,
                visibility.column(),
                entry.author,
                entry.created_at,
                entry.updated_at,
                entry.edited_by,
                entry.title,
                body,
                Emotion::to_bits(&entry.emotions),
                link_kind,
                link_id,
                changed,
            ])?;
        }
        None => {
            let body = packed_text::pack(&entry.body);
            let rowid = place_row(conn, entry.created_at, id)?;
            conn.prepare_cached(
                "INSERT INTO entries (rowid, id, visibility, author, created_at, updated_at,
                     edited_by, title, body, emotions, link_kind, link_id, unindexed)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, 1)",
            )?
            .execute(params![
                rowid,
                id,
                visibility.column(),
                entry.author,
                entry.created_at,
                entry.updated_at,
                entry.edited_by,
                entry.title,
                body,
                Emotion::to_bits(&entry.emotions),
                link_kind,
                link_id,
            ])?;
        }
    }
    Ok(())
}

/// Whether some entry's words wait for the search index.
pub(crate) fn index_behind(conn: &Connection) -> Result<bool> {
    Ok(conn
        .prepare_cached("SELECT 1 FROM entries WHERE unindexed = 1 LIMIT 1")?
        .exists([])?)
}

/// Adds the words of every entry marked for the search index, and clears
/// the marks: in one transaction, so the index and the marks always agree.
pub(crate) fn catch_up_index(conn: &Connection) -> Result<()> {
    let pending: Vec<(i64, Option<String>, Vec<u8>)> = conn
        .prepare_cached("SELECT rowid, title, body FROM entries WHERE unindexed = 1")?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
        .collect::<rusqlite::Result<_>>()?;
    for (rowid, title, body) in &pending {
        index(conn, *rowid, title.as_deref(), &unpack(body)?)?;
    }
    conn.prepare_cached("UPDATE entries SET unindexed = 0 WHERE unindexed = 1")?
        .execute([])?;
    Ok(())
}

/// How far past its second an entry's rowid may land when that second is
/// already taken (see [`place_row`]).
pub(crate) const ROWID_SLACK: i64 = 4096;

/// The rowid for a new entry `id` written at `created_at` (Unix ms), making
/// room for it if needed.
///
/// Rowid order is date order, so pages and searches walk the primary key
/// newest first with no date index; seconds, not milliseconds, keep the
/// gaps between rowids small, which is most of what the search index
/// stores. Entries that share a second go to the next free rowids, and the
/// order among them must not depend on which one this phone heard of
/// first: rowid order is kept equal to (`created_at`, `id`) order, so both
/// phones list the journal the same way. A new entry that sorts before
/// rows already in its slots moves that contiguous run up by one.
fn place_row(conn: &Connection, created_at: i64, id: &str) -> Result<i64> {
    let second = created_at.div_euclid(1000);
    // The usual case, a new entry that sorts after every other: since rowid
    // order is (created_at, id) order, the last row alone says so, and the
    // walk below (which crosses every row of a busy run) is not needed.
    let last: Option<(i64, i64, String)> = conn
        .prepare_cached("SELECT rowid, created_at, id FROM entries ORDER BY rowid DESC LIMIT 1")?
        .query_row([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .optional()?;
    match last {
        None => return Ok(second),
        Some((rowid, at, last_id)) if (at, last_id.as_str()) < (created_at, id) => {
            let slot = second.max(rowid + 1);
            if slot - second >= ROWID_SLACK {
                return Err(crowded());
            }
            return Ok(slot);
        }
        Some(_) => {}
    }
    // Rows below `second` sort before the new entry (a rowid is never below
    // its own second); walk up from it, in rowid (= key) order.
    let mut rows = conn.prepare_cached(
        "SELECT rowid, created_at, id FROM entries WHERE rowid >= ?1 ORDER BY rowid",
    )?;
    let mut rows = rows.query([second])?;
    let mut slot = second;
    let mut run: Vec<i64> = Vec::new();
    while let Some(row) = rows.next()? {
        let rowid: i64 = row.get(0)?;
        let key: (i64, String) = (row.get(1)?, row.get(2)?);
        if run.is_empty() && (key.0, key.1.as_str()) < (created_at, id) {
            slot = rowid + 1;
            continue;
        }
        // Sorts after the new entry: collect the rows filling the slots from
        // `slot` up, stopping at the first free one.
        if rowid != slot + i64::try_from(run.len()).unwrap_or(i64::MAX) {
            break;
        }
        run.push(rowid);
    }
    drop(rows);
    if slot - second >= ROWID_SLACK {
        return Err(crowded());
    }
    // Highest first, so each move lands on a free rowid.
    for &rowid in run.iter().rev() {
        move_row(conn, rowid, rowid + 1)?;
    }
    Ok(slot)
}

fn crowded() -> Error {
    Error::DamagedDatabase(format!(
        "more than {ROWID_SLACK} entries are dated within {ROWID_SLACK} seconds"
    ))
}

/// Moves an entry row, and its search tokens if the index has them, from
/// rowid `from` to `to`.
fn move_row(conn: &Connection, from: i64, to: i64) -> Result<()> {
    let (created_at, title, body, unindexed): (i64, Option<String>, Vec<u8>, bool) = conn
        .prepare_cached("SELECT created_at, title, body, unindexed FROM entries WHERE rowid = ?1")?
        .query_row([from], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?;
    if to - created_at.div_euclid(1000) >= ROWID_SLACK {
        return Err(crowded());
    }
    // Only words the index holds are taken out and put back.
    let words = (!unindexed).then(|| unpack(&body)).transpose()?;
    if let Some(body) = &words {
        unindex(conn, from, title.as_deref(), body)?;
    }
    conn.prepare_cached("UPDATE entries SET rowid = ?2 WHERE rowid = ?1")?
        .execute([from, to])?;
    match &words {
        Some(body) => index(conn, to, title.as_deref(), body),
        None => Ok(()),
    }
}

/// An entry row's place and words, and whether the search index has them.
struct RowText {
    rowid: i64,
    title: Option<String>,
    body: String,
    indexed: bool,
}

/// The rowid, title and text of entry `id`.
fn row_text(conn: &Connection, id: &str) -> Result<Option<RowText>> {
    let row: Option<(i64, Option<String>, Vec<u8>, bool)> = conn
        .prepare_cached("SELECT rowid, title, body, unindexed FROM entries WHERE id = ?1")?
        .query_row([id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
        .optional()?;
    row.map(|(rowid, title, body, unindexed)| {
        Ok(RowText {
            rowid,
            title,
            body: unpack(&body)?,
            indexed: !unindexed,
        })
    })
    .transpose()
}

fn unpack(body: &[u8]) -> Result<String> {
    packed_text::unpack(body)
        .map_err(|e| Error::DamagedDatabase(format!("an entry text could not be read: {e}")))
}

/// Adds an entry's words to the search index.
fn index(conn: &Connection, rowid: i64, title: Option<&str>, body: &str) -> Result<()> {
    conn.prepare_cached("INSERT INTO entries_fts (rowid, title, body) VALUES (?1, ?2, ?3)")?
        .execute(params![rowid, title, body])?;
    Ok(())
}

/// Removes an entry's words from the search index. The index keeps no copy
/// of the text, so the words indexed are given back to take them out; with
/// the index's secure-delete option they leave no trace.
fn unindex(conn: &Connection, rowid: i64, title: Option<&str>, body: &str) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO entries_fts (entries_fts, rowid, title, body) VALUES ('delete', ?1, ?2, ?3)",
    )?
    .execute(params![rowid, title, body])?;
    Ok(())
}

// --- reading entries back ----------------------------------------------------

/// The columns [`from_row`] reads, in order, then the rowid: a row's
/// place in date order, which paging reads (at [`ROWID_AT`]).
pub(crate) const COLUMNS: &str = "e.id, e.visibility, e.author, e.created_at, e.updated_at, \
     e.edited_by, e.title, e.body, e.emotions, e.link_kind, e.link_id, e.rowid";

/// Where [`COLUMNS`] puts the rowid.
pub(crate) const ROWID_AT: usize = 11;

/// The stored row of an entry, before people, reactions and comments are
/// attached.
#[derive(Debug)]
pub(crate) struct EntryRow {
    pub id: String,
    pub visibility: Visibility,
    pub author: String,
    pub created_at: i64,
    pub updated_at: i64,
    pub edited_by: Option<String>,
    pub title: Option<String>,
    pub body: String,
    pub emotions: i64,
    pub link: Option<EntryLink>,
}

impl EntryRow {
    /// The row a new entry `id` gets from `entry`, as [`from_row`] would
    /// read it back.
    pub(crate) fn written(id: String, visibility: Visibility, entry: EntryDoc) -> Self {
        Self {
            id,
            visibility,
            author: entry.author,
            created_at: entry.created_at,
            updated_at: entry.updated_at,
            edited_by: entry.edited_by,
            title: entry.title,
            body: entry.body,
            emotions: Emotion::to_bits(&entry.emotions),
            link: entry.link,
        }
    }
}

/// Reads an [`EntryRow`] from a row selected with [`COLUMNS`].
pub(crate) fn from_row(row: &Row<'_>) -> rusqlite::Result<EntryRow> {
    let link_kind: Option<String> = row.get(9)?;
    let link_id: Option<String> = row.get(10)?;
    let packed: Vec<u8> = row.get(7)?;
    let body = packed_text::unpack(&packed).map_err(|e| {
        rusqlite::Error::FromSqlConversionFailure(7, rusqlite::types::Type::Blob, Box::new(e))
    })?;
    Ok(EntryRow {
        id: row.get(0)?,
        visibility: Visibility::from_column(&row.get::<_, String>(1)?),
        author: row.get(2)?,
        created_at: row.get(3)?,
        updated_at: row.get(4)?,
        edited_by: row.get(5)?,
        title: row.get(6)?,
        body,
        emotions: row.get(8)?,
        link: match (link_kind.and_then(|k| LinkKind::parse(&k).ok()), link_id) {
            (Some(kind), Some(id)) => Some(EntryLink { kind, id }),
            _ => None,
        },
    })
}

/// The stored row of entry `id`, if there is one.
pub(crate) fn row(conn: &Connection, id: &str) -> Result<Option<EntryRow>> {
    Ok(conn
        .prepare_cached(&format!("SELECT {COLUMNS} FROM entries e WHERE e.id = ?1"))?
        .query_row([id], from_row)
        .optional()?)
}

/// Resolves member ids to people.
#[derive(Debug)]
pub(crate) struct People<'a> {
    pub me: &'a str,
}

impl People<'_> {
    /// The person with member id `id`.
    pub fn get(&self, conn: &Connection, id: &str) -> Result<Person> {
        let name = crate::store::members::name(conn, id)?;
        let is_me = id == self.me;
        let name = name.unwrap_or_else(|| if is_me { "Me" } else { "Your partner" }.to_owned());
        Ok(Person {
            id: id.to_owned(),
            name,
            is_me,
        })
    }
}

/// Turns a stored row into the [`Entry`] a shell shows.
pub(crate) fn hydrate(conn: &Connection, people: &People<'_>, row: EntryRow) -> Result<Entry> {
    hydrate_with(conn, people, row, true)
}

/// [`hydrate`] for an entry written a moment ago in `conn`'s transaction:
/// its id is new, so nothing can react to it or comment on it yet, and
/// neither is looked up.
pub(crate) fn hydrate_new(conn: &Connection, people: &People<'_>, row: EntryRow) -> Result<Entry> {
    hydrate_with(conn, people, row, false)
}

fn hydrate_with(
    conn: &Connection,
    people: &People<'_>,
    row: EntryRow,
    replies: bool,
) -> Result<Entry> {
    let mut reactions = Vec::new();
    let mut comments = Vec::new();
    if replies && row.visibility == Visibility::Shared {
        // Sorted here, not by SQL: an ORDER BY next to a bound parameter
        // makes SQLite (built with STAT4) compile the statement again at
        // every run, and this runs for every entry shown.
        let mut stmt =
            conn.prepare_cached("SELECT member, reaction FROM reactions WHERE entry_id = ?1")?;
        let mut found: Vec<(String, String)> = stmt
            .query_map([&row.id], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        found.sort();
        for (member, reaction) in found {
            if let Ok(reaction) = Reaction::parse(&reaction) {
                reactions.push(EntryReaction {
                    by: people.get(conn, &member)?,
                    reaction,
                });
            }
        }
        let mut stmt = conn.prepare_cached(
            "SELECT created_at, id, author, body FROM comments WHERE entry_id = ?1",
        )?;
        let mut found: Vec<(i64, String, String, String)> = stmt
            .query_map([&row.id], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
            })?
            .collect::<rusqlite::Result<_>>()?;
        found.sort();
        for (created_at_ms, id, author, body) in found {
            comments.push(Comment {
                id,
                author: people.get(conn, &author)?,
                created_at_ms,
                body,
            });
        }
    }
    Ok(Entry {
        author: people.get(conn, &row.author)?,
        edited_by: match &row.edited_by {
            Some(id) => Some(people.get(conn, id)?),
            None => None,
        },
        id: row.id,
        visibility: row.visibility,
        created_at_ms: row.created_at,
        updated_at_ms: row.updated_at,
        title: row.title,
        body: row.body,
        emotions: Emotion::from_bits(row.emotions),
        link: row.link,
        reactions,
        comments,
    })
}

impl Visibility {
    /// The value stored in the `entries.visibility` column.
    pub(crate) fn column(self) -> &'static str {
        self.as_str()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use automerge::ScalarValue;

    #[test]
    fn limits_are_checked_in_characters_not_bytes() {
        assert!(check_body(&"é".repeat(MAX_BODY_CHARS)).is_ok());
        assert!(matches!(
            check_body(&"é".repeat(MAX_BODY_CHARS + 1)),
            Err(Error::BodyTooLong { len, max: MAX_BODY_CHARS }) if len == MAX_BODY_CHARS + 1
        ));
        assert!(matches!(check_body(" \n\t "), Err(Error::EmptyBody)));
        assert_eq!(clean_title(Some("  ")).unwrap(), None);
        assert_eq!(
            clean_title(Some(" Sunday ")).unwrap().as_deref(),
            Some("Sunday")
        );
        assert!(matches!(
            clean_title(Some(&"a".repeat(MAX_TITLE_CHARS + 1))),
            Err(Error::TitleTooLong { .. })
        ));
        assert!(matches!(check_comment(""), Err(Error::EmptyComment)));
    }

    /// Rowid order is (created_at, id) order whatever order entries arrive
    /// in: the newest one takes the fast path, the others make room.
    #[test]
    fn rows_keep_date_order_whatever_the_arrival_order() {
        // Six entries, three of them in one second, one a second later.
        let keys = [
            (5_000, "c"),
            (5_100, "a"),
            (5_100, "b"),
            (5_900, "z"),
            (6_000, "d"),
            (9_000, "e"),
        ];
        for arrival in [[0, 1, 2, 3, 4, 5], [5, 4, 3, 2, 1, 0], [3, 0, 5, 1, 4, 2]] {
            let dir = tempfile::tempdir().unwrap();
            let store = crate::store::Store::open(&dir.path().join("hearth.db")).unwrap();
            store
                .write(|tx| {
                    for &i in &arrival {
                        let (at, id) = keys[i];
                        let doc = EntryDoc {
                            author: "m1".into(),
                            created_at: at,
                            updated_at: at,
                            edited_by: None,
                            title: None,
                            body: format!("entry {id}"),
                            emotions: vec![],
                            link: None,
                            reactions: vec![],
                            comments: vec![],
                            replaces: Vec::new(),
                        };
                        upsert_row(tx, id, Visibility::Shared, &doc)?;
                    }
                    Ok(())
                })
                .unwrap();
            let listed: Vec<(i64, String)> = store
                .read(|c| {
                    let mut rows = c.prepare("SELECT rowid, id FROM entries ORDER BY rowid")?;
                    let rows = rows.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
                    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
                })
                .unwrap();
            let ids: Vec<&str> = listed.iter().map(|(_, id)| id.as_str()).collect();
            assert_eq!(ids, ["c", "a", "b", "z", "d", "e"], "arrival {arrival:?}");
            // Each row sits at or after its own second.
            for ((rowid, _), (at, _)) in listed.iter().zip(keys) {
                assert!(*rowid >= at / 1000, "arrival {arrival:?}: {listed:?}");
            }
        }
    }

    /// A reaction or a comment rewrites the row but keeps its stored text;
    /// new words replace it and are marked for the search index.
    #[test]
    fn a_row_keeps_its_text_until_the_words_change() {
        let dir = tempfile::tempdir().unwrap();
        let store = crate::store::Store::open(&dir.path().join("hearth.db")).unwrap();
        let mut doc = EntryDoc {
            author: "m1".into(),
            created_at: 5_000,
            updated_at: 5_000,
            edited_by: None,
            title: None,
            body: "We planted the tomatoes.".into(),
            emotions: vec![],
            link: None,
            reactions: vec![],
            comments: vec![],
            replaces: Vec::new(),
        };
        let stored = |store: &crate::store::Store| {
            store
                .read(|c| {
                    Ok(c.query_row(
                        "SELECT body, unindexed, updated_at FROM entries WHERE id = 'e'",
                        [],
                        |r| {
                            Ok((
                                r.get::<_, Vec<u8>>(0)?,
                                r.get::<_, i64>(1)?,
                                r.get::<_, i64>(2)?,
                            ))
                        },
                    )?)
                })
                .unwrap()
        };
        store
            .write(|tx| upsert_row(tx, "e", Visibility::Shared, &doc))
            .unwrap();
        // The search catches up: the row is no longer marked.
        store.write(catch_up_index).unwrap();
        let (packed, _, _) = stored(&store);

        doc.updated_at = 6_000;
        doc.reactions = vec![("m2".into(), Reaction::Heart)];
        store
            .write(|tx| upsert_row(tx, "e", Visibility::Shared, &doc))
            .unwrap();
        assert_eq!(stored(&store), (packed.clone(), 0, 6_000));

        doc.body = "We planted the tomatoes and the basil.".into();
        store
            .write(|tx| upsert_row(tx, "e", Visibility::Shared, &doc))
            .unwrap();
        let (repacked, unindexed, _) = stored(&store);
        assert_eq!(unindexed, 1);
        assert_eq!(
            packed_text::unpack(&repacked).unwrap(),
            "We planted the tomatoes and the basil."
        );
    }

    #[test]
    fn a_document_reads_back_what_was_written() {
        let mut doc = AutoCommit::new();
        let link = EntryLink {
            kind: LinkKind::Exercise,
            id: "eye-contact".into(),
        };
        let written = EntryDoc {
            author: "m1".into(),
            created_at: 1_000,
            updated_at: 1_000,
            edited_by: None,
            title: Some("A walk".into()),
            body: "We walked to the river.".into(),
            emotions: vec![Emotion::Joyful, Emotion::Calm],
            link: Some(link.clone()),
            reactions: vec![],
            comments: vec![],
            replaces: Vec::new(),
        };
        new_document(&mut doc, &written).unwrap();
        let read = read_document(&doc, "d").unwrap();
        assert_eq!(read, written);

        // An edit writes a new document carrying the editor, the reactions
        // and the comments over.
        let edited = EntryDoc {
            updated_at: 2_000,
            edited_by: Some("m2".into()),
            title: None,
            body: "We walked far.".into(),
            emotions: vec![Emotion::Tired],
            reactions: vec![("m2".into(), Reaction::Heart)],
            comments: vec![StoredComment {
                id: "c1".into(),
                author: "m2".into(),
                created_at: 1_500,
                body: "Lovely.".into(),
            }],
            replaces: vec!["c".into(), "d".into()],
            ..written
        };
        let mut doc = AutoCommit::new();
        new_document(&mut doc, &edited).unwrap();
        assert_eq!(read_document(&doc, "d").unwrap(), edited);
    }

    /// Version 1 kept the body in a text object; such entries (from an
    /// older app, or stored before the change) still read.
    #[test]
    fn a_version_1_document_with_a_text_body_still_reads() {
        let mut doc = AutoCommit::new();
        doc.put(ROOT, KIND_KEY, KIND.as_str()).unwrap();
        doc.put(ROOT, "v", 1_i64).unwrap();
        doc.put(ROOT, "author", "m1").unwrap();
        doc.put(ROOT, "created_at", ScalarValue::Int(5)).unwrap();
        let text = doc.put_object(ROOT, "body", ObjType::Text).unwrap();
        doc.splice_text(&text, 0, 0, "Written long ago.").unwrap();
        doc.commit();
        assert_eq!(read_document(&doc, "d").unwrap().body, "Written long ago.");
    }

    #[test]
    fn a_document_without_a_body_is_invalid() {
        let mut doc = AutoCommit::new();
        doc.put(ROOT, KIND_KEY, KIND.as_str()).unwrap();
        doc.put(ROOT, "author", "m1").unwrap();
        doc.put(ROOT, "created_at", ScalarValue::Int(5)).unwrap();
        doc.commit();
        let err = read_document(&doc, "d").unwrap_err();
        assert!(
            matches!(err, Error::InvalidDocument { kind: KIND, .. }),
            "{err:?}"
        );
    }
}
