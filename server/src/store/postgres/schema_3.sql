-- Hearth relay, PostgreSQL schema version 3: removed devices. Same shape
-- as the SQLite schema_3.sql; see there for what the table holds.

CREATE TABLE removed_devices (
    space      BIGINT NOT NULL,
    device     BYTEA  NOT NULL,
    member     TEXT,
    removed_by BYTEA  NOT NULL,
    removed_at BIGINT NOT NULL,
    PRIMARY KEY (space, device)
);
