-- Hearth relay, SQLite schema version 4: a space's incarnation. Applied
-- once, in one transaction, when PRAGMA user_version is 3 (after versions
-- 1 to 3 on a new database).

-- The creation time told phones whether a space was created anew (a relay
-- that lost it got it back from a phone), but two creations in one second
-- looked the same. New spaces get a random number instead; a space that
-- exists keeps its creation time as its number, so its phones see no
-- change.
ALTER TABLE spaces RENAME COLUMN created_at TO incarnation;

PRAGMA user_version = 4;
