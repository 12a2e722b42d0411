"""Whether a register is as procure wrote it: its immutability triggers, its seals and its files' digests.

Issued content is only ever inserted, and triggers refuse UPDATE and DELETE; but
whoever can write the database file (or owns the PostgreSQL tables) can drop a
trigger and edit a row. So each revision is sealed when it is issued (table
`seals`, migration 0004): `quote_sha256` over its row of `quotes`, `sha256` over
that row, its inputs and the sha256 of its files; and each file keeps its own
sha256. `problems` finds what no longer holds:

- `quick` (every `quote list` and `register info`): the triggers, and the seal of
  every row of `quotes` (small rows: milliseconds for ten thousand);
- full (`register check`; `verify` and `files` for the revisions they name): also
  the inputs, and every file's bytes against its sha256.

Revisions issued before the seals existed are checked by their files' digests only.
"""

import datetime
import json
import re
from collections.abc import Collection, Sequence

from procure.core.digest import sha256_hex
from procure.register.connection import Connection
from procure.register.migrate import available
from procure.register.records import SUFFIXES
from procure.register.stored import (
    INPUT_COLUMNS,
    QUOTE_COLUMNS,
    lines_json,
    lines_of,
    moment_text,
    stored_amount,
    stored_bytes,
)

_TRIGGER = re.compile(r"CREATE TRIGGER (\w+)", re.IGNORECASE)
_TRIGGERS_SQL = {
    "sqlite": "SELECT name FROM sqlite_master WHERE type = 'trigger'",
    "postgres": "SELECT t.tgname FROM pg_catalog.pg_trigger t JOIN pg_catalog.pg_class c ON c.oid = t.tgrelid "
                "JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = current_schema() "
                "AND NOT t.tgisinternal AND t.tgenabled <> 'D'",
}
CHANGED = "was changed after it was issued, outside procure"
CONTENT_BATCH = 100
"""Revisions whose files and inputs are read in one query each: a round trip per revision made a full check of
10,000 quotes on PostgreSQL take tens of seconds; 100 revisions' files are a few MB."""


def seals(quote: Sequence[object], inputs: dict, digests: dict[str, str]) -> tuple[str, str]:
    """`(quote_sha256, sha256)` of a revision: its `quotes` row (values in `QUOTE_COLUMNS` order), and that row
    with its inputs and file digests.

    Values are taken as either backend returns them (or as `Store.add` inserts them) and made alike first.
    """
    made = {key: (sha256_hex(stored_bytes(value)) if key.endswith("_bytes") and value is not None else value)
            for key, value in inputs.items()}
    made["lines"] = lines_json(lines_of(made["lines"]))
    row = _quote_text(quote)
    whole = json.dumps([row, made, dict(sorted(digests.items()))], sort_keys=True, ensure_ascii=False)
    return sha256_hex(row.encode("utf-8")), sha256_hex(whole.encode("utf-8"))


def _text_of(value: object) -> object:
    """A date or moment as the text SQLite keeps (what `Store.add` inserts); PostgreSQL returns objects."""
    if isinstance(value, datetime.datetime):
        return moment_text(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def _total_of(value: object) -> object:
    return None if value is None else str(stored_amount(value))


_CANONICAL = tuple((QUOTE_COLUMNS.index(key), convert) for key, convert in (
    ("quote_date", _text_of), ("valid_through", _text_of), ("issued_at", _text_of), ("total", _total_of),
    ("practice", bool)))
"""The columns of `quotes` whose value differs between the backends, and how each is made alike."""


def _quote_text(quote: Sequence[object]) -> str:
    """A `quotes` row as text, alike whichever backend returned it."""
    values = list(quote)
    for index, convert in _CANONICAL:
        values[index] = convert(values[index])
    return json.dumps(values, ensure_ascii=False)


def problems(store: Connection, *, quick: bool = False, numbers: Collection[str] | None = None) -> list[str]:
    """What no longer holds of the register as procure wrote it, one line each (see the module)."""
    found = _missing_triggers(store)
    sealed_from = int(store.setting("sealed_from") or 0)
    columns = ", ".join(f"q.{c}" for c in QUOTE_COLUMNS)
    # The rows one at a time, not fetched all at once: the check of any register fits in the same memory.
    rows = store.run(f"SELECT q.id, {columns}, s.quote_sha256, s.sha256 FROM quotes q "
                     f"LEFT JOIN seals s ON s.number = q.number ORDER BY q.id")
    at_number = 1 + QUOTE_COLUMNS.index("number")
    pending: list[tuple[str, Sequence[object], str | None]] = []
    for row in rows:
        number, quote, (sealed_row, seal) = row[at_number], row[1:-2], row[-2:]
        if numbers is not None and number not in numbers:
            continue
        if sealed_row is None:
            if row[0] >= sealed_from:
                found.append(f"{number}: its seal is missing: the register {CHANGED}")
            if quick:
                continue
        elif sha256_hex(_quote_text(quote).encode("utf-8")) != sealed_row:
            found.append(f"{number}: its record (total, dates, customer or issuer) {CHANGED}")
            continue
        if not quick:
            pending.append((number, quote, seal))
            if len(pending) == CONTENT_BATCH:
                found += _content_problems(store, pending)
                pending = []
    return found + (_content_problems(store, pending) if pending else [])


def _content_problems(store: Connection, pending: list[tuple[str, Sequence[object], str | None]]) -> list[str]:
    """What of the files and inputs of the revisions `pending` (number, `quotes` row, seal) no longer holds."""
    numbers = [number for number, _, _ in pending]
    marks = ", ".join("?" * len(numbers))
    files: dict[str, list[tuple[str, str, bytes]]] = {}
    for number, suffix, digest, content in store.all(f"SELECT number, suffix, sha256, content FROM files "
                                                     f"WHERE number IN ({marks})", numbers):
        files.setdefault(number, []).append((suffix, digest, stored_bytes(content)))
    inputs = {row[0]: dict(zip(INPUT_COLUMNS, row[1:], strict=True)) for row in store.all(
        f"SELECT number, {', '.join(INPUT_COLUMNS)} FROM inputs WHERE number IN ({marks})", numbers)}
    found = []
    for number, quote, seal in pending:
        bad = [f"{number}{suffix}: the stored file does not match its sha256: it {CHANGED}"
               for suffix, digest, content in sorted(files.get(number, []), key=_listed_order)
               if sha256_hex(content) != digest]
        found += bad
        if seal is None or bad:
            continue
        digests = {suffix: digest for suffix, digest, _ in files.get(number, [])}
        if number not in inputs or seals(quote, inputs[number], digests)[1] != seal:
            found.append(f"{number}: what went into it or its files' digests {CHANGED}")
    return found


def _listed_order(file: tuple[str, str, bytes]) -> int:
    return SUFFIXES.index(file[0]) if file[0] in SUFFIXES else len(SUFFIXES)


def _missing_triggers(store: Connection) -> list[str]:
    expected = [name for m in available(store.kind) for name in _TRIGGER.findall(m.sql)]
    present = {row[0] for row in store.all(_TRIGGERS_SQL[store.kind])}
    missing = [name for name in expected if name not in present]
    if not missing:
        return []
    return [f"{store.target.shown}: the trigger(s) that keep issued quotes from changing are missing "
            f"({', '.join(missing)}): the register {CHANGED}"]
