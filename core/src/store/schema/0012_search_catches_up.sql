-- The search index catches up when someone searches, not at every write:
-- a new or changed entry is marked `unindexed`, and a search first adds
-- the words of every marked row to the index in one go. Each write and
-- each merge then skips the index's pages (a new segment, its structure
-- record, its page index), and one search indexes many entries for about
-- the cost of one. The partial index holds only the marked rows.
ALTER TABLE entries ADD COLUMN unindexed INTEGER NOT NULL DEFAULT 0;
CREATE INDEX entries_unindexed ON entries (unindexed) WHERE unindexed = 1;
