//! Reading the journal: pages of entries with filters, and full-text search.
//!
//! Entries are paged newest first by rowid, which is the entry's date (see
//! `entry::place_row`), so a page costs the same at entry 20 as at entry
//! 20,000. Entries dated the same second list in (date, id) order on
//! every phone, whatever order they arrived in (an entry merged into such a
//! run moves the later ones up a rowid, so a page boundary inside the run
//! can move by one; the shells reload the list on journal events). Search results come newest
//! first too: people look for "that evening by the river", and the search
//! index walks its matches in that order without ranking them all.

use rusqlite::Connection;
use rusqlite::types::Value;

use super::emotion::Emotion;
use super::entry::{self, COLUMNS, Entry, People, ROWID_SLACK, Visibility};
use super::excerpt;
use crate::error::{Error, Result};

/// The most entries one page holds.
pub const MAX_PAGE: u32 = 200;

/// Whose entries to list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum AuthorFilter {
    /// Entries this partner wrote.
    Me,
    /// Entries the other partner wrote.
    Partner,
}

/// Which entries to list. Every field narrows the list; the default lists
/// everything.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct EntryFilter {
    /// Only entries by this partner or by the other.
    pub author: Option<AuthorFilter>,
    /// Only entries written at or after this time (Unix milliseconds).
    pub since_ms: Option<i64>,
    /// Only entries written before this time (Unix milliseconds).
    pub until_ms: Option<i64>,
    /// Only entries naming this emotion.
    pub emotion: Option<Emotion>,
    /// Only shared, or only private, entries.
    pub visibility: Option<Visibility>,
}

/// One page of entries, newest first.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct EntryPage {
    /// The entries on this page.
    pub entries: Vec<Entry>,
    /// Pass this to get the next page; `None` on the last page.
    pub next: Option<String>,
}

/// An entry found by a search, with the matching words marked.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct SearchHit {
    /// The entry.
    pub entry: Entry,
    /// A short excerpt of the text with matches between `[` and `]`.
    pub excerpt: String,
}

/// Lists entries matching `filter`, `limit` at a time, after `cursor`.
pub(crate) fn list(
    conn: &Connection,
    people: &People<'_>,
    filter: &EntryFilter,
    limit: u32,
    cursor: Option<&str>,
) -> Result<EntryPage> {
    let limit = limit.clamp(1, MAX_PAGE);
    let mut sql = format!("SELECT {COLUMNS} FROM entries e WHERE 1");
    let mut args: Vec<Value> = Vec::new();
    narrow(&mut sql, &mut args, people, filter);
    if let Some(cursor) = cursor {
        sql.push_str(" AND e.rowid < ?");
        args.push(Value::Integer(
            cursor.parse().map_err(|_| Error::InvalidCursor)?,
        ));
    }
    sql.push_str(" ORDER BY e.rowid DESC LIMIT ?");
    args.push(Value::Integer(i64::from(limit) + 1));

    let mut stmt = conn.prepare_cached(&sql)?;
    let mut rows: Vec<(entry::EntryRow, i64)> = stmt
        .query_map(rusqlite::params_from_iter(args), |r| {
            Ok((entry::from_row(r)?, r.get(entry::ROWID_AT)?))
        })?
        .collect::<rusqlite::Result<_>>()?;
    let more = rows.len() > limit as usize;
    rows.truncate(limit as usize);
    let next = if more {
        rows.last().map(|(_, rowid)| rowid.to_string())
    } else {
        None
    };
    let entries = rows
        .into_iter()
        .map(|(row, _)| entry::hydrate(conn, people, row))
        .collect::<Result<_>>()?;
    Ok(EntryPage { entries, next })
}

/// Searches titles and texts; newest matches first, at most `limit`.
pub(crate) fn search(
    conn: &Connection,
    people: &People<'_>,
    text: &str,
    filter: &EntryFilter,
    limit: u32,
) -> Result<Vec<SearchHit>> {
    let query = match_expression(text).ok_or(Error::EmptySearch)?;
    let words = excerpt::query_words(text);
    let limit = limit.clamp(1, MAX_PAGE);
    let mut sql = format!(
        "SELECT {COLUMNS} FROM entries_fts f JOIN entries e ON e.rowid = f.rowid
         WHERE entries_fts MATCH ?"
    );
    let mut args = vec![Value::Text(query)];
    narrow(&mut sql, &mut args, people, filter);
    sql.push_str(" ORDER BY f.rowid DESC LIMIT ?");
    args.push(Value::Integer(i64::from(limit)));

    let mut stmt = conn.prepare_cached(&sql)?;
    let found: Vec<entry::EntryRow> = stmt
        .query_map(rusqlite::params_from_iter(args), entry::from_row)?
        .collect::<rusqlite::Result<_>>()?;
    found
        .into_iter()
        .map(|row| {
            let excerpt = excerpt::excerpt(&row.body, &words);
            Ok(SearchHit {
                entry: entry::hydrate(conn, people, row)?,
                excerpt,
            })
        })
        .collect()
}

/// Adds the filter's conditions to a query over `entries e`.
fn narrow(sql: &mut String, args: &mut Vec<Value>, people: &People<'_>, filter: &EntryFilter) {
    match filter.author {
        Some(AuthorFilter::Me) => {
            sql.push_str(" AND e.author = ?");
            args.push(Value::Text(people.me.to_owned()));
        }
        Some(AuthorFilter::Partner) => {
            sql.push_str(" AND e.author != ?");
            args.push(Value::Text(people.me.to_owned()));
        }
        None => {}
    }
    // The rowid is the date in seconds (a little later if that second was
    // taken), so a rowid range finds the span and the date column makes it
    // exact.
    if let Some(since) = filter.since_ms {
        sql.push_str(" AND e.rowid >= ? AND e.created_at >= ?");
        args.push(Value::Integer(since.div_euclid(1000)));
        args.push(Value::Integer(since));
    }
    if let Some(until) = filter.until_ms {
        sql.push_str(" AND e.rowid < ? AND e.created_at < ?");
        args.push(Value::Integer(
            until.div_euclid(1000).saturating_add(ROWID_SLACK),
        ));
        args.push(Value::Integer(until));
    }
    if let Some(emotion) = filter.emotion {
        sql.push_str(" AND (e.emotions & ?) != 0");
        args.push(Value::Integer(emotion.bit()));
    }
    if let Some(visibility) = filter.visibility {
        sql.push_str(" AND e.visibility = ?");
        args.push(Value::Text(visibility.column().to_owned()));
    }
}

/// Turns what a person typed into an FTS5 query: every word must match, the
/// last one as a prefix (so results come while typing). Quoting each word
/// means no input can be an FTS5 syntax error.
pub(crate) fn match_expression(text: &str) -> Option<String> {
    let words: Vec<&str> = text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    let (last, rest) = words.split_last()?;
    let mut query: Vec<String> = rest.iter().map(|w| format!("\"{w}\"")).collect();
    query.push(format!("\"{last}\"*"));
    Some(query.join(" "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typed_text_becomes_a_safe_match_expression() {
        assert_eq!(
            match_expression("river walk").as_deref(),
            Some("\"river\" \"walk\"*")
        );
        assert_eq!(
            match_expression("he said \"hi AND (NEAR").as_deref(),
            Some("\"he\" \"said\" \"hi\" \"AND\" \"NEAR\"*")
        );
        assert_eq!(match_expression("  ?! "), None);
    }
}
