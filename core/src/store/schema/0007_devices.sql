-- Removing a device (a lost phone). The key epochs a removal makes live
-- in the key store (sync/epochs.rs), never here.

-- A removed device keeps its row, so what it wrote before still verifies;
-- it is no longer listed, admitted again after a relay lost the space, or
-- believed when it signs a deletion. NULL while it is in the space.
ALTER TABLE space_devices ADD COLUMN removed_at INTEGER;
