-- Solace schema, version 3: drafts and per-account display preferences (issue 4).
-- A shipped migration never changes: add a later file instead.

-- What a user was typing and has not saved yet (a visit, ...), kept as they type so that a
-- lock, a switch of patient or view, or a crash loses nothing. One draft per account, patient
-- and kind; it is overwritten while typing and deleted once the entry is saved or discarded.
-- Not clinical data: nothing here is read by the rules, reports or exports.
CREATE TABLE draft (
    account_id INTEGER NOT NULL REFERENCES account (id),
    patient_id INTEGER NOT NULL REFERENCES patient (id),
    kind       TEXT NOT NULL CHECK (kind = 'visit'),
    payload    TEXT NOT NULL CHECK (length(payload) <= 100000 AND json_valid(payload)),
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (account_id, patient_id, kind)
) STRICT, WITHOUT ROWID;

-- How the window looks for one account (theme, text size). Key and value are short words.
CREATE TABLE account_preference (
    account_id INTEGER NOT NULL REFERENCES account (id),
    key        TEXT NOT NULL CHECK (key = 'theme' OR key = 'text_scale'),
    value      TEXT NOT NULL CHECK (length(value) BETWEEN 1 AND 32),
    PRIMARY KEY (account_id, key)
) STRICT, WITHOUT ROWID;
