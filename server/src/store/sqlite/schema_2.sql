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
