-- Running totals of the request log, kept by triggers in the same transaction as its rows, so the control API
-- and the dashboard read a few rows instead of counting and grouping the whole log on every page.
--
-- request_log_count: the number of rows the log holds now (one row, id 1; none means 0). Every insert adds its
-- rows, every delete (the bound dropping the oldest rows, a wipe) takes its rows away, TRUNCATE makes it 0.
--
-- coverage_codes, coverage_operations: the catalogue codes met (count, first and last `at`) and the calls per
-- operation (calls, answered below 400) since the log was last wiped. Inserts add to them; deletes do not take
-- away, so the bound dropping old rows does not make coverage forget a code a test suite met. A reset wipes
-- them with every other table; a reset that keeps the request log keeps them too (control/state.py).
--
-- The triggers run once per statement over its transition table: the bound drops a thousand rows with one
-- DELETE, and a bulk INSERT ... SELECT adds up its rows in three statements. Names resolve through the
-- connection's search_path, so each workspace schema keeps its own totals.
CREATE TABLE IF NOT EXISTS request_log_count (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    row_count BIGINT NOT NULL
);
CREATE TABLE IF NOT EXISTS coverage_codes (
    error_code TEXT COLLATE "C" PRIMARY KEY,
    count BIGINT NOT NULL,
    first_at TEXT COLLATE "C" NOT NULL,
    last_at TEXT COLLATE "C" NOT NULL
);
CREATE TABLE IF NOT EXISTS coverage_operations (
    operation_id TEXT COLLATE "C" PRIMARY KEY,
    calls BIGINT NOT NULL,
    succeeded BIGINT NOT NULL                                -- answered with a status below 400
);

-- A log made before these totals: they start from the rows it holds (codes of rows the bound dropped are gone).
INSERT INTO request_log_count (id, row_count) SELECT 1, COUNT(*) FROM request_log;
INSERT INTO coverage_codes (error_code, count, first_at, last_at)
    SELECT error_code, COUNT(*), MIN(at), MAX(at) FROM request_log WHERE error_code IS NOT NULL GROUP BY error_code;
INSERT INTO coverage_operations (operation_id, calls, succeeded)
    SELECT operation_id, COUNT(*), COUNT(*) FILTER (WHERE status < 400) FROM request_log
    WHERE operation_id IS NOT NULL GROUP BY operation_id;

CREATE OR REPLACE FUNCTION request_log_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO request_log_count (id, row_count) SELECT 1, COUNT(*) FROM inserted
        ON CONFLICT (id) DO UPDATE SET row_count = request_log_count.row_count + excluded.row_count;
    INSERT INTO coverage_codes (error_code, count, first_at, last_at)
        SELECT error_code, COUNT(*), MIN(at), MAX(at) FROM inserted WHERE error_code IS NOT NULL GROUP BY error_code
        ON CONFLICT (error_code) DO UPDATE SET count = coverage_codes.count + excluded.count,
            first_at = LEAST(coverage_codes.first_at, excluded.first_at),
            last_at = GREATEST(coverage_codes.last_at, excluded.last_at);
    INSERT INTO coverage_operations (operation_id, calls, succeeded)
        SELECT operation_id, COUNT(*), COUNT(*) FILTER (WHERE status < 400) FROM inserted
        WHERE operation_id IS NOT NULL GROUP BY operation_id
        ON CONFLICT (operation_id) DO UPDATE SET calls = coverage_operations.calls + excluded.calls,
            succeeded = coverage_operations.succeeded + excluded.succeeded;
    RETURN NULL;
END;
$$;
-- UPDATE, never an upsert: a wipe empties request_log_count before request_log, and must leave it empty.
CREATE OR REPLACE FUNCTION request_log_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE request_log_count SET row_count = row_count - (SELECT COUNT(*) FROM deleted);
    RETURN NULL;
END;
$$;
CREATE OR REPLACE FUNCTION request_log_truncated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE request_log_count SET row_count = 0;
    RETURN NULL;
END;
$$;
CREATE TRIGGER request_log_totals_insert AFTER INSERT ON request_log REFERENCING NEW TABLE AS inserted
    FOR EACH STATEMENT EXECUTE FUNCTION request_log_inserted();
CREATE TRIGGER request_log_totals_delete AFTER DELETE ON request_log REFERENCING OLD TABLE AS deleted
    FOR EACH STATEMENT EXECUTE FUNCTION request_log_deleted();
CREATE TRIGGER request_log_totals_truncate AFTER TRUNCATE ON request_log
    FOR EACH STATEMENT EXECUTE FUNCTION request_log_truncated();

-- The filters of the request log (control API and dashboard: operation, partner, error code, failed, warned)
-- count their matches through an index, and list the newest first from it. (operation_id, error_code) served
-- the coverage grouping, which the totals above replace.
DROP INDEX IF EXISTS request_log_operation;
CREATE INDEX IF NOT EXISTS request_log_operation_id ON request_log (operation_id, id);
CREATE INDEX IF NOT EXISTS request_log_client_code ON request_log (client_code, id);
CREATE INDEX IF NOT EXISTS request_log_error_code ON request_log (error_code, id);
CREATE INDEX IF NOT EXISTS request_log_failed ON request_log (id) WHERE status >= 400;
CREATE INDEX IF NOT EXISTS request_log_warned ON request_log (id) WHERE warnings IS NOT NULL;
