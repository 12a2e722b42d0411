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
from procure.register.migrate import available
from procure.register.store import (
    _INPUT_COLUMNS,
    _QUOTE_COLUMNS,
    Store,
    _bytes,
    _money,
    lines_json,
    lines_of,
)

_TRIGGER = re.compile(r"CREATE TRIGGER (\w+)", re.IGNORECASE)
_TRIGGERS_SQL = {
    "sqlite": "SELECT name FROM sqlite_master WHERE type = 'trigger'",
    "postgres": "SELECT t.tgname FROM pg_catalog.pg_trigger t JOIN pg_catalog.pg_class c ON c.oid = t.tgrelid "
                "JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = current_schema() "
                "AND NOT t.tgisinternal AND t.tgenabled <> 'D'",
}
CHANGED = "was changed after it was issued, outside procure"


def seals(quote: Sequence[object], inputs: dict, digests: dict[str, str]) -> tuple[str, str]:
    """`(quote_sha256, sha256)` of a revision: its `quotes` row (values in `_QUOTE_COLUMNS` order), and that row
    with its inputs and file digests.

    Values are taken as either backend returns them (or as `Store.add` inserts them) and made alike first.
    """
    made = {key: (sha256_hex(_bytes(value)) if key.endswith("_bytes") and value is not None else value)
            for key, value in inputs.items()}
    made["lines"] = lines_json(lines_of(made["lines"]))
    row = _quote_text(quote)
    whole = json.dumps([row, made, dict(sorted(digests.items()))], sort_keys=True, ensure_ascii=False)
    return sha256_hex(row.encode("utf-8")), sha256_hex(whole.encode("utf-8"))


def _text_of(value: object) -> object:
    """A date or moment as the text SQLite keeps (what `Store.add` inserts); PostgreSQL returns objects."""
    if isinstance(value, datetime.datetime):
        return value.astimezone(datetime.UTC).isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def _total_of(value: object) -> object:
    return None if value is None else str(_money(value))


_CANONICAL = tuple((_QUOTE_COLUMNS.index(key), convert) for key, convert in (
    ("quote_date", _text_of), ("valid_through", _text_of), ("issued_at", _text_of), ("total", _total_of),
    ("practice", bool)))
"""The columns of `quotes` whose value differs between the backends, and how each is made alike."""


def _quote_text(quote: Sequence[object]) -> str:
    """A `quotes` row as text, alike whichever backend returned it."""
    values = list(quote)
    for index, convert in _CANONICAL:
        values[index] = convert(values[index])
    return json.dumps(values, ensure_ascii=False)


def problems(store: Store, *, quick: bool = False, numbers: Collection[str] | None = None) -> list[str]:
    """What no longer holds of the register as procure wrote it, one line each (see the module)."""
    found = _missing_triggers(store)
    sealed_from = int(store.setting("sealed_from") or 0)
    columns = ", ".join(f"q.{c}" for c in _QUOTE_COLUMNS)
    rows = store._all(f"SELECT q.id, {columns}, s.quote_sha256, s.sha256 FROM quotes q "
                      f"LEFT JOIN seals s ON s.number = q.number ORDER BY q.id")
    at_number = 1 + _QUOTE_COLUMNS.index("number")
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
            found += _content_problems(store, number, quote, seal)
    return found


def _content_problems(store: Store, number: str, quote: Sequence[object], seal: str | None) -> list[str]:
    files = store.files(number)
    found = [f"{number}{f.suffix}: the stored file does not match its sha256: it {CHANGED}"
             for f in files if sha256_hex(f.content) != f.sha256]
    if seal is not None and not found:
        columns = ", ".join(_INPUT_COLUMNS)
        inputs = dict(zip(_INPUT_COLUMNS, store._one(f"SELECT {columns} FROM inputs WHERE number = ?", (number,)),
                          strict=True))
        if seals(quote, inputs, {f.suffix: f.sha256 for f in files})[1] != seal:
            found.append(f"{number}: what went into it or its files' digests {CHANGED}")
    return found


def _missing_triggers(store: Store) -> list[str]:
    expected = [name for m in available(store.kind) for name in _TRIGGER.findall(m.sql)]
    present = {row[0] for row in store._all(_TRIGGERS_SQL[store.kind])}
    missing = [name for name in expected if name not in present]
    if not missing:
        return []
    return [f"{store.target.shown}: the trigger(s) that keep issued quotes from changing are missing "
            f"({', '.join(missing)}): the register {CHANGED}"]
