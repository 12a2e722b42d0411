"""Quote numbers: a register's number format, its sequences, and revision numbers.

A format is Python format text with the fields `{seq}` (required: the place in
the sequence, from 1) and `{year}` (the year of the quote date). A format with
`{year}` counts each year from 1; one without counts once for all. Revision n
of a quote is `<base>-R<n>`.
"""

import re
import string

from procure.core.errors import InputError
from procure.core.request import QUOTE_NUMBER

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
