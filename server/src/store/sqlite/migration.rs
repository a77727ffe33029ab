//! The relay's tables: the schema files, applied in order, and moving a
//! database written by an older relay to the current version.

use rusqlite::Connection;

use super::super::StoreError;

const SCHEMA: &str = include_str!("schema.sql");
const SCHEMA_2: &str = include_str!("schema_2.sql");
const SCHEMA_3: &str = include_str!("schema_3.sql");
const SCHEMA_4: &str = include_str!("schema_4.sql");
const SCHEMA_VERSION: i64 = 4;

pub(super) fn migrate(connection: &Connection) -> Result<(), StoreError> {
    let version: i64 = connection.query_row("PRAGMA user_version", [], |row| row.get(0))?;
    match version {
        0 => {
            connection.execute_batch(&format!(
                "BEGIN; {SCHEMA} {SCHEMA_2} {SCHEMA_3} {SCHEMA_4} COMMIT;"
            ))?;
            Ok(())
        }
        1 => {
            connection
                .execute_batch(&format!("BEGIN; {SCHEMA_2} {SCHEMA_3} {SCHEMA_4} COMMIT;"))?;
            Ok(())
        }
        2 => {
            connection.execute_batch(&format!("BEGIN; {SCHEMA_3} {SCHEMA_4} COMMIT;"))?;
            Ok(())
        }
        3 => {
            connection.execute_batch(&format!("BEGIN; {SCHEMA_4} COMMIT;"))?;
            Ok(())
        }
        SCHEMA_VERSION => Ok(()),
        _ => Err(StoreError::Backend(format!(
            "the database has schema version {version}, newer than this relay's {SCHEMA_VERSION}; run a newer relay"
        ))),
    }
}

#[cfg(test)]
mod tests {
    use hearth_protocol::SpaceId;

    use super::super::open_connection;
    use super::super::spaces::erasure;
    use super::*;

    /// A version 1 database gains signed deletions: tombstones it already
    /// holds stay (unsigned, which phones refuse to act on). A space's
    /// creation time becomes its incarnation unchanged, so its phones do
    /// not start over.
    #[test]
    fn a_version_1_database_moves_to_the_current_version() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("relay.db");
        let old = Connection::open(&path).unwrap();
        old.execute_batch(&format!("BEGIN; {SCHEMA} COMMIT;"))
            .unwrap();
        old.execute_batch(
            "INSERT INTO spaces (id, head, created_at) VALUES ('t', 1, 1800000000);
             INSERT INTO tombstones (space, doc, seq) VALUES (1, 'd', 1);",
        )
        .unwrap();
        drop(old);
        let connection = open_connection(&path).unwrap();
        migrate(&connection).unwrap();
        let version: i64 = connection
            .query_row("PRAGMA user_version", [], |row| row.get(0))
            .unwrap();
        assert_eq!(version, SCHEMA_VERSION);
        let unsigned: Option<String> = connection
            .query_row("SELECT deletion FROM tombstones", [], |row| row.get(0))
            .unwrap();
        assert!(unsigned.is_none());
        let incarnation: i64 = connection
            .query_row("SELECT incarnation FROM spaces", [], |row| row.get(0))
            .unwrap();
        assert_eq!(incarnation, 1_800_000_000);
        assert_eq!(
            erasure(&connection, &SpaceId::parse("s").unwrap()).unwrap(),
            None
        );
        migrate(&connection).unwrap();
    }
}
