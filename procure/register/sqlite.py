"""The SQLite backend: one register file, with the standard library's sqlite3.

A write transaction is `BEGIN IMMEDIATE`: it takes the file's write lock at once,
so two desks issuing at the same moment queue (for `timeout` seconds, env
PROCURE_REGISTER_TIMEOUT, default 30) instead of taking the same number. Before
an older register is migrated, a copy of it is saved beside it.

A register holds the desk's users, their password hashes and the key that signs
the desk's cookies: a new register file (and its copy before a migration) is
made readable by its owner only (0600), and the default folder for it 0700.
"""

import contextlib
import os
import sqlite3
import stat
import urllib.parse
from pathlib import Path

from procure.core.characters import printable
from procure.core.errors import NoRegister, RegisterError, RegisterReadOnly
from procure.register.connection import DEFAULT_TIMEOUT, NO_REGISTER, Conflict, wait_seconds
from procure.register.migrate import sqlite_statements
from procure.register.store import Store
from procure.register.tables import Table, quoted
from procure.register.target import RegisterTarget, default_path

PRIVATE_FILE, PRIVATE_FOLDER = 0o600, 0o700

CONFLICTS = frozenset(("SQLITE_CONSTRAINT_UNIQUE", "SQLITE_CONSTRAINT_PRIMARYKEY"))
"""The errors of a row another desk inserted first (a number, a key): the caller may try again."""


def _family(name: str) -> str:
    """The primary result code of an extended one: `SQLITE_BUSY_SNAPSHOT` -> `SQLITE_BUSY`."""
    return "_".join(name.split("_")[:2])


