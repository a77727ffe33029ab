-- Hearth relay, PostgreSQL schema version 1. Applied once, in one
-- transaction, while holding the migration advisory lock. Same shape as
-- the SQLite schema; see there for what each table holds.

CREATE TABLE spaces (
    key        BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    id         TEXT   NOT NULL UNIQUE,
    head       BIGINT NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL
);

CREATE TABLE devices (
    space    BIGINT NOT NULL,
    device   BYTEA  NOT NULL,
    position BIGINT GENERATED ALWAYS AS IDENTITY,
    added_at BIGINT NOT NULL,
    PRIMARY KEY (space, device)
);

CREATE TABLE blobs (
    space    BIGINT  NOT NULL,
    seq      BIGINT  NOT NULL,
    blob_id  TEXT    NOT NULL,
    doc      TEXT    NOT NULL,
    device   BYTEA   NOT NULL,
    snapshot BOOLEAN NOT NULL DEFAULT false,
    digest   BYTEA   NOT NULL,
    data     BYTEA   NOT NULL,
    PRIMARY KEY (space, seq)
);
CREATE UNIQUE INDEX blobs_by_id ON blobs (space, blob_id);
CREATE INDEX blobs_by_doc ON blobs (space, doc, seq);

CREATE TABLE compacted (
    space   BIGINT NOT NULL,
    blob_id TEXT   NOT NULL,
    seq     BIGINT NOT NULL,
    doc     TEXT   NOT NULL,
    digest  BYTEA  NOT NULL,
    PRIMARY KEY (space, blob_id)
);
CREATE INDEX compacted_by_doc ON compacted (space, doc);

CREATE TABLE tombstones (
    space BIGINT NOT NULL,
    doc   TEXT   NOT NULL,
    seq   BIGINT NOT NULL,
    PRIMARY KEY (space, doc)
);
CREATE UNIQUE INDEX tombstones_by_seq ON tombstones (space, seq);

CREATE TABLE pairings (
    nameplate  TEXT    PRIMARY KEY,
    side_a     TEXT    NOT NULL,
    side_b     TEXT,
    expires_at BIGINT  NOT NULL,
    closed     BOOLEAN NOT NULL DEFAULT false,
    last_seq   BIGINT  NOT NULL DEFAULT 0
);

CREATE TABLE pairing_messages (
    nameplate TEXT   NOT NULL,
    seq       BIGINT NOT NULL,
    side      TEXT   NOT NULL,
    body      BYTEA  NOT NULL,
    PRIMARY KEY (nameplate, seq)
);

-- Request nonces, shared by every relay instance so a request replayed to
-- another instance is refused too. (Version 1 made it unlogged; version 2
-- logs it, so a crash or a failover keeps them.)
CREATE TABLE nonces (
    key        BYTEA  PRIMARY KEY,
    expires_at BIGINT NOT NULL
);
CREATE INDEX nonces_by_expiry ON nonces (expires_at);
