//! The relay's tables: the schema files, applied in order under an
//! advisory lock, and moving a database written by an older relay to the
//! current version.

use super::super::StoreError;

const SCHEMA: &str = include_str!("schema.sql");
const SCHEMA_2: &str = include_str!("schema_2.sql");
const SCHEMA_3: &str = include_str!("schema_3.sql");
const SCHEMA_4: &str = include_str!("schema_4.sql");
const SCHEMA_VERSION: i32 = 4;
/// Serialises schema set-up across relay processes starting together.
const MIGRATION_LOCK: i64 = 0x6865_6172_7468_0001;

/// Creates the schema and tables if needed; answers the schema in use.
pub(super) async fn prepare(
    client: &tokio_postgres::Client,
    schema: Option<&str>,
) -> Result<String, StoreError> {
    client
        .execute("SELECT pg_advisory_lock($1)", &[&MIGRATION_LOCK])
        .await?;
    let result = migrate(client, schema).await;
    let unlocked = client
        .execute("SELECT pg_advisory_unlock($1)", &[&MIGRATION_LOCK])
        .await;
    let current = result?;
    unlocked?;
    Ok(current)
}

async fn migrate(
    client: &tokio_postgres::Client,
    schema: Option<&str>,
) -> Result<String, StoreError> {
    if let Some(schema) = schema {
        // Checked by check_schema: a safe identifier.
        client
            .batch_execute(&format!("CREATE SCHEMA IF NOT EXISTS {schema}"))
            .await?;
    }
    let current: Option<String> = client
        .query_one("SELECT current_schema()", &[])
        .await?
        .try_get(0)?;
    let current = current.ok_or_else(|| {
        StoreError::Backend(
            "the database has no schema to create tables in; create one or pass a schema".into(),
        )
    })?;
    client
        .batch_execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)")
        .await?;
    let version: Option<i32> = match client
        .query_opt("SELECT max(version) FROM schema_version", &[])
        .await?
    {
        Some(row) => row.try_get(0)?,
        None => None,
    };
    match version {
        None => {
            client
                .batch_execute(&format!(
                    "BEGIN; {SCHEMA}\n{SCHEMA_2}\n{SCHEMA_3}\n{SCHEMA_4}\nINSERT INTO schema_version (version) VALUES ({SCHEMA_VERSION}); COMMIT;"
                ))
                .await?;
        }
        Some(1) => {
            client
                .batch_execute(&format!(
                    "BEGIN; {SCHEMA_2}\n{SCHEMA_3}\n{SCHEMA_4}\nINSERT INTO schema_version (version) VALUES ({SCHEMA_VERSION}); COMMIT;"
                ))
                .await?;
        }
        Some(2) => {
            client
                .batch_execute(&format!(
                    "BEGIN; {SCHEMA_3}\n{SCHEMA_4}\nINSERT INTO schema_version (version) VALUES ({SCHEMA_VERSION}); COMMIT;"
                ))
                .await?;
        }
        Some(SCHEMA_VERSION) => {}
        Some(other) => {
            return Err(StoreError::Backend(format!(
                "the database has schema version {other}, not {SCHEMA_VERSION}; run a matching relay"
            )));
        }
    }
    Ok(current)
}

#[cfg(test)]
mod tests {
    use super::super::PostgresStore;
    use super::*;

    /// A version 1 database (unlogged nonces, no signed deletions, creation
    /// times) moves to the current version on start. Runs when `HEARTH_TEST_POSTGRES_URL` is set.
    #[tokio::test]
    async fn a_version_1_database_moves_to_the_current_version() {
        let Ok(url) = std::env::var("HEARTH_TEST_POSTGRES_URL") else {
            eprintln!("skipped: HEARTH_TEST_POSTGRES_URL is not set");
            return;
        };
        let schema = format!("migrate_{}", getrandom::u64().unwrap() % 1_000_000_000);
        let mut config: tokio_postgres::Config = url.parse().unwrap();
        config.options(format!("-c search_path={schema}"));
        let (client, connection) = config.connect(tokio_postgres::NoTls).await.unwrap();
        tokio::spawn(connection);
        client
            .batch_execute(&format!(
                "CREATE SCHEMA {schema};
                 CREATE TABLE schema_version (version INTEGER NOT NULL);
                 BEGIN; {SCHEMA}
                 INSERT INTO schema_version (version) VALUES (1); COMMIT;
                 ALTER TABLE nonces SET UNLOGGED;
                 INSERT INTO spaces (id, head, created_at) VALUES ('s', 1, 1800000000);
                 INSERT INTO blobs (space, seq, blob_id, doc, device, digest, data)
                     SELECT key, 1, 'b', 'd', '\\x00', '\\x00', '\\x0102' FROM spaces;"
            ))
            .await
            .unwrap();
        let store = PostgresStore::open(&url, Some(&schema), 1, None)
            .await
            .unwrap();
        let version: i32 = client
            .query_one("SELECT max(version) FROM schema_version", &[])
            .await
            .unwrap()
            .get(0);
        assert_eq!(version, SCHEMA_VERSION);
        let persistence: i8 = client
            .query_one(
                "SELECT relpersistence FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                 WHERE c.relname = 'nonces' AND n.nspname = $1",
                &[&schema],
            )
            .await
            .unwrap()
            .get(0);
        assert_eq!(persistence as u8, b'p', "the nonces table is logged");
        let usage: (i64, i64) = client
            .query_one("SELECT bytes, blobs FROM spaces", &[])
            .await
            .map(|row| (row.get(0), row.get(1)))
            .unwrap();
        assert_eq!(usage, (2, 1), "usage is counted for existing spaces");
        let incarnation: i64 = client
            .query_one("SELECT incarnation FROM spaces", &[])
            .await
            .unwrap()
            .get(0);
        assert_eq!(incarnation, 1_800_000_000, "a space keeps its number");
        drop(store);
        client
            .batch_execute(&format!("DROP SCHEMA {schema} CASCADE"))
            .await
            .unwrap();
    }
}
