"""The PostgreSQL backend, through psycopg 3 (the optional extra `procure[postgres]`).

The register's tables live in the first schema of the connection's search_path
(`?options=-csearch_path%3Dquotes` in the URL keeps them in a schema of their
own). The next number of a year is taken under a row lock on that year's row
of `sequences` (SELECT ... FOR UPDATE), held until the quote is stored, so
desks issuing at once queue for the number; a revision locks its base quote's
row. Migrations run under a transaction-scoped advisory lock.
"""

import functools
import re

from procure.core.errors import RegisterError, RegisterReadOnly, RegisterUnreachable
from procure.register.connection import Conflict, wait_seconds
from procure.register.store import Store
from procure.register.tables import Table, quoted
from procure.register.target import RegisterTarget

SCHEMA_LOCK = 7_306_281_950
"""The advisory lock key that serialises migrations."""
CONNECT_TIMEOUT = 10


def _driver():
    try:
        import psycopg
    except ImportError:
        raise RegisterError("a PostgreSQL register needs psycopg 3: pip install 'procure[postgres]'") from None
    return psycopg


class PostgresStore(Store):
    kind = "postgres"
    FOR_UPDATE = " FOR UPDATE"
    SNAPSHOT = "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"
    JSON_OBJECT = "json_build_object({})::text"
    JSON_BOOLEAN = "{}"
    CONTAINS = "{} COLLATE \"C\" ILIKE ? ESCAPE '\\'"
    """ILIKE under the C collation folds ASCII letters only, as SQLite's LIKE does (the database's own collation may
    fold `É` to `é` too), and searches 100,000 revisions in 40 ms, not 90. No trigram index (pg_trgm): an extension
    belongs to the whole database, so its objects would live in the schema of whichever register made it first, and
    dropping that register would drop the other registers' indexes."""
    AMONG = "{} = ANY (ARRAY({}))"
    """The values made first, then each looked up by the column's index. With IN, PostgreSQL may read every revision
    to hash-join them when it guesses the subquery gives many (it takes an event's kind and time as unrelated):
    the month's acceptances of 100,000 revisions took 17 ms, now 0.3."""
    MOMENT = """to_char({} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')"""
    LAST_ROWS = ("LEFT JOIN (SELECT number, MAX(id) AS last FROM events GROUP BY number) le ON le.number = q.number "
                 "LEFT JOIN events e ON e.id = le.last "
                 "LEFT JOIN (SELECT number, MAX(id) AS last FROM orders GROUP BY number) lo ON lo.number = q.number "
                 "LEFT JOIN orders o ON o.id = lo.last "
                 "LEFT JOIN (SELECT number, MAX(id) AS last FROM approvals GROUP BY number) la ON la.number = q.number "
                 "LEFT JOIN approvals a ON a.id = la.last")
    """One grouped pass over the events, one over the orders and one over the approvals, which PostgreSQL
    hash-joins: the whole register's statuses (an export, a count by status) in a few milliseconds where a lookup
    per revision takes a hundred."""
    FEW_LAST_ROWS = ("LEFT JOIN LATERAL (SELECT x.* FROM events x WHERE x.number = q.number ORDER BY x.id DESC "
                     "LIMIT 1) e ON TRUE "
                     "LEFT JOIN LATERAL (SELECT y.* FROM orders y WHERE y.number = q.number ORDER BY y.id DESC "
                     "LIMIT 1) o ON TRUE "
                     "LEFT JOIN LATERAL (SELECT z.* FROM approvals z WHERE z.number = q.number ORDER BY z.id DESC "
                     "LIMIT 1) a ON TRUE")
    """Each revision's last event, order and approval step by its own index lookups: a page of the register decides
    the status of its own revisions only (with the grouped pass, each page of 100,000 revisions paid for all of
    them)."""

    @classmethod
    def open(cls, target: RegisterTarget, *, timeout: float | None = None, create: bool = True) -> "PostgresStore":
        if target.unusable:
            raise RegisterError(target.unusable)
        psycopg = _driver()
        seconds = wait_seconds(timeout)
        try:
            connection = psycopg.connect(target.location, autocommit=True, connect_timeout=CONNECT_TIMEOUT)
        except psycopg.Error as e:
            raise RegisterUnreachable(f"{target.shown}: cannot reach the register: {_first_line(target, e)}") from None
        store = cls(target, connection)
        try:
            store.run(f"SET lock_timeout = {int(seconds * 1000)}")
            store.migrate(create)
        except BaseException:
            store.close()
            raise
        return store

    def _execute(self, sql: str, params: tuple):
        return self.connection.execute(psycopg_query(sql) if params else sql, params or None)

    def _fault(self, error: Exception) -> Exception:
        psycopg = _driver()
        if isinstance(error, psycopg.errors.UniqueViolation):
            return Conflict(str(error))
        if not isinstance(error, psycopg.Error):
            return error
        shown, text = self.target.shown, _first_line(self.target, error)
        if isinstance(error, psycopg.errors.ReadOnlySqlTransaction):
            return RegisterReadOnly(f"{shown}: cannot write the register: {text}")
        if isinstance(error, psycopg.errors.LockNotAvailable):
            return RegisterError(f"{shown}: the register is locked by another desk; try again when it is done")
        if isinstance(error, psycopg.OperationalError):
            return RegisterError(f"{shown}: lost the connection to the register: {text}")
        return RegisterError(f"{shown}: the register failed: {text}")

    def _schema_version(self) -> int:
        # A query of pg_class, not to_regclass(): its cached lookup may miss a table another desk just made.
        if not self.one("SELECT 1 FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = "
                        "c.relnamespace WHERE c.relname = 'procure_schema' AND n.nspname = current_schema()"):
            return 0
        return self.one("SELECT MAX(version) FROM procure_schema")[0] or 0

    def _lock_schema(self) -> None:
        self.run("SELECT pg_advisory_xact_lock(?)", (SCHEMA_LOCK,))

    def tables(self) -> list[Table]:
        here = ("JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace AND n.nspname = current_schema() "
                "WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition")
        found = []
        for oid, name in self.all(f"SELECT c.oid, c.relname FROM pg_catalog.pg_class c {here} ORDER BY c.relname"):
            columns = self.all("SELECT attname, format_type(atttypid, NULL) FROM pg_catalog.pg_attribute "
                               "WHERE attrelid = ? AND attnum > 0 AND NOT attisdropped ORDER BY attnum", (oid,))
            key = self.all("SELECT a.attname FROM pg_catalog.pg_index i JOIN pg_catalog.pg_attribute a "
                           "ON a.attrelid = i.indrelid AND a.attnum = ANY (i.indkey) WHERE i.indrelid = ? "
                           "AND i.indisprimary ORDER BY array_position(i.indkey, a.attnum)", (oid,))
            parents = self.all("SELECT r.relname FROM pg_catalog.pg_constraint k JOIN pg_catalog.pg_class r "
                               "ON r.oid = k.confrelid WHERE k.conrelid = ? AND k.contype = 'f'", (oid,))
            found.append(Table(name, tuple(c[0] for c in columns), tuple(c[1].lower() for c in columns),
                               tuple(k[0] for k in key), frozenset(p[0] for p in parents)))
        return found

    def batches(self, table: Table, size: int):
        """The rows through a server-side cursor (inside `snapshot()`): never more than `size` in memory."""
        try:
            with self.connection.cursor(name=f"procure_copy_{table.name}") as cursor:
                cursor.execute(self._select_all(table))
                while rows := cursor.fetchmany(size):
                    yield rows
        except _driver().Error as e:
            raise self._fault(e) from None

    def insert_rows(self, table: Table, rows: list[tuple]) -> None:
        """By COPY: a register's files go in at the disk's pace, not a statement's round trip per row."""
        columns = ", ".join(map(quoted, table.columns))
        try:
            with (self.connection.cursor() as cursor,
                  cursor.copy(f"COPY {quoted(table.name)} ({columns}) FROM STDIN") as copy):
                for row in rows:
                    copy.write_row(row)
        except Exception as e:
            fault = self._fault(e)
            if fault is e:
                raise
            raise fault from None

    def after_copy(self, tables: list[Table]) -> None:
        """Each id sequence set past the ids copied in, so the next quote, event or user gets a new one."""
        for table in tables:
            for column in table.columns:
                sequence = self.one("SELECT pg_get_serial_sequence(?, ?)", (quoted(table.name), column))[0]
                if sequence is not None:
                    self.run(f"SELECT setval(?, COALESCE(MAX({quoted(column)}), 0) + 1, false) "
                             f"FROM {quoted(table.name)}", (sequence,))

    def _apply(self, sql: str) -> None:
        try:
            self.connection.execute(sql)
        except Exception as e:
            raise self._fault(e) from None


_PIECES = re.compile(r"""'(?:[^']|'')*'|"(?:[^"]|"")*"|--[^\n]*|/\*.*?\*/|[?%]""", re.DOTALL)
"""A quoted text, a quoted name, a comment, or a `?` or `%` outside them."""


@functools.lru_cache(maxsize=1024)
def psycopg_query(sql: str) -> str:
    """`sql` written with `?` parameters (as the store writes every query) in psycopg's style: each `?` outside
    quoted text, quoted names and comments becomes `%s`, and every `%` becomes `%%`, which psycopg reads as a `%`
    wherever it stands. A `?` inside a literal stays as it is."""
    def piece(match: re.Match) -> str:
        found = match.group()
        if found == "?":
            return "%s"
        return found.replace("%", "%%")
    return _PIECES.sub(piece, sql)


def _first_line(target: RegisterTarget, error: Exception) -> str:
    """The driver's message, first line only, without the password."""
    lines = str(error).strip().splitlines() or [type(error).__name__]
    return target.scrub(lines[0])
