-- Solace schema, version 12: two corrections of one row are both kept (DESIGN §4, §7).
-- A shipped migration never changes: add a later file instead.
--
-- Two laptops offline may each correct the same score, dose record, bowel movement or
-- medication version. Both corrections are clinical facts and both sync; the one recorded
-- later (recorded_at, then uuid) is in force (store/in_force.hpp) and history shows both. A
-- unique index on `supersedes` refused the second one pulled, and every sync after it. On one
-- laptop Solace still refuses a correction of a row already corrected (src/app), so the nurse
-- corrects the one in force.
DROP INDEX observation_correction;
DROP INDEX administration_correction;
DROP INDEX bowel_movement_correction;
DROP INDEX medication_version;
CREATE INDEX observation_correction ON observation (supersedes) WHERE supersedes IS NOT NULL;
CREATE INDEX administration_correction ON administration (supersedes) WHERE supersedes IS NOT NULL;
CREATE INDEX bowel_movement_correction ON bowel_movement (supersedes) WHERE supersedes IS NOT NULL;
CREATE INDEX medication_version ON medication (supersedes) WHERE supersedes IS NOT NULL;

-- The guards against INSERT OR REPLACE (schema 7) still refuse a second row with an id or
-- uuid already here; they no longer refuse a second correction of one row.
DROP TRIGGER observation_no_replace;
DROP TRIGGER administration_no_replace;
DROP TRIGGER medication_no_replace;
DROP TRIGGER bowel_movement_no_replace;
CREATE TRIGGER observation_no_replace BEFORE INSERT ON observation
WHEN EXISTS (SELECT 1 FROM observation WHERE id = NEW.id)
  OR EXISTS (SELECT 1 FROM observation WHERE uuid = NEW.uuid)
BEGIN SELECT RAISE(ABORT, 'clinical rows are never replaced: record a correction instead'); END;
CREATE TRIGGER administration_no_replace BEFORE INSERT ON administration
WHEN EXISTS (SELECT 1 FROM administration WHERE id = NEW.id)
  OR EXISTS (SELECT 1 FROM administration WHERE uuid = NEW.uuid)
BEGIN SELECT RAISE(ABORT, 'clinical rows are never replaced: record a correction instead'); END;
CREATE TRIGGER medication_no_replace BEFORE INSERT ON medication
WHEN EXISTS (SELECT 1 FROM medication WHERE id = NEW.id)
  OR EXISTS (SELECT 1 FROM medication WHERE uuid = NEW.uuid)
BEGIN SELECT RAISE(ABORT, 'clinical rows are never replaced: record a new version instead'); END;
CREATE TRIGGER bowel_movement_no_replace BEFORE INSERT ON bowel_movement
WHEN EXISTS (SELECT 1 FROM bowel_movement WHERE id = NEW.id)
  OR EXISTS (SELECT 1 FROM bowel_movement WHERE uuid = NEW.uuid)
BEGIN SELECT RAISE(ABORT, 'clinical rows are never replaced: record a correction instead'); END;
