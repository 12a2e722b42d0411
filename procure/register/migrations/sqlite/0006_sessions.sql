-- Sessions of the web desk that end on the server, and sign-in limits per client address.
-- A session is a row: the cookie carries a random id, the register only its SHA-256, so neither the register nor
-- the signing key alone makes a session. Signing out deletes the row; a new password, a disable, "sign out
-- everywhere" and `register rotate-key` delete a user's (or every) row. Moments are UTC text as in 0005_users.

CREATE TABLE web_sessions (
    id_hash TEXT PRIMARY KEY,        -- SHA-256 of the cookie's session id, hex
    user_name TEXT NOT NULL,
    created_at TEXT NOT NULL,
    last_seen TEXT NOT NULL
);
CREATE INDEX web_sessions_user ON web_sessions (user_name);

ALTER TABLE sign_in_failures ADD COLUMN address TEXT;   -- the client address the attempt came from, if known
CREATE INDEX sign_in_failures_address ON sign_in_failures (address, failed_at);

-- Quote numbers are told apart regardless of letter case (q-2026-0205 is Q-2026-0205): looked up by LOWER(number).
CREATE INDEX quotes_number_lower ON quotes (LOWER(number));

-- A file checked on a page of the web desk and carried to its next step (Issue): kept here for a short while under
-- a random reference the page carries, instead of its bytes twice in the form.
CREATE TABLE web_carried (
    ref TEXT PRIMARY KEY,
    user_name TEXT NOT NULL,
    name TEXT NOT NULL,
    data BLOB NOT NULL,
    kept_at TEXT NOT NULL
);
CREATE INDEX web_carried_user ON web_carried (user_name, kept_at);
