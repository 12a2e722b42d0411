-- The register's first schema (SQLite). Issued content is immutable: triggers refuse UPDATE and DELETE
-- of quotes, inputs, files and events; a status change is a new row of events. Only `settings` and `sequences` change.

CREATE TABLE settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE sequences (
    scope TEXT PRIMARY KEY,          -- the year of the quote date, or `all` for a format without {year}
    last INTEGER NOT NULL
);

CREATE TABLE quotes (                -- one row per issued revision: what lists read (small rows)
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    number TEXT NOT NULL UNIQUE,
    base TEXT NOT NULL,
    revision INTEGER NOT NULL CHECK (revision >= 0),
    reason TEXT,
    facility TEXT NOT NULL,
    dodaac TEXT NOT NULL,
    quote_date TEXT NOT NULL,
    valid_through TEXT NOT NULL,
    total TEXT,
    issued_by TEXT NOT NULL,
    issued_at TEXT NOT NULL,         -- UTC, ISO 8601
    UNIQUE (base, revision)
);
CREATE INDEX quotes_facility ON quotes (facility);
CREATE INDEX quotes_dodaac ON quotes (dodaac);

CREATE TABLE inputs (                -- what each revision was made from: the bulky part of a quote
    number TEXT PRIMARY KEY REFERENCES quotes (number),
    lines TEXT NOT NULL,             -- JSON: the quoted lines, for revisions and diffs
    request_name TEXT NOT NULL,
    request_bytes BLOB NOT NULL,      -- the request file as given: TOML text or a filled form
    price_list_name TEXT,
    price_list_bytes BLOB,
    profile_name TEXT,
    profile_bytes BLOB,
    catalog_version TEXT NOT NULL,
    catalog_digest TEXT NOT NULL,
    procure_version TEXT NOT NULL
);

CREATE TABLE files (
    number TEXT NOT NULL REFERENCES quotes (number),
    suffix TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    content BLOB NOT NULL,
    PRIMARY KEY (number, suffix)
);
CREATE INDEX files_sha256 ON files (sha256);

CREATE TABLE events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    number TEXT NOT NULL REFERENCES quotes (number),
    kind TEXT NOT NULL CHECK (kind IN ('superseded', 'accepted', 'void')),
    superseded_by TEXT,              -- the revision that superseded it
    delivery_order TEXT,
    reason TEXT,
    recorded_by TEXT NOT NULL,
    recorded_at TEXT NOT NULL
);
CREATE INDEX events_number ON events (number);

CREATE TRIGGER quotes_no_update BEFORE UPDATE ON quotes
BEGIN SELECT RAISE(ABORT, 'issued quotes are immutable: UPDATE of quotes refused'); END;
CREATE TRIGGER quotes_no_delete BEFORE DELETE ON quotes
BEGIN SELECT RAISE(ABORT, 'issued quotes are immutable: DELETE of quotes refused'); END;
CREATE TRIGGER inputs_no_update BEFORE UPDATE ON inputs
BEGIN SELECT RAISE(ABORT, 'issued quotes are immutable: UPDATE of inputs refused'); END;
CREATE TRIGGER inputs_no_delete BEFORE DELETE ON inputs
BEGIN SELECT RAISE(ABORT, 'issued quotes are immutable: DELETE of inputs refused'); END;
CREATE TRIGGER files_no_update BEFORE UPDATE ON files
BEGIN SELECT RAISE(ABORT, 'issued quotes are immutable: UPDATE of files refused'); END;
CREATE TRIGGER files_no_delete BEFORE DELETE ON files
BEGIN SELECT RAISE(ABORT, 'issued quotes are immutable: DELETE of files refused'); END;
CREATE TRIGGER events_no_update BEFORE UPDATE ON events
BEGIN SELECT RAISE(ABORT, 'issued quotes are immutable: UPDATE of events refused'); END;
CREATE TRIGGER events_no_delete BEFORE DELETE ON events
BEGIN SELECT RAISE(ABORT, 'issued quotes are immutable: DELETE of events refused'); END;
