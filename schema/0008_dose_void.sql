-- A dose record entered in error (`dose correct --status entered-in-error`): the record stays,
-- and this row says it counts for nothing, who said so, when and why. A separate table so the
-- administration rows, and the audit hashes that vouch for them, stay as they are.
CREATE TABLE administration_void (
    id                INTEGER PRIMARY KEY,
    administration_id INTEGER NOT NULL UNIQUE REFERENCES administration (id),
    reason            TEXT NOT NULL CHECK (length(trim(reason)) BETWEEN 1 AND 500),
    author_id         INTEGER NOT NULL REFERENCES account (id),
    recorded_at       INTEGER NOT NULL,
    uuid              TEXT NOT NULL UNIQUE CHECK (length(uuid) = 36),
    device            TEXT NOT NULL CHECK (length(device) = 36),
    counter           INTEGER NOT NULL CHECK (counter >= 1)
) STRICT;
CREATE TRIGGER administration_void_no_update BEFORE UPDATE ON administration_void
BEGIN SELECT RAISE(ABORT, 'clinical rows are never changed'); END;
CREATE TRIGGER administration_void_no_delete BEFORE DELETE ON administration_void
BEGIN SELECT RAISE(ABORT, 'clinical rows are never deleted'); END;
