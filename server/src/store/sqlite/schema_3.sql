-- Hearth relay, SQLite schema version 3: removed devices. Applied once,
-- in one transaction, when PRAGMA user_version is 2 (after versions 1 and
-- 2 on a new database).

-- Devices a device of the same person removed from a space (a lost
-- phone). They leave `devices`; this row makes every later request of
-- theirs answer 403 device_removed instead of not_a_member, and keeps
-- them from being admitted again. `member` is the person they counted as
-- (NULL: a person of their own), `removed_by` the device that removed
-- them. Erasing the space drops the rows.
CREATE TABLE removed_devices (
    space      INTEGER NOT NULL,
    device     BLOB    NOT NULL,
    member     TEXT,
    removed_by BLOB    NOT NULL,
    removed_at INTEGER NOT NULL,
    PRIMARY KEY (space, device)
) WITHOUT ROWID;

PRAGMA user_version = 3;
