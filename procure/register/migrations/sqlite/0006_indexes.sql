-- Indexes for the register's pages at size (100,000 revisions and more): the quotes whose validity ends soon
-- (`quote due`, the dashboard's open quotes) by their valid-through date, and the month's acceptances by when
-- they were recorded, so that neither reads every revision.

CREATE INDEX quotes_valid_through ON quotes (valid_through);
CREATE INDEX events_kind_recorded ON events (kind, recorded_at);
