//! Reading an export: the format and version first, then every part the
//! restore uses, checked whole (each document loads, each private entry
//! and result is as Hearth writes them) before the profile is touched.
//! Errors name the place, never the words in the file.

use automerge::{AutoCommit, LoadOptions, OnPartialLoad, VerificationMode};
use base64::Engine as _;
use serde::Deserialize;
use serde_json::Value;

use super::ImportError;
use crate::content::assessment::AssessmentResult;
use crate::content::safety::{SafetyAnswer, SafetyOutcome};
use crate::hearth::export::documents::Restore;
use crate::journal::emotion::Emotion;
use crate::journal::entry::{self, EntryDoc, EntryLink, Visibility};
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
    if version < u64::from(JSON_VERSION) {
        return Err(ImportError::TooOld { found: version });
    }
    // serde's own messages can quote the file's words: say where instead.
    let file: File = serde_json::from_value(value)
        .map_err(|_| damaged("a part the restore needs is missing or not as Hearth writes it"))?;
    check(file)
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
        let place = || damaged(format!("entry {} (a private one)", n + 1));
        entry::check_body(&e.body).map_err(|_| place())?;
        let title = entry::clean_title(e.title.as_deref()).map_err(|_| place())?;
        if e.id.is_empty() || documents.iter().any(|(id, _, _)| *id == e.id) {
            return Err(place());
        }
        private_entries.push((
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
                reactions: Vec::new(),
                comments: Vec::new(),
                replaces: None,
            },
        ));
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
