-- The request log keeps the Prakerja-Sandbox-Warning codes of each answer (a JSON list of {code, text}; NULL:
-- none) and its X-Request-Id.
ALTER TABLE request_log ADD COLUMN warnings TEXT;
ALTER TABLE request_log ADD COLUMN request_id TEXT;
