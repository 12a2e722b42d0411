-- The desk's users as people: the name, title, e-mail and phone that a quote they issue shows under
-- "Prepared by" and that the e-mail they send comes from (each NULL until set: the profile's preparer then).

ALTER TABLE users ADD COLUMN full_name TEXT;
ALTER TABLE users ADD COLUMN title TEXT;
ALTER TABLE users ADD COLUMN email TEXT;
ALTER TABLE users ADD COLUMN phone TEXT;

-- What a revision was issued with that its documents do not show whole: every finding at issue (each for the
-- customer or internal) and the desk's internal note, which never reaches a customer document. Only inserted.
CREATE TABLE issue_findings (
    id BIGSERIAL PRIMARY KEY,
    number TEXT NOT NULL REFERENCES quotes (number),
    severity TEXT NOT NULL,
    code TEXT NOT NULL,
    audience TEXT NOT NULL,          -- 'customer' or 'internal'
    message TEXT NOT NULL,
    subject TEXT NOT NULL,
    place TEXT NOT NULL              -- where in the request, or ''
);
CREATE INDEX issue_findings_number ON issue_findings (number);

CREATE TABLE internal_notes (
    number TEXT PRIMARY KEY REFERENCES quotes (number),
    note TEXT NOT NULL
);

CREATE TRIGGER issue_findings_immutable BEFORE UPDATE OR DELETE ON issue_findings
    FOR EACH ROW EXECUTE FUNCTION procure_keep_versions();
CREATE TRIGGER issue_findings_no_truncate BEFORE TRUNCATE ON issue_findings
    FOR EACH STATEMENT EXECUTE FUNCTION procure_keep_versions();
CREATE TRIGGER internal_notes_immutable BEFORE UPDATE OR DELETE ON internal_notes
    FOR EACH ROW EXECUTE FUNCTION procure_keep_versions();
CREATE TRIGGER internal_notes_no_truncate BEFORE TRUNCATE ON internal_notes
    FOR EACH STATEMENT EXECUTE FUNCTION procure_keep_versions();

-- The request's own references of each revision, so that the desk's search finds a quote by them.
CREATE TABLE quote_references (
    number TEXT PRIMARY KEY REFERENCES quotes (number),
    requisition TEXT,                -- without dashes, as the request reader keeps it
    delivery_order TEXT,             -- the PIID the request named, without dashes
    contact TEXT                     -- the contact's name
);
