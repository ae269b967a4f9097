-- Solace schema, version 7: guards that hold whatever program opens the file (issue 13).
-- A shipped migration never changes: add a later file instead.
--
-- INSERT OR REPLACE deletes the row it collides with without firing DELETE triggers unless the
-- connection turned on recursive_triggers, which the stock sqlite3 shell leaves off. So every
-- table whose rows are never changed refuses an insert that collides with an existing row: its
-- id, its uuid, or another unique key. A trigger runs for every row inserted and would cost a
-- third of import speed on the two bulk tables: Solace's own import lifts the observation and
-- administration guards inside its transaction and puts them back, byte for byte, before it
-- commits (store::BulkInsert); other programs always meet them. Solace also compares the
-- schema with the one its migrations make when it opens a file (store/database.cpp), so a
-- guard dropped behind its back is reported and the file is not written to.
DROP TRIGGER medication_no_replace;
DROP TRIGGER visit_no_replace;

CREATE TRIGGER observation_no_replace BEFORE INSERT ON observation
WHEN EXISTS (SELECT 1 FROM observation WHERE id = NEW.id)
  OR EXISTS (SELECT 1 FROM observation WHERE uuid = NEW.uuid)
  OR (NEW.supersedes IS NOT NULL AND EXISTS (SELECT 1 FROM observation WHERE supersedes = NEW.supersedes))
BEGIN SELECT RAISE(ABORT, 'clinical rows are never replaced: record a correction instead'); END;
CREATE TRIGGER administration_no_replace BEFORE INSERT ON administration
WHEN EXISTS (SELECT 1 FROM administration WHERE id = NEW.id)
  OR EXISTS (SELECT 1 FROM administration WHERE uuid = NEW.uuid)
  OR (NEW.supersedes IS NOT NULL AND EXISTS (SELECT 1 FROM administration WHERE supersedes = NEW.supersedes))
BEGIN SELECT RAISE(ABORT, 'clinical rows are never replaced: record a correction instead'); END;
CREATE TRIGGER medication_no_replace BEFORE INSERT ON medication
WHEN EXISTS (SELECT 1 FROM medication WHERE id = NEW.id)
  OR EXISTS (SELECT 1 FROM medication WHERE uuid = NEW.uuid)
  OR (NEW.supersedes IS NOT NULL AND EXISTS (SELECT 1 FROM medication WHERE supersedes = NEW.supersedes))
BEGIN SELECT RAISE(ABORT, 'clinical rows are never replaced: record a new version instead'); END;
CREATE TRIGGER bowel_movement_no_replace BEFORE INSERT ON bowel_movement
WHEN EXISTS (SELECT 1 FROM bowel_movement WHERE id = NEW.id)
  OR EXISTS (SELECT 1 FROM bowel_movement WHERE uuid = NEW.uuid)
  OR (NEW.supersedes IS NOT NULL AND EXISTS (SELECT 1 FROM bowel_movement WHERE supersedes = NEW.supersedes))
BEGIN SELECT RAISE(ABORT, 'clinical rows are never replaced: record a correction instead'); END;
CREATE TRIGGER visit_no_replace BEFORE INSERT ON visit
WHEN EXISTS (SELECT 1 FROM visit WHERE id = NEW.id) OR EXISTS (SELECT 1 FROM visit WHERE uuid = NEW.uuid)
BEGIN SELECT RAISE(ABORT, 'clinical rows are never replaced'); END;
CREATE TRIGGER comfort_goal_no_replace BEFORE INSERT ON comfort_goal
WHEN EXISTS (SELECT 1 FROM comfort_goal WHERE id = NEW.id)
  OR EXISTS (SELECT 1 FROM comfort_goal WHERE uuid = NEW.uuid)
BEGIN SELECT RAISE(ABORT, 'comfort goals are never replaced: set a new goal instead'); END;
CREATE TRIGGER flag_acknowledgement_no_replace BEFORE INSERT ON flag_acknowledgement
WHEN EXISTS (SELECT 1 FROM flag_acknowledgement WHERE id = NEW.id)
  OR EXISTS (SELECT 1 FROM flag_acknowledgement WHERE uuid = NEW.uuid)
BEGIN SELECT RAISE(ABORT, 'acknowledgements are never replaced'); END;
CREATE TRIGGER account_no_replace BEFORE INSERT ON account
WHEN EXISTS (SELECT 1 FROM account WHERE id = NEW.id)
  OR EXISTS (SELECT 1 FROM account WHERE uuid = NEW.uuid)
  OR EXISTS (SELECT 1 FROM account WHERE name = NEW.name)
BEGIN SELECT RAISE(ABORT, 'accounts are never replaced: record a new account version instead'); END;
CREATE TRIGGER account_version_no_replace BEFORE INSERT ON account_version
WHEN EXISTS (SELECT 1 FROM account_version WHERE id = NEW.id)
  OR EXISTS (SELECT 1 FROM account_version WHERE uuid = NEW.uuid)
BEGIN SELECT RAISE(ABORT, 'account versions are never replaced'); END;
CREATE TRIGGER account_patient_no_replace BEFORE INSERT ON account_patient
WHEN EXISTS (SELECT 1 FROM account_patient WHERE id = NEW.id)
  OR EXISTS (SELECT 1 FROM account_patient WHERE uuid = NEW.uuid)
  OR EXISTS (SELECT 1 FROM account_patient WHERE account_id = NEW.account_id AND patient_id = NEW.patient_id)
BEGIN SELECT RAISE(ABORT, 'links between accounts and patients are never replaced'); END;
CREATE TRIGGER patient_no_replace BEFORE INSERT ON patient
WHEN EXISTS (SELECT 1 FROM patient WHERE id = NEW.id)
  OR EXISTS (SELECT 1 FROM patient WHERE uuid = NEW.uuid)
  OR EXISTS (SELECT 1 FROM patient WHERE mrn = NEW.mrn)
BEGIN SELECT RAISE(ABORT, 'patients are never replaced: record a new patient version instead'); END;
CREATE TRIGGER patient_version_no_replace BEFORE INSERT ON patient_version
WHEN EXISTS (SELECT 1 FROM patient_version WHERE id = NEW.id)
  OR EXISTS (SELECT 1 FROM patient_version WHERE uuid = NEW.uuid)
BEGIN SELECT RAISE(ABORT, 'patient versions are never replaced'); END;
CREATE TRIGGER local_device_one_only BEFORE INSERT ON local_device
BEGIN SELECT RAISE(ABORT, 'the device identity is never replaced'); END;

-- Account names: letters, digits, '.', '-' and '_', 1 to 64 (no spaces, look-alikes or terminal
-- escapes in the audit log). Names already there are kept.
CREATE TRIGGER account_name_allowed BEFORE INSERT ON account
WHEN length(NEW.name) NOT BETWEEN 1 AND 64 OR NEW.name GLOB '*[^A-Za-z0-9._-]*'
BEGIN SELECT RAISE(ABORT, 'an account name is 1 to 64 letters, digits, dots, hyphens or underscores'); END;
