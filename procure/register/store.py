"""The register's records, and the SQL both backends share.

`Store` holds every query, written once with `?` parameters and plain text,
number and byte values; a backend (`sqlite.SQLiteStore`, `postgres.PostgresStore`)
connects, turns `?` into its own parameter style, starts a write transaction its
own way (`BEGIN`, `FOR_UPDATE`) and turns its driver's faults into one-line
RegisterErrors. No SQL is ever made from a value: values are parameters.

Issued content (quotes, files, events, orders) is only ever inserted; triggers
refuse UPDATE and DELETE. A status change is an appended event: `superseded`
(when the next revision is issued), `accepted`, `void`. The delivery order of an
accepted quote is an appended `orders` row, and so is each correction of it
(`amended`): the last row is the order in force. A revision's status is its last
event's kind, else `expired` when its valid-through date is before today, else `issued`.
Sending a quote by e-mail is an event of its own (`sent`), never a status. The
facility directory (`customers`) is versions of each DoDAAC's record, only ever
appended; the newest is the record.
"""

import contextlib
import datetime
import json
import os
from collections.abc import Collection, Iterable
from decimal import Decimal
from typing import Any

from procure import __version__
from procure.core.characters import printable
from procure.core.errors import NoRegister, RegisterError, RuleError
from procure.core.record import Record
from procure.core.revision import QuotedLine
from procure.register.contract_records import ContractRecords, stored_date as _date, stored_moment as _moment
from procure.register.migrate import available
from procure.register.numbering import DEFAULT_FORMAT, check_format, format_number, scope
from procure.register.tables import Table, quoted
from procure.register.target import RegisterTarget

ISSUED, SUPERSEDED, ACCEPTED, VOID, EXPIRED = "issued", "superseded", "accepted", "void", "expired"
AWAITING_APPROVAL = "awaiting-approval"
STATUSES = (ISSUED, AWAITING_APPROVAL, SUPERSEDED, ACCEPTED, VOID, EXPIRED)
SUFFIXES = (".xlsx", ".pdf", ".txt", ".html")
"""The files of an issued quote, in the order they are listed; quotes issued before the HTML copy have three."""


class Issued(Record):
    """One issued revision, as stored: what went in, what came out, who issued it and when."""

    number: str
    base: str
    revision: int
    """0 for the original quote."""
    reason: str | None
    facility: str
    dodaac: str
    date: datetime.date
    valid_through: datetime.date
    total: Decimal | None
    lines: tuple[QuotedLine, ...]
    request_name: str
    request_bytes: bytes
    """The request file as given: TOML text or a filled form."""
    price_list_name: str | None
    price_list_bytes: bytes | None
    profile_name: str | None
    profile_bytes: bytes | None
    catalog_version: str
    catalog_digest: str
    procure_version: str
    issued_by: str
    issued_at: datetime.datetime
    """UTC."""
    practice: bool = False
    """Issued with --practice: demo prices or a placeholder vendor identity; never to be accepted."""


class Event(Record):
    """A status change appended to a revision: `superseded` (by the next revision, when it is issued),
    `accepted` (with the delivery order) or `void` (with a reason)."""

    number: str
    kind: str
    superseded_by: str | None
    delivery_order: str | None
    reason: str | None
    recorded_by: str
    recorded_at: datetime.datetime


class Placed(Record):
    """The delivery order of an accepted quote as recorded on `accept` (kind `accepted`) or corrected by `amend`
    (kind `amended`, with a reason); a correction repeats what it does not change."""

    number: str
    kind: str
    delivery_order: str
    """PIID without dashes."""
    order_date: datetime.date
    amount: Decimal | None
    """The order's total as the order states it, when given."""
    pay_dodaac: str | None
    issue_by: str | None
    admin_by: str | None
    reason: str | None
    recorded_by: str
    recorded_at: datetime.datetime
    ordered: tuple[int, ...] | None = None
    """The quantity ordered of each quoted line, in the quote's line order; None: every line as quoted."""
    ordered_total: Decimal | None = None
    """The ordered lines' total (None on orders recorded before it was: the quote's total)."""
    ship_to: str | None = None
    """The order's ship-to DoDAAC when it names one; None: the requester's."""
    note: str | None = None
    """What the desk recorded on accepting, such as a stated amount that differs from the lines."""


