-- The sandbox state. Every area (payments, attendance, TPM/UK, SSO, control) shares this one schema.
-- Times are UTC text 'YYYY-MM-DDTHH:MM:SSZ' (sortable); booleans are 0/1; lists are JSON text.
-- The PostgreSQL twin of sqlite/0001_initial.sql: text compares byte-wise (COLLATE "C", as in SQLite), ids are
-- identity columns, and the tables read in insertion order carry SQLite's implicit rowid as a column.

CREATE TABLE IF NOT EXISTS kv (
    key TEXT COLLATE "C" PRIMARY KEY,
    value TEXT COLLATE "C" NOT NULL
);

-- Digital platforms (kind DP) and training institutions (kind LP).
CREATE TABLE IF NOT EXISTS partners (
    rowid BIGINT GENERATED ALWAYS AS IDENTITY UNIQUE,   -- insertion order (SQLite's rowid)
    code TEXT COLLATE "C" PRIMARY KEY,                       -- seed code, e.g. tokopedia, lp-cipta-kreasi-nusantara
    kind TEXT COLLATE "C" NOT NULL CHECK (kind IN ('DP', 'LP')),
    name TEXT COLLATE "C" NOT NULL,                          -- DP name is the redeem code's dp_platform
    client_code TEXT COLLATE "C" NOT NULL UNIQUE,            -- client_code / X-Client-Id header value
    sign_key TEXT COLLATE "C" NOT NULL,
    status TEXT COLLATE "C" NOT NULL,                        -- DP: active|suspended; LP: validated|pending_validation|suspended
    invoice_prefix TEXT COLLATE "C",                         -- DP only
    curated_by TEXT COLLATE "C",                             -- LP only: the DP code that vouches for it
    city_code TEXT COLLATE "C",                              -- LP only: Kemendagri regency code
    redirect_uris TEXT COLLATE "C" NOT NULL DEFAULT '[]',    -- LP: attendance verification redirect URIs
    sso_client_name TEXT COLLATE "C",                        -- LP: SSO consent page name (NULL = no SSO client)
    sso_redirect_uris TEXT COLLATE "C" NOT NULL DEFAULT '[]',
    sso_login_uris TEXT COLLATE "C" NOT NULL DEFAULT '[]',
    created_at TEXT COLLATE "C" NOT NULL
);

CREATE TABLE IF NOT EXISTS courses (
    rowid BIGINT GENERATED ALWAYS AS IDENTITY UNIQUE,   -- insertion order (SQLite's rowid)
    code TEXT COLLATE "C" PRIMARY KEY,
    lp_code TEXT COLLATE "C" REFERENCES partners (code),     -- NULL: shared test course (sold on every DP, any validated LP)
    title TEXT COLLATE "C" NOT NULL,
    type TEXT COLLATE "C" NOT NULL CHECK (type IN ('webinar', 'self_paced', 'offline')),
    price INTEGER NOT NULL,
    sessions INTEGER NOT NULL,                   -- attendance sequences 1..sessions (+ 999 post-test)
    tpm_count INTEGER NOT NULL,                  -- TPM sequences 1..tpm_count
    has_uk INTEGER NOT NULL,                     -- UK is sequence 999
    min_age INTEGER NOT NULL DEFAULT 18,
    max_age INTEGER NOT NULL DEFAULT 64,
    min_education TEXT COLLATE "C",                          -- SD, SMP, SMA, SMK, D1..D4, S1..S3; NULL = none
    is_test INTEGER NOT NULL DEFAULT 0
);

-- Which DPs sell a course (shared test courses need no rows: they are sold everywhere).
CREATE TABLE IF NOT EXISTS course_platforms (
    course_code TEXT COLLATE "C" NOT NULL REFERENCES courses (code),
    dp_code TEXT COLLATE "C" NOT NULL REFERENCES partners (code),
    PRIMARY KEY (course_code, dp_code)
);

CREATE TABLE IF NOT EXISTS schedules (
    rowid BIGINT GENERATED ALWAYS AS IDENTITY UNIQUE,   -- insertion order (SQLite's rowid)
    code TEXT COLLATE "C" PRIMARY KEY,
    course_code TEXT COLLATE "C" NOT NULL REFERENCES courses (code),
    start_at TEXT COLLATE "C",                               -- NULL when floating_start or when the course has no start
    floating_start INTEGER NOT NULL DEFAULT 0,   -- 1: the start follows the sandbox clock (always "now")
    duration_minutes INTEGER NOT NULL DEFAULT 0,
    capacity INTEGER NOT NULL,
    sold INTEGER NOT NULL DEFAULT 0 CHECK (sold >= 0 AND sold <= capacity)
);
CREATE INDEX IF NOT EXISTS schedules_course ON schedules (course_code);

CREATE TABLE IF NOT EXISTS participants (
    rowid BIGINT GENERATED ALWAYS AS IDENTITY UNIQUE,   -- insertion order (SQLite's rowid)
    prakerja_id TEXT COLLATE "C" PRIMARY KEY,                -- Kartu Prakerja number, 16 digits
    name TEXT COLLATE "C" NOT NULL,
    birth_date TEXT COLLATE "C" NOT NULL,                    -- YYYY-MM-DD
    gender TEXT COLLATE "C",
    education TEXT COLLATE "C" NOT NULL,
    phone TEXT COLLATE "C" NOT NULL,
    email TEXT COLLATE "C",
    regency_code TEXT COLLATE "C",
    balance INTEGER NOT NULL CHECK (balance >= 0),
    status TEXT COLLATE "C" NOT NULL DEFAULT 'active',       -- active|inactive
    magic_step TEXT COLLATE "C",                             -- scenarios.yaml magic participant: operation that refuses
    magic_code TEXT COLLATE "C"                              -- ... and the code it answers
);

-- One DP user id may use only one Kartu Prakerja number.
CREATE TABLE IF NOT EXISTS platform_bindings (
    dp_code TEXT COLLATE "C" NOT NULL,
    user_platform_id TEXT COLLATE "C" NOT NULL,
    prakerja_id TEXT COLLATE "C" NOT NULL,
    created_at TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (dp_code, user_platform_id)
);

CREATE TABLE IF NOT EXISTS payment_tokens (
    token TEXT COLLATE "C" PRIMARY KEY,                      -- 32 hex
    dp_code TEXT COLLATE "C" NOT NULL,
    prakerja_id TEXT COLLATE "C" NOT NULL,
    user_platform_id TEXT COLLATE "C" NOT NULL,
    course_code TEXT COLLATE "C" NOT NULL,
    schedule_code TEXT COLLATE "C" NOT NULL,
    amount INTEGER NOT NULL,
    otp TEXT COLLATE "C" NOT NULL,
    otp_expires_at TEXT COLLATE "C" NOT NULL,
    token_expires_at TEXT COLLATE "C" NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,         -- wrong OTPs so far
    locked INTEGER NOT NULL DEFAULT 0,
    used_at TEXT COLLATE "C",
    transaction_code TEXT COLLATE "C",
    created_at TEXT COLLATE "C" NOT NULL
);

CREATE TABLE IF NOT EXISTS transactions (
    rowid BIGINT GENERATED ALWAYS AS IDENTITY UNIQUE,   -- insertion order (SQLite's rowid)
    transaction_code TEXT COLLATE "C" PRIMARY KEY,           -- 16 upper-case alphanumerics
    dp_code TEXT COLLATE "C" NOT NULL,
    invoice_code TEXT COLLATE "C" NOT NULL,
    invoice_url TEXT COLLATE "C" NOT NULL,
    prakerja_id TEXT COLLATE "C" NOT NULL,
    user_platform_id TEXT COLLATE "C" NOT NULL,
    course_code TEXT COLLATE "C" NOT NULL,
    schedule_code TEXT COLLATE "C" NOT NULL,
    amount INTEGER NOT NULL,
    status TEXT COLLATE "C" NOT NULL CHECK (status IN ('SUCCESS', 'VOID')),
    payment_token TEXT COLLATE "C",
    redeem_code TEXT COLLATE "C",
    created_at TEXT COLLATE "C" NOT NULL,
    voided_at TEXT COLLATE "C",
    UNIQUE (dp_code, invoice_code)
);
CREATE INDEX IF NOT EXISTS transactions_participant ON transactions (prakerja_id, course_code);

CREATE TABLE IF NOT EXISTS redeem_codes (
    rowid BIGINT GENERATED ALWAYS AS IDENTITY UNIQUE,   -- insertion order (SQLite's rowid)
    code TEXT COLLATE "C" PRIMARY KEY,                       -- 12 upper-case alphanumerics, or PRAT-XXXXXX test codes
    course_code TEXT COLLATE "C" NOT NULL,
    schedule_code TEXT COLLATE "C" NOT NULL,
    lp_code TEXT COLLATE "C",                                -- owner; NULL: shared test code (any validated LP)
    dp_code TEXT COLLATE "C",                                -- seller (dp_platform is this DP's name)
    dp_platform TEXT COLLATE "C",                            -- seller's display name when no DP row applies
    invoice_code TEXT COLLATE "C",
    transaction_code TEXT COLLATE "C",                       -- NULL for seeded test codes
    prakerja_id TEXT COLLATE "C",
    status INTEGER NOT NULL DEFAULT 0 CHECK (status IN (0, 1, 2)),   -- 0 UNUSED, 1 REDEEMED, 2 CANCELLED
    redeem_at TEXT COLLATE "C",                              -- first verified attendance
    email TEXT COLLATE "C",                                  -- participant e-mail given to url-generate
    is_test INTEGER NOT NULL DEFAULT 0,          -- PRAT- code
    test_case TEXT COLLATE "C",                              -- e.g. TC1-001-200
    test_sequence INTEGER,                       -- the sequence the case exercises
    expect_code TEXT COLLATE "C",                            -- negative cases: the code they answer
    resettable INTEGER NOT NULL DEFAULT 0,
    created_at TEXT COLLATE "C" NOT NULL,
    cancelled_at TEXT COLLATE "C"
);
CREATE INDEX IF NOT EXISTS redeem_codes_course_email ON redeem_codes (course_code, email);

-- One row per verified (or failed) attendance sequence of a redeem code.
CREATE TABLE IF NOT EXISTS attendance (
    redeem_code TEXT COLLATE "C" NOT NULL REFERENCES redeem_codes (code),
    sequence INTEGER NOT NULL,                   -- 1..10, 999 post-test
    status INTEGER NOT NULL CHECK (status IN (0, 1, 2)),   -- 0 NOT_ATTENDED, 1 ATTENDED, 2 FAILED
    verified_at TEXT COLLATE "C",
    state TEXT COLLATE "C",                                  -- the verification that produced it
    PRIMARY KEY (redeem_code, sequence)
);

-- Pending attendance verifications created by url-generate (the state in the verification page URL).
CREATE TABLE IF NOT EXISTS verifications (
    rowid BIGINT GENERATED ALWAYS AS IDENTITY UNIQUE,   -- insertion order (SQLite's rowid)
    state TEXT COLLATE "C" PRIMARY KEY,
    redeem_code TEXT COLLATE "C" NOT NULL,
    sequence INTEGER NOT NULL,
    lp_code TEXT COLLATE "C" NOT NULL,
    redirect_uri TEXT COLLATE "C" NOT NULL,
    email TEXT COLLATE "C" NOT NULL,
    created_at TEXT COLLATE "C" NOT NULL,
    expires_at TEXT COLLATE "C" NOT NULL,
    completed_at TEXT COLLATE "C",
    outcome TEXT COLLATE "C" CHECK (outcome IS NULL OR outcome IN ('verified', 'failed'))
);

-- TPM/UK assignment and feedback rows (kind), one per redeem code, scope, sequence and kind.
CREATE TABLE IF NOT EXISTS tpm_submissions (
    id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    redeem_code TEXT COLLATE "C" NOT NULL,
    scope TEXT COLLATE "C" NOT NULL CHECK (scope IN ('tpm', 'uk')),
    sequence INTEGER NOT NULL,
    kind TEXT COLLATE "C" NOT NULL CHECK (kind IN ('assignment', 'feedback')),
    status INTEGER NOT NULL CHECK (status IN (0, 1, 2, 3)),   -- 0 none, 1 pending, 2 success, 3 failed
    url_file TEXT COLLATE "C",
    notes TEXT COLLATE "C",
    created_at TEXT COLLATE "C" NOT NULL,
    updated_at TEXT COLLATE "C" NOT NULL,
    UNIQUE (redeem_code, scope, sequence, kind)
);

-- SSO: a login started by sso.login_url, waiting on the consent page.
CREATE TABLE IF NOT EXISTS sso_requests (
    id TEXT COLLATE "C" PRIMARY KEY,
    client_code TEXT COLLATE "C" NOT NULL,
    state TEXT COLLATE "C" NOT NULL,
    scope TEXT COLLATE "C" NOT NULL,
    redirect_uri TEXT COLLATE "C" NOT NULL,
    login_uri TEXT COLLATE "C" NOT NULL,
    created_at TEXT COLLATE "C" NOT NULL,
    expires_at TEXT COLLATE "C" NOT NULL,
    consumed_at TEXT COLLATE "C"
);

CREATE TABLE IF NOT EXISTS sso_codes (
    code TEXT COLLATE "C" PRIMARY KEY,
    client_code TEXT COLLATE "C" NOT NULL,
    prakerja_id TEXT COLLATE "C" NOT NULL,
    scope TEXT COLLATE "C" NOT NULL,
    state TEXT COLLATE "C",
    redirect_uri TEXT COLLATE "C" NOT NULL,
    created_at TEXT COLLATE "C" NOT NULL,
    expires_at TEXT COLLATE "C" NOT NULL,
    used_at TEXT COLLATE "C"
);

CREATE TABLE IF NOT EXISTS sso_tokens (
    token TEXT COLLATE "C" PRIMARY KEY,
    kind TEXT COLLATE "C" NOT NULL CHECK (kind IN ('access', 'refresh')),
    client_code TEXT COLLATE "C" NOT NULL,
    prakerja_id TEXT COLLATE "C" NOT NULL,
    scope TEXT COLLATE "C" NOT NULL,
    pair TEXT COLLATE "C",                                   -- the other token of the same issue
    created_at TEXT COLLATE "C" NOT NULL,
    expires_at TEXT COLLATE "C" NOT NULL,
    revoked_at TEXT COLLATE "C"
);

-- The sandbox SMS inbox (OTP and redeem code messages), read through the control API.
CREATE TABLE IF NOT EXISTS inbox (
    id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    kind TEXT COLLATE "C" NOT NULL,                          -- otp | redeem_code | ...
    phone TEXT COLLATE "C" NOT NULL,
    prakerja_id TEXT COLLATE "C",
    text TEXT COLLATE "C" NOT NULL,
    otp TEXT COLLATE "C",
    payment_token TEXT COLLATE "C",
    redeem_code TEXT COLLATE "C",
    created_at TEXT COLLATE "C" NOT NULL
);

CREATE TABLE IF NOT EXISTS request_log (
    id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    at TEXT COLLATE "C" NOT NULL,
    method TEXT COLLATE "C" NOT NULL,
    path TEXT COLLATE "C" NOT NULL,
    query TEXT COLLATE "C" NOT NULL DEFAULT '',
    operation_id TEXT COLLATE "C",                           -- NULL: no operation matched
    client_code TEXT COLLATE "C",
    partner_code TEXT COLLATE "C",
    status INTEGER NOT NULL,
    error_code TEXT COLLATE "C",                             -- NULL on success
    signature_variant TEXT COLLATE "C",                      -- which accepted signing variant matched
    request_headers TEXT COLLATE "C" NOT NULL DEFAULT '{}',  -- JSON, credentials and Authorization redacted
    request_body TEXT COLLATE "C",                           -- as received (OTP redacted), truncated
    response_body TEXT COLLATE "C",                          -- truncated
    debug TEXT COLLATE "C",                                  -- JSON diagnostics
    duration_ms DOUBLE PRECISION
);
CREATE INDEX IF NOT EXISTS request_log_operation ON request_log (operation_id, error_code);

-- Injected faults (control API): error answers, latency, dropped or malformed responses.
CREATE TABLE IF NOT EXISTS faults (
    id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    operation_id TEXT COLLATE "C" NOT NULL DEFAULT '*',      -- '*' = every operation
    kind TEXT COLLATE "C" NOT NULL,                          -- error | latency | drop | malformed | profile ...
    error_code TEXT COLLATE "C",
    status INTEGER,
    latency_ms INTEGER,
    probability DOUBLE PRECISION NOT NULL DEFAULT 1.0,
    remaining INTEGER,                           -- NULL = unlimited
    partner_code TEXT COLLATE "C",                           -- NULL = every partner
    params TEXT COLLATE "C" NOT NULL DEFAULT '{}',           -- JSON, kind specific
    created_at TEXT COLLATE "C" NOT NULL,
    expires_at TEXT COLLATE "C"
);
