//! Reading an export: the format and version first, then every part the
//! restore uses, checked whole (each document loads, each private entry
//! and result is as Hearth writes them) before the profile is touched.
//! Errors name the place, never the words in the file.
//!
//! A version 1 export held the journal alone (entries with their
//! reactions and comments, no documents): its shared entries are written
//! again as new documents of this phone.

use automerge::{AutoCommit, LoadOptions, OnPartialLoad, VerificationMode};
use base64::Engine as _;
use serde::Deserialize;
use serde_json::Value;

use super::ImportError;
use crate::guidance::assessment::AssessmentResult;
use crate::guidance::safety::{SafetyAnswer, SafetyOutcome};
use crate::hearth::export::documents::Restore;
use crate::journal::emotion::Emotion;
use crate::journal::entry::{
    self, Comment, EntryDoc, EntryLink, EntryReaction, Person, StoredComment, Visibility,
};
use crate::journal::export::{JSON_FORMAT, JSON_VERSION};

/// An export as the restore needs it, checked.
#[derive(Debug)]
pub(super) struct Export {
    /// This person's member id and name.
    pub member: String,
    pub name: String,
    /// Shared documents: id, kind and whole save.
    pub documents: Vec<(String, String, Vec<u8>)>,
    /// Private entries: id and contents.
    pub private_entries: Vec<(String, EntryDoc)>,
    /// Shared entries to write as new documents (version 1 only): id and
    /// contents.
    pub shared_entries: Vec<(String, EntryDoc)>,
    /// This person's assessment results: the result and when it was taken.
    pub assessments: Vec<(AssessmentResult, i64)>,
    /// The exercise log: exercise id, day, outcome.
    pub exercise_log: Vec<(String, String, String)>,
    /// The safety check (answers, outcome, when), if the export holds it.
    pub safety_check: Option<(String, String, i64)>,
    /// When closeness suggestions were paused, if the export holds it.
    pub closeness_pause: Option<i64>,
}

#[derive(Deserialize)]
struct File {
    entries: Vec<FileEntry>,
    #[serde(default)]
    my_assessments: Vec<FileAssessment>,
    #[serde(default)]
    exercise_log: Vec<FileExercise>,
    #[serde(default)]
    safety_check: Vec<FileSafety>,
    #[serde(default)]
    closeness_pause: Vec<FilePause>,
    restore: Restore,
}

/// A version 1 export: the journal alone.
#[derive(Deserialize)]
struct FileV1 {
    people: Vec<Person>,
    entries: Vec<FileEntry>,
}

#[derive(Deserialize)]
struct FileEntry {
    id: String,
    visibility: Visibility,
    author: PersonRef,
    created_at_ms: i64,
    updated_at_ms: i64,
    edited_by: Option<PersonRef>,
    title: Option<String>,
    body: String,
    emotions: Vec<Emotion>,
    link: Option<EntryLink>,
    #[serde(default)]
    reactions: Vec<EntryReaction>,
    #[serde(default)]
    comments: Vec<Comment>,
}

#[derive(Deserialize)]
struct PersonRef {
    id: String,
}

#[derive(Deserialize)]
struct FileAssessment {
    result: AssessmentResult,
    taken_at: i64,
}

#[derive(Deserialize)]
struct FileExercise {
    exercise_id: String,
    day: String,
    outcome: String,
}

#[derive(Deserialize)]
struct FileSafety {
    answers: Vec<SafetyAnswer>,
    outcome: SafetyOutcome,
    taken_at: i64,
}

#[derive(Deserialize)]
struct FilePause {
    paused_at: i64,
}

fn damaged(what: impl Into<String>) -> ImportError {
    ImportError::Damaged(what.into())
}

/// Reads and checks an export.
pub(super) fn read(bytes: &[u8]) -> Result<Export, ImportError> {
    let text = String::from_utf8_lossy(bytes);
    if !text.trim_start().starts_with('{') {
        return Err(ImportError::NotAnExport);
    }
    let value: Value = serde_json::from_slice(bytes).map_err(|e| {
        if e.is_eof() {
            damaged(format!("it ends too early, at line {}", e.line()))
        } else {
            damaged(format!(
                "it is not valid JSON at line {}, column {}",
                e.line(),
                e.column()
            ))
        }
    })?;
    if value.get("format").and_then(Value::as_str) != Some(JSON_FORMAT) {
        return Err(ImportError::NotAnExport);
    }
    let version = value
        .get("version")
        .and_then(Value::as_u64)
        .ok_or_else(|| damaged("its version is missing"))?;
    if version > u64::from(JSON_VERSION) {
        return Err(ImportError::NewerVersion {
            found: version,
            supported: JSON_VERSION,
        });
    }
    // serde's own messages can quote the file's words: say where instead.
    let missing = |_| damaged("a part the restore needs is missing or not as Hearth writes it");
    match version {
        1 => check_v1(serde_json::from_value(value).map_err(missing)?),
        2 => check(serde_json::from_value(value).map_err(missing)?),
        _ => Err(damaged("its version is not one Hearth wrote")),
    }
}

