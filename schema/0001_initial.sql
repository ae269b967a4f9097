-- Solace schema, version 1. Enumerations are OR chains, not IN lists: SQLite builds an
-- ephemeral table for each IN list on every insert, which halves import speed.
-- A shipped migration never changes: add 0002_*.sql instead.
-- Instants are UTC seconds. Clinical rows are never updated or deleted: a correction is a
-- new row whose `supersedes` names the row it replaces.

CREATE TABLE account (
    id            INTEGER PRIMARY KEY,
    name          TEXT NOT NULL UNIQUE COLLATE NOCASE CHECK (length(name) BETWEEN 1 AND 64),
    role          TEXT NOT NULL CHECK (role IN ('nurse', 'family')),
    is_admin      INTEGER NOT NULL DEFAULT 0 CHECK (is_admin IN (0, 1)),
    password_hash TEXT NOT NULL CHECK (password_hash LIKE '$argon2id$%'),
    disabled      INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
    created_at    INTEGER NOT NULL,
    CHECK (role = 'nurse' OR is_admin = 0)
) STRICT;

CREATE TABLE patient (
    id            INTEGER PRIMARY KEY,
    mrn           TEXT NOT NULL UNIQUE CHECK (length(mrn) BETWEEN 1 AND 64),
    name          TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    date_of_birth TEXT NOT NULL CHECK (date(date_of_birth) IS date_of_birth),
    time_zone     TEXT NOT NULL CHECK (length(time_zone) BETWEEN 1 AND 64),
    diagnosis     TEXT NOT NULL DEFAULT '' CHECK (length(diagnosis) <= 500),
    created_at    INTEGER NOT NULL,
    author_id     INTEGER NOT NULL REFERENCES account (id)
) STRICT;

-- The patients a family account may see.
CREATE TABLE account_patient (
    account_id INTEGER NOT NULL REFERENCES account (id),
    patient_id INTEGER NOT NULL REFERENCES patient (id),
    PRIMARY KEY (account_id, patient_id)
) STRICT, WITHOUT ROWID;

CREATE TABLE visit (
    id          INTEGER PRIMARY KEY,
    patient_id  INTEGER NOT NULL REFERENCES patient (id),
    at          INTEGER NOT NULL,
    note        TEXT NOT NULL DEFAULT '' CHECK (length(note) <= 20000),
    author_id   INTEGER NOT NULL REFERENCES account (id),
    recorded_at INTEGER NOT NULL
) STRICT;
CREATE INDEX visit_by_patient ON visit (patient_id, at);

-- ESAS-r scores (0..10, 10 = worst) and PPS (item 'pps', 0..100 in steps of 10).
CREATE TABLE observation (
    id                INTEGER PRIMARY KEY,
    patient_id        INTEGER NOT NULL REFERENCES patient (id),
    visit_id          INTEGER REFERENCES visit (id),
    item              TEXT NOT NULL CHECK ((item = 'pain' OR item = 'appetite' OR item = 'nausea' OR item = 'anxiety' OR item = 'breathing' OR item = 'tiredness' OR item = 'drowsiness' OR item = 'depression' OR item = 'wellbeing' OR item = 'pps')),
    value             INTEGER NOT NULL,
    reporter          TEXT NOT NULL CHECK ((reporter = 'patient' OR reporter = 'caregiver' OR reporter = 'nurse')),
    observed_at       INTEGER NOT NULL,
    note              TEXT NOT NULL DEFAULT '' CHECK (length(note) <= 20000),
    author_id         INTEGER NOT NULL REFERENCES account (id),
    recorded_at       INTEGER NOT NULL,
    supersedes        INTEGER REFERENCES observation (id),
    correction_reason TEXT CHECK ((supersedes IS NULL) = (correction_reason IS NULL)
                                  AND (correction_reason IS NULL OR length(trim(correction_reason)) > 0)),
    CHECK ((item = 'pps' AND value BETWEEN 0 AND 100 AND value % 10 = 0)
        OR (item <> 'pps' AND value BETWEEN 0 AND 10))
) STRICT;
CREATE INDEX observation_by_patient ON observation (patient_id, observed_at);
-- A row is corrected at most once; partial, so the many uncorrected rows cost nothing.
CREATE UNIQUE INDEX observation_correction ON observation (supersedes) WHERE supersedes IS NOT NULL;
CREATE INDEX observation_by_series ON observation (patient_id, item, reporter, observed_at);

CREATE TABLE comfort_goal (
    id         INTEGER PRIMARY KEY,
    patient_id INTEGER NOT NULL REFERENCES patient (id),
    symptom    TEXT NOT NULL CHECK ((symptom = 'pain' OR symptom = 'appetite' OR symptom = 'nausea' OR symptom = 'anxiety' OR symptom = 'breathing' OR symptom = 'tiredness' OR symptom = 'drowsiness' OR symptom = 'depression' OR symptom = 'wellbeing')),
    goal       INTEGER NOT NULL CHECK (goal BETWEEN 0 AND 10),
    set_at     INTEGER NOT NULL,
    author_id  INTEGER NOT NULL REFERENCES account (id)
) STRICT;
CREATE INDEX comfort_goal_by_patient ON comfort_goal (patient_id, symptom, set_at);

