"""The register's list of revisions with their status today: the one query that decides a status (`LISTED`), and
the listings, counts and figures made from it, as records or as JSON made by the database.

A revision's status is its last event's kind (`superseded`, `accepted`, `void`),
else `expired` when its valid-through date is before today, else
`awaiting-approval` while its last approval step holds it, else `issued`.
"""

import datetime

from procure.register.connection import Connection
from procure.register.records import AWAITING_APPROVAL, ISSUED, Entry, Event
from procure.register.stored import stored_amount, stored_date, stored_moment

LISTED = """
WITH listed AS (
    SELECT q.id, q.number, q.base, q.revision, q.facility, q.dodaac, q.quote_date, q.valid_through, q.total,
           q.issued_at, q.issued_by,
           CASE WHEN e.kind IS NOT NULL THEN e.kind
                WHEN q.valid_through < ? THEN 'expired'
                WHEN a.kind = 'awaiting' THEN 'awaiting-approval'
                ELSE 'issued' END AS status,
           a.kind AS approval,
           e.superseded_by,
           CASE WHEN e.kind = 'accepted' THEN COALESCE(o.delivery_order, e.delivery_order) END AS delivery_order,
           CASE WHEN e.kind = 'accepted' THEN o.order_date END AS order_date,
           CASE WHEN e.kind = 'accepted' THEN o.amount END AS order_amount,
           CASE WHEN e.kind = 'accepted' THEN COALESCE(o.ordered_total, q.total) END AS ordered_total,
           q.practice,
           e.kind AS event_kind, e.delivery_order AS event_order, e.reason AS event_reason,
           e.recorded_by AS event_by, e.recorded_at AS event_at,
           (SELECT MAX(s.sent_at) FROM sent s WHERE s.number = q.number) AS sent_at,
           (EXISTS (SELECT 1 FROM change_requests c WHERE c.number = q.number)
            AND COALESCE(e.kind, '') <> 'superseded') AS changes_requested
    FROM quotes q
    {last_rows}{candidates})
"""
"""Every revision with its status today (the one place a status is decided; `{last_rows}`, `Dialect.LAST_ROWS`,
joins each revision's last event as `e`, its last delivery order as `o` and its last approval step as `a`;
`{candidates}`, a WHERE clause on `q` or nothing, keeps the revisions a filter may keep, `Listing._candidates`):
its last event's kind (`superseded`, `accepted`, `void`), else `expired` after its valid-through date, else
`awaiting-approval` while its last approval step holds it, else `issued`; while accepted, the delivery order in
force (the last `orders` row)."""
_ENTRY_COLUMNS = ("number, base, revision, facility, dodaac, quote_date, valid_through, total, issued_at, issued_by, "
                  "status, superseded_by, event_kind, event_order, event_reason, event_by, event_at, sent_at, "
                  "practice, delivery_order, order_date, order_amount, approval, ordered_total, changes_requested")
JSON_KEYS = ("number", "base", "revision", "facility", "dodaac", "date", "valid_through", "total", "status",
             "issued_at", "issued_by", "delivery_order", "superseded_by", "practice", "sent_at", "order_date",
             "order_amount", "approval", "ordered_total", "changes_requested")
"""The keys of a revision in `quote list --json` (a contract), in order."""
LISTED_ONLY = ("status", "expiring", "changes_requested", "accepted_online_since")
"""Filters on what `LISTED` decides (a status, a delivery order, a change asked for), not on a column of `quotes`."""
OPEN = (ISSUED, AWAITING_APPROVAL)
"""The statuses of a revision not yet expired (nor superseded, accepted or void)."""
CHANGES_ASKED = "SELECT c.number FROM change_requests c"
"""The revisions a customer asked to change."""
ACCEPTED_SINCE = "SELECT x.number FROM events x WHERE x.kind = 'accepted' AND x.recorded_at >= ?"
"""The revisions accepted since a moment (each once accepted; one accepted may have been voided since)."""


