-- Practice quotes and the orders placed on quotes (SQLite). A practice quote (issued with --practice: demo prices
-- or a placeholder vendor identity) is marked so when it is stored. `orders` holds the delivery order of an
-- accepted quote, appended on `quote accept` and again on each `quote amend`: the last row is the order in force,
-- the earlier rows its history. Like the rest of issued content, rows are only ever inserted.

ALTER TABLE quotes ADD COLUMN practice INTEGER NOT NULL DEFAULT 0 CHECK (practice IN (0, 1));

CREATE TABLE orders (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    number TEXT NOT NULL REFERENCES quotes (number),
    kind TEXT NOT NULL CHECK (kind IN ('accepted', 'amended')),
    delivery_order TEXT NOT NULL,    -- PIID without dashes
    order_date TEXT NOT NULL,
    amount TEXT,                     -- the order's total as the order states it, when given
    pay_dodaac TEXT,
    issue_by TEXT,
    admin_by TEXT,
    reason TEXT,                     -- why an amendment corrected the order
    recorded_by TEXT NOT NULL,
    recorded_at TEXT NOT NULL        -- UTC, ISO 8601
);
CREATE INDEX orders_number ON orders (number);

CREATE TRIGGER orders_no_update BEFORE UPDATE ON orders
BEGIN SELECT RAISE(ABORT, 'issued quotes are immutable: UPDATE of orders refused'); END;
CREATE TRIGGER orders_no_delete BEFORE DELETE ON orders
BEGIN SELECT RAISE(ABORT, 'issued quotes are immutable: DELETE of orders refused'); END;
