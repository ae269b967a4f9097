-- Solace agency server, version 3: a family member corrects their own caregiver score.
-- A shipped migration never changes: add a later file instead.
--
-- A family account may insert a score that supersedes a score of its own, as a laptop lets it
-- (app::correction_refusal): every row of the chain it corrects is a caregiver score of the
-- same patient and symptom that this account wrote, and the correction is recorded within the
-- hour of the chain's first score. Nothing else: no correction of a nurse's or a patient's
-- score, of another family member's, of the PPS, of a dose.

-- True when the signed-in family account may supersede the score `p_score` with a score of
-- `p_patient`'s `p_item` recorded at `p_recorded_at` (seconds since 1970, UTC).
-- The hour is judged by the rows' recorded times, the laptops' clocks, as the laptop judged it
-- (family_correction_window, src/app/clinic.hpp): the server's clock would refuse an honest
-- correction made offline and pushed hours later, and a refused push holds back everything
-- after it in that laptop's outbox. A role that forges its recorded time gains no more than a
-- late correction of its own caregiver score, which keeps its author and pushed_at.
-- VOLATILE: it sees the rows inserted before it in the same push (a score corrected offline
-- arrives with its correction).
CREATE FUNCTION solace.family_may_correct(p_score uuid, p_patient uuid, p_item text,
                                          p_recorded_at bigint) RETURNS boolean
    LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, solace AS $$
    WITH RECURSIVE chain (uuid, author, reporter, patient, row, depth) AS (
        SELECT uuid, author, reporter, patient, row, 0 FROM solace.synced_row
        WHERE uuid = p_score AND tbl = 'observation'
        UNION ALL
        SELECT r.uuid, r.author, r.reporter, r.patient, r.row, c.depth + 1
        FROM chain c JOIN solace.synced_row r
            ON r.uuid = (c.row ->> 'supersedes')::uuid AND r.tbl = 'observation'
        WHERE c.depth < 1000 -- bounded: bad data
    )
    SELECT count(*) > 0
           AND bool_and(author = session_user AND reporter = 'caregiver'
                        AND patient = p_patient AND row ->> 'item' = p_item)
           AND p_recorded_at - (SELECT (row ->> 'recorded_at')::bigint FROM chain
                                ORDER BY depth DESC LIMIT 1) <= 3600 -- 60 min
    FROM chain
$$;
REVOKE ALL ON FUNCTION solace.family_may_correct(uuid, uuid, text, bigint) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION solace.family_may_correct(uuid, uuid, text, bigint) TO solace_family;

-- Permissive, beside family_writes (version 1): a row passes when either policy lets it.
CREATE POLICY family_corrects ON solace.synced_row FOR INSERT TO solace_family
    WITH CHECK (pushed_by = session_user AND author = session_user
                AND patient IN (SELECT solace.my_patients())
                AND tbl = 'observation' AND reporter = 'caregiver'
                AND row ->> 'item' <> 'pps'
                AND btrim(coalesce(row ->> 'correction_reason', '')) <> ''
                AND row ->> 'supersedes' IS NOT NULL
                AND solace.family_may_correct((row ->> 'supersedes')::uuid, patient,
                                              row ->> 'item', (row ->> 'recorded_at')::bigint));
