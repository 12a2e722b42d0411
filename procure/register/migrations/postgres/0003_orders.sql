-- Practice quotes and the orders placed on quotes (PostgreSQL). A practice quote (issued with --practice: demo
-- prices or a placeholder vendor identity) is marked so when it is stored. `orders` holds the delivery order of an
-- accepted quote, appended on `quote accept` and again on each `quote amend`: the last row is the order in force,
-- the earlier rows its history. Like the rest of issued content, rows are only ever inserted.

ALTER TABLE quotes ADD COLUMN practice BOOLEAN NOT NULL DEFAULT FALSE;

CREATE TABLE orders (
    id BIGSERIAL PRIMARY KEY,
    number TEXT NOT NULL REFERENCES quotes (number),
    kind TEXT NOT NULL CHECK (kind IN ('accepted', 'amended')),
    delivery_order TEXT NOT NULL,    -- PIID without dashes
    order_date DATE NOT NULL,
    amount NUMERIC(14, 2),           -- the order's total as the order states it, when given
    pay_dodaac TEXT,
    issue_by TEXT,
    admin_by TEXT,
    reason TEXT,                     -- why an amendment corrected the order
    recorded_by TEXT NOT NULL,
    recorded_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX orders_number ON orders (number);

CREATE TRIGGER orders_immutable BEFORE UPDATE OR DELETE ON orders
    FOR EACH ROW EXECUTE FUNCTION procure_refuse_change();
CREATE TRIGGER orders_no_truncate BEFORE TRUNCATE ON orders
    FOR EACH STATEMENT EXECUTE FUNCTION procure_refuse_change();
