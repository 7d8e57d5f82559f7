-- Workspaces: isolated copies of the seeded world next to the default one (see prakerja_sandbox.workspaces).
-- Only the default workspace's database uses this table; the token is kept as its SHA-256 hex digest.
CREATE TABLE IF NOT EXISTS workspaces (
    name TEXT PRIMARY KEY,
    control_token_sha256 TEXT NOT NULL,
    created_at TEXT NOT NULL
);
