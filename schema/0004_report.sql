-- Solace schema, version 4: the weekly summary reads each visit with its PPS, found by the
-- visit's id. Without an index that lookup scanned every observation once per visit (about
-- 40 ms a visit on 100 patients x 5 years, most of the time to make a summary). Partial:
-- imported rows have no visit and cost nothing to index.
-- A shipped migration never changes: add a later file instead.
CREATE INDEX observation_by_visit ON observation (visit_id) WHERE visit_id IS NOT NULL;
