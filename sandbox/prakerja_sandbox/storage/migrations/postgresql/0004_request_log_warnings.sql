-- The request log keeps the Prakerja-Sandbox-Warning codes of each answer (a JSON list of {code, text}; NULL:
-- none) and its X-Request-Id.
ALTER TABLE request_log ADD COLUMN IF NOT EXISTS warnings TEXT;
ALTER TABLE request_log ADD COLUMN IF NOT EXISTS request_id TEXT;
