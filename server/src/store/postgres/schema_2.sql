-- Hearth relay, PostgreSQL schema version 2: signed deletions, and
-- nonces that survive a crash. Same shape as the SQLite schema_2.sql.

ALTER TABLE tombstones ADD COLUMN deletion TEXT;

ALTER TABLE devices ADD COLUMN member TEXT;

CREATE TABLE erasures (
    id        TEXT   PRIMARY KEY,
    deletion  TEXT   NOT NULL,
    erased_at BIGINT NOT NULL
);

-- An unlogged table is emptied by a crash and absent on a promoted
-- replica, which would reopen the replay window there.
ALTER TABLE nonces SET LOGGED;
