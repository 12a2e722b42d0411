"""Parse TOML text and check its tables key by key.

Every problem becomes one line a user can act on:
`request.toml:12: [[treatment]] #2 procedures: must be a whole number of at least 1, not 0`.
TOML parsers give no positions for keys, so `Locator` finds the line of a key
by reading the table headers and key lines of the text itself.
"""

import collections
import datetime
import functools
import re
import sys
import tomllib
from collections.abc import Callable, Collection
from decimal import Decimal
from typing import Any, Protocol

from procure.core.characters import LINE_BREAKS, describe as describe_character, forbidden
from procure.core.errors import InputError

Document = dict[str, Any]
"""A parsed TOML table, or a form read into the same shape: what `Checker` checks key by key."""
Place = tuple[str | int, ...]
"""Where a value sits in a document: its keys, with the index of each table of an array (`("treatment", 1, "name")`)."""

MAX_LIST_ITEMS, MAX_TABLES = 1_000, 10_000
"""The most items a list of text may hold, and the most tables of one array of tables ([[treatment]])."""

# Patterns, not compiled ones: they are needed only to word a problem, and compiling them costs every run.
_KEY = r'(?:[A-Za-z0-9_-]+|"(?:[^"\\]|\\.)*"|\'[^\']*\')'
_HEADER = rf"^\s*(\[\[?)\s*({_KEY}(?:\s*\.\s*{_KEY})*)\s*\]\]?"
_ASSIGN = rf"^\s*({_KEY}(?:\s*\.\s*{_KEY})*)\s*="
_TOML_POSITION = r"^(.*) \(at line (\d+), column (\d+)\)$"
_TOML_AT_END = r"^(.*) \(at end of document\)$"
_LONG_NUMBER = rf"[0-9_]{{{sys.get_int_max_str_digits() + 1},}}"


def _components(dotted: str) -> tuple[str, ...]:
    return tuple(k.strip("\"'") for k in re.findall(_KEY, dotted))


def parse_toml(text: str, name: str) -> Document:
    """Parse TOML text, numbers with decimals as Decimal; syntax errors name the line.

    A key or text holding a character no output can hold (`characters.forbidden`; line breaks and tabs
    aside in text) is refused here, for every TOML file, naming the key.
    """
    try:
        data = tomllib.loads(text, parse_float=Decimal)
    except tomllib.TOMLDecodeError as e:
        match = re.match(_TOML_POSITION, str(e))
        if match:
            reason, line, column = match.groups()
            raise InputError(f"{name}:{line}:{column}: not valid TOML: {reason}") from None
        match = re.match(_TOML_AT_END, str(e))
        if match:
            raise InputError(f"{name}:{len(text.splitlines())}: not valid TOML: {match.group(1)} at the end of "
                             f"the file (is it cut short?)") from None
        raise InputError(f"{name}: not valid TOML: {e}") from None
    except RecursionError:
        raise InputError(f"{name}: not valid TOML here: lists or tables are nested too deep") from None
    except ValueError as e:  # tomllib lets int()'s refusal of too many digits through
        long = re.search(_LONG_NUMBER, text)
        if long is None:
            raise InputError(f"{name}: not valid TOML: {e}") from None
        raise InputError(f"{name}:{text.count(chr(10), 0, long.start()) + 1}: holds a number of more than "
                         f"{sys.get_int_max_str_digits():,} digits") from None
    # Without escapes every key and text is a piece of `text` as written; where line breaks are the only control
    # characters in it, none can hold a forbidden character, and walking a large document is not needed.
    if "\\" in text or forbidden(text, "\n\r") is not None:
        problems = _characters(data, name, text)
        if problems:
            raise InputError(problems)
    return data


def _characters(data: Document, name: str, text: str) -> list[str]:
    """One problem per key or text of a parsed document holding a forbidden character."""
    check = None
    queue: collections.deque[tuple[Place, object]] = collections.deque([((), data)])
    while queue:
        path, value = queue.popleft()
        if isinstance(value, dict):
            for key, item in value.items():
                char = forbidden(key)
                if char is not None:
                    check = check or Checker(name, text)
                    check.fail(path, f"a key holds {describe_character(char)}: {key!r}")
                queue.append((path + (key,), item))
        elif isinstance(value, list):
            queue.extend(((path + (i,), item) if isinstance(item, dict) else (path, item))
                         for i, item in enumerate(value))
        elif isinstance(value, str):
            char = forbidden(value, LINE_BREAKS)
            if char is not None:
                check = check or Checker(name, text)
                check.fail(path, f"holds {describe_character(char)}: remove it")
    return check.problems if check else []


class Locating(Protocol):
    """What a `Checker` asks of its locator: a TOML text's `Locator`, or the form reader's `FormLocator`."""

    def where(self, name: str, path: Place) -> str: ...

    def problem(self, name: str, path: Place, message: str) -> str: ...

    def missing(self, name: str, path: Place, key: str) -> str: ...


