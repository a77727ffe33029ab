//! Export: everything this person can see, as one JSON file (for backups
//! and other tools, and what [`Hearth::import`] restores) or the journal as
//! Markdown (for people). One module per part: the journal's entries in
//! `journal::export`, every other kind of item in [`sections`], the
//! documents a restore needs in [`documents`].
//!
//! The JSON file, version 2: `format`, `version`, `exported_at`, `people`,
//! `entries`, one array per other kind of item (each item with `private`),
//! the safety sections only when asked for, and `restore`.

pub(crate) mod documents;
mod sections;

use serde_json::{Map, Value};

use super::Hearth;
use crate::error::{Error, Result};
use crate::journal::entry::{Entry, Person};
use crate::journal::export;

/// What goes into a JSON export beyond every item the person can see.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct ExportOptions {
    /// The safety check's answers and outcome and the pause on closeness
    /// suggestions. Left out unless the person asks for them: an export
    /// is a file that can be found.
    pub include_safety: bool,
}

impl Hearth {
    /// Everything this person can see as JSON, without the safety data.
    pub fn export_json(&self) -> Result<String> {
        self.export_json_with(ExportOptions::default())
    }

    /// Everything this person can see as JSON; `options` says what more.
    pub fn export_json_with(&self, options: ExportOptions) -> Result<String> {
        let (entries, people) = self.export_parts()?;
        let me = self.member.as_str();
        let mut out = Map::new();
        out.insert("format".into(), export::JSON_FORMAT.into());
        out.insert("version".into(), export::JSON_VERSION.into());
        out.insert("exported_at".into(), export::datetime(self.now_ms()).into());
        out.insert("people".into(), to_value(&people)?);
        out.insert("entries".into(), export::entries_json(&entries)?);
        let name = people
            .iter()
            .find(|p| p.is_me)
            .map(|p| p.name.clone())
            .unwrap_or_default();
        let restore = self.store.read(|conn| {
            sections::add_all(conn, me, &mut out)?;
            if options.include_safety {
                sections::add_safety(conn, me, &mut out)?;
            }
            documents::restore_section(conn, me, &name, &self.device)
        })?;
        out.insert("restore".into(), to_value(&restore)?);
        serde_json::to_string_pretty(&Value::Object(out)).map_err(|e| Error::Export(e.to_string()))
    }

    /// The whole journal as Markdown; private entries are marked.
    pub fn export_markdown(&self) -> Result<String> {
        let (entries, _) = self.export_parts()?;
        Ok(export::to_markdown(&entries, self.now_ms()))
    }

    fn export_parts(&self) -> Result<(Vec<Entry>, Vec<Person>)> {
        let profile = self.profile()?;
        let people: Vec<Person> = std::iter::once(profile.me).chain(profile.partner).collect();
        let entries = self
            .store
            .read(|conn| export::all_entries(conn, &self.people()))?;
        Ok((entries, people))
    }
}

fn to_value(value: &impl serde::Serialize) -> Result<Value> {
    serde_json::to_value(value).map_err(|e| Error::Export(e.to_string()))
}
