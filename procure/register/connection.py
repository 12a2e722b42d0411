"""An open register's connection: statements with `?` parameters, transactions, whole tables, the settings row,
and how long to wait for another desk's lock.

Every query is written once with `?` parameters and plain text, number and byte
values; a backend (`sqlite.SQLiteStore`, `postgres.PostgresStore`) connects,
turns `?` into its own parameter style, starts a write transaction its own way
(`Dialect.BEGIN`, `Dialect.FOR_UPDATE`) and turns its driver's faults into
one-line RegisterErrors. No SQL is ever made from a value: values are parameters.
"""

import contextlib
import os

from procure.core.characters import printable
from procure.core.errors import RegisterError
from procure.register.dialect import Dialect
from procure.register.tables import Table, quoted
from procure.register.target import RegisterTarget


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


class Connection(Dialect):
    """The statements and transactions of an open register. Use it in `with`, or close it."""

    kind = ""

    def __init__(self, target: RegisterTarget, connection):
        self.target = target
        self.connection = connection

    # ---- the backend's part

    @classmethod
    def open(cls, target: RegisterTarget, *, timeout: float | None = None, create: bool = True) -> "Connection":
        raise NotImplementedError

    def _execute(self, sql: str, params: tuple):
        """Run one statement with the driver; a cursor."""
        raise NotImplementedError

    def _fault(self, error: Exception) -> Exception:
        """A driver's error as the exception to raise: Conflict for a taken unique key, else a RegisterError."""
        raise NotImplementedError

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

    def run(self, sql: str, params=()):
        """One statement; a cursor (its rows read one at a time, or its `rowcount`)."""
        try:
            return self._execute(sql, tuple(params))
        except Exception as e:
            fault = self._fault(e)
            if fault is e:
                raise
            raise fault from None

    def all(self, sql: str, params=()) -> list:
        """Every row of one statement."""
        return self.run(sql, params).fetchall()

    def one(self, sql: str, params=()):
        """The first row of one statement; None if it gave none."""
        return self.run(sql, params).fetchone()

    @contextlib.contextmanager
    def writing(self):
        """A write transaction: committed when the block ends, rolled back if it raises."""
        self.run(self.BEGIN)
        try:
            yield self
        except BaseException:
            with contextlib.suppress(Exception):
                self._execute("ROLLBACK", ())
            raise
        self.run("COMMIT")

    def trial(self):
        """A write transaction that is always rolled back: what a change would give, without making it."""
        return self._rolled_back(self.BEGIN)

    def snapshot(self):
        """A read transaction: everything read in the block is the register at one moment."""
        return self._rolled_back(self.SNAPSHOT)

    @contextlib.contextmanager
    def _rolled_back(self, begin: str):
        """A transaction opened with `begin` and rolled back however the block ends."""
        self.run(begin)
        try:
            yield self
        finally:
            with contextlib.suppress(Exception):
                self._execute("ROLLBACK", ())

    # ---- whole tables (copy, backup)

    def row_count(self, table: Table) -> int:
        return self.one(f"SELECT COUNT(*) FROM {quoted(table.name)}")[0]

    def batches(self, table: Table, size: int):
        """The rows of `table` (its columns in order), in its key's order, `size` at a time."""
        cursor = self.run(self._select_all(table))
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
        self.run(f"DELETE FROM {quoted(table.name)}")

    # ---- settings

    def setting(self, key: str) -> str | None:
        row = self.one("SELECT value FROM settings WHERE key = ?", (key,))
        return row[0] if row else None

    def put_setting(self, key: str, value: str) -> None:
        """Keep `value` as the setting `key` (replacing the one kept), inside the caller's `writing()`."""
        self.run("INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = ?",
                (key, value, value))