class Entry(Record):
    """A revision as the register lists it, with its status today."""

    number: str
    base: str
    revision: int
    facility: str
    dodaac: str
    date: datetime.date
    valid_through: datetime.date
    total: Decimal | None
    issued_at: datetime.datetime
    issued_by: str
    status: str
    superseded_by: str | None
    event: Event | None
    """The last status event, if any."""
    sent_at: datetime.datetime | None = None
    """When the quote was last sent by e-mail, if ever."""
    practice: bool = False
    delivery_order: str | None = None
    """The delivery order in force (the last one recorded) while the quote is accepted."""
    order_date: datetime.date | None = None
    order_amount: Decimal | None = None
    approval: str | None = None
    """`awaiting`, `approved` or `rejected` for a quote that met an approval rule; None for one that met none."""
    ordered_total: Decimal | None = None
    """While accepted: the total of the lines the order takes (the quote's total for an order of every line)."""
    changes_requested: bool = False
    """An officer asked for changes (through the facility's link) and no revision has superseded it yet."""

    @property
    def status_text(self) -> str:
        """`superseded by Q-2026-0001-R2`, `accepted (delivery order ...)`, `void (reason)`, `expired (...)`."""
        if self.status == SUPERSEDED:
            return f"superseded by {self.superseded_by}"
        if self.status == ACCEPTED:
            return f"accepted (delivery order {self.delivery_order})"
        if self.status == VOID and self.event is not None:
            return f"void ({self.event.reason})"
        if self.status == EXPIRED:
            return f"expired (valid through {self.valid_through})"
        if self.status == AWAITING_APPROVAL:
            return "awaiting approval"
        return self.status


class Sent(Record):
    """A quote sent by e-mail: to whom, the message's Message-ID, by whom and when."""

    number: str
    recipients: tuple[str, ...]
    cc: tuple[str, ...]
    message_id: str
    sent_by: str
    sent_at: datetime.datetime


class Contact(Record):
    name: str | None = None
    email: str | None = None
    phone: str | None = None


class CustomerVersion(Record):
    """One version of a facility's record in the directory; the newest of a DoDAAC is its record."""

    dodaac: str
    facility: str
    ship_to: str | None
    bill_to: str | None
    mark_for: str | None
    contacts: tuple[Contact, ...]
    """The one to write to first."""
    quote: str | None
    """The quote whose request made this version; None for a version set by hand (`customer set`)."""
    recorded_by: str
    recorded_at: datetime.datetime


class StoredFile(Record):
    number: str
    suffix: str
    sha256: str
    content: bytes


class Conflict(Exception):
    """A number another issuer stored first (a unique key was taken)."""


DEFAULT_TIMEOUT = 30.0
NO_REGISTER = ("no register here yet: check the name (`procure quote issue` or `procure register init` "
               "creates one)")


MAX_TIMEOUT = 86_400.0


def wait_seconds(timeout: float | None) -> float:
    """`timeout`, else env PROCURE_REGISTER_TIMEOUT, else 30: how long to wait for a lock another desk holds
    (0 to 86,400 seconds); RegisterError for anything else."""
    if timeout is None:
        text = os.environ.get("PROCURE_REGISTER_TIMEOUT", "")
        if not text:
            return DEFAULT_TIMEOUT
        shown = f"PROCURE_REGISTER_TIMEOUT={printable(text)!r}"
        try:
            timeout = float(text)
        except ValueError:
            raise RegisterError(f"{shown} is not a number of seconds") from None
    else:
        shown = f"timeout {timeout!r}"
    if isinstance(timeout, bool) or not isinstance(timeout, (int, float)) or not 0 <= timeout <= MAX_TIMEOUT:
        raise RegisterError(f"{shown} is not a number of seconds from 0 to {MAX_TIMEOUT:,.0f}")
    return float(timeout)


def utc_now() -> datetime.datetime:
    return datetime.datetime.now(datetime.UTC)


_LISTED = """
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
    {last_rows})
"""
"""Every revision with its status today (the one place a status is decided; `{last_rows}`, `Store.LAST_ROWS`,
joins each revision's last event as `e`, its last delivery order as `o` and its last approval step as `a`): its
last event's kind (`superseded`, `accepted`, `void`), else `expired` after its valid-through date, else
`awaiting-approval` while its last approval step holds it, else `issued`; while accepted, the delivery order in
force (the last `orders` row)."""
_ENTRY_COLUMNS = ("number, base, revision, facility, dodaac, quote_date, valid_through, total, issued_at, issued_by, "
                  "status, superseded_by, event_kind, event_order, event_reason, event_by, event_at, sent_at, "
                  "practice, delivery_order, order_date, order_amount, approval, ordered_total, changes_requested")
