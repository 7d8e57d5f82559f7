-- The sandbox state. Every area (payments, attendance, TPM/UK, SSO, control) shares this one schema.
-- Times are UTC text 'YYYY-MM-DDTHH:MM:SSZ' (sortable); booleans are 0/1; lists are JSON text.

CREATE TABLE IF NOT EXISTS kv (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

-- Digital platforms (kind DP) and training institutions (kind LP).
CREATE TABLE IF NOT EXISTS partners (
    code TEXT PRIMARY KEY,                       -- seed code, e.g. tokopedia, lp-cipta-kreasi-nusantara
    kind TEXT NOT NULL CHECK (kind IN ('DP', 'LP')),
    name TEXT NOT NULL,                          -- DP name is the redeem code's dp_platform
    client_code TEXT NOT NULL UNIQUE,            -- client_code / X-Client-Id header value
    sign_key TEXT NOT NULL,
    status TEXT NOT NULL,                        -- DP: active|suspended; LP: validated|pending_validation|suspended
    invoice_prefix TEXT,                         -- DP only
    curated_by TEXT,                             -- LP only: the DP code that vouches for it
    city_code TEXT,                              -- LP only: Kemendagri regency code
    redirect_uris TEXT NOT NULL DEFAULT '[]',    -- LP: attendance verification redirect URIs
    sso_client_name TEXT,                        -- LP: SSO consent page name (NULL = no SSO client)
    sso_redirect_uris TEXT NOT NULL DEFAULT '[]',
    sso_login_uris TEXT NOT NULL DEFAULT '[]',
    created_at TEXT NOT NULL
);

CREATE TABLE IF NOT EXISTS courses (
    code TEXT PRIMARY KEY,
    lp_code TEXT REFERENCES partners (code),     -- NULL: shared test course (sold on every DP, any validated LP)
    title TEXT NOT NULL,
    type TEXT NOT NULL CHECK (type IN ('webinar', 'self_paced', 'offline')),
    price INTEGER NOT NULL,
    sessions INTEGER NOT NULL,                   -- attendance sequences 1..sessions (+ 999 post-test)
    tpm_count INTEGER NOT NULL,                  -- TPM sequences 1..tpm_count
    has_uk INTEGER NOT NULL,                     -- UK is sequence 999
    min_age INTEGER NOT NULL DEFAULT 18,
    max_age INTEGER NOT NULL DEFAULT 64,
    min_education TEXT,                          -- SD, SMP, SMA, SMK, D1..D4, S1..S3; NULL = none
    is_test INTEGER NOT NULL DEFAULT 0
);

-- Which DPs sell a course (shared test courses need no rows: they are sold everywhere).
CREATE TABLE IF NOT EXISTS course_platforms (
    course_code TEXT NOT NULL REFERENCES courses (code),
    dp_code TEXT NOT NULL REFERENCES partners (code),
    PRIMARY KEY (course_code, dp_code)
);

CREATE TABLE IF NOT EXISTS schedules (
    code TEXT PRIMARY KEY,
    course_code TEXT NOT NULL REFERENCES courses (code),
    start_at TEXT,                               -- NULL when floating_start or when the course has no start
    floating_start INTEGER NOT NULL DEFAULT 0,   -- 1: the start follows the sandbox clock (always "now")
    duration_minutes INTEGER NOT NULL DEFAULT 0,
    capacity INTEGER NOT NULL,
    sold INTEGER NOT NULL DEFAULT 0 CHECK (sold >= 0 AND sold <= capacity)
);
CREATE INDEX IF NOT EXISTS schedules_course ON schedules (course_code);

CREATE TABLE IF NOT EXISTS participants (
    prakerja_id TEXT PRIMARY KEY,                -- Kartu Prakerja number, 16 digits
    name TEXT NOT NULL,
    birth_date TEXT NOT NULL,                    -- YYYY-MM-DD
    gender TEXT,
    education TEXT NOT NULL,
    phone TEXT NOT NULL,
    email TEXT,
    regency_code TEXT,
    balance INTEGER NOT NULL CHECK (balance >= 0),
    status TEXT NOT NULL DEFAULT 'active',       -- active|inactive
    magic_step TEXT,                             -- scenarios.yaml magic participant: operation that refuses
    magic_code TEXT                              -- ... and the code it answers
);

-- One DP user id may use only one Kartu Prakerja number.
CREATE TABLE IF NOT EXISTS platform_bindings (
    dp_code TEXT NOT NULL,
    user_platform_id TEXT NOT NULL,
    prakerja_id TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (dp_code, user_platform_id)
);

CREATE TABLE IF NOT EXISTS payment_tokens (
    token TEXT PRIMARY KEY,                      -- 32 hex
    dp_code TEXT NOT NULL,
    prakerja_id TEXT NOT NULL,
    user_platform_id TEXT NOT NULL,
    course_code TEXT NOT NULL,
    schedule_code TEXT NOT NULL,
    amount INTEGER NOT NULL,
    otp TEXT NOT NULL,
    otp_expires_at TEXT NOT NULL,
    token_expires_at TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,         -- wrong OTPs so far
    locked INTEGER NOT NULL DEFAULT 0,
    used_at TEXT,
    transaction_code TEXT,
    created_at TEXT NOT NULL
);

CREATE TABLE IF NOT EXISTS transactions (
    transaction_code TEXT PRIMARY KEY,           -- 16 upper-case alphanumerics
    dp_code TEXT NOT NULL,
    invoice_code TEXT NOT NULL,
    invoice_url TEXT NOT NULL,
    prakerja_id TEXT NOT NULL,
    user_platform_id TEXT NOT NULL,
    course_code TEXT NOT NULL,
    schedule_code TEXT NOT NULL,
    amount INTEGER NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('SUCCESS', 'VOID')),
    payment_token TEXT,
    redeem_code TEXT,
    created_at TEXT NOT NULL,
    voided_at TEXT,
    UNIQUE (dp_code, invoice_code)
);
CREATE INDEX IF NOT EXISTS transactions_participant ON transactions (prakerja_id, course_code);

