"""Quote numbers: a register's number format, its sequences (`Numbering`), and revision numbers.

A format is Python format text with the fields `{seq}` (required: the place in
the sequence, from 1) and `{year}` (the year of the quote date). A format with
`{year}` counts each year from 1; one without counts once for all. Revision n
of a quote is `<base>-R<n>`.
"""

import re
import string

from procure.core.errors import InputError, RuleError
from procure.core.request import QUOTE_NUMBER
from procure.register.connection import Connection

DEFAULT_FORMAT = "Q-{year}-{seq:04d}"
FIELDS = {"year", "seq"}
WIDTH = r"0?\d{0,2}d?"
"""What may follow a field's colon: a width, zero-padded or not (`{seq:04d}`); never a separator or a fill."""
SAMPLES = (1, 1_000, 99_999)
"""The places in a sequence a format is tried with before it is accepted."""
MAX_BASE_LENGTH = 36
"""A base number leaves room for `-R999` in the 40 characters a quote number may have."""


def check_format(text: str) -> str:
    """`text` if it makes valid quote numbers, else InputError saying why."""
    def refused(why: str) -> InputError:
        return InputError(f"--number-format {text!r} {why}; the default is {DEFAULT_FORMAT!r}")

    try:
        fields = _fields(text)
        if fields - FIELDS:
            raise refused(f"uses {{{', '.join(sorted(fields - FIELDS))}}}: only {{year}} and {{seq}} are known")
        if "seq" not in fields:
            raise refused("has no {seq}: every number needs its place in the sequence")
        specs = [f"{{{name}:{spec}}}" for _, name, spec, _ in string.Formatter().parse(text)
                 if name is not None and spec and not re.fullmatch(WIDTH, spec)]
        if specs:
            raise refused(f"uses {specs[0]}: a field may only have a width, such as {{seq:04d}}")
        samples = [format_number(text, 2026, seq) for seq in SAMPLES]
    except (ValueError, IndexError) as e:
        raise refused(f"is not a number format ({e})") from None
    bad = next((n for n in samples if not re.fullmatch(QUOTE_NUMBER, n)), None)
    if bad is not None or len(samples[-1]) > MAX_BASE_LENGTH:
        raise refused(f"makes numbers such as {bad or samples[-1]!r}: a quote number is 1-{MAX_BASE_LENGTH} "
                      f"letters, digits, . _ - starting with a letter or digit")
    return text


def format_number(fmt: str, year: int, seq: int) -> str:
    return fmt.format(year=year, seq=seq)


def scope(fmt: str, year: int) -> str:
    """The sequence a number of `year` is taken from: the year, or `all` when the format has no {year}."""
    return str(year) if "year" in _fields(fmt) else "all"


def _fields(fmt: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(fmt) if name is not None}


def revision_number(base: str, revision: int) -> str:
    """`Q-2026-0001` for revision 0, `Q-2026-0001-R1` for revision 1."""
    return base if revision == 0 else f"{base}-R{revision}"


class Numbering(Connection):
    """An open register's number format and sequences: the next number of a year is taken inside the issue's
    write transaction, so two desks issuing at once never take the same one."""

    @property
    def number_format(self) -> str:
        chosen = self.setting("number_format")
        return DEFAULT_FORMAT if chosen is None else chosen

    def choose_number_format(self, fmt: str) -> None:
        """Number new quotes by `fmt` (checked); refused once the register holds a quote under another format."""
        if fmt == self.number_format:
            return
        check_format(fmt)
        with self.writing():
            if self.one("SELECT 1 FROM quotes") is not None:
                raise RuleError(f"{self.target.shown}: the register already holds quotes numbered "
                                f"{self.number_format!r}; its number format cannot change")
            self.put_setting("number_format", fmt)

    def next_number(self, year: int) -> str:
        """Inside `writing()`: take the next number of the sequence of `year`, locked until the transaction ends.

        A number a request gave itself earlier is passed over, so the sequence never repeats a number.
        """
        key = scope(self.number_format, year)
        for last, number in self.free_numbers(year, lock=True):
            self.run("UPDATE sequences SET last = ? WHERE scope = ?", (last, key))
            return number
        raise AssertionError("unreachable: the free numbers never end")

    def free_numbers(self, year: int, lock: bool = False):
        """The numbers of the sequence of `year` after the last taken that no quote holds, each with its place
        in the sequence, in order, without end; with `lock` (inside `writing()`), the sequence is locked until
        the transaction ends."""
        fmt = self.number_format
        key = scope(fmt, year)
        if lock:
            self.run("INSERT INTO sequences (scope, last) VALUES (?, 0) ON CONFLICT (scope) DO NOTHING", (key,))
        row = self.one(f"SELECT last FROM sequences WHERE scope = ?{self.FOR_UPDATE if lock else ''}", (key,))
        last = row[0] if row else 0
        while True:
            last += 1
            number = format_number(fmt, year, last)
            if not self.has(number):
                yield last, number

    def peek_number(self, year: int) -> str:
        """The number the next quote of `year` would get, without taking it."""
        fmt = self.number_format
        row = self.one("SELECT last FROM sequences WHERE scope = ?", (scope(fmt, year),))
        return format_number(fmt, year, (row[0] if row else 0) + 1)

    def has(self, number: str) -> bool:
        """True when the register holds `number` in any letter case: numbers differing only in case would be
        one number to the people who read and type them."""
        return self.one("SELECT 1 FROM quotes WHERE LOWER(number) = LOWER(?)", (number,)) is not None

    def lock(self, number: str) -> None:
        """Inside `writing()`: hold the revision `number` until the transaction ends (PostgreSQL row lock)."""
        self.one(f"SELECT number FROM quotes WHERE number = ?{self.FOR_UPDATE}", (number,))