class Locator:
    """The line numbers of the tables and keys of one TOML text.

    A `Checker` asks its locator to word each problem (`where`, `problem`, `missing`);
    the reader of Excel request forms has a locator of the same shape that names cells.
    """

    def __init__(self, text: str):
        self._text = text

    @functools.cached_property
    def _lines(self) -> dict[Place, int]:
        """The line of each table and key, found when the first problem asks for one (most texts have none)."""
        lines: dict[Place, int] = {}
        arrays: dict[tuple[str, ...], int] = {}
        prefix: Place = ()
        for number, line in enumerate(self._text.splitlines(), start=1):
            header = re.match(_HEADER, line)
            if header:
                names = _components(header.group(2))
                prefix = ()
                for i, name in enumerate(names):
                    prefix += (name,)
                    last = i == len(names) - 1
                    if last and header.group(1) == "[[":
                        arrays[names] = arrays.get(names, -1) + 1
                    if names[: i + 1] in arrays:
                        prefix += (arrays[names[: i + 1]],)
                lines.setdefault(prefix, number)
                continue
            assign = re.match(_ASSIGN, line)
            if assign:
                lines.setdefault(prefix + _components(assign.group(1)), number)
        return lines

    def line(self, path: Place) -> int | None:
        """The line of `path`, or of the nearest enclosing table that has one."""
        for end in range(len(path), 0, -1):
            if path[:end] in self._lines:
                return self._lines[path[:end]]
        return None

    def where(self, name: str, path: Place) -> str:
        """`request.toml:14`: the file `name` and the line of `path`, as findings and messages point to it."""
        line = self.line(path)
        return f"{name}:{line}" if line else name

    def problem(self, name: str, path: Place, message: str) -> str:
        """`request.toml:14: [[treatment]] #1 procedures: <message>`, one line a user can act on."""
        where = self.where(name, path)
        return f"{where}: {describe(path)}: {message}" if path else f"{where}: {message}"

    def missing(self, name: str, path: Place, key: str) -> str:
        """The problem of a required `key` absent from the table at `path`."""
        return self.problem(name, path, f"{key} is required" if path else f"[{key}] is required")


def describe(path: Place) -> str:
    """`[[treatment]] #2 procedures`, `[customer] dodaac`, `[stock] "STT2309-5"`, `[[fees.code]] #1 asc`."""
    arrays = [(i, item) for i, item in enumerate(path) if isinstance(item, int)]
    if arrays:
        last, index = arrays[-1]
        head = f"[[{'.'.join(_key(p) for p in path[:last] if not isinstance(p, int))}]] #{index + 1}"
        rest = path[last + 1:]
    else:
        head, rest = f"[{_key(path[0])}]", path[1:]
    return " ".join([head, ".".join(_key(p) for p in rest)]) if rest else head


def _key(name: str | int) -> str:
    return str(name) if re.fullmatch(r"[A-Za-z0-9_-]+", str(name)) else f'"{name}"'


def _kind(value: object) -> str:
    if isinstance(value, bool):
        return "the truth value"
    if isinstance(value, int):
        return "a whole number"
    if isinstance(value, Decimal):
        return "a number with decimals"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, (datetime.date, datetime.time)):
        return "a date or time"
    return type(value).__name__


def _show(value: object) -> str:
    if isinstance(value, bool):
        return str(value).lower()
    text = repr(value) if isinstance(value, str) else str(value)
    return text if len(text) <= 40 else text[:37] + "..."


