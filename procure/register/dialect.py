"""The SQL fragments each backend writes its own way, with SQLite's as the defaults (`postgres.PostgresStore`
overrides them): how a transaction starts, how rows are locked, how JSON, text and moments are made, and how a
listing joins each revision's last rows. The queries that use them are written once (`listing`, `numbering`)."""


class Dialect:
    """SQLite's fragments; a backend's store class overrides those its database writes otherwise."""

    BEGIN = "BEGIN"
    """What starts a write transaction."""
    SNAPSHOT = "BEGIN"
    """What starts a read transaction that sees the register as it was when it started."""
    FOR_UPDATE = ""
    """What a SELECT ends with to lock the rows it reads until the transaction ends."""
    JSON_OBJECT = "json_object({})"
    """A JSON object of `'key', value, ...` as text."""
    TEXT = "CAST({} AS TEXT)"
    """A date or an amount as text: `2026-11-27`, `3800.00`."""
    MOMENT = "substr({}, 1, 19) || 'Z'"
    """A stored UTC moment as `2026-11-27T23:49:25Z`."""
    CONTAINS = "{} LIKE ? ESCAPE '\\'"
    """A column matching a LIKE pattern, ASCII letters in any case and other letters as written (`É` is not `é`):
    SQLite's LIKE (a search of 100,000 revisions takes a third of the time it takes with LOWER())."""
    AMONG = "{} IN ({})"
    """A column among the values a subquery gives, when it gives few (the changes asked, a month's acceptances)."""
    JSON_BOOLEAN = "json(CASE WHEN {} THEN 'true' ELSE 'false' END)"
    """A stored flag as JSON true or false."""
    LAST_ROWS = ("LEFT JOIN events e ON e.number = q.number "
                 "AND e.id = (SELECT MAX(x.id) FROM events x WHERE x.number = q.number) "
                 "LEFT JOIN orders o ON o.number = q.number "
                 "AND o.id = (SELECT MAX(y.id) FROM orders y WHERE y.number = q.number) "
                 "LEFT JOIN approvals a ON a.number = q.number "
                 "AND a.id = (SELECT MAX(z.id) FROM approvals z WHERE z.number = q.number)")
    """How `listing.LISTED` joins each revision's last event (`e`), delivery order (`o`) and approval step (`a`): a
    lookup per revision suits SQLite."""
    FEW_LAST_ROWS: str | None = None
    """The same for a query that reads few revisions (a page, the open quotes), when the backend does it otherwise."""
