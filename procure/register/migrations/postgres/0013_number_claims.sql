-- The numbers issues are rendering under before they take them (register/claims.py): one row per issue in
-- progress, deleted when it is issued or fails; a row whose issue died is passed over once it is stale.
CREATE TABLE IF NOT EXISTS number_claims (
    number TEXT PRIMARY KEY,
    holder TEXT NOT NULL,
    claimed_at DOUBLE PRECISION NOT NULL
);
