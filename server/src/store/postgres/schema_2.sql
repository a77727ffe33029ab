-- Hearth relay, PostgreSQL schema version 2: signed deletions, and
-- nonces that survive a crash. Same shape as the SQLite schema_2.sql.

ALTER TABLE tombstones ADD COLUMN deletion TEXT;

ALTER TABLE devices ADD COLUMN member TEXT;

ALTER TABLE spaces ADD COLUMN bytes BIGINT NOT NULL DEFAULT 0;
ALTER TABLE spaces ADD COLUMN blobs BIGINT NOT NULL DEFAULT 0;
UPDATE spaces SET
    bytes = (SELECT coalesce(sum(octet_length(data)), 0) FROM blobs WHERE blobs.space = spaces.key),
    blobs = (SELECT count(*) FROM blobs WHERE blobs.space = spaces.key);

CREATE TABLE erasures (
    id        TEXT   PRIMARY KEY,
    deletion  TEXT   NOT NULL,
    erased_at BIGINT NOT NULL
);

-- An unlogged table is emptied by a crash and absent on a promoted
-- replica, which would reopen the replay window there.
ALTER TABLE nonces SET LOGGED;
