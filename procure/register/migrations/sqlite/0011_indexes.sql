-- Indexes for the register's pages at size (100,000 revisions and more): the quotes whose validity ends soon
-- (`quote due`, the dashboard's open quotes) by their valid-through date, and the month's acceptances by when
-- they were recorded, so that neither reads every revision.

CREATE INDEX quotes_valid_through ON quotes (valid_through);
CREATE INDEX events_kind_recorded ON events (kind, recorded_at);
-- A quote found by its delivery order or requisition (the desk's search).
CREATE INDEX orders_delivery_order ON orders (delivery_order);
CREATE INDEX quote_references_requisition ON quote_references (requisition);
CREATE INDEX quote_references_delivery_order ON quote_references (delivery_order);
