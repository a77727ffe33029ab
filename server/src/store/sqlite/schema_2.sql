-- Hearth relay, SQLite schema version 2: signed deletions. Applied once,
-- in one transaction, when PRAGMA user_version is 1 (after version 1 on a
-- new database).

-- The signed statement (JSON of hearth_protocol::Deletion) each forget
-- carried; tombstones written by version 1 have none, and phones then
-- refuse them as unproven.
ALTER TABLE tombstones ADD COLUMN deletion TEXT;

-- The person (an opaque member tag) each device belongs to: a space
-- holds the devices of two people at most. NULL counts as a person of its
-- own (devices added by version 1).
ALTER TABLE devices ADD COLUMN member TEXT;

-- What each space holds, for its quota: ciphertext bytes and blobs.
ALTER TABLE spaces ADD COLUMN bytes INTEGER NOT NULL DEFAULT 0;
ALTER TABLE spaces ADD COLUMN blobs INTEGER NOT NULL DEFAULT 0;
UPDATE spaces SET
    bytes = (SELECT coalesce(sum(length(data)), 0) FROM blobs WHERE blobs.space = spaces.key),
    blobs = (SELECT count(*) FROM blobs WHERE blobs.space = spaces.key);

-- Spaces erased by a member device: the signed statement, handed out with
-- every later 404 unknown_space and the live stream's `erased` event, so
-- the other phone can tell an erasure from a relay that lost the space.
-- Creating the id anew drops the row.
CREATE TABLE erasures (
    id        TEXT    PRIMARY KEY,
    deletion  TEXT    NOT NULL,
    erased_at INTEGER NOT NULL
) WITHOUT ROWID;

PRAGMA user_version = 2;
