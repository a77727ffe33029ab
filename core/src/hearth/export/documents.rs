//! The export's `restore` section: what `Hearth::import` needs to bring
//! the shared items back exactly, with their ids, authors and histories:
//! this person's member id and every shared document this phone holds, as
//! Automerge saves (base64). The partner's member document (their name and
//! choices) is theirs and stays out; their phone sends it again after
//! pairing.

use automerge::ActorId;
use base64::Engine as _;
use rusqlite::Connection;
use serde::{Deserialize, Serialize};

use crate::error::Result;
use crate::kind::DocumentKind;
use crate::store::documents;

/// The `restore` section.
#[derive(Debug, Serialize, Deserialize)]
pub(crate) struct Restore {
    /// This person's member id, kept by the restored profile so the
    /// documents' per-partner keys and authorship stay theirs.
    pub member: String,
    /// This person's display name.
    pub name: String,
    /// Every shared document here, each a whole save.
    pub documents: Vec<SavedDocument>,
}

/// One shared document, whole.
#[derive(Debug, Serialize, Deserialize)]
pub(crate) struct SavedDocument {
    /// Its id on the phone.
    pub id: String,
    /// Its kind, as the document names it.
    pub kind: String,
    /// `AutoCommit::save`, base64 (standard alphabet, padded).
    pub data: String,
}

/// The section for this phone: `me` and `name` are this person, `device`
/// this phone's actor (only used to load the documents).
pub(crate) fn restore_section(
    conn: &Connection,
    me: &str,
    name: &str,
    device: &ActorId,
) -> Result<Restore> {
    let my_member_doc = crate::guidance::member::doc_id(me);
    let mut stmt = conn.prepare("SELECT id, kind FROM documents ORDER BY updated_at, id")?;
    let listed: Vec<(String, String)> = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let mut saved = Vec::with_capacity(listed.len());
    for (id, kind) in listed {
        if kind == DocumentKind::Member.as_str() && id != my_member_doc {
            continue;
        }
        let Some(mut doc) = documents::load(conn, &id, device)? else {
            continue;
        };
        saved.push(SavedDocument {
            id,
            kind,
            data: base64::engine::general_purpose::STANDARD.encode(doc.save()),
        });
    }
    Ok(Restore {
        member: me.to_owned(),
        name: name.to_owned(),
        documents: saved,
    })
}
