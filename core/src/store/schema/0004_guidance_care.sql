-- Guidance with care: the pause on closeness suggestions that outlives a
-- cleared safety check, and how each partner rated the month at a check-in.

-- Never leaves this phone. Set when the safety check raises a concern;
-- only an explicit choice of this person removes it (clearing the check
-- does not).
CREATE TABLE closeness_pause (
    id        INTEGER PRIMARY KEY CHECK (id = 1),
    paused_at INTEGER NOT NULL
) STRICT;

-- Projection of the check-in document: each partner's rating of the month
-- (1 hard .. 5 good) at a check-in.
CREATE TABLE checkin_ratings (
    day    TEXT NOT NULL,
    member TEXT NOT NULL,
    rating INTEGER NOT NULL CHECK (rating BETWEEN 1 AND 5),
    PRIMARY KEY (day, member)
) STRICT, WITHOUT ROWID;

-- Projection of the daily answer documents: how often each partner swapped
-- the day's question (both phones add them up to land on the same one).
CREATE TABLE answer_swaps (
    day    TEXT NOT NULL,
    member TEXT NOT NULL,
    swaps  INTEGER NOT NULL,
    PRIMARY KEY (day, member)
) STRICT, WITHOUT ROWID;

-- Projection of the know-each-other game: one row per round (written by
-- the partner who started it) and each partner's entry, the answer of the
-- partner answering about themselves or the other's guess.
CREATE TABLE game_rounds (
    id         TEXT PRIMARY KEY,
    prompt_id  TEXT NOT NULL,
    answerer   TEXT NOT NULL,
    started_at INTEGER NOT NULL
) STRICT, WITHOUT ROWID;
CREATE TABLE game_entries (
    round_id TEXT NOT NULL,
    member   TEXT NOT NULL,
    text     TEXT NOT NULL,
    PRIMARY KEY (round_id, member)
) STRICT, WITHOUT ROWID;
