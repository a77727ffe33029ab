-- Sync bookkeeping per shared document, rebuilt keyed by the document id
-- (WITHOUT ROWID): one b-tree fewer to write at every push and merge. The
-- index of crowded documents now holds only those with 24 blobs or more at
-- the relay (the threshold `sync::state::crowded` asks for), so the blob
-- count that every push and merge moves touches no index until a document
-- is crowded. Nothing here is content: ids, heads and counts.
CREATE TABLE sync_documents_keyed (
    doc_id      TEXT PRIMARY KEY,
    relay_id    TEXT NOT NULL UNIQUE,
    pushed      BLOB,
    blobs       INTEGER NOT NULL DEFAULT 0
) STRICT, WITHOUT ROWID;
INSERT INTO sync_documents_keyed (doc_id, relay_id, pushed, blobs)
    SELECT doc_id, relay_id, pushed, blobs FROM sync_documents;
DROP TABLE sync_documents;
ALTER TABLE sync_documents_keyed RENAME TO sync_documents;
CREATE INDEX sync_documents_crowded ON sync_documents (blobs) WHERE blobs >= 24;
