-- Hearth's local database, version 1.
-- Everything here stays on this phone; only the Automerge documents (as
-- encrypted blobs) ever leave it, through the sync engine.

-- Who is in this couple's space: this partner and, once paired, the other.
CREATE TABLE members (
    id           TEXT PRIMARY KEY,
    display_name TEXT NOT NULL,
    is_me        INTEGER NOT NULL CHECK (is_me IN (0, 1))
) STRICT;
CREATE UNIQUE INDEX one_me ON members (is_me) WHERE is_me = 1;

-- This device: its Automerge actor id and other device-local settings.
CREATE TABLE device (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) STRICT;

-- One row per shared Automerge document: a compacted snapshot plus the
-- changes made since, so a small edit appends a few bytes instead of
-- rewriting the whole document.
CREATE TABLE documents (
    id           TEXT PRIMARY KEY,
    kind         TEXT NOT NULL,
    snapshot     BLOB NOT NULL,
    changes      BLOB NOT NULL DEFAULT x'',
    change_count INTEGER NOT NULL DEFAULT 0,
    updated_at   INTEGER NOT NULL
) STRICT;

-- Documents deleted here or by the partner. Only the id is kept, so a late
-- change from an offline phone can never bring the words back.
CREATE TABLE forgotten_documents (
    id           TEXT PRIMARY KEY,
    kind         TEXT NOT NULL,
    forgotten_at INTEGER NOT NULL
) STRICT;

-- Documents with local changes the relay has not seen yet, and documents to
-- forget at the relay. Every new change bumps `version`, so a push that read
-- version 3 leaves the row queued when a change made meanwhile made it 4.
CREATE TABLE outbox (
    doc_id    TEXT PRIMARY KEY,
    action    TEXT NOT NULL CHECK (action IN ('push', 'forget')),
    queued_at INTEGER NOT NULL,
    version   INTEGER NOT NULL DEFAULT 1
) STRICT, WITHOUT ROWID;

-- Journal entries. For a shared entry this row is a projection of its
-- document, rebuilt whenever the document changes. A private entry has no
-- document: this row is the entry itself and it never syncs.
-- The rowid is the date in seconds (or the next free second), so walking the
-- primary key backwards lists entries newest first with no extra index.
-- The text is deflated (it is also in the document).
CREATE TABLE entries (
    rowid       INTEGER PRIMARY KEY,
    id          TEXT NOT NULL UNIQUE,
    visibility  TEXT NOT NULL CHECK (visibility IN ('shared', 'private')),
    author      TEXT NOT NULL,
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL,
    edited_by   TEXT,
    title       TEXT,
    body        BLOB NOT NULL,
    emotions    INTEGER NOT NULL DEFAULT 0, -- bit set, see journal::emotion
    link_kind   TEXT,
    link_id     TEXT
) STRICT;

CREATE TABLE reactions (
    entry_id TEXT NOT NULL REFERENCES entries (id) ON DELETE CASCADE,
    member   TEXT NOT NULL,
    reaction TEXT NOT NULL,
    PRIMARY KEY (entry_id, member)
) STRICT, WITHOUT ROWID;

CREATE TABLE comments (
    id         TEXT PRIMARY KEY,
    entry_id   TEXT NOT NULL REFERENCES entries (id) ON DELETE CASCADE,
    author     TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    body       TEXT NOT NULL
) STRICT;
CREATE INDEX comments_by_entry ON comments (entry_id, created_at);

-- Full-text search over entries. Contentless: the index holds tokens and
-- rowids only, no copy of the text; with detail=none no positions and with
-- columnsize=0 no token counts (searches match words and prefixes, never
-- phrases; results come newest first, so no ranking data is needed). The journal code adds and removes
-- an entry's tokens itself. 'secure-delete' makes a removal take the
-- tokens out of the index instead of adding a delete marker beside them,
-- so deleted words do not linger.
CREATE VIRTUAL TABLE entries_fts USING fts5 (
    title, body,
    content = '',
    tokenize = 'unicode61 remove_diacritics 2',
    detail = none,
    columnsize = 0
);
INSERT INTO entries_fts (entries_fts, rank) VALUES ('secure-delete', 1);
