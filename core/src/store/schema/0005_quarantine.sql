-- Pulled blobs this version could not apply: a payload layout from a newer
-- app, a document Automerge refused, a merge that failed or panicked. They
-- are kept opened (the space key may change later), tried again on every
-- sync pass, and their documents are never compacted here while they wait.
-- Deleting a document deletes its rows here too.
CREATE TABLE quarantine (
    blob_id    TEXT PRIMARY KEY,
    relay_doc  TEXT NOT NULL,
    -- The local id, once the payload could be read.
    doc_id     TEXT,
    -- The opened payload: layout version, local id, Automerge bytes.
    payload    BLOB NOT NULL,
    -- Why it was kept, in words that hold no content.
    reason     TEXT NOT NULL,
    -- The app version that last tried it.
    tried_by   TEXT NOT NULL,
    attempts   INTEGER NOT NULL,
    first_seen INTEGER NOT NULL
) STRICT;

CREATE INDEX quarantine_relay_doc ON quarantine (relay_doc);
CREATE INDEX quarantine_doc ON quarantine (doc_id);
