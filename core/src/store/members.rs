//! The `members` table: the two people of the couple as this device knows
//! them (id, display name, which one is this person). One place reads and
//! writes it; the member documents that carry a partner's name across
//! devices are `guidance::member`.

use rusqlite::{Connection, OptionalExtension, params};

use crate::error::Result;

/// This person's id and name, once set up.
pub(crate) fn me(conn: &Connection) -> Result<Option<(String, String)>> {
    Ok(conn
        .prepare_cached("SELECT id, display_name FROM members WHERE is_me = 1")?
        .query_row([], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?)
}

/// Adds this person, on first open.
pub(crate) fn add_me(conn: &Connection, id: &str, name: &str) -> Result<()> {
    conn.prepare_cached("INSERT INTO members (id, display_name, is_me) VALUES (?1, ?2, 1)")?
        .execute(params![id, name])?;
    Ok(())
}

/// The partner's id, once paired.
pub(crate) fn partner(conn: &Connection) -> Result<Option<String>> {
    Ok(conn
        .prepare_cached("SELECT id FROM members WHERE is_me = 0 LIMIT 1")?
        .query_row([], |r| r.get(0))
        .optional()?)
}

/// Adds the partner (pairing), or updates their name.
pub(crate) fn put_partner(conn: &Connection, id: &str, name: &str) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO members (id, display_name, is_me) VALUES (?1, ?2, 0)
         ON CONFLICT (id) DO UPDATE SET display_name = ?2",
    )?
    .execute(params![id, name])?;
    Ok(())
}

/// A member's name, if this device knows them.
pub(crate) fn name(conn: &Connection, id: &str) -> Result<Option<String>> {
    Ok(conn
        .prepare_cached("SELECT display_name FROM members WHERE id = ?1")?
        .query_row([id], |r| r.get(0))
        .optional()?)
}

/// Renames a member.
pub(crate) fn rename(conn: &Connection, id: &str, name: &str) -> Result<()> {
    conn.prepare_cached("UPDATE members SET display_name = ?2 WHERE id = ?1")?
        .execute(params![id, name])?;
    Ok(())
}
