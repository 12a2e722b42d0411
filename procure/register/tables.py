"""The register's tables as its database describes them, for copying a register whole.

`Table` is what a backend reports of one table (`Store.tables()`): its columns and
their declared types, the columns of its primary key, and the tables its foreign
keys refer to. `in_dependency_order` puts every table after those it refers to, so
a copy inserts a quote before its files, whatever tables later migrations add.
`portable` turns a value as one backend returns it into what the other stores.
"""

import datetime
from decimal import Decimal

from procure.core.record import Record
from procure.register.stored import moment_text

NOT_COPIED = ("procure_schema", "number_claims")
"""The migrations applied (each register keeps its own record of them) and the numbers claimed by issues in
progress on the source (`claims`), which are no record."""


class Table(Record):
    name: str
    columns: tuple[str, ...]
    types: tuple[str, ...]
    """The declared type of each column, in lower case (`text`, `integer`, `boolean`, `bytea`, ...)."""
    key: tuple[str, ...]
    """The primary key's columns: the order rows are read in."""
    parents: frozenset[str]
    """The tables its foreign keys refer to."""


def quoted(name: str) -> str:
    """An identifier quoted for either backend's SQL."""
    return '"' + name.replace('"', '""') + '"'


def in_dependency_order(tables: list[Table]) -> list[Table]:
    """`tables` with every table after the tables it refers to (by name otherwise, so the order is fixed)."""
    pending = {t.name: t for t in tables}
    ordered: list[Table] = []
    while pending:
        ready = sorted(name for name, t in pending.items() if not (t.parents - {name}) & pending.keys())
        if not ready:  # a circle of foreign keys: insert the rest by name, the database checks at commit
            ready = sorted(pending)
        ordered += [pending.pop(name) for name in ready]
    return ordered


def portable(value: object, kind: str, column_type: str) -> object:
    """`value` as the register of backend `kind` stores it in a column of `column_type`.

    SQLite keeps dates, moments and amounts as ISO text and flags as 0 or 1 (as `Store` inserts them);
    PostgreSQL reads that text into its own types, but takes a flag only as a boolean.
    """
    if kind == "sqlite":
        if isinstance(value, datetime.datetime):
            return moment_text(value)
        if isinstance(value, datetime.date):
            return value.isoformat()
        if isinstance(value, bool):
            return int(value)
        if isinstance(value, Decimal):
            return str(value)
    elif column_type == "boolean" and isinstance(value, int):
        return bool(value)
    if isinstance(value, memoryview):
        return bytes(value)
    return value
