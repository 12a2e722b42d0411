-- Contract price lists kept in the register, and approval of quotes (PostgreSQL).
-- `price_lists`: each list loaded (`procure prices load`), the file as given with its digest, the date from which
-- it is in force, who loaded it and when; the list in force on a date is the one with the latest `effective` on or
-- before it (the later loaded of two with the same date). `quoted_prices`: which of them a quote was priced by.
-- `approvals`: a quote held for approval when it is issued (`awaiting`, with the rules it met as JSON), then
-- `approved` or `rejected`; the last row is the quote's approval. Like issued content, rows are only ever inserted.

CREATE TABLE price_lists (
    id BIGSERIAL PRIMARY KEY,
    effective DATE NOT NULL,
    name TEXT NOT NULL,              -- the file's name without its folder
    title TEXT NOT NULL,
    content BYTEA NOT NULL,          -- the file as given: CSV text or a workbook
    digest TEXT NOT NULL,
    parts INTEGER NOT NULL,
    illustrative BOOLEAN NOT NULL,
    note TEXT,
    loaded_by TEXT NOT NULL,
    loaded_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX price_lists_effective ON price_lists (effective, id);

CREATE TABLE quoted_prices (
    number TEXT PRIMARY KEY REFERENCES quotes (number),
    price_list BIGINT NOT NULL REFERENCES price_lists (id)
);

CREATE TABLE approvals (
    id BIGSERIAL PRIMARY KEY,
    number TEXT NOT NULL REFERENCES quotes (number),
    kind TEXT NOT NULL CHECK (kind IN ('awaiting', 'approved', 'rejected')),
    rules TEXT,                      -- JSON: the rules an awaiting quote met
    reason TEXT,                     -- why it was rejected
    recorded_by TEXT NOT NULL,
    recorded_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX approvals_number ON approvals (number, id);

CREATE TRIGGER price_lists_immutable BEFORE UPDATE OR DELETE ON price_lists
    FOR EACH ROW EXECUTE FUNCTION procure_refuse_change();
CREATE TRIGGER price_lists_no_truncate BEFORE TRUNCATE ON price_lists
    FOR EACH STATEMENT EXECUTE FUNCTION procure_refuse_change();
CREATE TRIGGER quoted_prices_immutable BEFORE UPDATE OR DELETE ON quoted_prices
    FOR EACH ROW EXECUTE FUNCTION procure_refuse_change();
CREATE TRIGGER quoted_prices_no_truncate BEFORE TRUNCATE ON quoted_prices
    FOR EACH STATEMENT EXECUTE FUNCTION procure_refuse_change();
CREATE TRIGGER approvals_immutable BEFORE UPDATE OR DELETE ON approvals
    FOR EACH ROW EXECUTE FUNCTION procure_refuse_change();
CREATE TRIGGER approvals_no_truncate BEFORE TRUNCATE ON approvals
    FOR EACH STATEMENT EXECUTE FUNCTION procure_refuse_change();
