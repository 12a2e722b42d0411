"""The numbered schema migrations of each backend: `migrations/<backend>/NNNN_name.sql`.

A register records the migrations applied to it in `procure_schema`. Opening a
register applies the missing ones, in order, in one transaction (see
`Store._migrate`); a register whose version is newer than the last migration
known here was written by a newer procure and is refused.
"""

import functools
import re
import sqlite3
from pathlib import Path

from procure.core.record import Record

FOLDER = Path(__file__).parent / "migrations"
FILE_NAME = re.compile(r"^(\d{4})_([a-z0-9_]+)\.sql$")


class Migration(Record):
    version: int
    name: str
    sql: str


@functools.cache
def available(backend: str) -> tuple[Migration, ...]:
    """The migrations of `backend` (`sqlite`, `postgres`), in order; numbered 1, 2, ... without a gap."""
    found = []
    for path in sorted((FOLDER / backend).glob("*.sql")):
        match = FILE_NAME.match(path.name)
        if match:
            found.append(Migration(int(match[1]), match[2], path.read_text(encoding="utf-8")))
    assert [m.version for m in found] == list(range(1, len(found) + 1)), f"migrations of {backend} have a gap"
    return tuple(found)


def sqlite_statements(sql: str) -> list[str]:
    """The statements of an SQLite script, one by one (a trigger's body stays whole), comments kept."""
    statements, pending = [], ""
    for line in sql.splitlines(keepends=True):
        pending += line
        if sqlite3.complete_statement(pending):
            statements.append(pending.strip())
            pending = ""
    assert not pending.strip() or pending.strip().startswith("--"), "an SQLite migration ends mid-statement"
    return statements
