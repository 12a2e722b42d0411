-- The desk's users as people: the name, title, e-mail and phone that a quote they issue shows under
-- "Prepared by" and that the e-mail they send comes from (each NULL until set: the profile's preparer then).

ALTER TABLE users ADD COLUMN full_name TEXT;
ALTER TABLE users ADD COLUMN title TEXT;
ALTER TABLE users ADD COLUMN email TEXT;
ALTER TABLE users ADD COLUMN phone TEXT;
