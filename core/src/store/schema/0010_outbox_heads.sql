-- The heads of a document queued for push (32-byte change hashes,
-- concatenated), written when it was queued, so its first push sends the
-- bytes as stored without loading and saving it again. NULL when not known
-- (rows queued before this version, an import): that push loads it, as
-- before. The row, and the heads with it, go once the push is done.
ALTER TABLE outbox ADD COLUMN heads BLOB;