CREATE TABLE IF NOT EXISTS redeem_codes (
    code TEXT PRIMARY KEY,                       -- 12 upper-case alphanumerics, or PRAT-XXXXXX test codes
    course_code TEXT NOT NULL,
    schedule_code TEXT NOT NULL,
    lp_code TEXT,                                -- owner; NULL: shared test code (any validated LP)
    dp_code TEXT,                                -- seller (dp_platform is this DP's name)
    dp_platform TEXT,                            -- seller's display name when no DP row applies
    invoice_code TEXT,
    transaction_code TEXT,                       -- NULL for seeded test codes
    prakerja_id TEXT,
    status INTEGER NOT NULL DEFAULT 0 CHECK (status IN (0, 1, 2)),   -- 0 UNUSED, 1 REDEEMED, 2 CANCELLED
    redeem_at TEXT,                              -- first verified attendance
    email TEXT,                                  -- participant e-mail given to url-generate
    is_test INTEGER NOT NULL DEFAULT 0,          -- PRAT- code
    test_case TEXT,                              -- e.g. TC1-001-200
    test_sequence INTEGER,                       -- the sequence the case exercises
    expect_code TEXT,                            -- negative cases: the code they answer
    resettable INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    cancelled_at TEXT
);
CREATE INDEX IF NOT EXISTS redeem_codes_course_email ON redeem_codes (course_code, email);

-- One row per verified (or failed) attendance sequence of a redeem code.
CREATE TABLE IF NOT EXISTS attendance (
    redeem_code TEXT NOT NULL REFERENCES redeem_codes (code),
    sequence INTEGER NOT NULL,                   -- 1..10, 999 post-test
    status INTEGER NOT NULL CHECK (status IN (0, 1, 2)),   -- 0 NOT_ATTENDED, 1 ATTENDED, 2 FAILED
    verified_at TEXT,
    state TEXT,                                  -- the verification that produced it
    PRIMARY KEY (redeem_code, sequence)
);

-- Pending attendance verifications created by url-generate (the state in the verification page URL).
CREATE TABLE IF NOT EXISTS verifications (
    state TEXT PRIMARY KEY,
    redeem_code TEXT NOT NULL,
    sequence INTEGER NOT NULL,
    lp_code TEXT NOT NULL,
    redirect_uri TEXT NOT NULL,
    email TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    completed_at TEXT,
    outcome TEXT CHECK (outcome IS NULL OR outcome IN ('verified', 'failed'))
);

-- TPM/UK assignment and feedback rows (kind), one per redeem code, scope, sequence and kind.
CREATE TABLE IF NOT EXISTS tpm_submissions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    redeem_code TEXT NOT NULL,
    scope TEXT NOT NULL CHECK (scope IN ('tpm', 'uk')),
    sequence INTEGER NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('assignment', 'feedback')),
    status INTEGER NOT NULL CHECK (status IN (0, 1, 2, 3)),   -- 0 none, 1 pending, 2 success, 3 failed
    url_file TEXT,
    notes TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (redeem_code, scope, sequence, kind)
);