CREATE TABLE medication (
    id            INTEGER PRIMARY KEY,
    patient_id    INTEGER NOT NULL REFERENCES patient (id),
    med_key       TEXT NOT NULL CHECK (length(med_key) BETWEEN 1 AND 64),
    name          TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    dose          TEXT NOT NULL DEFAULT '',
    route         TEXT NOT NULL DEFAULT '',
    schedule      TEXT NOT NULL CHECK (length(schedule) BETWEEN 1 AND 200),
    time_critical INTEGER NOT NULL CHECK (time_critical IN (0, 1)),
    indication    TEXT NOT NULL DEFAULT '',
    start_at      INTEGER NOT NULL,
    end_at        INTEGER CHECK (end_at IS NULL OR end_at >= start_at),
    author_id     INTEGER NOT NULL REFERENCES account (id),
    recorded_at   INTEGER NOT NULL,
    supersedes    INTEGER REFERENCES medication (id),
    change_reason TEXT CHECK ((supersedes IS NULL) = (change_reason IS NULL))
) STRICT;
CREATE INDEX medication_by_patient ON medication (patient_id, med_key);
CREATE UNIQUE INDEX medication_version ON medication (supersedes) WHERE supersedes IS NOT NULL;

CREATE TABLE administration (
    id                INTEGER PRIMARY KEY,
    patient_id        INTEGER NOT NULL REFERENCES patient (id),
    medication_id     INTEGER NOT NULL REFERENCES medication (id),
    given_at          INTEGER NOT NULL,
    status            TEXT NOT NULL CHECK ((status = 'given' OR status = 'held' OR status = 'refused')),
    reason            TEXT NOT NULL DEFAULT '' CHECK (status = 'given' OR length(trim(reason)) > 0),
    recorded_by       TEXT NOT NULL DEFAULT '',
    reporter          TEXT NOT NULL CHECK (reporter IN ('nurse', 'caregiver')),
    author_id         INTEGER NOT NULL REFERENCES account (id),
    recorded_at       INTEGER NOT NULL,
    supersedes        INTEGER REFERENCES administration (id),
    correction_reason TEXT CHECK ((supersedes IS NULL) = (correction_reason IS NULL))
) STRICT;
CREATE INDEX administration_by_patient ON administration (patient_id, given_at);
CREATE INDEX administration_by_medication ON administration (medication_id, given_at);
CREATE UNIQUE INDEX administration_correction ON administration (supersedes) WHERE supersedes IS NOT NULL;

CREATE TABLE flag_acknowledgement (
    flag_id         TEXT PRIMARY KEY CHECK (length(flag_id) BETWEEN 1 AND 200),
    patient_id      INTEGER NOT NULL REFERENCES patient (id),
    acknowledged_at INTEGER NOT NULL,
    author_id       INTEGER NOT NULL REFERENCES account (id),
    note            TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX flag_acknowledgement_by_patient ON flag_acknowledgement (patient_id);

-- Rule thresholds (DESIGN §3); an agency may tune them. Defaults are DESIGN's values.
CREATE TABLE setting (
    key   TEXT PRIMARY KEY,
    value INTEGER NOT NULL CHECK (value BETWEEN 0 AND 100000)
) STRICT;
INSERT INTO setting (key, value) VALUES
    ('severe_score', 7), ('rise_points', 2), ('rise_lookback_days', 14),
    ('sustained_run', 3), ('sustained_window_days', 7), ('sustained_mean_points', 2),
    ('sustained_min_scores', 2), ('critical_window_minutes', 30),
    ('frequent_interval_hours', 4), ('multi_daily_window_minutes', 60),
    ('daily_window_minutes', 120), ('breakthrough_doses', 3);

CREATE TABLE audit_log (
    id         INTEGER PRIMARY KEY,
    at         INTEGER NOT NULL,
    account    TEXT NOT NULL DEFAULT '',
    action     TEXT NOT NULL CHECK (length(action) BETWEEN 1 AND 64),
    patient_id INTEGER REFERENCES patient (id),
    detail     TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX audit_log_by_patient ON audit_log (patient_id, at);

-- Clinical rows and the audit log are append-only.
CREATE TRIGGER observation_no_update BEFORE UPDATE ON observation
BEGIN SELECT RAISE(ABORT, 'clinical rows are never changed: record a correction instead'); END;
CREATE TRIGGER observation_no_delete BEFORE DELETE ON observation
BEGIN SELECT RAISE(ABORT, 'clinical rows are never deleted: record a correction instead'); END;
CREATE TRIGGER administration_no_update BEFORE UPDATE ON administration
BEGIN SELECT RAISE(ABORT, 'clinical rows are never changed: record a correction instead'); END;
CREATE TRIGGER administration_no_delete BEFORE DELETE ON administration
BEGIN SELECT RAISE(ABORT, 'clinical rows are never deleted: record a correction instead'); END;
CREATE TRIGGER medication_no_update BEFORE UPDATE ON medication
BEGIN SELECT RAISE(ABORT, 'clinical rows are never changed: record a new version instead'); END;
CREATE TRIGGER medication_no_delete BEFORE DELETE ON medication
BEGIN SELECT RAISE(ABORT, 'clinical rows are never deleted: record a new version instead'); END;
CREATE TRIGGER visit_no_update BEFORE UPDATE ON visit
BEGIN SELECT RAISE(ABORT, 'clinical rows are never changed'); END;
CREATE TRIGGER visit_no_delete BEFORE DELETE ON visit
BEGIN SELECT RAISE(ABORT, 'clinical rows are never deleted'); END;
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
