//! Each partner's member document: their display name, their choice about
//! sexual content, and the size of the question bank their app has. Only
//! its member ever writes it, so the two partners' settings never collide.

use rusqlite::{Connection, OptionalExtension, params};

use super::flat::{self, Fields};
use crate::error::Result;
use crate::guidance::consent::SexualContentConsent;
use crate::journal::Actor;

/// The `kind` of member documents.
pub(crate) const KIND: crate::DocumentKind = crate::DocumentKind::Member;

/// The document id of `member`'s document.
pub(crate) fn doc_id(member: &str) -> String {
    format!("member:{member}")
}

/// Publishes this partner's settings (only what changed is written).
pub(crate) fn publish(
    conn: &Connection,
    who: &Actor<'_>,
    name: &str,
    sexual_opt_in: Option<bool>,
    bank_size: u32,
) -> Result<()> {
    let id = doc_id(who.member);
    let existing = flat::load(conn, who, &id)?;
    let mut changes = vec![
        ("member".to_owned(), flat::s(who.member)),
        ("name".to_owned(), flat::s(name)),
        ("bank_size".to_owned(), flat::i(i64::from(bank_size))),
    ];
    if existing
        .as_ref()
        .and_then(|f| flat::int(f, "joined_at"))
        .is_none()
    {
        changes.push(("joined_at".to_owned(), flat::i(who.now)));
    }
    if let Some(opt_in) = sexual_opt_in {
        changes.push(("sexual_opt_in".to_owned(), flat::b(opt_in)));
    }
    let fields = flat::write(conn, who, &id, KIND, &changes)?;
    project(conn, who.member, &fields)
}

/// Rebuilds the member's rows from their document.
pub(crate) fn project(conn: &Connection, me: &str, fields: &Fields) -> Result<()> {
    let Some(member) = flat::text(fields, "member") else {
        return Ok(());
    };
    if let Some(name) = flat::text(fields, "name") {
        conn.prepare_cached(
            "INSERT INTO members (id, display_name, is_me) VALUES (?1, ?2, ?3)
             ON CONFLICT (id) DO UPDATE SET display_name = ?2",
        )?
        .execute(params![member, name, member == me])?;
    }
    conn.prepare_cached(
        "INSERT INTO member_settings (member, sexual_opt_in, bank_size, joined_at)
         VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (member) DO UPDATE SET sexual_opt_in = ?2, bank_size = ?3, joined_at = ?4",
    )?
    .execute(params![
        member,
        flat::flag(fields, "sexual_opt_in").unwrap_or(false),
        flat::int(fields, "bank_size"),
        flat::int(fields, "joined_at"),
    ])?;
    Ok(())
}

/// Both partners' choices about sexual content.
pub(crate) fn consent(conn: &Connection, me: &str) -> Result<SexualContentConsent> {
    let mut stmt = conn.prepare_cached("SELECT member, sexual_opt_in FROM member_settings")?;
    let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, bool>(1)?)))?;
    let mut consent = SexualContentConsent {
        mine: false,
        partner: false,
    };
    for row in rows {
        let (member, opted_in) = row?;
        if member == me {
            consent.mine = opted_in;
        } else {
            consent.partner = consent.partner || opted_in;
        }
    }
    Ok(consent)
}

/// The question bank size both phones have: the smaller of the two, so a
/// partner on an older app version still gets the same question.
pub(crate) fn shared_bank_size(conn: &Connection) -> Result<Option<u32>> {
    let size: Option<i64> = conn
        .query_row(
            "SELECT min(bank_size) FROM member_settings WHERE bank_size IS NOT NULL",
            [],
            |r| r.get(0),
        )
        .optional()?
        .flatten();
    Ok(size.and_then(|s| u32::try_from(s).ok()))
}

/// The earliest time either partner started using Hearth.
pub(crate) fn started_at(conn: &Connection) -> Result<Option<i64>> {
    Ok(conn
        .query_row("SELECT min(joined_at) FROM member_settings", [], |r| {
            r.get(0)
        })
        .optional()?
        .flatten())
}

/// The other partner's display name, once their member document arrived.
pub(crate) fn partner_name(conn: &Connection, me: &str) -> Result<Option<String>> {
    Ok(conn
        .query_row(
            "SELECT display_name FROM members WHERE id != ?1 AND is_me = 0 LIMIT 1",
            [me],
            |r| r.get(0),
        )
        .optional()?)
}

/// The other partner's member id, once their member document arrived.
pub(crate) fn partner_id(conn: &Connection, me: &str) -> Result<Option<String>> {
    Ok(conn
        .query_row(
            "SELECT id FROM members WHERE id != ?1 AND is_me = 0 LIMIT 1",
            [me],
            |r| r.get(0),
        )
        .optional()?)
}
