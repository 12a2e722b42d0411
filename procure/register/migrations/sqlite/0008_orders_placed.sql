-- The order as it was placed (SQLite): a delivery order may cover part of a quote and ship elsewhere.
-- `ordered` is the quantity ordered of each quoted line, a JSON list in the quote's line order (NULL: every line
-- as quoted, as orders recorded before this migration were); `ordered_total` their total; `ship_to` the order's
-- ship-to DoDAAC when it is not the requester's; `note` what the desk recorded on accepting (an amount the order
-- states that differs from its lines, accepted with --force). Rows stay insert-only.

ALTER TABLE orders ADD COLUMN ordered TEXT;
ALTER TABLE orders ADD COLUMN ordered_total TEXT;
ALTER TABLE orders ADD COLUMN ship_to TEXT;
ALTER TABLE orders ADD COLUMN note TEXT;