JSON_KEYS = ("number", "base", "revision", "facility", "dodaac", "date", "valid_through", "total", "status",
             "issued_at", "issued_by", "delivery_order", "superseded_by", "practice", "sent_at", "order_date",
             "order_amount", "approval", "ordered_total", "changes_requested")
"""The keys of a revision in `quote list --json` (a contract), in order."""
_QUOTE_COLUMNS = ("number", "base", "revision", "reason", "facility", "dodaac", "quote_date", "valid_through", "total",
                  "issued_by", "issued_at", "practice")
_INPUT_COLUMNS = ("lines", "request_name", "request_bytes", "price_list_name", "price_list_bytes", "profile_name",
                  "profile_bytes", "catalog_version", "catalog_digest", "procure_version")
"""`quotes` holds what lists read, `inputs` the bulky rest, so that listing reads small rows."""


class Store(ContractRecords):
    """An open register. Use it in `with`, or close it."""

    kind = ""
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
    """A column holding a lower-case LIKE pattern, in any case: SQLite's LIKE ignores the case of ASCII letters as
    its LOWER() does (and a search of 100,000 revisions takes a third of the time without LOWER())."""
    JSON_BOOLEAN = "json(CASE WHEN {} THEN 'true' ELSE 'false' END)"
    """A stored flag as JSON true or false."""
    LAST_ROWS = ("LEFT JOIN events e ON e.number = q.number "
                 "AND e.id = (SELECT MAX(x.id) FROM events x WHERE x.number = q.number) "
                 "LEFT JOIN orders o ON o.number = q.number "
                 "AND o.id = (SELECT MAX(y.id) FROM orders y WHERE y.number = q.number) "
                 "LEFT JOIN approvals a ON a.number = q.number "
                 "AND a.id = (SELECT MAX(z.id) FROM approvals z WHERE z.number = q.number)")
    """How `_LISTED` joins each revision's last event (`e`), delivery order (`o`) and approval step (`a`): a
    lookup per revision suits SQLite."""
    FEW_LAST_ROWS: str | None = None
    """The same for a query that reads few revisions (a page, the open quotes), when the backend does it otherwise."""

    def __init__(self, target: RegisterTarget, connection):
        self.target = target
        self.connection = connection

    # ---- the backend's part

    @classmethod
    def open(cls, target: RegisterTarget, *, timeout: float | None = None, create: bool = True) -> "Store":
        raise NotImplementedError

    def _execute(self, sql: str, params: tuple):
        """Run one statement with the driver; a cursor."""
        raise NotImplementedError

    def _fault(self, error: Exception) -> Exception:
        """A driver's error as the exception to raise: Conflict for a taken unique key, else a RegisterError."""
        raise NotImplementedError

    def _schema_version(self) -> int:
        raise NotImplementedError

    def _apply(self, sql: str) -> None:
        """Run a migration script inside the open transaction."""
        raise NotImplementedError

    def _before_migration(self, current: int) -> None:
        """What a backend does before migrating a register of version `current` (SQLite: a backup copy)."""

    def _lock_schema(self) -> None:
        """Inside the migration transaction: keep other openers out until it ends."""

    def tables(self) -> list[Table]:
        """The register's tables, as its database describes them (`tables.Table`), by name."""
        raise NotImplementedError

    def insert_rows(self, table: Table, rows: list[tuple]) -> None:
        """Inside `writing()`: insert `rows` (values of every column of `table`, in order), ids and all."""
        raise NotImplementedError

    def after_copy(self, tables: list[Table]) -> None:
        """Inside the copy's transaction: what the backend needs after rows came in with their ids."""

    # ---- plumbing

    def close(self) -> None:
        self.connection.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def _run(self, sql: str, params=()):
        try:
            return self._execute(sql, tuple(params))
        except Exception as e:
            fault = self._fault(e)
            if fault is e:
                raise
            raise fault from None

    def run(self, sql: str, params=()):
        """One statement of a register module that keeps its SQL beside its rules (`links`): a cursor."""
        return self._run(sql, params)

    def all(self, sql: str, params=()) -> list:
        return self._all(sql, params)

    def one(self, sql: str, params=()):
        return self._one(sql, params)

    def _all(self, sql: str, params=()) -> list:
        return self._run(sql, params).fetchall()

    def _one(self, sql: str, params=()):
        return self._run(sql, params).fetchone()

    @contextlib.contextmanager
    def writing(self):
        """A write transaction: committed when the block ends, rolled back if it raises."""
        self._run(self.BEGIN)
        try:
            yield self
        except BaseException:
            with contextlib.suppress(Exception):
                self._execute("ROLLBACK", ())
            raise
        self._run("COMMIT")

    @contextlib.contextmanager
    def trial(self):
        """A write transaction that is always rolled back: what a change would give, without making it."""
        self._run(self.BEGIN)
        try:
            yield self
        finally:
            with contextlib.suppress(Exception):
                self._execute("ROLLBACK", ())

    @contextlib.contextmanager
    def snapshot(self):
        """A read transaction: everything read in the block is the register at one moment."""
        self._run(self.SNAPSHOT)
        try:
            yield self
        finally:
            with contextlib.suppress(Exception):
                self._execute("ROLLBACK", ())

    # ---- whole tables (copy, backup)

    def row_count(self, table: Table) -> int:
        return self._one(f"SELECT COUNT(*) FROM {quoted(table.name)}")[0]

    def batches(self, table: Table, size: int):
        """The rows of `table` (its columns in order), in its key's order, `size` at a time."""
        cursor = self._run(self._select_all(table))
        while True:
            try:
                rows = cursor.fetchmany(size)
            except Exception as e:
                raise self._fault(e) from None
            if not rows:
                return
            yield rows

    def _select_all(self, table: Table) -> str:
        order = f" ORDER BY {', '.join(map(quoted, table.key))}" if table.key else ""
        return f"SELECT {', '.join(map(quoted, table.columns))} FROM {quoted(table.name)}{order}"

    def empty_table(self, table: Table) -> None:
        """Inside `writing()`: delete every row of `table` (only a table a new register fills, such as settings)."""
        self._run(f"DELETE FROM {quoted(table.name)}")

    # ---- schema

    def _migrate(self, create: bool = True) -> None:
        """Bring the register to the newest schema this procure knows; refuse one that is newer (and, without
        `create`, an empty database)."""
        migrations = available(self.kind)
        latest = migrations[-1].version
        current = self._schema_version()
        if current == latest:
            return
        if current == 0 and not create:
            raise NoRegister(f"{self.target.shown}: {NO_REGISTER}")
        self._refuse_newer(current, latest)
        if current:
            self._before_migration(current)
        with self.writing():
            self._lock_schema()
            current = self._schema_version()
            self._refuse_newer(current, latest)
            if current == 0:
                self._run("CREATE TABLE procure_schema (version INTEGER PRIMARY KEY, name TEXT NOT NULL, "
                            "applied_at TEXT NOT NULL, procure_version TEXT NOT NULL)")
            for migration in migrations[current:]:
                self._apply(migration.sql)
                self._run("INSERT INTO procure_schema (version, name, applied_at, procure_version) "
                          "VALUES (?, ?, ?, ?)", (migration.version, migration.name, utc_now().isoformat(),
                                                  __version__))
            if current == 0:
                self._run("INSERT INTO settings (key, value) VALUES (?, ?)", ("number_format", DEFAULT_FORMAT))

    def _refuse_newer(self, current: int, latest: int) -> None:
        if current > latest:
            raise RegisterError(f"{self.target.shown}: the register is at schema version {current}, newer than "
                                f"this procure {__version__} knows (version {latest}): upgrade procure to use it")

    @property
    def schema_version(self) -> int:
        return self._schema_version()

    # ---- settings and numbers

    def setting(self, key: str) -> str | None:
        row = self._one("SELECT value FROM settings WHERE key = ?", (key,))
        return row[0] if row else None

    def put_setting(self, key: str, value: str) -> None:
        """Keep `value` as the setting `key` (replacing the one kept), inside the caller's `writing()`."""
        self._run("INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = ?",
                  (key, value, value))

    @property
    def number_format(self) -> str:
        chosen = self.setting("number_format")
        return DEFAULT_FORMAT if chosen is None else chosen

    def choose_number_format(self, fmt: str) -> None:
        """Number new quotes by `fmt` (checked); refused once the register holds a quote under another format."""
        if fmt == self.number_format:
            return
        check_format(fmt)
        with self.writing():
            if self.count()[0]:
                raise RuleError(f"{self.target.shown}: the register already holds quotes numbered "
                                f"{self.number_format!r}; its number format cannot change")
            self.put_setting("number_format", fmt)

    def next_number(self, year: int) -> str:
        """Inside `writing()`: take the next number of the sequence of `year`, locked until the transaction ends.

        A number a request gave itself earlier is passed over, so the sequence never repeats a number.
        """
        fmt = self.number_format
        key = scope(fmt, year)
        self._run("INSERT INTO sequences (scope, last) VALUES (?, 0) ON CONFLICT (scope) DO NOTHING", (key,))
        last = self._one(f"SELECT last FROM sequences WHERE scope = ?{self.FOR_UPDATE}", (key,))[0]
        while True:
            last += 1
            number = format_number(fmt, year, last)
            if not self.has(number):
                break
        self._run("UPDATE sequences SET last = ? WHERE scope = ?", (last, key))
        return number

    def peek_number(self, year: int) -> str:
        """The number the next quote of `year` would get, without taking it."""
        fmt = self.number_format
        row = self._one("SELECT last FROM sequences WHERE scope = ?", (scope(fmt, year),))
        return format_number(fmt, year, (row[0] if row else 0) + 1)

    def has(self, number: str) -> bool:
        """True when the register holds `number` in any letter case: numbers differing only in case would be
        one number to the people who read and type them."""
        return self._one("SELECT 1 FROM quotes WHERE LOWER(number) = LOWER(?)", (number,)) is not None

    def lock(self, number: str) -> None:
        """Inside `writing()`: hold the revision `number` until the transaction ends (PostgreSQL row lock)."""
        self._one(f"SELECT number FROM quotes WHERE number = ?{self.FOR_UPDATE}", (number,))

    # ---- writing

    def add(self, issued: Issued, files: dict[str, tuple[str, bytes]]) -> None:
        """Inside `writing()`: store a revision and its files (`{suffix: (sha256, bytes)}`)."""
        values = _columns(issued)
        for table, columns in (("quotes", _QUOTE_COLUMNS), ("inputs", ("number", *_INPUT_COLUMNS))):
            self._run(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})",
                      [values[c] for c in columns])
        for suffix, (digest, content) in files.items():
            self._run("INSERT INTO files (number, suffix, sha256, content) VALUES (?, ?, ?, ?)",
                      (issued.number, suffix, digest, content))
        from procure.register.sealing import seals  # it reads rows as this module does

        self._run("INSERT INTO seals (number, quote_sha256, sha256) VALUES (?, ?, ?)",
                  (issued.number, *seals([values[c] for c in _QUOTE_COLUMNS], {c: values[c] for c in _INPUT_COLUMNS},
                                         {suffix: digest for suffix, (digest, _) in files.items()})))

    def add_event(self, event: Event) -> None:
        """Inside `writing()`: append a status event."""
        values: dict[str, object] = {**event._asdict(), "recorded_at": event.recorded_at.isoformat()}
        self._run(f"INSERT INTO events ({', '.join(Event._fields)}) VALUES ({', '.join('?' * len(Event._fields))})",
                  [values[f] for f in Event._fields])

    def add_order(self, placed: Placed) -> None:
        """Inside `writing()`: append the delivery order of an accepted quote, or a correction of it."""
        values: dict[str, object] = {**placed._asdict(), "order_date": placed.order_date.isoformat(),
                                     "amount": _text(placed.amount), "recorded_at": placed.recorded_at.isoformat(),
                                     "ordered": None if placed.ordered is None else json.dumps(placed.ordered),
                                     "ordered_total": _text(placed.ordered_total)}
        self._run(f"INSERT INTO orders ({', '.join(Placed._fields)}) VALUES ({', '.join('?' * len(Placed._fields))})",
                  [values[f] for f in Placed._fields])

    # ---- reading

    @property
    def _listed(self) -> str:
        return _LISTED.format(last_rows=self.LAST_ROWS)

    @property
    def _few_listed(self) -> str:
        """`_listed` for a query that gives few revisions."""
        return _LISTED.format(last_rows=self.FEW_LAST_ROWS or self.LAST_ROWS)

    def _where(self, today: datetime.date, filters: dict) -> tuple[str, list]:
        """The WHERE clause over `_LISTED` and its parameters (the first the date of today) for `filters`."""
        where, params = [], [today.isoformat()]
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
        """Rows of `columns` of `_LISTED`, newest first, that match `filters` (see `entries`)."""
        where, params = self._where(today, filters)
        expiring = filters.get("expiring") is not None
        order = "valid_through, id" if expiring else "id DESC"
        if offset and not expiring and _on_quotes(filters):
            # Keyset: the page's newest id is found on the quotes' own rows (no status to decide for the rows
            # skipped), then only the page's revisions get their status.
            row = self._one(f"SELECT id FROM quotes{where} ORDER BY id DESC LIMIT 1 OFFSET {int(offset)}",
                            params[1:])
            if row is None:
                return []
            where, offset = f"{where} AND id <= ?" if where else " WHERE id <= ?", 0
            params.append(row[0])
        few = limit is not None or any(filters.get(key) for key in ("number", "base", "dodaac", "expiring"))
        sql = f"{self._few_listed if few else self._listed} SELECT {columns} FROM listed{where} ORDER BY {order}"
        if limit is not None:
            sql += f" LIMIT {int(limit)} OFFSET {int(offset)}"
        return self._all(sql, params)

    def count_entries(self, *, today: datetime.date, **filters) -> int:
        """How many revisions `entries` with the same filters lists (counted on the quotes' own rows when every
        filter is one of their columns)."""
        where, params = self._where(today, filters)
        if _on_quotes(filters):
            return self._one(f"SELECT COUNT(*) FROM quotes{where}", params[1:])[0]
        return self._one(f"{self._listed} SELECT COUNT(*) FROM listed{where}", params)[0]

    def dashboard(self, *, today: datetime.date, soon: datetime.date, month_start: datetime.date):
        """(open quotes, of them expiring by `soon`, accepted since `month_start`, their ordered totals): the desk's
        figures. Open is issued, neither superseded, accepted, void nor expired."""
        row = self._one(f"{self._few_listed} SELECT COUNT(*), SUM(CASE WHEN valid_through <= ? THEN 1 ELSE 0 END) "
                        f"FROM listed WHERE valid_through >= ? AND status = 'issued'",
                        (today.isoformat(), soon.isoformat(), today.isoformat()))
        totals = self._all(f"{self._few_listed} SELECT ordered_total FROM listed WHERE status = 'accepted' "
                           f"AND event_at >= ? "
                           f"AND number IN (SELECT number FROM events WHERE kind = 'accepted' AND recorded_at >= ?)",
                           (today.isoformat(), month_start.isoformat(), month_start.isoformat()))
        return row[0] or 0, row[1] or 0, [_money(t[0]) for t in totals]

    def entries(self, *, today: datetime.date, limit: int | None = None, offset: int = 0,
                **filters) -> list[Entry]:
        """The revisions, newest first (`limit` of them from `offset`). Filters: `number`, `base`, `dodaac`,
        `status`, `since` and `until` (quote dates), `facility` (part of the name, in any case), `text` (part of
        the number or the facility, or the DoDAAC); `expiring` (a date): only those valid through a day from
        today to that date, the soonest first (and, with `or_changes_requested`, those an officer asked to change);
        `changes_requested` (True): only those; `accepted_online_since` (a date or a UTC moment): accepted
        through a customer link since then."""
        found = []
        for row in self._listing(_ENTRY_COLUMNS, today, filters, limit, offset):
            (number, base, revision, facility, dodaac, date, valid_through, total, issued_at, issued_by, status,
             superseded_by, kind, order, reason, by, at, sent_at, practice, delivery_order, order_date,
             order_amount, approval, ordered_total, changes_requested) = row
            found.append(Entry(
                number=number, base=base, revision=revision, facility=facility, dodaac=dodaac, date=_date(date),
                valid_through=_date(valid_through), total=_money(total), issued_at=_moment(issued_at),
                issued_by=issued_by, status=status, superseded_by=superseded_by,
                event=Event(number, kind, superseded_by, order, reason, by, _moment(at)) if kind else None,
                sent_at=_moment(sent_at) if sent_at else None, practice=bool(practice), delivery_order=delivery_order,
                order_date=None if order_date is None else _date(order_date), order_amount=_money(order_amount),
                approval=approval, ordered_total=_money(ordered_total), changes_requested=bool(changes_requested)))
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

    def events(self, numbers: Collection[str] | None = None) -> list[Event]:
        """The status events, oldest first; of the revisions `numbers` only, when given."""
        rows = self._all("SELECT number, kind, superseded_by, delivery_order, reason, recorded_by, recorded_at "
                         "FROM events ORDER BY id")
        return [Event(number, kind, superseded_by, order, reason, by, _moment(at))
                for number, kind, superseded_by, order, reason, by, at in rows if numbers is None or number in numbers]

    def orders(self, number: str) -> list[Placed]:
        """The delivery order of revision `number` as accepted, then each correction: oldest first."""
        rows = self._all(f"SELECT {', '.join(Placed._fields)} FROM orders WHERE number = ? ORDER BY id", (number,))
        return [Placed(number=row[0], kind=row[1], delivery_order=row[2], order_date=_date(row[3]),
                       amount=_money(row[4]), pay_dodaac=row[5], issue_by=row[6], admin_by=row[7], reason=row[8],
                       recorded_by=row[9], recorded_at=_moment(row[10]),
                       ordered=None if row[11] is None else tuple(json.loads(row[11])),
                       ordered_total=_money(row[12]), ship_to=row[13], note=row[14]) for row in rows]

    def issued(self, number: str) -> Issued:
        """Everything stored of one revision but its files; RegisterError if the register lacks it."""
        columns = ", ".join(f"q.{c}" for c in _QUOTE_COLUMNS) + ", " + ", ".join(f"i.{c}" for c in _INPUT_COLUMNS)
        row = self._one(f"SELECT {columns} FROM quotes q JOIN inputs i ON i.number = q.number WHERE q.number = ?",
                        (number,))
        if row is None:
            raise RegisterError(f"{self.target.shown}: holds no inputs of quote {number}: the register is damaged; "
                                f"restore it from a backup")
        values: dict[str, Any] = dict(zip((*_QUOTE_COLUMNS, *_INPUT_COLUMNS), row, strict=True))
        values.update(date=_date(values.pop("quote_date")), valid_through=_date(values["valid_through"]),
                      total=_money(values["total"]), lines=lines_of(values["lines"]),
                      request_bytes=_bytes(values["request_bytes"]),
                      price_list_bytes=_optional_bytes(values["price_list_bytes"]),
                      profile_bytes=_optional_bytes(values["profile_bytes"]), issued_at=_moment(values["issued_at"]),
                      practice=bool(values["practice"]))
        return Issued(**values)

    def files(self, number: str) -> list[StoredFile]:
        rows = self._all("SELECT number, suffix, sha256, content FROM files WHERE number = ?", (number,))
        found = {row[1]: StoredFile(row[0], row[1], row[2], _bytes(row[3])) for row in rows}
        return [found[s] for s in SUFFIXES if s in found]

    def digests(self, number: str) -> dict[str, str]:
        """`{suffix: sha256}` of a revision's files."""
        rows = self._all("SELECT suffix, sha256 FROM files WHERE number = ?", (number,))
        return {suffix: digest for suffix, digest in sorted(rows, key=lambda r: SUFFIXES.index(r[0]))}

    def with_digest(self, digest: str) -> list[tuple[str, str]]:
        """`(number, suffix)` of each stored file whose sha256 is `digest`."""
        return [tuple(row) for row in self._all("SELECT number, suffix FROM files WHERE sha256 = ?", (digest,))]

    # ---- e-mail

    def add_sent(self, sent: Sent) -> None:
        """Inside `writing()`: record that a quote was sent."""
        self._run("INSERT INTO sent (number, recipients, cc, message_id, sent_by, sent_at) VALUES (?, ?, ?, ?, ?, ?)",
                  (sent.number, ", ".join(sent.recipients), ", ".join(sent.cc) or None, sent.message_id,
                   sent.sent_by, sent.sent_at.isoformat()))

    def sendings(self, numbers=None) -> list[Sent]:
        """The quotes sent, oldest first; of the revisions `numbers` only, when given."""
        rows = self._all("SELECT number, recipients, cc, message_id, sent_by, sent_at FROM sent ORDER BY id")
        return [Sent(row[0], _addresses(row[1]), _addresses(row[2]), row[3], row[4], _moment(row[5]))
                for row in rows if numbers is None or row[0] in numbers]

    # ---- the facility directory

    def add_customer(self, version: CustomerVersion) -> None:
        """Inside `writing()`: append a version of a facility's record."""
        contacts = json.dumps([c._asdict() for c in version.contacts], ensure_ascii=False)
        self._run("INSERT INTO customers (dodaac, facility, ship_to, bill_to, mark_for, contacts, quote, recorded_by, "
                  "recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                  (*version[:5], contacts, version.quote, version.recorded_by, version.recorded_at.isoformat()))

    def customer_versions(self, dodaac: str | None = None, *, quote: str | None = None,
                          latest: bool = False) -> list[CustomerVersion]:
        """Versions of facilities' records, oldest first: of one DoDAAC, or the one made by a quote's issue;
        only the newest of each DoDAAC with `latest`."""
        where, params = [], []
        for clause, value in (("dodaac = ?", dodaac), ("quote = ?", quote)):
            if value is not None:
                where.append(clause)
                params.append(value)
        if latest:
            where.append("id IN (SELECT MAX(id) FROM customers GROUP BY dodaac)")
        sql = ("SELECT dodaac, facility, ship_to, bill_to, mark_for, contacts, quote, recorded_by, recorded_at "
               "FROM customers")
        rows = self._all(sql + (" WHERE " + " AND ".join(where) if where else "") + " ORDER BY id", params)
        return [CustomerVersion(dodaac=row[0], facility=row[1], ship_to=row[2], bill_to=row[3], mark_for=row[4],
                                contacts=tuple(Contact(**c) for c in json.loads(row[5])), quote=row[6],
                                recorded_by=row[7], recorded_at=_moment(row[8])) for row in rows]

    def count(self) -> tuple[int, int]:
        """How many revisions, and how many quotes (base numbers), the register holds."""
        row = self._one("SELECT COUNT(*), COUNT(DISTINCT base) FROM quotes")
        return row[0], row[1]


def _columns(issued: Issued) -> dict[str, object]:
    """The values of a revision's columns: dates, moments, amounts and lines as text, as both backends keep them."""
    values: dict[str, object] = issued._asdict()
    del values["date"]
    values.update(quote_date=issued.date.isoformat(), valid_through=issued.valid_through.isoformat(),
                  total=_text(issued.total), lines=lines_json(issued.lines), issued_at=issued.issued_at.isoformat())
    return values


def lines_json(lines: Iterable[QuotedLine]) -> str:
    return json.dumps([{**line._asdict(), "unit_price": _text(line.unit_price),
                        "extended_price": _text(line.extended_price)} for line in lines], ensure_ascii=False)


def lines_of(text: str) -> tuple[QuotedLine, ...]:
    return tuple(QuotedLine(**{**line, "unit_price": _money(line["unit_price"]),
                               "extended_price": _money(line["extended_price"])}) for line in json.loads(text))


def _addresses(text: str | None) -> tuple[str, ...]:
    return tuple(a.strip() for a in text.split(",")) if text else ()


LISTED_ONLY = ("status", "expiring", "changes_requested", "accepted_online_since")
"""Filters on what `_LISTED` decides (a status, a delivery order, a change asked for), not on a column of `quotes`."""


def _on_quotes(filters: dict) -> bool:
    """Whether `filters` can be applied to the quotes' own rows (no status to decide for the rows they skip)."""
    return not any(filters.get(key) not in (None, False, "") for key in LISTED_ONLY)


def _contains(text: str) -> str:
    """A LIKE pattern matching `text` anywhere, its own % and _ taken literally."""
    escaped = text.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _text(amount: Decimal | None) -> str | None:
    return None if amount is None else str(amount)


def _money(value: object) -> Decimal | None:
    """An amount as stored (text, or a number of the driver's) as Decimal cents."""
    return None if value is None else Decimal(str(value)).quantize(Decimal("0.01"))


def _bytes(value: bytes | bytearray | memoryview) -> bytes:
    """Bytes as stored (a memoryview from some drivers) as bytes."""
    return bytes(value)


def _optional_bytes(value: bytes | bytearray | memoryview | None) -> bytes | None:
    return None if value is None else bytes(value)
