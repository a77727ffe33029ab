-- Hearth relay, PostgreSQL schema version 4: a space's incarnation.
-- The creation time told phones whether a space was created anew (a relay
-- that lost it got it back from a phone), but two creations in one second
-- looked the same. New spaces get a random number instead; a space that
-- exists keeps its creation time as its number, so its phones see no
-- change.
ALTER TABLE spaces RENAME COLUMN created_at TO incarnation;
