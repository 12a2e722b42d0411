"""Copy a register whole into an empty register of either backend; back one up into a new SQLite file.

The copy knows no table by name: it asks the source's database for its tables
and columns (`Store.tables()`), inserts them in dependency order (a quote before
its files), ids and all, and streams each table in batches, so the copy of a
register of any size holds a few batches in memory and a table a later
migration adds is copied with no change here. The source is read in one
snapshot (`Store.snapshot()`: a read transaction; on PostgreSQL a repeatable-read
one), the target written in one transaction: a copy that fails writes nothing.
Before the target's transaction commits, every table's rows are counted on it
and every seal and file digest is checked there (`sealing.problems`).

A target is empty when each of its tables holds what a new register holds (the
number format and the first sealed quote in `settings`, nothing else).
"""

import contextlib
import os
import tempfile
from collections.abc import Callable
from pathlib import Path

from procure.core.errors import InputError, RegisterError, RuleError
from procure.core.record import Record
from procure.register.store import Store
from procure.register.tables import NOT_COPIED, Table, in_dependency_order, portable

BATCH = 200
"""Rows read and inserted at a time: 200 revisions' files are a few MB."""
DIGESTS = "sha256"
"""The column of a table that holds a stored digest (files, seals)."""

Progress = Callable[[str, int], None]
"""Told the table being copied and how many more of its rows were copied."""


class Copied(Record):
    table: str
    rows: int
    """Rows read from the source."""
    stored: int
    """Rows counted on the target."""


class Result(Record):
    tables: tuple[Copied, ...]
    digests: int
    """Stored digests checked on the target: every seal and every file's sha256."""


def copy_register(source: Store, target: Store, progress: Progress | None = None) -> Result:
    """Copy everything of `source` into the empty register `target` (see the module); RuleError naming what the
    target holds when it is not empty, RegisterError when the copy does not hold on the target."""
    tell = progress or (lambda table, rows: None)
    with source.snapshot():
        tables = _same_tables(source, target)
        fresh = _fresh_rows(tables)
        with target.writing():
            found = [f"{count} row(s) of {table.name}" for table in tables
                     if (count := _held(target, table, fresh.get(table.name, set())))]
            if found:
                raise RuleError(f"{target.target.shown}: is not empty: it holds {', '.join(found)}; copy only into "
                                f"a new register (a new SQLite file, or an empty PostgreSQL database or schema); "
                                f"nothing was written")
            copied = []
            for table in tables:
                if fresh.get(table.name):
                    target.empty_table(table)
                rows = 0
                for batch in source.batches(table, BATCH):
                    target.insert_rows(table, [_converted(row, table, target.kind) for row in batch])
                    rows += len(batch)
                    tell(table.name, len(batch))
                copied.append(Copied(table.name, rows, target.row_count(table)))
            target.after_copy(tables)
            return _checked(target, tables, tuple(copied))


def _same_tables(source: Store, target: Store) -> list[Table]:
    """The target's tables (their columns in its order, their types what values become) in dependency order;
    RegisterError if the source's tables or columns differ."""
    mine = {t.name: t for t in source.tables() if t.name not in NOT_COPIED}
    theirs = {t.name: t for t in target.tables() if t.name not in NOT_COPIED}
    if source.schema_version != target.schema_version:
        raise RegisterError(f"{target.target.shown}: is at schema version {target.schema_version}, the source at "
                            f"{source.schema_version}: open both with the same procure first")
    differ = sorted(name for name in mine.keys() | theirs.keys()
                    if name not in mine or name not in theirs or set(mine[name].columns) != set(theirs[name].columns))
    if differ:
        raise RegisterError(f"{target.target.shown}: its tables differ from the source's ({', '.join(differ)}): "
                            f"the registers were made by different procure versions")
    return in_dependency_order(list(theirs.values()))


def _fresh_rows(tables: list[Table]) -> dict[str, set[tuple]]:
    """What each table of a new register holds, as SQLite keeps it (a new register made in a temporary folder)."""
    from procure.register.sqlite import SQLiteStore
    from procure.register.target import resolve

    with (tempfile.TemporaryDirectory(prefix="procure-fresh-") as folder,
          SQLiteStore.open(resolve(Path(folder) / "fresh.sqlite")) as fresh):
        held = {t.name: t for t in fresh.tables()}
        return {t.name: {_converted(row, t, "sqlite") for batch in fresh.batches(held[t.name], BATCH)
                         for row in batch} for t in tables if t.name in held}


def _held(target: Store, table: Table, fresh: set[tuple]) -> int:
    """How many rows of `table` the target holds beyond what a new register holds (all of them if it differs)."""
    count = target.row_count(table)
    if count == 0 or count > len(fresh):
        return count
    rows = {_converted(row, table, "sqlite") for batch in target.batches(table, BATCH) for row in batch}
    return 0 if rows <= fresh else count


def _converted(row: tuple, table: Table, kind: str) -> tuple:
    return tuple(portable(value, kind, column_type) for value, column_type in zip(row, table.types, strict=True))


def _checked(target: Store, tables: list[Table], copied: tuple[Copied, ...]) -> Result:
    """The result, once every count and stored digest holds on the target; RegisterError (nothing kept) if not."""
    from procure.register.sealing import problems

    found = [f"{c.table}: {c.rows} row(s) read, {c.stored} on the copy" for c in copied if c.rows != c.stored]
    found += problems(target) if not found else []
    if found:
        raise RegisterError([f"{target.target.shown}: the copy does not hold, so nothing was written: {line}"
                             for line in found])
    with_digests = {t.name for t in tables if DIGESTS in t.columns}
    return Result(copied, sum(c.stored for c in copied if c.table in with_digests))


def backup_register(source: Store, path: Path, progress: Progress | None = None, *, force: bool = False) -> Result:
    """Write a consistent copy of `source` to the new SQLite register file `path` (over it only with `force`):
    SQLite's online backup of an SQLite register, else a copy of one snapshot. The file is checked as a register
    (counts, seals, digests) before it takes its name."""
    from procure.files.whole import check_targets
    from procure.register.sqlite import SQLiteStore
    from procure.register.target import resolve

    [path] = check_targets(path.parent, [path.name], force=force)
    try:
        handle, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    except OSError as e:
        raise InputError(f"{path}: cannot write the backup there ({e.strerror or e}): name a file in a folder "
                         f"that exists and you may write to") from None
    os.close(handle)
    part = Path(name)
    try:
        if isinstance(source, SQLiteStore):
            part.unlink()
            source.backup_into(part)
            with SQLiteStore.open(resolve(part), create=False) as copy:
                result = _counted(copy)
                copy.as_one_file()
        else:
            part.unlink()
            with SQLiteStore.open(resolve(part)) as copy:
                result = copy_register(source, copy, progress)
                copy.as_one_file()
        if not force and path.exists():
            raise RuleError(f"{path}: exists already (give --force to overwrite it)")
        os.replace(part, path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            part.unlink()
    return result


def _counted(copy: Store) -> Result:
    """The rows of every table of a backup made whole by SQLite, once its seals and digests hold."""
    tables = in_dependency_order([t for t in copy.tables() if t.name not in NOT_COPIED])
    counts = tuple(Copied(t.name, n, n) for t in tables for n in [copy.row_count(t)])
    return _checked(copy, tables, counts)


def total_rows(store: Store) -> int:
    """The rows a copy of `store` reads (for a progress bar)."""
    return sum(store.row_count(t) for t in store.tables() if t.name not in NOT_COPIED)
