-- The facility directory and the record of quotes sent (PostgreSQL). Both are only ever inserted: a change of
-- a facility's record is a new version of it, a sending a new row; a trigger refuses UPDATE, DELETE, TRUNCATE.

CREATE TABLE customers (             -- one row per version of a DoDAAC's record; the newest is the record
    id BIGSERIAL PRIMARY KEY,
    dodaac TEXT NOT NULL,
    facility TEXT NOT NULL,
    ship_to TEXT,
    bill_to TEXT,
    mark_for TEXT,
    contacts TEXT NOT NULL,          -- JSON: [{"name", "email", "phone"}], the one to write to first
    quote TEXT,                      -- the quote whose request made this version; NULL for `customer set`
    recorded_by TEXT NOT NULL,
    recorded_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX customers_dodaac ON customers (dodaac, id);
CREATE INDEX customers_quote ON customers (quote);

INSERT INTO customers (dodaac, facility, contacts, quote, recorded_by, recorded_at)
    SELECT dodaac, facility, '[]', number, issued_by, issued_at FROM quotes
    WHERE id IN (SELECT MAX(id) FROM quotes GROUP BY dodaac) ORDER BY id;

CREATE TABLE sent (                  -- one row per quote sent by e-mail (an event, not a status)
    id BIGSERIAL PRIMARY KEY,
    number TEXT NOT NULL REFERENCES quotes (number),
    recipients TEXT NOT NULL,        -- the To addresses, comma-separated
    cc TEXT,
    message_id TEXT NOT NULL,
    sent_by TEXT NOT NULL,
    sent_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX sent_number ON sent (number);

CREATE FUNCTION procure_keep_versions() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the register keeps every version: % of % refused', TG_OP, TG_TABLE_NAME;
END
$$;
CREATE TRIGGER customers_immutable BEFORE UPDATE OR DELETE ON customers
    FOR EACH ROW EXECUTE FUNCTION procure_keep_versions();
CREATE TRIGGER customers_no_truncate BEFORE TRUNCATE ON customers
    FOR EACH STATEMENT EXECUTE FUNCTION procure_keep_versions();
CREATE TRIGGER sent_immutable BEFORE UPDATE OR DELETE ON sent
    FOR EACH ROW EXECUTE FUNCTION procure_keep_versions();
CREATE TRIGGER sent_no_truncate BEFORE TRUNCATE ON sent
    FOR EACH STATEMENT EXECUTE FUNCTION procure_keep_versions();
