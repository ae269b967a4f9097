-- Solace agency server, version 2: each device's last sync, for the agency's admins.
-- A shipped migration never changes: add a later file instead.

-- Every device that pushed: its UUID, the account that pushed last, when, and the highest
-- counter the server holds from it. Admins only (solace.account.is_admin, not disabled);
-- anyone else is refused in words.
CREATE FUNCTION solace.devices()
    RETURNS TABLE (device uuid, account text, last_push_at timestamptz, last_counter bigint)
    LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, solace AS $$
BEGIN
    IF NOT EXISTS (SELECT FROM solace.account a
                   WHERE a.name = session_user AND a.is_admin AND NOT a.disabled) THEN
        RAISE EXCEPTION 'only an agency admin may see the devices that sync (% is not one)',
            session_user;
    END IF;
    RETURN QUERY SELECT d.uuid, d.account, d.last_push_at, d.last_counter
                 FROM solace.device d ORDER BY d.last_push_at DESC, d.uuid;
END $$;
REVOKE ALL ON FUNCTION solace.devices() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION solace.devices() TO solace_nurse, solace_family, solace_admin;
