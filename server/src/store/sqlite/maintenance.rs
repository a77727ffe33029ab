//! Upkeep: dropping expired pairing mailboxes, and checkpointing the WAL
//! so deleted ciphertext leaves the relay's files.

use rusqlite::{Connection, params};

use super::super::{StoreError, to_i64};

/// Copies the WAL into the file and truncates it, so forgotten ciphertext
/// does not linger in old WAL frames.
pub(super) fn checkpoint(connection: &Connection) -> Result<(), StoreError> {
    connection.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
    Ok(())
}

pub(super) fn purge(connection: &Connection, now: u64, grace_secs: u64) -> Result<(), StoreError> {
    let now = to_i64(now)?;
    connection
        .prepare_cached(
            "DELETE FROM pairing_messages WHERE nameplate IN
                (SELECT nameplate FROM pairings WHERE expires_at <= ?1)",
        )?
        .execute([now])?;
    connection
        .prepare_cached("DELETE FROM pairings WHERE expires_at + ?2 <= ?1")?
        .execute(params![now, to_i64(grace_secs)?])?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use hearth_protocol::{BlobId, Deletion, DeviceId, DocumentId, NewBlob, SpaceId};

    use super::super::super::{Quota, Store};
    use super::super::SqliteStore;

    /// What the relay forgets is gone from its files after the next
    /// upkeep: freed pages are zeroed and the WAL is truncated.
    #[tokio::test]
    async fn forgotten_ciphertext_leaves_the_relay_files() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("relay.db");
        let store = SqliteStore::open(&path).unwrap();
        let key = ed25519_dalek::SigningKey::from_bytes(&[1; 32]);
        let device = DeviceId::from_key(&key.verifying_key());
        let space = SpaceId::parse("s").unwrap();
        let doc = DocumentId::parse("d").unwrap();
        store
            .create_space(space.clone(), device, None, 0)
            .await
            .unwrap();
        let marker = b"zanzibar-marigold-ciphertext".repeat(40);
        let blob = NewBlob {
            id: BlobId::parse("b").unwrap(),
            doc: doc.clone(),
            data: marker.clone(),
        };
        let quota = Quota {
            bytes: 1 << 20,
            blobs: 10,
        };
        store
            .push(space.clone(), device, vec![blob], quota)
            .await
            .unwrap();
        let deletion = Deletion::forget(&key, &space, &doc, 0);
        store.forget(space, device, doc, deletion).await.unwrap();
        store.purge(0, 0).await.unwrap();
        let mut bytes = std::fs::read(&path).unwrap();
        bytes.extend(std::fs::read(dir.path().join("relay.db-wal")).unwrap_or_default());
        assert!(
            !bytes.windows(marker.len()).any(|w| w == marker.as_slice()),
            "forgotten ciphertext is still in the relay's files"
        );
        store.close().await.unwrap();
    }
}
