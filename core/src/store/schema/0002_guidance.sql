-- The guidance layer: projections of its shared documents (each rebuilt
-- whenever its document changes) and records that never leave this phone.

-- Per-partner settings from each partner's own member document.
CREATE TABLE member_settings (
    member        TEXT PRIMARY KEY,
    sexual_opt_in INTEGER NOT NULL DEFAULT 0,
    bank_size     INTEGER,
    joined_at     INTEGER
) STRICT, WITHOUT ROWID;

-- Answers to the daily question, one per partner per day.
CREATE TABLE answers (
    day         TEXT NOT NULL,
    member      TEXT NOT NULL,
    question_id TEXT NOT NULL,
    text        TEXT NOT NULL,
    answered_at INTEGER NOT NULL,
    PRIMARY KEY (day, member)
) STRICT, WITHOUT ROWID;

-- Program enrolments: who joined and left, and the days each partner did.
CREATE TABLE program_members (
    program_id TEXT NOT NULL,
    member     TEXT NOT NULL,
    joined_on  TEXT NOT NULL,
    left_on    TEXT,
    PRIMARY KEY (program_id, member)
) STRICT, WITHOUT ROWID;
CREATE TABLE program_days (
    program_id TEXT NOT NULL,
    member     TEXT NOT NULL,
    day        INTEGER NOT NULL,
    done_on    TEXT NOT NULL,
    PRIMARY KEY (program_id, member, day)
) STRICT, WITHOUT ROWID;

-- Monthly check-ins the couple held.
CREATE TABLE checkins (
    day         TEXT PRIMARY KEY,
    recorded_by TEXT NOT NULL
) STRICT, WITHOUT ROWID;

-- Goals from the couple's brainstorm.
CREATE TABLE goals (
    id         TEXT PRIMARY KEY,
    author     TEXT NOT NULL,
    text       TEXT NOT NULL,
    status     TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
) STRICT;

-- The date jar.
CREATE TABLE date_ideas (
    id         TEXT PRIMARY KEY,
    author     TEXT NOT NULL,
    text       TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    done_on    TEXT
) STRICT;

-- Appreciation notes.
CREATE TABLE appreciations (
    id         TEXT PRIMARY KEY,
    author     TEXT NOT NULL,
    text       TEXT NOT NULL,
    created_at INTEGER NOT NULL
) STRICT;

-- Assessment results a partner chose to share (JSON).
CREATE TABLE shared_assessments (
    doc_id    TEXT PRIMARY KEY,
    kind      TEXT NOT NULL,
    member    TEXT NOT NULL,
    result    TEXT NOT NULL,
    shared_at INTEGER NOT NULL
) STRICT;
CREATE INDEX shared_assessments_by_kind ON shared_assessments (kind, member, shared_at);

-- Turn-based skill drills across both phones.
CREATE TABLE drills (
    id          TEXT PRIMARY KEY,
    exercise_id TEXT NOT NULL,
    rounds      INTEGER NOT NULL,
    seat_a      TEXT NOT NULL,
    started_at  INTEGER NOT NULL,
    moves       TEXT NOT NULL -- JSON list of logged moves, in document order
) STRICT;

-- Device-local, never synced: this person's own assessment results (private
-- until shared), their exercise log, and their safety check.
CREATE TABLE assessment_results (
    kind     TEXT PRIMARY KEY,
    result   TEXT NOT NULL,
    taken_at INTEGER NOT NULL
) STRICT;
CREATE TABLE exercise_log (
    exercise_id TEXT NOT NULL,
    day         TEXT NOT NULL,
    outcome     TEXT NOT NULL CHECK (outcome IN ('done', 'skipped')),
    PRIMARY KEY (exercise_id, day, outcome)
) STRICT, WITHOUT ROWID;
CREATE TABLE safety_check (
    id       INTEGER PRIMARY KEY CHECK (id = 1),
    answers  TEXT NOT NULL,
    outcome  TEXT NOT NULL,
    taken_at INTEGER NOT NULL
) STRICT;
