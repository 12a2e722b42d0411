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
from procure.register.store import Conflict, Store, wait_seconds
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
    JSON_OBJECT = "json_build_object({})::text"
    JSON_BOOLEAN = "{}"
    MOMENT = """to_char({} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')"""
    LAST_ROWS = ("LEFT JOIN (SELECT number, MAX(id) AS last FROM events GROUP BY number) le ON le.number = q.number "
                 "LEFT JOIN events e ON e.id = le.last "
                 "LEFT JOIN (SELECT number, MAX(id) AS last FROM orders GROUP BY number) lo ON lo.number = q.number "
                 "LEFT JOIN orders o ON o.id = lo.last "
                 "LEFT JOIN (SELECT number, MAX(id) AS last FROM approvals GROUP BY number) la ON la.number = q.number "
                 "LEFT JOIN approvals a ON a.id = la.last")
    """One grouped pass over the events, one over the orders and one over the approvals, which PostgreSQL
    hash-joins: the whole register's statuses (the desk's dashboard) in a few milliseconds where a lookup per
    revision takes a hundred."""

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
            store._run(f"SET lock_timeout = {int(seconds * 1000)}")
            store._migrate(create)
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
        if not self._one("SELECT 1 FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = "
                         "c.relnamespace WHERE c.relname = 'procure_schema' AND n.nspname = current_schema()"):
            return 0
        return self._one("SELECT MAX(version) FROM procure_schema")[0] or 0

    def _lock_schema(self) -> None:
        self._run("SELECT pg_advisory_xact_lock(?)", (SCHEMA_LOCK,))

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
