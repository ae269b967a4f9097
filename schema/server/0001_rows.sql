-- Solace agency server, version 1 (DESIGN §7). PostgreSQL 15 or later.
-- A shipped migration never changes: add a later file instead.
--
-- * One append-only table of synced rows: each row as the laptop that wrote it stored it
--   (JSON, references by UUID, authors by account name), with its UUID, device and that
--   device's counter. Updates and deletes are refused by the database itself.
-- * server_seq numbers rows in commit order: it is taken under the row lock of solace.seq,
--   held until the pushing transaction commits, so a reader's "everything after N" never
--   skips a row that committed late.
-- * Each Solace account is a PostgreSQL role of the same name, member of solace_nurse or
--   solace_family; row-level security decides what each sees and may write.
-- * Each device's audit chain head is kept, and a push must continue it.

-- Group roles are cluster-wide: made once, shared by the agency's databases.
DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'solace_nurse') THEN
        CREATE ROLE solace_nurse NOLOGIN;
    END IF;
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'solace_family') THEN
        CREATE ROLE solace_family NOLOGIN;
    END IF;
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'solace_admin') THEN
        CREATE ROLE solace_admin NOLOGIN;
    END IF;
END $$;

REVOKE ALL ON SCHEMA solace FROM PUBLIC;
GRANT USAGE ON SCHEMA solace TO solace_nurse, solace_family, solace_admin;

-- The agency's accounts. A disabled account's role also loses LOGIN.
CREATE TABLE solace.account (
    name       text PRIMARY KEY CHECK (length(name) BETWEEN 1 AND 64),
    role       text NOT NULL CHECK (role IN ('nurse', 'family')),
    is_admin   boolean NOT NULL DEFAULT false CHECK (role = 'nurse' OR NOT is_admin),
    disabled   boolean NOT NULL DEFAULT false,
    created_at timestamptz NOT NULL DEFAULT now()
);
-- The patients (by UUID) a family account may see.
CREATE TABLE solace.account_patient (
    account text NOT NULL REFERENCES solace.account (name),
    patient uuid NOT NULL,
    PRIMARY KEY (account, patient)
);
REVOKE ALL ON solace.account, solace.account_patient FROM PUBLIC;
GRANT SELECT, INSERT, UPDATE ON solace.account, solace.account_patient TO solace_admin;

CREATE TABLE solace.seq (
    one  integer PRIMARY KEY CHECK (one = 1),
    last bigint NOT NULL CHECK (last >= 0)
);
INSERT INTO solace.seq VALUES (1, 0);
REVOKE ALL ON solace.seq FROM PUBLIC;

CREATE TABLE solace.synced_row (
    uuid       uuid PRIMARY KEY,
    server_seq bigint NOT NULL UNIQUE,
    device     uuid NOT NULL,
    counter    bigint NOT NULL CHECK (counter >= 1),
    tbl        text NOT NULL CHECK (tbl IN ('patient', 'patient_version', 'visit', 'observation',
                                            'comfort_goal', 'medication', 'administration',
                                            'bowel_movement', 'flag_acknowledgement',
                                            'administration_void')),
    -- the patient the row is about: a patient row itself, a voided dose the dose's patient
    -- (solace.ingest looks it up), any other row its patient_id
    patient    uuid NOT NULL CHECK (tbl = 'administration_void' OR patient = (CASE WHEN tbl = 'patient'
                   THEN row ->> 'uuid' ELSE row ->> 'patient_id' END)::uuid),
    reporter   text GENERATED ALWAYS AS (row ->> 'reporter') STORED,
    author     text GENERATED ALWAYS AS (row ->> 'author_id') STORED,
    row        jsonb NOT NULL CHECK (jsonb_typeof(row) = 'object' AND (row ->> 'uuid')::uuid = uuid),
    pushed_by  text NOT NULL DEFAULT session_user,
    pushed_at  timestamptz NOT NULL DEFAULT now(),
    UNIQUE (device, counter)
);
CREATE INDEX synced_row_by_patient ON solace.synced_row (patient, server_seq);

CREATE FUNCTION solace.refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'synced rows are never changed or deleted: record a correction instead';
END $$;
CREATE TRIGGER synced_row_append_only BEFORE UPDATE OR DELETE ON solace.synced_row
    FOR EACH ROW EXECUTE FUNCTION solace.refuse_change();
