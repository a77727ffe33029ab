//! The journal's part of an export: its entries as the JSON export's
//! `entries` section (the whole file is put together in `hearth/export`)
//! and the whole journal as Markdown, for people. Both include private
//! entries, marked as such: an export is this person's own copy, made on
//! their own phone. Dates are in UTC.

use rusqlite::Connection;
use serde::Serialize;
use time::OffsetDateTime;

use super::entry::{self, COLUMNS, Entry, People, Visibility};
use crate::error::{Error, Result};

/// The `format` field of a JSON export.
pub const JSON_FORMAT: &str = "hearth-journal";
/// The `version` field of a JSON export. Version 2 added every other kind
/// of item and the `restore` section; version 1 held the journal alone.
pub const JSON_VERSION: u32 = 2;

#[derive(Serialize)]
struct ExportedEntry<'a> {
    created_at: String,
    updated_at: String,
    #[serde(flatten)]
    entry: &'a Entry,
}

/// Every entry, oldest first.
pub(crate) fn all_entries(conn: &Connection, people: &People<'_>) -> Result<Vec<Entry>> {
    let mut stmt = conn.prepare(&format!(
        "SELECT {COLUMNS} FROM entries e ORDER BY e.created_at, e.id"
    ))?;
    let rows: Vec<entry::EntryRow> = stmt
        .query_map([], entry::from_row)?
        .collect::<rusqlite::Result<_>>()?;
    rows.into_iter()
        .map(|row| entry::hydrate(conn, people, row))
        .collect()
}

/// The entries section of the JSON export: each entry with its reactions,
/// comments and `visibility` (`private` for entries only on this phone),
/// and its dates also written out in UTC.
pub(crate) fn entries_json(entries: &[Entry]) -> Result<serde_json::Value> {
    let exported: Vec<ExportedEntry<'_>> = entries
        .iter()
        .map(|entry| ExportedEntry {
            created_at: datetime(entry.created_at_ms),
            updated_at: datetime(entry.updated_at_ms),
            entry,
        })
        .collect();
    serde_json::to_value(exported).map_err(|e| Error::Export(e.to_string()))
}

/// The journal as a Markdown document.
pub(crate) fn to_markdown(entries: &[Entry], now_ms: i64) -> String {
    let mut out = String::new();
    out.push_str("# Our journal\n\n");
    let private = entries
        .iter()
        .filter(|e| e.visibility == Visibility::Private)
        .count();
    out.push_str(&format!(
        "Exported from Hearth on {}. {} entries; dates in UTC.\n",
        date(now_ms),
        entries.len()
    ));
    if private > 0 {
        out.push_str(&format!(
            "{private} of them are private: they never left this device, and your partner has not seen them. Each is marked \"private\".\n"
        ));
    }
    for entry in entries {
        out.push_str("\n---\n\n");
        match &entry.title {
            Some(title) => {
                out.push_str(&format!("## {} · {}\n\n", date(entry.created_at_ms), title))
            }
            None => out.push_str(&format!("## {}\n\n", date(entry.created_at_ms))),
        }
        let mut about = vec![entry.author.name.clone()];
        if entry.visibility == Visibility::Private {
            about.push("private".into());
        }
        if !entry.emotions.is_empty() {
            let names: Vec<&str> = entry.emotions.iter().map(|e| e.name()).collect();
            about.push(names.join(", "));
        }
        out.push_str(&format!("*{}*\n\n", about.join(" · ")));
        out.push_str(entry.body.trim_end());
        out.push('\n');
        if !entry.reactions.is_empty() || !entry.comments.is_empty() {
            out.push('\n');
        }
        for r in &entry.reactions {
            out.push_str(&format!("> {} reacted: {}\n", r.by.name, r.reaction.name()));
        }
        for c in &entry.comments {
            out.push_str(&format!(
                "> **{}**, {}: {}\n",
                c.author.name,
                date(c.created_at_ms),
                c.body.trim_end().replace('\n', "\n> ")
            ));
        }
    }
    out
}

fn utc(ms: i64) -> OffsetDateTime {
    OffsetDateTime::from_unix_timestamp(ms.div_euclid(1000)).unwrap_or(OffsetDateTime::UNIX_EPOCH)
}

/// `2026-11-26`
pub(crate) fn date(ms: i64) -> String {
    let d = utc(ms).date();
    format!("{:04}-{:02}-{:02}", d.year(), u8::from(d.month()), d.day())
}

/// `2026-11-26T08:30:00Z`
pub(crate) fn datetime(ms: i64) -> String {
    let t = utc(ms);
    format!(
        "{}T{:02}:{:02}:{:02}Z",
        date(ms),
        t.hour(),
        t.minute(),
        t.second()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_utc_and_zero_padded() {
        assert_eq!(datetime(0), "1970-01-01T00:00:00Z");
        assert_eq!(datetime(1_795_683_600_000), "2026-11-26T09:00:00Z");
        assert_eq!(date(1_795_683_600_000), "2026-11-26");
    }
}
