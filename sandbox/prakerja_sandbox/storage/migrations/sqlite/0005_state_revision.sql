-- The state revision (prakerja_sandbox.state_cache): a fresh random token in kv 'state.revision', written in the
-- same transaction as every change to partners, faults or another kv setting (clock offset, network profile),
-- whoever makes it. A worker keeps partners and settings in memory and reads only this row per request; a new
-- token tells it to reload. The network profile's request counter changes on every shaped request and guards
-- nothing, so it does not bump the revision.
CREATE TRIGGER IF NOT EXISTS partners_revision_insert AFTER INSERT ON partners BEGIN
    INSERT INTO kv (key, value) VALUES ('state.revision', lower(hex(randomblob(12))))
        ON CONFLICT (key) DO UPDATE SET value = excluded.value;
END;
CREATE TRIGGER IF NOT EXISTS partners_revision_update AFTER UPDATE ON partners BEGIN
    INSERT INTO kv (key, value) VALUES ('state.revision', lower(hex(randomblob(12))))
        ON CONFLICT (key) DO UPDATE SET value = excluded.value;
END;
CREATE TRIGGER IF NOT EXISTS partners_revision_delete AFTER DELETE ON partners BEGIN
    INSERT INTO kv (key, value) VALUES ('state.revision', lower(hex(randomblob(12))))
        ON CONFLICT (key) DO UPDATE SET value = excluded.value;
END;
CREATE TRIGGER IF NOT EXISTS faults_revision_insert AFTER INSERT ON faults BEGIN
    INSERT INTO kv (key, value) VALUES ('state.revision', lower(hex(randomblob(12))))
        ON CONFLICT (key) DO UPDATE SET value = excluded.value;
END;
CREATE TRIGGER IF NOT EXISTS faults_revision_update AFTER UPDATE ON faults BEGIN
    INSERT INTO kv (key, value) VALUES ('state.revision', lower(hex(randomblob(12))))
        ON CONFLICT (key) DO UPDATE SET value = excluded.value;
END;
CREATE TRIGGER IF NOT EXISTS faults_revision_delete AFTER DELETE ON faults BEGIN
    INSERT INTO kv (key, value) VALUES ('state.revision', lower(hex(randomblob(12))))
        ON CONFLICT (key) DO UPDATE SET value = excluded.value;
END;
CREATE TRIGGER IF NOT EXISTS kv_revision_insert AFTER INSERT ON kv
    WHEN NEW.key NOT IN ('state.revision', 'network.requests') BEGIN
    INSERT INTO kv (key, value) VALUES ('state.revision', lower(hex(randomblob(12))))
        ON CONFLICT (key) DO UPDATE SET value = excluded.value;
END;
CREATE TRIGGER IF NOT EXISTS kv_revision_update AFTER UPDATE ON kv
    WHEN NEW.key NOT IN ('state.revision', 'network.requests') BEGIN
    INSERT INTO kv (key, value) VALUES ('state.revision', lower(hex(randomblob(12))))
        ON CONFLICT (key) DO UPDATE SET value = excluded.value;
END;