class Checker:
    """Checks values of a parsed document (TOML, or a form read into the same shape); one line per problem."""

    def __init__(self, name: str, text: str | None = None, *, locator: Locating | None = None):
        """Problems name the file `name` and the place in `text` (or what `locator` says)."""
        self.name = name
        self.locator: Locating = locator if locator is not None else Locator(text or "")
        self.problems: list[str] = []
        self.failed: list[Place] = []
        """The key path of each problem, so that a reader can drop the bad values and check the rest."""

    def fail(self, path: Place, message: str) -> None:
        self.problems.append(self.locator.problem(self.name, path, message))
        self.failed.append(path)

    def keys(self, table: Document, path: Place, allowed: Collection[str]) -> None:
        """Unknown keys are named, so a typo is never silently ignored."""
        for key in table:
            if key not in allowed:
                close = _close_key(key, allowed)
                hint = f" (did you mean {close!r}?)" if close else f"; allowed: {', '.join(allowed)}"
                self.fail(path + (key,), f"unknown key {key!r}{hint}")

    def _get(self, table: Document, path: Place, key: str, required: bool, kinds: tuple[type, ...],
             wanted: str) -> Any:
        """The value of `key` in `table` if it is one of `kinds`; else None, the problem noted."""
        if key not in table:
            if required:
                self.problems.append(self.locator.missing(self.name, path, key))
            return None
        value = table[key]
        if not isinstance(value, kinds) or (isinstance(value, bool) and bool not in kinds):
            self.fail(path + (key,), f"must be {wanted}, not {_kind(value)} {_show(value)}")
            return None
        return value

    def text(self, table: Document, path: Place, key: str, required: bool = False, pattern: str | None = None,
             rule: str = "", max_length: int = 500) -> str | None:
        value: str | None = self._get(table, path, key, required, (str,), "text in quotes")
        if value is None:
            return None
        if not value.strip():
            self.fail(path + (key,), "must not be empty")
            return None
        char = forbidden(value)
        if char is not None:
            self.fail(path + (key,), f"holds {describe_character(char)}: write it on one line of plain text")
            return None
        if len(value) > max_length:
            self.fail(path + (key,), f"is {len(value)} characters long; at most {max_length}")
            return None
        if pattern and not re.fullmatch(pattern, value):
            self.fail(path + (key,), f"{_show(value)} is not {rule}")
            return None
        return value

    def integer(self, table: Document, path: Place, key: str, required: bool = False, minimum: int | None = None,
                maximum: int | None = None) -> int | None:
        if isinstance(table.get(key), Decimal):
            self.fail(path + (key,), f"must be a whole number, not {table[key]}")
            return None
        value: int | None = self._get(table, path, key, required, (int,), "a whole number")
        if value is None:
            return None
        if minimum is not None and value < minimum:
            self.fail(path + (key,), f"must be a whole number of at least {minimum}, not {value}")
            return None
        if maximum is not None and value > maximum:
            self.fail(path + (key,), f"must be at most {maximum:,}, not {_show(value)}")
            return None
        return value

    def number(self, table: Document, path: Place, key: str, required: bool = False,
               minimum: Decimal | int | None = None, maximum: Decimal | int | None = None) -> Decimal | None:
        found: int | Decimal | None = self._get(table, path, key, required, (int, Decimal), "a number")
        if found is None:
            return None
        value = Decimal(found)
        if not value.is_finite():
            self.fail(path + (key,), f"must be a number, not {value}")
            return None
        if (minimum is not None and value < minimum) or (maximum is not None and value > maximum):
            self.fail(path + (key,), f"must be between {minimum} and {maximum}, not {value}")
            return None
        return value

    def boolean(self, table: Document, path: Place, key: str, required: bool = False) -> bool | None:
        value: bool | None = self._get(table, path, key, required, (bool,), "true or false")
        return value

    def date(self, table: Document, path: Place, key: str, required: bool = False,
             earliest: datetime.date | None = None, latest: datetime.date | None = None) -> datetime.date | None:
        value: datetime.date | None = self._get(table, path, key, required, (datetime.date,),
                                                "a date such as 2026-01-15 (no quotes)")
        if isinstance(value, datetime.datetime):
            self.fail(path + (key,), f"must be a date without a time, not {value}")
            return None
        if value is not None and ((earliest and value < earliest) or (latest and value > latest)):
            self.fail(path + (key,), f"must be a date from {earliest} to {latest}, not {value}")
            return None
        return value

    def text_list(self, table: Document, path: Place, key: str, required: bool = False, unique: bool = True,
                  normal: Callable[[str], str] = str) -> list[str] | None:
        """A list of text; `normal` (str.upper, say) is applied before duplicates are looked for."""
        values: list[object] | None = self._get(table, path, key, required, (list,),
                                                "a list of text such as [\"A\", \"B\"]")
        if values is None:
            return None
        if required and not values:
            self.fail(path + (key,), "must not be an empty list")
            return None
        if len(values) > MAX_LIST_ITEMS:
            self.fail(path + (key,), f"lists {len(values):,} items; at most {MAX_LIST_ITEMS:,}")
            return None
        good, seen = [], set()
        for value in values:
            if not isinstance(value, str) or not value.strip():
                self.fail(path + (key,), f"must hold only text in quotes, not {_kind(value)} {_show(value)}")
                return None
            char = forbidden(value)
            if char is not None:
                self.fail(path + (key,), f"{_show(value)} holds {describe_character(char)}")
                return None
            value = normal(value)
            if unique and value in seen:
                self.fail(path + (key,), f"lists {value!r} twice")
                return None
            good.append(value)
            seen.add(value)
        return good

    def table(self, data: Document, path: Place, key: str, required: bool = False) -> Document | None:
        value: Document | None = self._get(data, path, key, required, (dict,), f"a table [{key}]")
        return value

    def tables(self, data: Document, path: Place, key: str, required: bool = False) -> list[Document]:
        values: list[object] | None = self._get(data, path, key, required, (list,), f"an array of tables [[{key}]]")
        if values is None:
            return []
        if len(values) > MAX_TABLES:
            self.fail(path + (key, MAX_TABLES), f"is past the most [[{key}]] tables a file may have "
                                                f"({MAX_TABLES:,})")
            return []
        good = []
        for i, value in enumerate(values):
            if isinstance(value, dict):
                good.append(value)
            else:
                self.fail(path + (key, i), f"must be a table [[{key}]], not {_kind(value)}")
        return good if len(good) == len(values) else []


def _close_key(key: str, allowed: Collection[str]) -> str | None:
    """The allowed key a typo most likely meant, found as click finds a mistyped option; None if none is close."""
    import difflib  # here, not above: only a file with an unknown key needs it

    lowered = {k.lower(): k for k in allowed}
    found = difflib.get_close_matches(key.lower(), lowered, n=1)
    return lowered[found[0]] if found else None