class Listing(Connection):
    """The revisions of an open register as lists show them."""

    def _listed(self, today: datetime.date, filters: dict, few: bool) -> tuple[str, list]:
        """`LISTED` over the `_candidates` of `filters`, and its parameters; its last rows joined for a query that
        gives `few` revisions, or reads few candidates, else for the whole register."""
        where, params = self._candidates(today, filters)
        last_rows = self.FEW_LAST_ROWS or self.LAST_ROWS if few or where else self.LAST_ROWS
        return LISTED.format(last_rows=last_rows, candidates=where), [today.isoformat(), *params]

    def _candidates(self, today: datetime.date, filters: dict) -> tuple[str, list]:
        """A WHERE clause on the quotes' own rows (`q`) that keeps every revision the filters on what `LISTED`
        decides keep (and perhaps more), and its parameters: `LISTED` then decides the status of these candidates,
        not of the whole register, and the filters themselves (`_where`) pick among them. Nothing when no filter
        has one."""
        where, params = [], []
        asked = self.AMONG.format("q.number", CHANGES_ASKED)
        if filters.get("status") in OPEN:
            where.append("q.valid_through >= ?")
            params.append(today.isoformat())
        if filters.get("expiring") is not None:
            changes = f" OR {asked}" if filters.get("or_changes_requested") else ""
            where.append(f"(q.valid_through BETWEEN ? AND ?{changes})")
            params += [today.isoformat(), filters["expiring"].isoformat()]
        if filters.get("changes_requested"):
            where.append(asked)
        if filters.get("accepted_online_since") is not None:
            where.append(self.AMONG.format("q.number", ACCEPTED_SINCE))
            params.append(filters["accepted_online_since"].isoformat())
        return (" WHERE " + " AND ".join(where) if where else ""), params

    def _where(self, today: datetime.date, filters: dict) -> tuple[str, list]:
        """The WHERE clause over `LISTED` (or over `quotes`, when `_on_quotes`) and its parameters for `filters`."""
        where: list[str] = []
        params: list = []
        for clause, value in (("number = ?", filters.get("number")), ("base = ?", filters.get("base")),
                              ("dodaac = ?", filters.get("dodaac")), ("status = ?", filters.get("status")),
                              ("quote_date >= ?", filters.get("since") and filters["since"].isoformat()),
                              ("quote_date <= ?", filters.get("until") and filters["until"].isoformat()),
                              (self.CONTAINS.format("facility"), filters.get("facility") and
                               _contains(filters["facility"]))):
            if value is not None:
                where.append(clause)
                params.append(value)
        if filters.get("expiring") is not None:
            changes = " OR changes_requested" if filters.get("or_changes_requested") else ""
            where.append(f"(valid_through BETWEEN ? AND ?{changes})")
            params += [today.isoformat(), filters["expiring"].isoformat()]
        if filters.get("changes_requested"):
            where.append("changes_requested")
        if filters.get("accepted_online_since") is not None:
            where.append("status = 'accepted' AND event_by LIKE ? AND event_at >= ?")
            params += ["%(customer link)", filters["accepted_online_since"].isoformat()]  # a date or a moment
        if filters.get("text"):
            # a delivery order or requisition is found with or without its dashes; a contact by part of the name
            where.append(f"({self.CONTAINS.format('number')} OR {self.CONTAINS.format('facility')} OR dodaac = ? "
                         f"OR number IN (SELECT d.number FROM orders d WHERE d.delivery_order = ?) "
                         f"OR number IN (SELECT r.number FROM quote_references r WHERE "
                         f"r.requisition = ? OR r.delivery_order = ? OR {self.CONTAINS.format('r.contact')}))")
            reference = "".join(filters["text"].split()).replace("-", "").upper()
            params += [_contains(filters["text"]), _contains(filters["text"]), filters["text"].strip().upper(),
                       reference, reference, reference, _contains(filters["text"])]
        return (" WHERE " + " AND ".join(where) if where else ""), params

    def _listing(self, columns: str, today: datetime.date, filters: dict, limit: int | None = None,
                 offset: int = 0) -> list:
        """Rows of `columns` of `LISTED`, newest first, that match `filters` (see `entries`)."""
        where, params = self._where(today, filters)
        expiring = filters.get("expiring") is not None
        order = "valid_through, id" if expiring else "id DESC"
        if offset and not expiring and _on_quotes(filters):
            # Keyset: the page's newest id is found on the quotes' own rows (no status to decide for the rows
            # skipped), then only the page's revisions get their status.
            row = self.one(f"SELECT id FROM quotes{where} ORDER BY id DESC LIMIT 1 OFFSET {int(offset)}", params)
            if row is None:
                return []
            where, offset = f"{where} AND id <= ?" if where else " WHERE id <= ?", 0
            params.append(row[0])
        few = limit is not None or any(filters.get(key) for key in ("number", "base", "dodaac"))
        listed, listed_params = self._listed(today, filters, few)
        sql = f"{listed} SELECT {columns} FROM listed{where} ORDER BY {order}"
        if limit is not None:
            sql += f" LIMIT {int(limit)} OFFSET {int(offset)}"
        return self.all(sql, listed_params + params)

    def count_entries(self, *, today: datetime.date, **filters) -> int:
        """How many revisions `entries` with the same filters lists (counted on the quotes' own rows when every
        filter is one of their columns)."""
        where, params = self._where(today, filters)
        if _on_quotes(filters):
            return self.one(f"SELECT COUNT(*) FROM quotes{where}", params)[0]
        listed, listed_params = self._listed(today, filters, few=False)
        return self.one(f"{listed} SELECT COUNT(*) FROM listed{where}", listed_params + params)[0]

    def dashboard(self, *, today: datetime.date, soon: datetime.date, month_start: datetime.date):
        """(open quotes, of them expiring by `soon`, accepted since `month_start`, their ordered totals): the desk's
        figures. Open is issued, neither superseded, accepted, void nor expired."""
        listed, params = self._listed(today, {"status": ISSUED}, few=True)
        row = self.one(f"{listed} SELECT COUNT(*), SUM(CASE WHEN valid_through <= ? THEN 1 ELSE 0 END) "
                       f"FROM listed WHERE status = 'issued'", (*params, soon.isoformat()))
        listed, params = self._listed(today, {}, few=True)
        totals = self.all(f"{listed} SELECT ordered_total FROM listed WHERE status = 'accepted' AND event_at >= ? "
                          f"AND {self.AMONG.format('number', ACCEPTED_SINCE)}",
                          (*params, month_start.isoformat(), month_start.isoformat()))
        return row[0] or 0, row[1] or 0, [stored_amount(t[0]) for t in totals]

    def entries(self, *, today: datetime.date, limit: int | None = None, offset: int = 0,
                **filters) -> list[Entry]:
        """The revisions, newest first (`limit` of them from `offset`). Filters: `number`, `base`, `dodaac`,
        `status`, `since` and `until` (quote dates), `facility` (part of the name), `text` (part of the number, the
        facility or the contact's name; the DoDAAC; a delivery order or requisition, with or without its dashes),
        parts matching ASCII letters in any case and other letters as written; `expiring` (a date): only those valid
        through a day from today to that date, the soonest first (and, with `or_changes_requested`, those an officer
        asked to change); `changes_requested` (True): only those; `accepted_online_since` (a date or a UTC moment):
        accepted through a customer link since then."""
        found = []
        for row in self._listing(_ENTRY_COLUMNS, today, filters, limit, offset):
            (number, base, revision, facility, dodaac, date, valid_through, total, issued_at, issued_by, status,
             superseded_by, kind, order, reason, by, at, sent_at, practice, delivery_order, order_date,
             order_amount, approval, ordered_total, changes_requested) = row
            found.append(Entry(
                number=number, base=base, revision=revision, facility=facility, dodaac=dodaac,
                date=stored_date(date), valid_through=stored_date(valid_through), total=stored_amount(total),
                issued_at=stored_moment(issued_at), issued_by=issued_by, status=status, superseded_by=superseded_by,
                event=Event(number, kind, superseded_by, order, reason, by, stored_moment(at)) if kind else None,
                sent_at=stored_moment(sent_at) if sent_at else None, practice=bool(practice),
                delivery_order=delivery_order, order_date=None if order_date is None else stored_date(order_date),
                order_amount=stored_amount(order_amount), approval=approval,
                ordered_total=stored_amount(ordered_total), changes_requested=bool(changes_requested)))
        return found

    def entries_json(self, *, today: datetime.date, limit: int | None = None, offset: int = 0,
                     **filters) -> list[str]:
        """The same revisions as JSON objects with the keys `JSON_KEYS`, made by the database (ten thousand
        revisions list in milliseconds)."""
        values = {"date": self.TEXT.format("quote_date"), "valid_through": self.TEXT.format("valid_through"),
                  "total": self.TEXT.format("total"), "issued_at": self.MOMENT.format("issued_at"),
                  "sent_at": self.MOMENT.format("sent_at"), "practice": self.JSON_BOOLEAN.format("practice"),
                  "order_date": self.TEXT.format("order_date"), "order_amount": self.TEXT.format("order_amount"),
                  "ordered_total": self.TEXT.format("ordered_total"),
                  "changes_requested": self.JSON_BOOLEAN.format("changes_requested")}
        pairs = ", ".join(f"'{key}', {values.get(key, key)}" for key in JSON_KEYS)
        return [row[0] for row in self._listing(self.JSON_OBJECT.format(pairs), today, filters, limit, offset)]

    def entry(self, number: str, *, today: datetime.date) -> Entry | None:
        found = self.entries(today=today, number=number)
        return found[0] if found else None


def _on_quotes(filters: dict) -> bool:
    """Whether `filters` can be applied to the quotes' own rows (no status to decide for the rows they skip)."""
    return not any(filters.get(key) not in (None, False, "") for key in LISTED_ONLY)


def _contains(text: str) -> str:
    """A LIKE pattern matching `text` anywhere, its own % and _ taken literally (`Dialect.CONTAINS` ignores the case
    of its ASCII letters)."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"

