-- The state revision (prakerja_sandbox.state_cache): a fresh random token in kv 'state.revision', written in the
-- same transaction as every change to partners, faults or another kv setting (clock offset, network profile),
-- whoever makes it. A worker keeps partners and settings in memory and reads only this row per request; a new
-- token tells it to reload. The network profile's request counter changes on every shaped request and guards
-- nothing, so it does not bump the revision. Names resolve through the connection's search_path, so each
-- workspace schema bumps its own kv.
CREATE OR REPLACE FUNCTION bump_state_revision() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO kv (key, value) VALUES ('state.revision', gen_random_uuid()::text)
        ON CONFLICT (key) DO UPDATE SET value = excluded.value;
    RETURN NULL;
END;
$$;
CREATE TRIGGER partners_revision AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON partners
    FOR EACH STATEMENT EXECUTE FUNCTION bump_state_revision();
CREATE TRIGGER faults_revision AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON faults
    FOR EACH STATEMENT EXECUTE FUNCTION bump_state_revision();
CREATE TRIGGER kv_revision AFTER INSERT OR UPDATE ON kv
    FOR EACH ROW WHEN (NEW.key NOT IN ('state.revision', 'network.requests'))
    EXECUTE FUNCTION bump_state_revision();
