"""CSV files for people who open them in a spreadsheet: UTF-8, and no field a spreadsheet takes for a formula.

A text field starting with `=`, `+`, `-`, `@`, a tab or a carriage return is
written with a leading `'`, the usual guard against formula injection, so
a facility named `=HYPERLINK(...)` stays a name. Numbers are written as they are.
"""

import csv
import io

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_bytes(header, rows) -> bytes:
    """The UTF-8 bytes of a CSV file with `header` and `rows` (None written as an empty field)."""
    text = io.StringIO(newline="")
    writer = csv.writer(text, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows([_safe(value) for value in row] for row in rows)
    return text.getvalue().encode("utf-8")


def _safe(value):
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return f"'{value}"
    return value
