-- The web desk's users (PostgreSQL): who may sign in with which role, the sign-in failures that lock a name out
-- for a while, and the one secret key every worker of the web desk signs its sessions with.
-- Moments are UTC text, `2026-11-28T17:30:00.000000Z`, so that they compare as text.

CREATE TABLE users (
    name TEXT PRIMARY KEY,
    role TEXT NOT NULL CHECK (role IN ('viewer', 'desk', 'approver', 'admin')),
    password_hash TEXT NOT NULL,     -- werkzeug.security scrypt: salted, never the password
    created_at TEXT NOT NULL,
    changed_at TEXT NOT NULL,
    disabled_at TEXT                 -- set when the user may no longer sign in
);

CREATE TABLE sign_in_failures (
    id BIGSERIAL PRIMARY KEY,
    name TEXT NOT NULL,              -- the user name as typed, known or not
    failed_at TEXT NOT NULL
);
CREATE INDEX sign_in_failures_name ON sign_in_failures (name, failed_at);

CREATE TABLE web_secret (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    secret TEXT NOT NULL
);
