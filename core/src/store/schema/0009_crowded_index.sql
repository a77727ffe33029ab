-- Every sync pass looks for documents with many blobs at the relay (to
-- compact them); without an index that read scans every shared item, a
-- cost that grew with the journal.
CREATE INDEX sync_documents_by_blobs ON sync_documents (blobs);