fn check_v1(file: FileV1) -> Result<Export, ImportError> {
    let me = file
        .people
        .into_iter()
        .find(|p| p.is_me)
        .ok_or_else(|| damaged("who the journal belongs to is missing"))?;
    let mut private_entries = Vec::new();
    let mut shared_entries = Vec::new();
    let mut ids = std::collections::HashSet::new();
    for (n, e) in file.entries.into_iter().enumerate() {
        if !ids.insert(e.id.clone()) {
            return Err(damaged(format!("entry {} (listed twice)", n + 1)));
        }
        let visibility = e.visibility;
        let (id, doc) = entry_doc(n, e)?;
        match visibility {
            Visibility::Private => private_entries.push((id, doc)),
            Visibility::Shared => shared_entries.push((id, doc)),
        }
    }
    Ok(Export {
        member: me.id,
        name: me.name,
        documents: Vec::new(),
        private_entries,
        shared_entries,
        assessments: Vec::new(),
        exercise_log: Vec::new(),
        safety_check: None,
        closeness_pause: None,
    })
}

/// An entry of the file as the journal stores it, checked.
fn entry_doc(n: usize, e: FileEntry) -> Result<(String, EntryDoc), ImportError> {
    let place = || damaged(format!("entry {}", n + 1));
    entry::check_body(&e.body).map_err(|_| place())?;
    let title = entry::clean_title(e.title.as_deref()).map_err(|_| place())?;
    if e.id.is_empty() || e.author.id.is_empty() {
        return Err(place());
    }
    let shared = e.visibility == Visibility::Shared;
    let mut comments = Vec::new();
    for c in e.comments.into_iter().filter(|_| shared) {
        entry::check_comment(&c.body).map_err(|_| place())?;
        comments.push(StoredComment {
            id: c.id,
            author: c.author.id,
            created_at: c.created_at_ms,
            body: c.body,
        });
    }
    Ok((
        e.id,
        EntryDoc {
            author: e.author.id,
            created_at: e.created_at_ms,
            updated_at: e.updated_at_ms,
            edited_by: e.edited_by.map(|p| p.id),
            title,
            body: e.body,
            emotions: entry::emotion_set(&e.emotions),
            link: e.link,
            reactions: e
                .reactions
                .into_iter()
                .filter(|_| shared)
                .map(|r| (r.by.id, r.reaction))
                .collect(),
            comments,
            replaces: Vec::new(),
        },
    ))
}

fn check(file: File) -> Result<Export, ImportError> {
    let restore = file.restore;
    if restore.member.is_empty() || restore.name.trim().is_empty() {
        return Err(damaged("who the journal belongs to is missing"));
    }
    let mut documents = Vec::with_capacity(restore.documents.len());
    for (n, saved) in restore.documents.into_iter().enumerate() {
        let place = || damaged(format!("shared item {} of the restore section", n + 1));
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(saved.data.as_bytes())
            .map_err(|_| place())?;
        let options = LoadOptions::new()
            .on_partial_load(OnPartialLoad::Error)
            .verification_mode(VerificationMode::Check);
        // Automerge may panic on malformed bytes: that is a damaged file too.
        let load = std::panic::AssertUnwindSafe(|| AutoCommit::load_with_options(&bytes, options));
        let loaded = std::panic::catch_unwind(load);
        if !matches!(loaded, Ok(Ok(_))) || saved.id.is_empty() {
            return Err(place());
        }
        documents.push((saved.id, saved.kind, bytes));
    }
    let mut private_entries = Vec::new();
    for (n, e) in file.entries.into_iter().enumerate() {
        if e.visibility != Visibility::Private {
            // Shared entries come back from their documents.
            continue;
        }
        let (id, doc) = entry_doc(n, e)?;
        if documents.iter().any(|(known, _, _)| *known == id)
            || private_entries.iter().any(|(known, _)| *known == id)
        {
            return Err(damaged(format!("entry {} (listed twice)", n + 1)));
        }
        private_entries.push((id, doc));
    }
    let exercise_log = file
        .exercise_log
        .into_iter()
        .map(|x| {
            if x.outcome == "done" || x.outcome == "skipped" {
                Ok((x.exercise_id, x.day, x.outcome))
            } else {
                Err(damaged("the exercise log"))
            }
        })
        .collect::<Result<_, _>>()?;
    let json = |_| damaged("the safety check");
    let safety_check = match file.safety_check.into_iter().next() {
        Some(s) => Some((
            serde_json::to_string(&s.answers).map_err(json)?,
            serde_json::to_string(&s.outcome).map_err(json)?,
            s.taken_at,
        )),
        None => None,
    };
    Ok(Export {
        member: restore.member,
        name: restore.name,
        documents,
        private_entries,
        shared_entries: Vec::new(),
        assessments: file
            .my_assessments
            .into_iter()
            .map(|a| (a.result, a.taken_at))
            .collect(),
        exercise_log,
        safety_check,
        closeness_pause: file.closeness_pause.first().map(|p| p.paused_at),
    })
}