-- SSO: a login started by sso.login_url, waiting on the consent page.
CREATE TABLE IF NOT EXISTS sso_requests (
    id TEXT PRIMARY KEY,
    client_code TEXT NOT NULL,
    state TEXT NOT NULL,
    scope TEXT NOT NULL,
    redirect_uri TEXT NOT NULL,
    login_uri TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    consumed_at TEXT
);

CREATE TABLE IF NOT EXISTS sso_codes (
    code TEXT PRIMARY KEY,
    client_code TEXT NOT NULL,
    prakerja_id TEXT NOT NULL,
    scope TEXT NOT NULL,
    state TEXT,
    redirect_uri TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    used_at TEXT
);

CREATE TABLE IF NOT EXISTS sso_tokens (
    token TEXT PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('access', 'refresh')),
    client_code TEXT NOT NULL,
    prakerja_id TEXT NOT NULL,
    scope TEXT NOT NULL,
    pair TEXT,                                   -- the other token of the same issue
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    revoked_at TEXT
);

-- The sandbox SMS inbox (OTP and redeem code messages), read through the control API.
CREATE TABLE IF NOT EXISTS inbox (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    kind TEXT NOT NULL,                          -- otp | redeem_code | ...
    phone TEXT NOT NULL,
    prakerja_id TEXT,
    text TEXT NOT NULL,
    otp TEXT,
    payment_token TEXT,
    redeem_code TEXT,
    created_at TEXT NOT NULL
);

CREATE TABLE IF NOT EXISTS request_log (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at TEXT NOT NULL,
    method TEXT NOT NULL,
    path TEXT NOT NULL,
    query TEXT NOT NULL DEFAULT '',
    operation_id TEXT,                           -- NULL: no operation matched
    client_code TEXT,
    partner_code TEXT,
    status INTEGER NOT NULL,
    error_code TEXT,                             -- NULL on success
    signature_variant TEXT,                      -- which accepted signing variant matched
    request_headers TEXT NOT NULL DEFAULT '{}',  -- JSON, credentials and Authorization redacted
    request_body TEXT,                           -- as received (OTP redacted), truncated
    response_body TEXT,                          -- truncated
    debug TEXT,                                  -- JSON diagnostics
    duration_ms REAL
);
CREATE INDEX IF NOT EXISTS request_log_operation ON request_log (operation_id, error_code);

-- Injected faults (control API): error answers, latency, dropped or malformed responses.
CREATE TABLE IF NOT EXISTS faults (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    operation_id TEXT NOT NULL DEFAULT '*',      -- '*' = every operation
    kind TEXT NOT NULL,                          -- error | latency | drop | malformed | profile ...
    error_code TEXT,
    status INTEGER,
    latency_ms INTEGER,
    probability REAL NOT NULL DEFAULT 1.0,
    remaining INTEGER,                           -- NULL = unlimited
    partner_code TEXT,                           -- NULL = every partner
    params TEXT NOT NULL DEFAULT '{}',           -- JSON, kind specific
    created_at TEXT NOT NULL,
    expires_at TEXT
);
