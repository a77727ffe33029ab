//! Shared documents that are flat maps of scalars.
//!
//! Two phones may create the same document independently (today's answers,
//! a program enrolment): Automerge keeps both histories, and two objects put
//! at one key would hide one of them. So these documents hold only scalars,
//! and each partner writes only keys ending in their member id
//! (`answer.<member>`): concurrent writes never touch the same key, and
//! shared keys (`kind`, `date`) carry the same value from both phones.

use std::collections::BTreeMap;

use automerge::{AutoCommit, ROOT, ReadDoc, ScalarValue, Value, transaction::Transactable};
use rusqlite::Connection;

use crate::document::KIND_KEY;
use crate::error::{Error, Result};
use crate::journal::Actor;
use crate::kind::DocumentKind;
use crate::store::documents;

/// A flat document's fields.
pub(crate) type Fields = BTreeMap<String, ScalarValue>;

/// The key of `field` written by `member`.
pub(crate) fn own(field: &str, member: &str) -> String {
    format!("{field}.{member}")
}

/// Reads every scalar at the root.
pub(crate) fn read(doc: &AutoCommit) -> Fields {
    doc.keys(ROOT)
        .filter_map(|key| match doc.get(ROOT, key.as_str()).ok()?? {
            (Value::Scalar(value), _) => Some((key, value.into_owned())),
            _ => None,
        })
        .collect()
}

/// Reads shared document `id`, if it is here.
pub(crate) fn load(conn: &Connection, who: &Actor<'_>, id: &str) -> Result<Option<Fields>> {
    Ok(documents::load(conn, id, who.device)?.map(|doc| read(&doc)))
}

/// Writes `changes` (a value to set, or `None` to delete) to flat document
/// `id` of `kind` as one change, creating the document if needed, stores it,
/// queues it for sync, and returns its fields. Writing what is already
/// there changes nothing.
pub(crate) fn write(
    conn: &Connection,
    who: &Actor<'_>,
    id: &str,
    kind: DocumentKind,
    changes: &[(String, Option<ScalarValue>)],
) -> Result<Fields> {
    if documents::is_forgotten(conn, id)? {
        return Err(Error::Deleted {
            what: kind.as_str(),
        });
    }
    let existing = documents::load(conn, id, who.device)?;
    let is_new = existing.is_none();
    let mut doc = existing.unwrap_or_else(|| AutoCommit::new().with_actor(who.device.clone()));
    let before = doc.get_heads();
    let fields = read(&doc);
    if is_new {
        doc.put(ROOT, KIND_KEY, kind.as_str())?;
    }
    for (key, value) in changes {
        match (value, fields.get(key)) {
            (Some(new), Some(old)) if new == old => {}
            (Some(new), _) => doc.put(ROOT, key.as_str(), new.clone())?,
            (None, Some(_)) => doc.delete(ROOT, key.as_str())?,
            (None, None) => {}
        }
    }
    doc.commit();
    if doc.get_heads() == before {
        return Ok(fields);
    }
    let fields = read(&doc);
    if is_new {
        documents::put_snapshot(conn, id, kind.as_str(), &mut doc, who.now)?;
    } else {
        documents::append_changes(conn, id, kind.as_str(), &mut doc, &before, who.now)?;
    }
    documents::queue_push(conn, id, Some(&doc.get_heads()), who.now)?;
    Ok(fields)
}

/// A string field.
pub(crate) fn text(fields: &Fields, key: &str) -> Option<String> {
    match fields.get(key)? {
        ScalarValue::Str(s) => Some(s.to_string()),
        _ => None,
    }
}

/// An integer field.
pub(crate) fn int(fields: &Fields, key: &str) -> Option<i64> {
    match fields.get(key)? {
        ScalarValue::Int(n) | ScalarValue::Timestamp(n) => Some(*n),
        ScalarValue::Uint(n) => i64::try_from(*n).ok(),
        _ => None,
    }
}

/// A boolean field.
pub(crate) fn flag(fields: &Fields, key: &str) -> Option<bool> {
    match fields.get(key)? {
        ScalarValue::Boolean(b) => Some(*b),
        _ => None,
    }
}

/// Every `(member, value)` of a per-member field `field.<member>`.
pub(crate) fn per_member<'a>(
    fields: &'a Fields,
    field: &'a str,
) -> impl Iterator<Item = (&'a str, &'a ScalarValue)> + 'a {
    fields.iter().filter_map(move |(key, value)| {
        let member = key.strip_prefix(field)?.strip_prefix('.')?;
        (!member.contains('.')).then_some((member, value))
    })
}

/// A string scalar.
pub(crate) fn s(value: impl Into<String>) -> Option<ScalarValue> {
    Some(ScalarValue::Str(value.into().into()))
}

/// An integer scalar.
pub(crate) fn i(value: i64) -> Option<ScalarValue> {
    Some(ScalarValue::Int(value))
}

/// A boolean scalar.
pub(crate) fn b(value: bool) -> Option<ScalarValue> {
    Some(ScalarValue::Boolean(value))
}
