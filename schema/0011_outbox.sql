-- Solace schema, version 11: the outbox is read by device, then counter (DESIGN §7).
-- A shipped migration never changes: add a later file instead.
--
-- A laptop holds other devices' rows too, pulled with their own counters: an index on the
-- counter alone made each sync walk every pulled row to find this device's few new ones.
DROP INDEX patient_by_counter;
DROP INDEX patient_version_by_counter;
DROP INDEX visit_by_counter;
DROP INDEX observation_by_counter;
DROP INDEX comfort_goal_by_counter;
DROP INDEX medication_by_counter;
DROP INDEX administration_by_counter;
DROP INDEX bowel_movement_by_counter;
DROP INDEX flag_acknowledgement_by_counter;
DROP INDEX administration_void_by_counter;
CREATE INDEX patient_outbox ON patient (device, counter);
CREATE INDEX patient_version_outbox ON patient_version (device, counter);
CREATE INDEX visit_outbox ON visit (device, counter);
CREATE INDEX observation_outbox ON observation (device, counter);
CREATE INDEX comfort_goal_outbox ON comfort_goal (device, counter);
CREATE INDEX medication_outbox ON medication (device, counter);
CREATE INDEX administration_outbox ON administration (device, counter);
CREATE INDEX bowel_movement_outbox ON bowel_movement (device, counter);
CREATE INDEX flag_acknowledgement_outbox ON flag_acknowledgement (device, counter);
CREATE INDEX administration_void_outbox ON administration_void (device, counter);
