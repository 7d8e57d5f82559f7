-- Running totals of the request log, kept by triggers in the same transaction as its rows, so the control API
-- and the dashboard read a few rows instead of counting and grouping the whole log on every page.
--
-- request_log_count: the number of rows the log holds now (one row, id 1; none means 0). Every insert adds one,
-- every delete (the bound dropping the oldest rows) takes one away. A wipe empties it with the log, its triggers
-- set aside (storage/sqlite.py), so SQLite still empties the log in one step.
--
-- coverage_codes, coverage_operations: the catalogue codes met (count, first and last `at`) and the calls per
-- operation (calls, answered below 400) since the log was last wiped. Inserts add to them; deletes do not take
-- away, so the bound dropping old rows does not make coverage forget a code a test suite met. A reset wipes
-- them with every other table; a reset that keeps the request log keeps them too (control/state.py).
CREATE TABLE IF NOT EXISTS request_log_count (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    row_count INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS coverage_codes (
    error_code TEXT PRIMARY KEY,
    count INTEGER NOT NULL,
    first_at TEXT NOT NULL,
    last_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS coverage_operations (
    operation_id TEXT PRIMARY KEY,
    calls INTEGER NOT NULL,
    succeeded INTEGER NOT NULL                   -- answered with a status below 400
);

-- A log made before these totals: they start from the rows it holds (codes of rows the bound dropped are gone).
INSERT INTO request_log_count (id, row_count) SELECT 1, COUNT(*) FROM request_log;
INSERT INTO coverage_codes (error_code, count, first_at, last_at)
    SELECT error_code, COUNT(*), MIN(at), MAX(at) FROM request_log WHERE error_code IS NOT NULL GROUP BY error_code;
INSERT INTO coverage_operations (operation_id, calls, succeeded)
    SELECT operation_id, COUNT(*), SUM(CASE WHEN status < 400 THEN 1 ELSE 0 END) FROM request_log
    WHERE operation_id IS NOT NULL GROUP BY operation_id;

CREATE TRIGGER IF NOT EXISTS request_log_totals_insert AFTER INSERT ON request_log BEGIN
    INSERT INTO request_log_count (id, row_count) VALUES (1, 1)
        ON CONFLICT (id) DO UPDATE SET row_count = row_count + 1;
    INSERT INTO coverage_codes (error_code, count, first_at, last_at)
        SELECT NEW.error_code, 1, NEW.at, NEW.at WHERE NEW.error_code IS NOT NULL
        ON CONFLICT (error_code) DO UPDATE SET count = count + 1, first_at = min(first_at, excluded.first_at),
            last_at = max(last_at, excluded.last_at);
    INSERT INTO coverage_operations (operation_id, calls, succeeded)
        SELECT NEW.operation_id, 1, CASE WHEN NEW.status < 400 THEN 1 ELSE 0 END WHERE NEW.operation_id IS NOT NULL
        ON CONFLICT (operation_id) DO UPDATE SET calls = calls + 1, succeeded = succeeded + excluded.succeeded;
END;
-- UPDATE, never an upsert: with request_log_count emptied first, emptying the log must leave it empty.
CREATE TRIGGER IF NOT EXISTS request_log_totals_delete AFTER DELETE ON request_log BEGIN
    UPDATE request_log_count SET row_count = row_count - 1;
END;

-- The filters of the request log (control API and dashboard: operation, partner, error code, failed, warned)
-- count their matches through an index, and list the newest first from it (an index entry ends with the rowid,
-- which is `id`, so equal keys come in `id` order). (operation_id, error_code) served the coverage grouping, which
-- the totals above replace.
DROP INDEX IF EXISTS request_log_operation;
CREATE INDEX IF NOT EXISTS request_log_operation_id ON request_log (operation_id);
CREATE INDEX IF NOT EXISTS request_log_client_code ON request_log (client_code);
CREATE INDEX IF NOT EXISTS request_log_error_code ON request_log (error_code);
CREATE INDEX IF NOT EXISTS request_log_failed ON request_log (id) WHERE status >= 400;
CREATE INDEX IF NOT EXISTS request_log_warned ON request_log (id) WHERE warnings IS NOT NULL;
