//! Reading typed fields out of shared Automerge documents.
//!
//! Documents arrive from the partner's phone, possibly from another app
//! version, so every read is fallible: a missing or mistyped field is `None`
//! and the caller decides whether that makes the document invalid.

use automerge::{ObjId, ObjType, ReadDoc, ScalarValue, Value};

/// The root key every shared document carries to say what it holds.
pub(crate) const KIND_KEY: &str = "kind";

/// A string scalar at `obj[key]`.
pub(crate) fn get_str(doc: &impl ReadDoc, obj: &ObjId, key: &str) -> Option<String> {
    match doc.get(obj, key).ok()?? {
        (Value::Scalar(s), _) => match s.as_ref() {
            ScalarValue::Str(s) => Some(s.to_string()),
            _ => None,
        },
        _ => None,
    }
}

/// An integer or timestamp scalar at `obj[key]`.
pub(crate) fn get_i64(doc: &impl ReadDoc, obj: &ObjId, key: &str) -> Option<i64> {
    match doc.get(obj, key).ok()?? {
        (Value::Scalar(s), _) => match s.as_ref() {
            ScalarValue::Int(n) | ScalarValue::Timestamp(n) => Some(*n),
            ScalarValue::Uint(n) => i64::try_from(*n).ok(),
            _ => None,
        },
        _ => None,
    }
}

/// The object of type `ty` at `obj[key]`.
pub(crate) fn get_obj(doc: &impl ReadDoc, obj: &ObjId, key: &str, ty: ObjType) -> Option<ObjId> {
    match doc.get(obj, key).ok()?? {
        (Value::Object(found), id) if found == ty => Some(id),
        _ => None,
    }
}

/// The text object at `obj[key]`, as a string.
pub(crate) fn get_text(doc: &impl ReadDoc, obj: &ObjId, key: &str) -> Option<String> {
    let text = get_obj(doc, obj, key, ObjType::Text)?;
    doc.text(&text).ok()
}

/// The keys of the map `obj`, in order.
pub(crate) fn keys(doc: &impl ReadDoc, obj: &ObjId) -> Vec<String> {
    doc.keys(obj).collect()
}
