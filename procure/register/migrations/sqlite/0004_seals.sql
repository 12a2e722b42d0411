-- Seals (issue 17): the sha256 of each revision's record as issued, so that a register changed outside
-- procure (its triggers dropped, a total or a file edited) is found by `register check`, `verify`, `files`,
-- `list` and `register info`. `quote_sha256` seals the quotes row (cheap to check on every list);
-- `sha256` seals the row, what went in (inputs) and the files' digests. Revisions issued before this
-- migration have no seal; `sealed_from` is the first quotes id that must have one.

CREATE TABLE seals (
    number TEXT PRIMARY KEY REFERENCES quotes (number),
    quote_sha256 TEXT NOT NULL,
    sha256 TEXT NOT NULL
);

INSERT INTO settings (key, value) SELECT 'sealed_from', CAST(COALESCE(MAX(id), 0) + 1 AS TEXT) FROM quotes;

CREATE TRIGGER seals_no_update BEFORE UPDATE ON seals
BEGIN SELECT RAISE(ABORT, 'issued quotes are immutable: UPDATE of seals refused'); END;
CREATE TRIGGER seals_no_delete BEFORE DELETE ON seals
BEGIN SELECT RAISE(ABORT, 'issued quotes are immutable: DELETE of seals refused'); END;
