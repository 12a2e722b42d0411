-- The customer's side (SQLite): links that let a facility's officers see and act on its quotes without an
-- account, every use of a link, the changes officers ask for, and the requests they send to the desk's inbox.
-- A link is kept only as the sha256 of its token: a copy of the register does not give anyone a live link.
-- Moments are UTC text, `2026-11-28T17:30:00.000000Z`, so that they compare as text.

CREATE TABLE customer_links (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    dodaac TEXT NOT NULL,
    token_sha256 TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL,
    created_by TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    last_used_at TEXT,
    revoked_at TEXT,
    revoked_by TEXT
);
CREATE INDEX customer_links_dodaac ON customer_links (dodaac);

-- Every use of a link (never its token); the POSTs among them are what the rate limits count.
CREATE TABLE link_uses (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    link_id INTEGER NOT NULL REFERENCES customer_links (id),
    action TEXT NOT NULL,
    number TEXT,
    address TEXT NOT NULL,
    posted INTEGER NOT NULL CHECK (posted IN (0, 1)),
    used_at TEXT NOT NULL
);
CREATE INDEX link_uses_link ON link_uses (link_id, posted, used_at);
CREATE INDEX link_uses_address ON link_uses (address, posted, used_at);

CREATE TABLE change_requests (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    number TEXT NOT NULL REFERENCES quotes (number),
    link_id INTEGER REFERENCES customer_links (id),
    name TEXT NOT NULL,
    email TEXT NOT NULL,
    message TEXT NOT NULL,
    recorded_at TEXT NOT NULL
);
CREATE INDEX change_requests_number ON change_requests (number);

CREATE TABLE customer_requests (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    dodaac TEXT NOT NULL,
    link_id INTEGER REFERENCES customer_links (id),
    name TEXT NOT NULL,
    email TEXT NOT NULL,
    request_name TEXT NOT NULL,
    request_bytes BLOB NOT NULL,
    received_at TEXT NOT NULL
);

-- When each desk user last marked what customers did through their links as seen (the quotes page shows what
-- came after).
CREATE TABLE customer_news_seen (
    name TEXT PRIMARY KEY,
    seen_at TEXT NOT NULL
);
