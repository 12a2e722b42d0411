-- The facility directory and the record of quotes sent (SQLite). Both are only ever inserted: a change of a
-- facility's record is a new version of it, a sending a new row; triggers refuse UPDATE and DELETE.

CREATE TABLE customers (             -- one row per version of a DoDAAC's record; the newest is the record
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    dodaac TEXT NOT NULL,
    facility TEXT NOT NULL,
    ship_to TEXT,
    bill_to TEXT,
    mark_for TEXT,
    contacts TEXT NOT NULL,          -- JSON: [{"name", "email", "phone"}], the one to write to first
    quote TEXT,                      -- the quote whose request made this version; NULL for `customer set`
    recorded_by TEXT NOT NULL,
    recorded_at TEXT NOT NULL        -- UTC, ISO 8601
);
CREATE INDEX customers_dodaac ON customers (dodaac, id);
CREATE INDEX customers_quote ON customers (quote);

INSERT INTO customers (dodaac, facility, contacts, quote, recorded_by, recorded_at)
    SELECT dodaac, facility, '[]', number, issued_by, issued_at FROM quotes
    WHERE id IN (SELECT MAX(id) FROM quotes GROUP BY dodaac) ORDER BY id;

CREATE TABLE sent (                  -- one row per quote sent by e-mail (an event, not a status)
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    number TEXT NOT NULL REFERENCES quotes (number),
    recipients TEXT NOT NULL,        -- the To addresses, comma-separated
    cc TEXT,
    message_id TEXT NOT NULL,
    sent_by TEXT NOT NULL,
    sent_at TEXT NOT NULL            -- UTC, ISO 8601
);
CREATE INDEX sent_number ON sent (number);

CREATE TRIGGER customers_no_update BEFORE UPDATE ON customers
BEGIN SELECT RAISE(ABORT, 'the customer directory keeps every version: UPDATE of customers refused'); END;
CREATE TRIGGER customers_no_delete BEFORE DELETE ON customers
BEGIN SELECT RAISE(ABORT, 'the customer directory keeps every version: DELETE of customers refused'); END;
CREATE TRIGGER sent_no_update BEFORE UPDATE ON sent
BEGIN SELECT RAISE(ABORT, 'issued quotes are immutable: UPDATE of sent refused'); END;
CREATE TRIGGER sent_no_delete BEFORE DELETE ON sent
BEGIN SELECT RAISE(ABORT, 'issued quotes are immutable: DELETE of sent refused'); END;
