-- Solace schema, version 6: identity for the agency server, versions for what can change.
-- A shipped migration never changes: add a later file instead.
--
-- * Every row that can leave the laptop (sync, CSV export) gets a UUID made where it was
--   written (`uuid`, UUIDv7: time-ordered, so its index grows at the end), the device that
--   wrote it (`device`, that device's UUID) and that device's counter (`counter`: 1, 2, 3 ...
--   with no gap across all tables). Local integer ids stay local.
-- * Accounts and patients become append-only: what can change is a new version row; the
--   latest by (recorded_at, device, counter) is in force. The base rows are frozen.
-- * Login throttling moves out of the account table into `login_attempt`, per name typed,
--   known or not.
-- * Bowel movements (Bristol stool type 1..7) get a table of their own.
-- * Acknowledgements become rows (two devices may acknowledge one flag).
-- * Each audit entry can name the rows it records (table and id range) and their hash, so an
--   edited row breaks the chain (store/row_hash.cpp has the exact bytes).
--
-- solace_uuid() is registered by every Solace connection (store/database.cpp).

-- This database's own device. Exactly one row.
CREATE TABLE local_device (
    one          INTEGER PRIMARY KEY CHECK (one = 1),
    uuid         TEXT NOT NULL CHECK (length(uuid) = 36),
    next_counter INTEGER NOT NULL CHECK (next_counter >= 1)
) STRICT;
INSERT INTO local_device (one, uuid, next_counter) VALUES (1, solace_uuid(), 1);
CREATE TRIGGER local_device_no_delete BEFORE DELETE ON local_device
BEGIN SELECT RAISE(ABORT, 'the device identity is never removed'); END;
CREATE TRIGGER local_device_keeps_uuid BEFORE UPDATE OF uuid ON local_device
BEGIN SELECT RAISE(ABORT, 'the device identity never changes'); END;
CREATE TRIGGER local_device_counter_grows BEFORE UPDATE OF next_counter ON local_device
WHEN NEW.next_counter < OLD.next_counter
BEGIN SELECT RAISE(ABORT, 'the device counter never goes back'); END;

-- Lift the append-only triggers for the rest of this transaction to stamp existing rows.
DROP TRIGGER observation_no_update;
DROP TRIGGER administration_no_update;
DROP TRIGGER medication_no_update;
DROP TRIGGER visit_no_update;

ALTER TABLE patient ADD COLUMN uuid TEXT CHECK (uuid IS NULL OR length(uuid) = 36);
ALTER TABLE patient ADD COLUMN device TEXT CHECK (device IS NULL OR length(device) = 36);
ALTER TABLE patient ADD COLUMN counter INTEGER CHECK (counter IS NULL OR counter >= 1);
ALTER TABLE account ADD COLUMN uuid TEXT CHECK (uuid IS NULL OR length(uuid) = 36);
ALTER TABLE account ADD COLUMN device TEXT CHECK (device IS NULL OR length(device) = 36);
ALTER TABLE account ADD COLUMN counter INTEGER CHECK (counter IS NULL OR counter >= 1);
ALTER TABLE visit ADD COLUMN uuid TEXT CHECK (uuid IS NULL OR length(uuid) = 36);
ALTER TABLE visit ADD COLUMN device TEXT CHECK (device IS NULL OR length(device) = 36);
ALTER TABLE visit ADD COLUMN counter INTEGER CHECK (counter IS NULL OR counter >= 1);
ALTER TABLE observation ADD COLUMN uuid TEXT CHECK (uuid IS NULL OR length(uuid) = 36);
ALTER TABLE observation ADD COLUMN device TEXT CHECK (device IS NULL OR length(device) = 36);
ALTER TABLE observation ADD COLUMN counter INTEGER CHECK (counter IS NULL OR counter >= 1);
ALTER TABLE comfort_goal ADD COLUMN recorded_at INTEGER;
ALTER TABLE comfort_goal ADD COLUMN uuid TEXT CHECK (uuid IS NULL OR length(uuid) = 36);
ALTER TABLE comfort_goal ADD COLUMN device TEXT CHECK (device IS NULL OR length(device) = 36);
ALTER TABLE comfort_goal ADD COLUMN counter INTEGER CHECK (counter IS NULL OR counter >= 1);
ALTER TABLE medication ADD COLUMN uuid TEXT CHECK (uuid IS NULL OR length(uuid) = 36);
ALTER TABLE medication ADD COLUMN device TEXT CHECK (device IS NULL OR length(device) = 36);
ALTER TABLE medication ADD COLUMN counter INTEGER CHECK (counter IS NULL OR counter >= 1);
ALTER TABLE administration ADD COLUMN uuid TEXT CHECK (uuid IS NULL OR length(uuid) = 36);
ALTER TABLE administration ADD COLUMN device TEXT CHECK (device IS NULL OR length(device) = 36);
ALTER TABLE administration ADD COLUMN counter INTEGER CHECK (counter IS NULL OR counter >= 1);

-- Stamp existing rows, oldest first within each table, counting on across tables.
CREATE TEMP TABLE stamp_order (tbl TEXT NOT NULL, row_id INTEGER NOT NULL, n INTEGER PRIMARY KEY);
INSERT INTO stamp_order (tbl, row_id) SELECT 'account', id FROM account ORDER BY id;
INSERT INTO stamp_order (tbl, row_id) SELECT 'patient', id FROM patient ORDER BY id;
INSERT INTO stamp_order (tbl, row_id) SELECT 'visit', id FROM visit ORDER BY id;
INSERT INTO stamp_order (tbl, row_id) SELECT 'observation', id FROM observation ORDER BY id;
INSERT INTO stamp_order (tbl, row_id) SELECT 'comfort_goal', id FROM comfort_goal ORDER BY id;
INSERT INTO stamp_order (tbl, row_id) SELECT 'medication', id FROM medication ORDER BY id;
INSERT INTO stamp_order (tbl, row_id) SELECT 'administration', id FROM administration ORDER BY id;
UPDATE account SET uuid = solace_uuid(), device = (SELECT uuid FROM local_device),
    counter = (SELECT n FROM stamp_order WHERE tbl = 'account' AND row_id = account.id);
UPDATE patient SET uuid = solace_uuid(), device = (SELECT uuid FROM local_device),
    counter = (SELECT n FROM stamp_order WHERE tbl = 'patient' AND row_id = patient.id);
UPDATE visit SET uuid = solace_uuid(), device = (SELECT uuid FROM local_device),
    counter = (SELECT n FROM stamp_order WHERE tbl = 'visit' AND row_id = visit.id);
UPDATE observation SET uuid = solace_uuid(), device = (SELECT uuid FROM local_device),
    counter = (SELECT n FROM stamp_order WHERE tbl = 'observation' AND row_id = observation.id);
UPDATE comfort_goal SET uuid = solace_uuid(), device = (SELECT uuid FROM local_device),
    recorded_at = set_at,
    counter = (SELECT n FROM stamp_order WHERE tbl = 'comfort_goal' AND row_id = comfort_goal.id);
UPDATE medication SET uuid = solace_uuid(), device = (SELECT uuid FROM local_device),
    counter = (SELECT n FROM stamp_order WHERE tbl = 'medication' AND row_id = medication.id);
UPDATE administration SET uuid = solace_uuid(), device = (SELECT uuid FROM local_device),
    counter = (SELECT n FROM stamp_order WHERE tbl = 'administration' AND row_id = administration.id);

CREATE UNIQUE INDEX patient_uuid ON patient (uuid);
CREATE UNIQUE INDEX account_uuid ON account (uuid);
CREATE UNIQUE INDEX visit_uuid ON visit (uuid);
CREATE UNIQUE INDEX observation_uuid ON observation (uuid);
CREATE UNIQUE INDEX comfort_goal_uuid ON comfort_goal (uuid);
CREATE UNIQUE INDEX medication_uuid ON medication (uuid);
CREATE UNIQUE INDEX administration_uuid ON administration (uuid);

CREATE TRIGGER observation_no_update BEFORE UPDATE ON observation
BEGIN SELECT RAISE(ABORT, 'clinical rows are never changed: record a correction instead'); END;
CREATE TRIGGER administration_no_update BEFORE UPDATE ON administration
BEGIN SELECT RAISE(ABORT, 'clinical rows are never changed: record a correction instead'); END;
CREATE TRIGGER medication_no_update BEFORE UPDATE ON medication
BEGIN SELECT RAISE(ABORT, 'clinical rows are never changed: record a new version instead'); END;
CREATE TRIGGER visit_no_update BEFORE UPDATE ON visit
BEGIN SELECT RAISE(ABORT, 'clinical rows are never changed'); END;
CREATE TRIGGER comfort_goal_no_update BEFORE UPDATE ON comfort_goal
BEGIN SELECT RAISE(ABORT, 'comfort goals are never changed: set a new goal instead'); END;
CREATE TRIGGER comfort_goal_no_delete BEFORE DELETE ON comfort_goal
BEGIN SELECT RAISE(ABORT, 'comfort goals are never deleted: set a new goal instead'); END;

-- Patients: the base row holds the MRN and the details as admitted; each change (an edit, a
-- discharge, a death) is a new version carrying every detail. Version 1 copies the base row.
CREATE TABLE patient_version (
    id               INTEGER PRIMARY KEY,
    patient_id       INTEGER NOT NULL REFERENCES patient (id),
    name             TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    date_of_birth    TEXT NOT NULL CHECK (date(date_of_birth) IS date_of_birth),
    time_zone        TEXT NOT NULL CHECK (length(time_zone) BETWEEN 1 AND 64),
    diagnosis        TEXT NOT NULL DEFAULT '' CHECK (length(diagnosis) <= 500),
    on_call_phone    TEXT NOT NULL DEFAULT '' CHECK (length(on_call_phone) <= 40),
    discharged_at    INTEGER,
    discharge_reason TEXT CHECK ((discharged_at IS NULL) = (discharge_reason IS NULL)
                                 AND (discharge_reason IS NULL OR discharge_reason = 'died'
                                      OR discharge_reason = 'transferred' OR discharge_reason = 'other')),
    change_reason    TEXT NOT NULL DEFAULT '' CHECK (length(change_reason) <= 500),
    author_id        INTEGER NOT NULL REFERENCES account (id),
    recorded_at      INTEGER NOT NULL,
    uuid             TEXT NOT NULL UNIQUE CHECK (length(uuid) = 36),
    device           TEXT NOT NULL CHECK (length(device) = 36),
    counter          INTEGER NOT NULL CHECK (counter >= 1)
) STRICT;
CREATE INDEX patient_version_by_patient ON patient_version (patient_id, recorded_at);
INSERT INTO patient_version (patient_id, name, date_of_birth, time_zone, diagnosis, author_id,
                             recorded_at, uuid, device, counter)
SELECT id, name, date_of_birth, time_zone, diagnosis, author_id, created_at, solace_uuid(),
       (SELECT uuid FROM local_device), (SELECT count(*) FROM stamp_order) + row_number() OVER (ORDER BY id)
FROM patient;

-- Accounts: the base row holds the name; role, admin right, password and disabled state are
-- versions. Version 1 copies the base row. author_id is NULL only for an account's first
-- version when no one was signed in (solace init, enrolment).
CREATE TABLE account_version (
    id            INTEGER PRIMARY KEY,
    account_id    INTEGER NOT NULL REFERENCES account (id),
    role          TEXT NOT NULL CHECK (role = 'nurse' OR role = 'family'),
    is_admin      INTEGER NOT NULL DEFAULT 0 CHECK (is_admin = 0 OR is_admin = 1),
    password_hash TEXT NOT NULL CHECK (password_hash LIKE '$argon2id$%' AND length(password_hash) <= 256),
    disabled      INTEGER NOT NULL DEFAULT 0 CHECK (disabled = 0 OR disabled = 1),
    author_id     INTEGER REFERENCES account (id),
    recorded_at   INTEGER NOT NULL,
    uuid          TEXT NOT NULL UNIQUE CHECK (length(uuid) = 36),
    device        TEXT NOT NULL CHECK (length(device) = 36),
    counter       INTEGER NOT NULL CHECK (counter >= 1),
    CHECK (role = 'nurse' OR is_admin = 0)
) STRICT;
CREATE INDEX account_version_by_account ON account_version (account_id, recorded_at);
INSERT INTO account_version (account_id, role, is_admin, password_hash, disabled, recorded_at,
                             uuid, device, counter)
SELECT id, role, is_admin, password_hash, disabled, created_at, solace_uuid(),
       (SELECT uuid FROM local_device),
       (SELECT count(*) FROM stamp_order) + (SELECT count(*) FROM patient) + row_number() OVER (ORDER BY id)
FROM account;

-- Which patients a family account may see: links are added, never changed or removed here.
-- Rebuilt with an integer id so that audit entries can vouch for its rows by range.
CREATE TABLE account_patient_v6 (
    id         INTEGER PRIMARY KEY,
    account_id INTEGER NOT NULL REFERENCES account (id),
    patient_id INTEGER NOT NULL REFERENCES patient (id),
    uuid       TEXT NOT NULL UNIQUE CHECK (length(uuid) = 36),
    device     TEXT NOT NULL CHECK (length(device) = 36),
    counter    INTEGER NOT NULL CHECK (counter >= 1),
    UNIQUE (account_id, patient_id)
) STRICT;
INSERT INTO account_patient_v6 (account_id, patient_id, uuid, device, counter)
SELECT account_id, patient_id, solace_uuid(), (SELECT uuid FROM local_device),
       (SELECT count(*) FROM stamp_order) + (SELECT count(*) FROM patient)
       + (SELECT count(*) FROM account) + row_number() OVER (ORDER BY account_id, patient_id)
FROM account_patient;
DROP TABLE account_patient;
ALTER TABLE account_patient_v6 RENAME TO account_patient;

UPDATE local_device SET next_counter = 1 + (SELECT count(*) FROM stamp_order)
    + (SELECT count(*) FROM patient) + (SELECT count(*) FROM account)
    + (SELECT count(*) FROM account_patient);
DROP TABLE stamp_order;

-- The base rows of accounts, patients and links are frozen from now on.
CREATE TRIGGER account_no_update BEFORE UPDATE ON account
BEGIN SELECT RAISE(ABORT, 'accounts are never changed: record a new account version instead'); END;
CREATE TRIGGER account_no_delete BEFORE DELETE ON account
BEGIN SELECT RAISE(ABORT, 'accounts are never deleted: disable the account instead'); END;
CREATE TRIGGER account_version_no_update BEFORE UPDATE ON account_version
BEGIN SELECT RAISE(ABORT, 'account versions are never changed'); END;
CREATE TRIGGER account_version_no_delete BEFORE DELETE ON account_version
BEGIN SELECT RAISE(ABORT, 'account versions are never deleted'); END;
CREATE TRIGGER account_patient_no_update BEFORE UPDATE ON account_patient
BEGIN SELECT RAISE(ABORT, 'links between accounts and patients are never changed'); END;
CREATE TRIGGER account_patient_no_delete BEFORE DELETE ON account_patient
BEGIN SELECT RAISE(ABORT, 'links between accounts and patients are never deleted'); END;
CREATE TRIGGER patient_no_update BEFORE UPDATE ON patient
BEGIN SELECT RAISE(ABORT, 'patients are never changed: record a new patient version instead'); END;
CREATE TRIGGER patient_no_delete BEFORE DELETE ON patient
BEGIN SELECT RAISE(ABORT, 'patients are never deleted: discharge them instead'); END;
CREATE TRIGGER patient_version_no_update BEFORE UPDATE ON patient_version
BEGIN SELECT RAISE(ABORT, 'patient versions are never changed'); END;
CREATE TRIGGER patient_version_no_delete BEFORE DELETE ON patient_version
BEGIN SELECT RAISE(ABORT, 'patient versions are never deleted'); END;

-- Wrong passwords in a row per name typed (known or not, enabled or not), lower-cased. Not
-- clinical and not synced: a good password clears the name's row.
CREATE TABLE login_attempt (
    name           TEXT PRIMARY KEY CHECK (length(name) BETWEEN 1 AND 64),
    failures       INTEGER NOT NULL CHECK (failures >= 1),
    last_failed_at INTEGER NOT NULL
) STRICT, WITHOUT ROWID;

-- Bowel movements, Bristol stool type 1..7, recorded at a visit or on their own.
CREATE TABLE bowel_movement (
    id                INTEGER PRIMARY KEY,
    patient_id        INTEGER NOT NULL REFERENCES patient (id),
    visit_id          INTEGER REFERENCES visit (id),
    occurred_at       INTEGER NOT NULL,
    bristol_type      INTEGER NOT NULL CHECK (bristol_type BETWEEN 1 AND 7),
    reporter          TEXT NOT NULL CHECK (reporter = 'patient' OR reporter = 'caregiver' OR reporter = 'nurse'),
    note              TEXT NOT NULL DEFAULT '' CHECK (length(note) <= 20000),
    author_id         INTEGER NOT NULL REFERENCES account (id),
    recorded_at       INTEGER NOT NULL,
    supersedes        INTEGER REFERENCES bowel_movement (id),
    correction_reason TEXT CHECK ((supersedes IS NULL) = (correction_reason IS NULL)
                                  AND (correction_reason IS NULL OR length(trim(correction_reason)) > 0)),
    entered_in_error  INTEGER NOT NULL DEFAULT 0 CHECK (entered_in_error = 0 OR entered_in_error = 1),
    uuid              TEXT NOT NULL UNIQUE CHECK (length(uuid) = 36),
    device            TEXT NOT NULL CHECK (length(device) = 36),
    counter           INTEGER NOT NULL CHECK (counter >= 1)
) STRICT;
CREATE INDEX bowel_movement_by_patient ON bowel_movement (patient_id, occurred_at);
CREATE UNIQUE INDEX bowel_movement_correction ON bowel_movement (supersedes) WHERE supersedes IS NOT NULL;
CREATE TRIGGER bowel_movement_no_update BEFORE UPDATE ON bowel_movement
BEGIN SELECT RAISE(ABORT, 'clinical rows are never changed: record a correction instead'); END;
CREATE TRIGGER bowel_movement_no_delete BEFORE DELETE ON bowel_movement
BEGIN SELECT RAISE(ABORT, 'clinical rows are never deleted: record a correction instead'); END;

-- Acknowledgements become rows: two devices may acknowledge one flag, and both are kept (the
-- earliest is shown). Rebuilt because the flag id was the primary key.
CREATE TABLE flag_acknowledgement_v6 (
    id              INTEGER PRIMARY KEY,
    flag_id         TEXT NOT NULL CHECK (length(flag_id) BETWEEN 1 AND 200),
    patient_id      INTEGER NOT NULL REFERENCES patient (id),
    acknowledged_at INTEGER NOT NULL,
    author_id       INTEGER NOT NULL REFERENCES account (id),
    note            TEXT NOT NULL DEFAULT '' CHECK (length(note) <= 2000),
    uuid            TEXT NOT NULL UNIQUE CHECK (length(uuid) = 36),
    device          TEXT NOT NULL CHECK (length(device) = 36),
    counter         INTEGER NOT NULL CHECK (counter >= 1)
) STRICT;
INSERT INTO flag_acknowledgement_v6 (flag_id, patient_id, acknowledged_at, author_id, note, uuid,
                                     device, counter)
SELECT flag_id, patient_id, acknowledged_at, author_id, note, solace_uuid(),
       (SELECT uuid FROM local_device),
       (SELECT next_counter FROM local_device) + row_number() OVER (ORDER BY acknowledged_at, flag_id) - 1
FROM flag_acknowledgement;
UPDATE local_device SET next_counter = next_counter + (SELECT count(*) FROM flag_acknowledgement);
DROP TABLE flag_acknowledgement;
ALTER TABLE flag_acknowledgement_v6 RENAME TO flag_acknowledgement;
CREATE INDEX flag_acknowledgement_by_patient ON flag_acknowledgement (patient_id);
CREATE INDEX flag_acknowledgement_by_flag ON flag_acknowledgement (flag_id);
CREATE TRIGGER flag_acknowledgement_no_update BEFORE UPDATE ON flag_acknowledgement
BEGIN SELECT RAISE(ABORT, 'acknowledgements are never changed'); END;
CREATE TRIGGER flag_acknowledgement_no_delete BEFORE DELETE ON flag_acknowledgement
BEGIN SELECT RAISE(ABORT, 'acknowledgements are never deleted'); END;

-- Audit entries may name the rows they record: rows row_first..row_last (ids) of row_table,
-- and row_hash, the SHA-256 of those rows as stored (store/row_hash.cpp). The chain hash
-- covers these fields for entries that have them (store/audit_repository.cpp).
ALTER TABLE audit_log ADD COLUMN row_table TEXT CHECK (row_table IS NULL OR length(row_table) BETWEEN 1 AND 64);
ALTER TABLE audit_log ADD COLUMN row_first INTEGER;
ALTER TABLE audit_log ADD COLUMN row_last INTEGER;
ALTER TABLE audit_log ADD COLUMN row_hash BLOB CHECK (row_hash IS NULL OR (typeof(row_hash) = 'blob' AND length(row_hash) = 32));
CREATE INDEX audit_log_by_rows ON audit_log (row_table, row_first) WHERE row_table IS NOT NULL;

-- The printer a user chose last joins the display preferences.
CREATE TABLE account_preference_v6 (
    account_id INTEGER NOT NULL REFERENCES account (id),
    key        TEXT NOT NULL CHECK (key = 'theme' OR key = 'text_scale' OR key = 'printer'),
    value      TEXT NOT NULL CHECK (length(value) BETWEEN 1 AND 128),
    PRIMARY KEY (account_id, key)
) STRICT, WITHOUT ROWID;
INSERT INTO account_preference_v6 SELECT account_id, key, value FROM account_preference;
DROP TABLE account_preference;
ALTER TABLE account_preference_v6 RENAME TO account_preference;

-- Thresholds of the rules and of back-dating (DESIGN §3); an agency may tune them.
INSERT INTO setting (key, value) VALUES
    ('bowel_none_hours', 72),
    ('prn_follow_up_from_minutes', 15), ('prn_follow_up_to_minutes', 90),
    ('escalate_after_minutes', 240),
    ('backdate_max_hours', 72), ('future_tolerance_minutes', 5),
    ('late_documentation_minutes', 60),
    ('sustained_span_days', 14);
