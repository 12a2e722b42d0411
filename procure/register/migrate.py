"""The numbered schema migrations of each backend (`migrations/<backend>/NNNN_name.sql`), and applying them.

A register records the migrations applied to it in `procure_schema`. Opening a
register applies the missing ones, in order, in one transaction
(`Migrating.migrate`); a register whose version is newer than the last migration
known here was written by a newer procure and is refused.
"""

import functools
import re
import sqlite3
from pathlib import Path

from procure import __version__
from procure.core.errors import NoRegister, RegisterError
from procure.core.record import Record
from procure.register.connection import NO_REGISTER, Connection
from procure.register.numbering import DEFAULT_FORMAT
from procure.register.stored import moment_text, utc_now

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


class Migrating(Connection):
    """An open register's schema: brought to the newest this procure knows as it is opened."""

    # ---- the backend's part

    def _schema_version(self) -> int:
        raise NotImplementedError

    def _apply(self, sql: str) -> None:
        """Run a migration script inside the open transaction."""
        raise NotImplementedError

    def _before_migration(self, current: int) -> None:
        """What a backend does before migrating a register of version `current` (SQLite: a backup copy)."""

    def _lock_schema(self) -> None:
        """Inside the migration transaction: keep other openers out until it ends."""

    # ---- migrating

    def migrate(self, create: bool = True) -> None:
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
                self.run("CREATE TABLE procure_schema (version INTEGER PRIMARY KEY, name TEXT NOT NULL, "
                         "applied_at TEXT NOT NULL, procure_version TEXT NOT NULL)")
            for migration in migrations[current:]:
                self._apply(migration.sql)
                self.run("INSERT INTO procure_schema (version, name, applied_at, procure_version) "
                         "VALUES (?, ?, ?, ?)", (migration.version, migration.name, moment_text(utc_now()),
                                                 __version__))
            if current == 0:
                self.run("INSERT INTO settings (key, value) VALUES (?, ?)", ("number_format", DEFAULT_FORMAT))

    def _refuse_newer(self, current: int, latest: int) -> None:
        if current > latest:
            raise RegisterError(f"{self.target.shown}: the register is at schema version {current}, newer than "
                                f"this procure {__version__} knows (version {latest}): upgrade procure to use it")

    @property
    def schema_version(self) -> int:
        return self._schema_version()
