//! What the app keeps on this device only, beside the profile: its settings
//! (lock, notifications) and the person's half-written drafts, so a draft
//! survives the app being killed. Stored in the profile's device-local
//! table; never synced, never exported.

use serde::{Deserialize, Serialize};

use crate::Hearth;
use crate::error::{Error, Result};
use crate::journal::emotion::Emotion;
use crate::journal::entry::EntryLink;

const LOCK: &str = "app.lock";
const PARTNER_NEWS: &str = "app.partner_news";
const COMPOSER: &str = "draft.composer";
const ANSWER: &str = "draft.answer";

/// An entry being written.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct ComposerDraft {
    pub(crate) title: String,
    pub(crate) body: String,
    pub(crate) emotions: Vec<Emotion>,
    pub(crate) private: bool,
    pub(crate) editing: Option<String>,
    pub(crate) link: Option<EntryLink>,
    pub(crate) prompt: Option<String>,
}

/// An answer being written to the question of `day`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct AnswerDraft {
    pub(crate) day: String,
    pub(crate) text: String,
}

fn flag(hearth: &Hearth, key: &str) -> Result<bool> {
    Ok(hearth.local_value(key)?.as_deref() == Some("1"))
}

fn set_flag(hearth: &Hearth, key: &str, on: bool) -> Result<()> {
    hearth.set_local_value(key, on.then_some("1"))
}

pub(crate) fn lock_enabled(hearth: &Hearth) -> Result<bool> {
    flag(hearth, LOCK)
}

pub(crate) fn set_lock_enabled(hearth: &Hearth, on: bool) -> Result<()> {
    set_flag(hearth, LOCK, on)
}

/// Partner notifications: off until the person turns them on and the
/// platform grants the permission.
pub(crate) fn partner_news(hearth: &Hearth) -> Result<bool> {
    flag(hearth, PARTNER_NEWS)
}

pub(crate) fn set_partner_news(hearth: &Hearth, on: bool) -> Result<()> {
    set_flag(hearth, PARTNER_NEWS, on)
}

fn load<T: for<'de> Deserialize<'de>>(hearth: &Hearth, key: &str) -> Result<Option<T>> {
    // A draft that no longer reads (written by another version) is dropped
    // rather than blocking the screen.
    Ok(hearth
        .local_value(key)?
        .and_then(|json| serde_json::from_str(&json).ok()))
}

fn save<T: Serialize>(hearth: &Hearth, key: &str, value: Option<&T>) -> Result<()> {
    let json = value
        .map(serde_json::to_string)
        .transpose()
        .map_err(|e| Error::Export(e.to_string()))?;
    hearth.set_local_value(key, json.as_deref())
}

pub(crate) fn composer(hearth: &Hearth) -> Result<Option<ComposerDraft>> {
    load(hearth, COMPOSER)
}

pub(crate) fn save_composer(hearth: &Hearth, draft: Option<&ComposerDraft>) -> Result<()> {
    save(hearth, COMPOSER, draft)
}

pub(crate) fn answer(hearth: &Hearth) -> Result<Option<AnswerDraft>> {
    load(hearth, ANSWER)
}

pub(crate) fn save_answer(hearth: &Hearth, draft: Option<&AnswerDraft>) -> Result<()> {
    save(hearth, ANSWER, draft)
}
