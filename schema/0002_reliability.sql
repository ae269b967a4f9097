-- Solace schema, version 2: reliability and security (issue 6).
-- A shipped migration never changes: add a later file instead.

-- Tamper-evident audit log. Each row's hash is SHA-256 over the previous row's hash and this
-- row's fields (solace_audit_hash, registered by every Solace connection; see
-- store/audit_repository.cpp for the exact bytes). The application writes it in the same
-- transaction as the row; `solace audit verify` recomputes the chain. NULL means a row
-- written without the application, which verify reports as a broken link.
ALTER TABLE audit_log ADD COLUMN hash BLOB CHECK (hash IS NULL OR (typeof(hash) = 'blob' AND length(hash) = 32));

-- Seal the rows written before this version, oldest first. The append-only trigger is lifted
-- only inside this migration's transaction.
DROP TRIGGER audit_log_no_update;
WITH RECURSIVE chain (id, hash) AS (
    SELECT id, solace_audit_hash(NULL, id, at, account, action, patient_id, detail)
    FROM audit_log WHERE id = (SELECT min(id) FROM audit_log)
    UNION ALL
    SELECT a.id, solace_audit_hash(chain.hash, a.id, a.at, a.account, a.action, a.patient_id, a.detail)
    FROM chain JOIN audit_log AS a ON a.id = (SELECT min(id) FROM audit_log WHERE id > chain.id)
)
UPDATE audit_log SET hash = chain.hash FROM chain WHERE chain.id = audit_log.id;
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;

-- Wrong passwords in a row, and when the last one was typed: five in a row delay the next
-- try (app/session.cpp, login_delay). A good password resets the count.
ALTER TABLE account ADD COLUMN failed_logins INTEGER NOT NULL DEFAULT 0 CHECK (failed_logins >= 0);
ALTER TABLE account ADD COLUMN last_failed_at INTEGER;

-- The window locks after this many minutes without input: 1..30, default 10.
INSERT INTO setting (key, value) VALUES ('lock_after_minutes', 10);
CREATE TRIGGER setting_lock_after_insert BEFORE INSERT ON setting
WHEN NEW.key = 'lock_after_minutes' AND NEW.value NOT BETWEEN 1 AND 30
BEGIN SELECT RAISE(ABORT, 'lock_after_minutes must be between 1 and 30 minutes'); END;
CREATE TRIGGER setting_lock_after_update BEFORE UPDATE ON setting
WHEN NEW.key = 'lock_after_minutes' AND NEW.value NOT BETWEEN 1 AND 30
BEGIN SELECT RAISE(ABORT, 'lock_after_minutes must be between 1 and 30 minutes'); END;

-- INSERT OR REPLACE deletes the row it collides with without firing DELETE triggers, so a
-- "replace" would rewrite a clinical row. Refuse any insert that collides with an existing
-- row's id, or with the row a correction already replaced.
CREATE TRIGGER observation_no_replace BEFORE INSERT ON observation
WHEN EXISTS (SELECT 1 FROM observation WHERE id = NEW.id)
  OR (NEW.supersedes IS NOT NULL AND EXISTS (SELECT 1 FROM observation WHERE supersedes = NEW.supersedes))
BEGIN SELECT RAISE(ABORT, 'clinical rows are never replaced: record a correction instead'); END;
CREATE TRIGGER administration_no_replace BEFORE INSERT ON administration
WHEN EXISTS (SELECT 1 FROM administration WHERE id = NEW.id)
  OR (NEW.supersedes IS NOT NULL AND EXISTS (SELECT 1 FROM administration WHERE supersedes = NEW.supersedes))
BEGIN SELECT RAISE(ABORT, 'clinical rows are never replaced: record a correction instead'); END;
CREATE TRIGGER medication_no_replace BEFORE INSERT ON medication
WHEN EXISTS (SELECT 1 FROM medication WHERE id = NEW.id)
  OR (NEW.supersedes IS NOT NULL AND EXISTS (SELECT 1 FROM medication WHERE supersedes = NEW.supersedes))
BEGIN SELECT RAISE(ABORT, 'clinical rows are never replaced: record a new version instead'); END;
CREATE TRIGGER visit_no_replace BEFORE INSERT ON visit
WHEN EXISTS (SELECT 1 FROM visit WHERE id = NEW.id)
BEGIN SELECT RAISE(ABORT, 'clinical rows are never replaced'); END;
CREATE TRIGGER audit_log_no_replace BEFORE INSERT ON audit_log
WHEN EXISTS (SELECT 1 FROM audit_log WHERE id = NEW.id)
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
