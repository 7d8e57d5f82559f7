-- The workspaces of a sandbox (prakerja_sandbox.workspaces), kept in the default workspace's database: each
-- one's name, control token and creation time (sandbox time).
CREATE TABLE IF NOT EXISTS workspaces (
    name TEXT COLLATE "C" PRIMARY KEY,
    control_token TEXT COLLATE "C" NOT NULL,
    created_at TEXT COLLATE "C" NOT NULL
);
