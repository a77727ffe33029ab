-- An edit of a shared entry is a new document; the old one is forgotten.
-- Which forgotten document this phone replaced by an edit, and which this
-- person deleted, decide a race between the partners: an edit that loses
-- to the partner's deletion or edit is dropped, and an entry that replaces
-- one deleted here is deleted too, so a deletion is never undone by an
-- edit made on the other phone meanwhile.
ALTER TABLE forgotten_documents ADD COLUMN replaced_by TEXT;
ALTER TABLE forgotten_documents ADD COLUMN deleted_here INTEGER NOT NULL DEFAULT 0;
