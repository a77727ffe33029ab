-- Sync with the couple's relay. None of this is content: ids, cursors,
-- heads, public keys and counters.

-- Settings and progress: relay address, cursor, last success, last error.
CREATE TABLE sync_state (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) STRICT;

-- Per shared document: the heads last pushed (so the next push sends only
-- what is new), its id at the relay, and how many blobs it has there since
-- its last snapshot (to know when to compact).
CREATE TABLE sync_documents (
    doc_id      TEXT PRIMARY KEY,
    relay_id    TEXT NOT NULL UNIQUE,
    pushed      BLOB,
    blobs       INTEGER NOT NULL DEFAULT 0
) STRICT;

-- The devices of this couple's space, learned at pairing and never from the
-- relay: a blob is accepted only if one of these signed it.
CREATE TABLE space_devices (
    device_id   TEXT PRIMARY KEY,
    member      TEXT NOT NULL,
    public_keys BLOB NOT NULL,
    added_at    INTEGER NOT NULL
) STRICT;
