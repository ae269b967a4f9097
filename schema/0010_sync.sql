-- Solace schema, version 10: the link to an agency server (DESIGN §7).
-- A shipped migration never changes: add a later file instead.
--
-- The outbox is every row this device wrote (device = local_device.uuid) with a counter above
-- last_pushed_counter: a write and its outbox entry commit together because they are one row.
-- No row here means no server: the laptop works alone, as before.
CREATE TABLE sync_state (
    one                 INTEGER PRIMARY KEY CHECK (one = 1),
    server              TEXT NOT NULL CHECK (length(server) BETWEEN 1 AND 2000),
    last_pushed_counter INTEGER NOT NULL DEFAULT 0 CHECK (last_pushed_counter >= 0),
    last_server_seq     INTEGER NOT NULL DEFAULT 0 CHECK (last_server_seq >= 0),
    -- the newest audit entry the server acknowledged, and its chain hash
    audit_acked_id      INTEGER NOT NULL DEFAULT 0 CHECK (audit_acked_id >= 0),
    audit_acked_hash    BLOB CHECK (audit_acked_hash IS NULL OR length(audit_acked_hash) = 32),
    last_sync_at        INTEGER,
    last_problem        TEXT NOT NULL DEFAULT '' CHECK (length(last_problem) <= 2000)
) STRICT;

-- Accounts enrolled from the server on this laptop: their disabled state follows the server.
CREATE TABLE enrolled_account (
    name TEXT PRIMARY KEY COLLATE NOCASE CHECK (length(name) BETWEEN 1 AND 64)
) STRICT, WITHOUT ROWID;

-- The outbox is read by counter.
CREATE INDEX patient_by_counter ON patient (counter);
CREATE INDEX patient_version_by_counter ON patient_version (counter);
CREATE INDEX visit_by_counter ON visit (counter);
CREATE INDEX observation_by_counter ON observation (counter);
CREATE INDEX comfort_goal_by_counter ON comfort_goal (counter);
CREATE INDEX medication_by_counter ON medication (counter);
CREATE INDEX administration_by_counter ON administration (counter);
CREATE INDEX bowel_movement_by_counter ON bowel_movement (counter);
CREATE INDEX flag_acknowledgement_by_counter ON flag_acknowledgement (counter);
CREATE INDEX administration_void_by_counter ON administration_void (counter);
