-- Contract price lists kept in the register, and approval of quotes (SQLite).
-- `price_lists`: each list loaded (`procure prices load`), the file as given with its digest, the date from which
-- it is in force, who loaded it and when; the list in force on a date is the one with the latest `effective` on or
-- before it (the later loaded of two with the same date). `quoted_prices`: which of them a quote was priced by.
-- `approvals`: a quote held for approval when it is issued (`awaiting`, with the rules it met as JSON), then
-- `approved` or `rejected`; the last row is the quote's approval. Like issued content, rows are only ever inserted.

CREATE TABLE price_lists (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    effective TEXT NOT NULL,         -- ISO date
    name TEXT NOT NULL,              -- the file's name without its folder
    title TEXT NOT NULL,
    content BLOB NOT NULL,           -- the file as given: CSV text or a workbook
    digest TEXT NOT NULL,
    parts INTEGER NOT NULL,
    illustrative INTEGER NOT NULL CHECK (illustrative IN (0, 1)),
    note TEXT,
    loaded_by TEXT NOT NULL,
    loaded_at TEXT NOT NULL          -- UTC, ISO 8601
);
CREATE INDEX price_lists_effective ON price_lists (effective, id);

CREATE TABLE quoted_prices (
    number TEXT PRIMARY KEY REFERENCES quotes (number),
    price_list INTEGER NOT NULL REFERENCES price_lists (id)
);

CREATE TABLE approvals (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    number TEXT NOT NULL REFERENCES quotes (number),
    kind TEXT NOT NULL CHECK (kind IN ('awaiting', 'approved', 'rejected')),
    rules TEXT,                      -- JSON: the rules an awaiting quote met
    reason TEXT,                     -- why it was rejected
    recorded_by TEXT NOT NULL,
    recorded_at TEXT NOT NULL        -- UTC, ISO 8601
);
CREATE INDEX approvals_number ON approvals (number, id);

CREATE TRIGGER price_lists_no_update BEFORE UPDATE ON price_lists
BEGIN SELECT RAISE(ABORT, 'price lists are kept as loaded: UPDATE of price_lists refused'); END;
CREATE TRIGGER price_lists_no_delete BEFORE DELETE ON price_lists
BEGIN SELECT RAISE(ABORT, 'price lists are kept as loaded: DELETE of price_lists refused'); END;
CREATE TRIGGER quoted_prices_no_update BEFORE UPDATE ON quoted_prices
BEGIN SELECT RAISE(ABORT, 'issued quotes are immutable: UPDATE of quoted_prices refused'); END;
CREATE TRIGGER quoted_prices_no_delete BEFORE DELETE ON quoted_prices
BEGIN SELECT RAISE(ABORT, 'issued quotes are immutable: DELETE of quoted_prices refused'); END;
CREATE TRIGGER approvals_no_update BEFORE UPDATE ON approvals
BEGIN SELECT RAISE(ABORT, 'issued quotes are immutable: UPDATE of approvals refused'); END;
CREATE TRIGGER approvals_no_delete BEFORE DELETE ON approvals
BEGIN SELECT RAISE(ABORT, 'issued quotes are immutable: DELETE of approvals refused'); END;
