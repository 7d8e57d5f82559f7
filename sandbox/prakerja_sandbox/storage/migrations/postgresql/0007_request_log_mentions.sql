-- The request log's `mentions` filter (the requests whose body or query string holds a text: a Kartu Prakerja
-- number, an invoice or redeem code, an e-mail) answered from an index instead of reading every row's body.
--
-- pg_trgm's GIN operator class indexes the trigrams of request_body and of query, and serves `LIKE '%text%'`
-- on each column: the index gives the rows holding the text's trigrams, and PostgreSQL checks LIKE on each of
-- them (a recheck), so the answer is exact and case-sensitive (the columns are COLLATE "C"). pg_trgm takes its
-- trigrams from runs of letters and digits only: a text of two characters, or of too few letters and digits
-- (`@-.`), gives the index nothing to narrow by, and every row is read, as before (storage/text_search.py).
--
-- pg_trgm is a trusted extension (PostgreSQL 13 and later): a role with CREATE on the database may create it.
-- It is made once per database, in a schema of its own (prakerja_extensions), so dropping a workspace's schema
-- never drops it, or with it the indexes of every other schema; where the database has it already, that copy
-- is used. Where it cannot be made (no privilege, not installed) the migration still succeeds without the
-- indexes, with a WARNING, and the store logs that the filter reads every row (storage/postgresql.py).
DO $mentions$
DECLARE
    home name;
BEGIN
    SELECT n.nspname INTO home
        FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = 'pg_trgm';
    IF home IS NULL THEN
        CREATE SCHEMA IF NOT EXISTS prakerja_extensions;
        CREATE EXTENSION pg_trgm SCHEMA prakerja_extensions;
        home := 'prakerja_extensions';
    END IF;
    EXECUTE format(
        'CREATE INDEX IF NOT EXISTS request_log_body_trgm ON request_log USING gin (request_body %I.gin_trgm_ops)',
        home
    );
    EXECUTE format(
        'CREATE INDEX IF NOT EXISTS request_log_query_trgm ON request_log USING gin (query %I.gin_trgm_ops)', home
    );
EXCEPTION WHEN insufficient_privilege OR undefined_file OR feature_not_supported THEN
    RAISE WARNING 'request_log is not indexed for mentions (pg_trgm: %); the filter reads every row', SQLERRM;
END;
$mentions$;
