-- The heads of each stored document (32-byte change hashes, concatenated),
-- written with it, so the first push of a document sends its stored bytes
-- without loading and saving it again. NULL for rows written before this
-- version: those are loaded, as before.
ALTER TABLE documents ADD COLUMN heads BLOB;