class SQLiteStore(Store):
    kind = "sqlite"
    BEGIN = "BEGIN IMMEDIATE"
    timeout = DEFAULT_TIMEOUT
    """Seconds to wait for the write lock another program holds."""

    @classmethod
    def open(cls, target: RegisterTarget, *, timeout: float | None = None, create: bool = True,
             shared: bool = False) -> "SQLiteStore":
        path, seconds, shown = Path(target.location), wait_seconds(timeout), target.shown
        if path.is_dir():
            raise RegisterError(f"{shown}: is a folder, not a register file")
        above = next((p for p in path.parents if p.exists()), None)
        if above is not None and not above.is_dir():
            raise RegisterError(f"{shown}: {printable(above)} is a file, not a folder: name a register file in a "
                                f"folder")
        if not create and not path.exists():
            raise NoRegister(f"{shown}: {NO_REGISTER}")
        try:
            path.parent.mkdir(parents=True, exist_ok=True,
                              mode=PRIVATE_FOLDER if path == default_path() else 0o777)
            make_private(path)
            connection = sqlite3.connect(_uri(path), timeout=seconds, isolation_level=None, uri=True)
        except (OSError, sqlite3.Error) as e:
            raise RegisterError(f"{shown}: cannot open the register: {getattr(e, 'strerror', None) or e}") from None
        store = cls(target, connection)
        store.timeout = seconds
        try:
            store._read_first_page(path)
            store.run("PRAGMA foreign_keys = ON")
            store.migrate(create)
            if shared:
                store.share_writes()
        except BaseException:
            store.close()
            raise
        return store

    def _execute(self, sql: str, params: tuple):
        return self.connection.execute(sql, params)

    def _read_first_page(self, path: Path) -> None:
        """Read the register's first page. A register in write-ahead-log mode that this account may not write is
        opened again as immutable when its log holds nothing, since SQLite would otherwise need to write its
        shared-memory file beside it; a log that holds changes is never left unread: such a register fails.

        The file is never opened but by SQLite: a process that opens and closes a file SQLite has open drops
        SQLite's locks on it (POSIX locks belong to the process), and another program closing the register last
        would then fold the log in and delete it under the desk's connections, which would go on in a log no
        other program reads."""
        try:
            self.connection.execute("SELECT 1 FROM sqlite_master LIMIT 1").fetchall()
        except sqlite3.Error as e:
            if not _folded_and_not_writable(path, e):
                raise self._fault(e) from None
            self.connection.close()
            self.connection = sqlite3.connect(_uri(path) + "?immutable=1", timeout=self.timeout,
                                              isolation_level=None, uri=True)

    def _fault(self, error: Exception) -> Exception:
        if not isinstance(error, sqlite3.Error):
            return error
        name = error.sqlite_errorname or ""
        if name in CONFLICTS:
            return Conflict(str(error))
        shown, text, family = self.target.shown, str(error), _family(name)
        if family in ("SQLITE_BUSY", "SQLITE_LOCKED"):
            return RegisterError(f"{shown}: the register is locked by another program (waited "
                                 f"{self.timeout:g} s); try again when it is done")
        if family in ("SQLITE_NOTADB", "SQLITE_CORRUPT"):
            return RegisterError(f"{shown}: is not a procure register: not an SQLite file, or damaged ({text})")
        if family == "SQLITE_READONLY":
            return RegisterReadOnly(f"{shown}: cannot write the register ({text})")
        if family == "SQLITE_CANTOPEN":
            return RegisterError(f"{shown}: cannot write the register ({text})")
        return RegisterError(f"{shown}: the register failed: {text}")

    def _schema_version(self) -> int:
        if not self.one("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'procure_schema'"):
            return 0 if not self.one("SELECT 1 FROM sqlite_master") else self._not_a_register()
        return self.one("SELECT MAX(version) FROM procure_schema")[0] or 0

    def _not_a_register(self) -> int:
        raise RegisterError(f"{self.target.shown}: is an SQLite file, but not a procure register: name another file")

    def _apply(self, sql: str) -> None:
        for statement in sqlite_statements(sql):
            self.run(statement)

    def tables(self) -> list[Table]:
        found = []
        for (name,) in self.all("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
                                "ORDER BY name"):
            columns = self.all(f"PRAGMA table_info({quoted(name)})")  # cid, name, type, notnull, default, pk
            key = tuple(c[1] for c in sorted(columns, key=lambda c: c[5]) if c[5])
            parents = frozenset(f[2] for f in self.all(f"PRAGMA foreign_key_list({quoted(name)})"))
            found.append(Table(name, tuple(c[1] for c in columns), tuple(c[2].lower() for c in columns), key,
                               parents))
        return found

    def insert_rows(self, table: Table, rows: list[tuple]) -> None:
        sql = (f"INSERT INTO {quoted(table.name)} ({', '.join(map(quoted, table.columns))}) "
               f"VALUES ({', '.join('?' * len(table.columns))})")
        try:
            self.connection.executemany(sql, rows)
        except sqlite3.Error as e:
            raise self._fault(e) from None

    def share_writes(self) -> None:
        """Keep the register in write-ahead-log mode when it may be written: readers then never wait for a
        writer nor a writer for readers, and the desk's workers issue side by side (20 clients at once: 8.6 s
        for 200 quotes, against 14.7 s with SQLite's rollback journal). A register opened for reading stays
        as it is. The mode stays with the file; SQLite folds the log back into it when the last connection
        closes."""
        with contextlib.suppress(sqlite3.Error):
            self.connection.execute("PRAGMA journal_mode = WAL")

    def backup_into(self, path: Path) -> None:
        """Copy the register into the new SQLite file `path` with SQLite's online backup, in one step: a
        consistent copy while other desks keep issuing (they wait for it, as for each other)."""
        try:
            with contextlib.closing(sqlite3.connect(path)) as copy:
                self.connection.backup(copy)
        except sqlite3.Error as e:
            raise self._fault(e) from None

    def as_one_file(self) -> None:
        """Leave write-ahead-log mode, for a copy to keep: see `one_file`."""
        try:
            one_file(self.connection)
        except sqlite3.Error as e:
            raise self._fault(e) from None

    def _before_migration(self, current: int) -> None:
        """A copy of the register as it was, `<file>.schema<current>.bak` (numbered if that exists)."""
        path = Path(self.target.location)
        backup = path.with_name(f"{path.name}.schema{current}.bak")
        n = 1
        while backup.exists():
            n += 1
            backup = path.with_name(f"{path.name}.schema{current}.{n}.bak")
        try:
            make_private(backup)
            with contextlib.closing(sqlite3.connect(backup)) as copy:
                self.connection.backup(copy)
                one_file(copy)
        except sqlite3.Error as e:
            backup.unlink(missing_ok=True)
            raise self._fault(e) from None


def one_file(copy: sqlite3.Connection) -> None:
    """A copy to keep leaves the write-ahead-log mode it was made in (SQLite's backup copies the mode): one
    file, readable where nothing may be written beside it (a read-only folder or medium)."""
    copy.execute("PRAGMA journal_mode = DELETE")


def _uri(path: Path) -> str:
    return "file:" + urllib.parse.quote(str(path.absolute()))


def _folded_and_not_writable(path: Path, error: sqlite3.Error) -> bool:
    """Whether SQLite could not read `path` because it may not write beside it, while the register's log holds
    nothing (its last connection folded it in): then the file alone is the register."""
    log = path.with_name(path.name + "-wal")
    return (_family(error.sqlite_errorname or "") in ("SQLITE_READONLY", "SQLITE_CANTOPEN") and path.exists()
            and not os.access(path, os.W_OK) and not (log.exists() and log.stat().st_size > 0))


def readable_by_others(path: str | os.PathLike) -> int | None:
    """The file's permission bits if accounts other than its owner may read or write it, else None."""
    try:
        mode = stat.S_IMODE(os.stat(path).st_mode)
    except OSError:
        return None
    return mode if os.name == "posix" and mode & 0o077 else None


def make_private(path: Path) -> None:
    """An empty file only its owner may read (SQLite makes its journals with the file's mode), unless it exists."""
    with contextlib.suppress(FileExistsError):
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE))