CREATE TRIGGER synced_row_no_truncate BEFORE TRUNCATE ON solace.synced_row
    FOR EACH STATEMENT EXECUTE FUNCTION solace.refuse_change();
REVOKE ALL ON solace.synced_row FROM PUBLIC;
GRANT SELECT, INSERT ON solace.synced_row TO solace_nurse, solace_family;

-- The patients the signed-in account may see (a family account's list; nurses see all).
CREATE FUNCTION solace.my_patients() RETURNS SETOF uuid
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, solace AS $$
    SELECT patient FROM solace.account_patient WHERE account = session_user
$$;
REVOKE ALL ON FUNCTION solace.my_patients() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION solace.my_patients() TO solace_nurse, solace_family;

ALTER TABLE solace.synced_row ENABLE ROW LEVEL SECURITY;
CREATE POLICY nurse_reads ON solace.synced_row FOR SELECT TO solace_nurse USING (true);
CREATE POLICY nurse_writes ON solace.synced_row FOR INSERT TO solace_nurse
    WITH CHECK (pushed_by = session_user);
CREATE POLICY family_reads ON solace.synced_row FOR SELECT TO solace_family
    USING (patient IN (SELECT solace.my_patients()));
-- True when the medication row is as-needed (its schedule starts "prn", as
-- clinical/schedule.cpp reads it).
CREATE FUNCTION solace.is_prn(medication uuid) RETURNS boolean
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, solace AS $$
    SELECT coalesce((SELECT lower(btrim(row ->> 'schedule')) LIKE 'prn%' FROM solace.synced_row
                     WHERE uuid = medication AND tbl = 'medication'), false)
$$;
REVOKE ALL ON FUNCTION solace.is_prn(uuid) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION solace.is_prn(uuid) TO solace_family;

-- A family account writes caregiver-reported scores, as-needed doses and bowel movements of
-- its patients, as itself, and the visit rows that hold them; never the PPS, never a
-- correction, never a scheduled dose (the nurse's to record).
CREATE POLICY family_writes ON solace.synced_row FOR INSERT TO solace_family
    WITH CHECK (pushed_by = session_user AND author = session_user
                AND patient IN (SELECT solace.my_patients())
                AND (tbl = 'visit'
                     OR (tbl IN ('observation', 'administration', 'bowel_movement')
                         AND reporter = 'caregiver' AND row ->> 'supersedes' IS NULL
                         AND coalesce(row ->> 'item', '') <> 'pps'
                         AND (tbl <> 'administration'
                              OR solace.is_prn((row ->> 'medication_id')::uuid)))));

-- Each device's last push: its account, highest counter and audit chain head.
CREATE TABLE solace.device (
    uuid         uuid PRIMARY KEY,
    account      text NOT NULL,
    last_counter bigint NOT NULL DEFAULT 0,
    audit_id     bigint NOT NULL DEFAULT 0,
    audit_hash   text NOT NULL DEFAULT '',
    last_push_at timestamptz NOT NULL DEFAULT now()
);
REVOKE ALL ON solace.device FROM PUBLIC;
GRANT SELECT ON solace.device TO solace_admin;

-- Hands out n server sequence numbers; the row lock is held until the caller commits.
CREATE FUNCTION solace.take_seq(n integer) RETURNS bigint
    LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, solace AS $$
    UPDATE solace.seq SET last = last + n WHERE one = 1 RETURNING last - n
$$;
REVOKE ALL ON FUNCTION solace.take_seq(integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION solace.take_seq(integer) TO solace_nurse, solace_family;

-- Checks that `entries` ([{id, prev, hash}], ids ascending, hashes hex) continue the chain the
-- server holds for the device, then stores the new head. A laptop sends its log from the event
-- the server acknowledged last, so that event comes first, unchanged; then each event follows
-- the one before with no gap. Raises, naming device and event.
CREATE FUNCTION solace.anchor_audit(p_device uuid, entries jsonb, p_counter bigint)
    RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, solace AS $$
DECLARE
    head solace.device;
    e jsonb;
    prev_id bigint;
    prev_hash text;
BEGIN
    SELECT * INTO head FROM solace.device WHERE uuid = p_device FOR UPDATE;
    IF FOUND AND head.audit_id > 0 THEN
        e := entries -> 0;
        IF e IS NULL OR (e ->> 'id')::bigint <> head.audit_id THEN
            RAISE EXCEPTION 'device %: audit event % the server acknowledged is missing (the audit log was shortened or rewritten)',
                p_device, head.audit_id;
        END IF;
        IF e ->> 'hash' <> head.audit_hash THEN
            RAISE EXCEPTION 'device %: audit event % differs from the one the server acknowledged (the audit log was rewritten)',
                p_device, head.audit_id;
        END IF;
    END IF;
    FOR e IN SELECT value FROM jsonb_array_elements(entries) LOOP
        IF prev_id IS NOT NULL AND ((e ->> 'id')::bigint <> prev_id + 1 OR e ->> 'prev' <> prev_hash) THEN
            RAISE EXCEPTION 'device %: audit event % does not continue event % (a rewritten or shortened audit log)',
                p_device, e ->> 'id', prev_id;
        END IF;
        prev_id := (e ->> 'id')::bigint;
        prev_hash := e ->> 'hash';
    END LOOP;
    INSERT INTO solace.device AS d (uuid, account, last_counter, audit_id, audit_hash)
    VALUES (p_device, session_user, p_counter, coalesce(prev_id, 0), coalesce(prev_hash, ''))
    ON CONFLICT (uuid) DO UPDATE
        SET account = session_user,
            last_counter = greatest(d.last_counter, excluded.last_counter),
            audit_id = CASE WHEN prev_id IS NULL THEN d.audit_id ELSE excluded.audit_id END,
            audit_hash = CASE WHEN prev_id IS NULL THEN d.audit_hash ELSE excluded.audit_hash END,
            last_push_at = now();
END $$;
REVOKE ALL ON FUNCTION solace.anchor_audit(uuid, jsonb, bigint) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION solace.anchor_audit(uuid, jsonb, bigint) TO solace_nurse, solace_family;

-- One push: the audit chain is checked, then the rows ([{uuid, counter, tbl, row}]) are
-- inserted with sequence numbers in commit order; a row already present is skipped.
-- Runs as the caller, so row-level security judges every row. Returns the rows inserted.
CREATE FUNCTION solace.ingest(p_device uuid, p_rows jsonb, p_audit jsonb) RETURNS integer
    LANGUAGE plpgsql SET search_path = pg_catalog, solace AS $$
DECLARE
    base bigint;
    n integer;
BEGIN
    PERFORM solace.anchor_audit(p_device, p_audit,
        coalesce((SELECT max((r ->> 'counter')::bigint) FROM jsonb_array_elements(p_rows) AS r), 0));
    base := solace.take_seq(jsonb_array_length(p_rows));
    INSERT INTO solace.synced_row (uuid, server_seq, device, counter, tbl, patient, row)
    SELECT (r ->> 'uuid')::uuid, base + i, p_device, (r ->> 'counter')::bigint, r ->> 'tbl',
           CASE r ->> 'tbl'
               WHEN 'patient' THEN (r -> 'row' ->> 'uuid')::uuid
               -- the voided dose: already here, or in this push
               WHEN 'administration_void' THEN coalesce(
                   (SELECT d.patient FROM solace.synced_row d
                    WHERE d.uuid = (r -> 'row' ->> 'administration_id')::uuid),
                   (SELECT (d -> 'row' ->> 'patient_id')::uuid FROM jsonb_array_elements(p_rows) AS d
                    WHERE d ->> 'uuid' = r -> 'row' ->> 'administration_id'))
               ELSE (r -> 'row' ->> 'patient_id')::uuid
           END,
           r -> 'row'
    FROM jsonb_array_elements(p_rows) WITH ORDINALITY AS x(r, i)
    ON CONFLICT (uuid) DO NOTHING;
    GET DIAGNOSTICS n = ROW_COUNT;
    RETURN n;
END $$;
REVOKE ALL ON FUNCTION solace.ingest(uuid, jsonb, jsonb) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION solace.ingest(uuid, jsonb, jsonb) TO solace_nurse, solace_family;

-- Names, roles and disabled state of every account (no patient data), so each laptop knows
-- the authors of what it pulls and disables an account the agency disabled.
CREATE FUNCTION solace.directory()
    RETURNS TABLE (name text, role text, is_admin boolean, disabled boolean)
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, solace AS $$
    SELECT name, role, is_admin, disabled FROM solace.account ORDER BY name
$$;
REVOKE ALL ON FUNCTION solace.directory() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION solace.directory() TO solace_nurse, solace_family;
