-- The register's first schema (PostgreSQL), in the first schema of the connection's search_path.
-- Issued content is immutable: a trigger refuses UPDATE, DELETE and TRUNCATE of quotes, inputs, files
-- and events; a status change is a new row of events. Only `settings` and `sequences` change.

CREATE TABLE settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE sequences (
    scope TEXT PRIMARY KEY,          -- the year of the quote date, or `all` for a format without {year}
    last INTEGER NOT NULL
);

CREATE TABLE quotes (                -- one row per issued revision: what lists read (small rows)
    id BIGSERIAL PRIMARY KEY,
    number TEXT NOT NULL UNIQUE,
    base TEXT NOT NULL,
    revision INTEGER NOT NULL CHECK (revision >= 0),
    reason TEXT,
    facility TEXT NOT NULL,
    dodaac TEXT NOT NULL,
    quote_date DATE NOT NULL,
    valid_through DATE NOT NULL,
    total NUMERIC(14, 2),
    issued_by TEXT NOT NULL,
    issued_at TIMESTAMPTZ NOT NULL,
    UNIQUE (base, revision)
);
CREATE INDEX quotes_facility ON quotes (facility);
CREATE INDEX quotes_dodaac ON quotes (dodaac);

CREATE TABLE inputs (                -- what each revision was made from: the bulky part of a quote
    number TEXT PRIMARY KEY REFERENCES quotes (number),
    lines TEXT NOT NULL,             -- JSON: the quoted lines, for revisions and diffs
    request_name TEXT NOT NULL,
    request_bytes BYTEA NOT NULL,      -- the request file as given: TOML text or a filled form
    price_list_name TEXT,
    price_list_bytes BYTEA,
    profile_name TEXT,
    profile_bytes BYTEA,
    catalog_version TEXT NOT NULL,
    catalog_digest TEXT NOT NULL,
    procure_version TEXT NOT NULL
);

CREATE TABLE files (
    number TEXT NOT NULL REFERENCES quotes (number),
    suffix TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    content BYTEA NOT NULL,
    PRIMARY KEY (number, suffix)
);
CREATE INDEX files_sha256 ON files (sha256);

CREATE TABLE events (
    id BIGSERIAL PRIMARY KEY,
    number TEXT NOT NULL REFERENCES quotes (number),
    kind TEXT NOT NULL CHECK (kind IN ('superseded', 'accepted', 'void')),
    superseded_by TEXT,              -- the revision that superseded it
    delivery_order TEXT,
    reason TEXT,
    recorded_by TEXT NOT NULL,
    recorded_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX events_number ON events (number);

CREATE FUNCTION procure_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'issued quotes are immutable: % of % refused', TG_OP, TG_TABLE_NAME;
END
$$;
CREATE TRIGGER quotes_immutable BEFORE UPDATE OR DELETE ON quotes
    FOR EACH ROW EXECUTE FUNCTION procure_refuse_change();
CREATE TRIGGER quotes_no_truncate BEFORE TRUNCATE ON quotes
    FOR EACH STATEMENT EXECUTE FUNCTION procure_refuse_change();
CREATE TRIGGER inputs_immutable BEFORE UPDATE OR DELETE ON inputs
    FOR EACH ROW EXECUTE FUNCTION procure_refuse_change();
CREATE TRIGGER inputs_no_truncate BEFORE TRUNCATE ON inputs
    FOR EACH STATEMENT EXECUTE FUNCTION procure_refuse_change();
CREATE TRIGGER files_immutable BEFORE UPDATE OR DELETE ON files
    FOR EACH ROW EXECUTE FUNCTION procure_refuse_change();
CREATE TRIGGER files_no_truncate BEFORE TRUNCATE ON files
    FOR EACH STATEMENT EXECUTE FUNCTION procure_refuse_change();
CREATE TRIGGER events_immutable BEFORE UPDATE OR DELETE ON events
    FOR EACH ROW EXECUTE FUNCTION procure_refuse_change();
CREATE TRIGGER events_no_truncate BEFORE TRUNCATE ON events
    FOR EACH STATEMENT EXECUTE FUNCTION procure_refuse_change();
