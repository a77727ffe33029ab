-- Hearth relay, SQLite schema version 1. Applied once, in one transaction,
-- when PRAGMA user_version is 0.

-- A couple's space. `key` is the compact internal id every other table
-- uses; `head` is the last sequence number given out.
CREATE TABLE spaces (
    key        INTEGER PRIMARY KEY,
    id         TEXT    NOT NULL UNIQUE,
    head       INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL
);

-- Devices admitted to a space, in the order they were added (rowid).
CREATE TABLE devices (
    space    INTEGER NOT NULL,
    device   BLOB    NOT NULL,
    added_at INTEGER NOT NULL,
    UNIQUE (space, device)
);

-- The log. `digest` (SHA-256 of document id and ciphertext) tells a
-- retried push from a reused blob id.
CREATE TABLE blobs (
    space    INTEGER NOT NULL,
    seq      INTEGER NOT NULL,
    blob_id  TEXT    NOT NULL,
    doc      TEXT    NOT NULL,
    device   BLOB    NOT NULL,
    snapshot INTEGER NOT NULL DEFAULT 0,
    digest   BLOB    NOT NULL,
    data     BLOB    NOT NULL
);
CREATE UNIQUE INDEX blobs_by_seq ON blobs (space, seq);
CREATE UNIQUE INDEX blobs_by_id ON blobs (space, blob_id);
CREATE INDEX blobs_by_doc ON blobs (space, doc, seq);

-- Blobs replaced by a compaction snapshot: only what a retried push of
-- their id needs to get its first seq back.
CREATE TABLE compacted (
    space   INTEGER NOT NULL,
    blob_id TEXT    NOT NULL,
    seq     INTEGER NOT NULL,
    doc     TEXT    NOT NULL,
    digest  BLOB    NOT NULL,
    PRIMARY KEY (space, blob_id)
) WITHOUT ROWID;
CREATE INDEX compacted_by_doc ON compacted (space, doc);

-- Forgotten documents. They keep their place in the log forever so an
-- offline phone learns of them and cannot bring them back.
CREATE TABLE tombstones (
    space INTEGER NOT NULL,
    doc   TEXT    NOT NULL,
    seq   INTEGER NOT NULL,
    PRIMARY KEY (space, doc)
) WITHOUT ROWID;
CREATE UNIQUE INDEX tombstones_by_seq ON tombstones (space, seq);

-- Pairing mailboxes. A row outlives its mailbox by a grace period so late
-- callers hear "expired" or "closed" rather than "unknown".
CREATE TABLE pairings (
    nameplate  TEXT    PRIMARY KEY,
    side_a     TEXT    NOT NULL,
    side_b     TEXT,
    expires_at INTEGER NOT NULL,
    closed     INTEGER NOT NULL DEFAULT 0,
    last_seq   INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;

CREATE TABLE pairing_messages (
    nameplate TEXT    NOT NULL,
    seq       INTEGER NOT NULL,
    side      TEXT    NOT NULL,
    body      BLOB    NOT NULL,
    PRIMARY KEY (nameplate, seq)
) WITHOUT ROWID;

PRAGMA user_version = 1;
