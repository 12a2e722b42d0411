"""Dates a user types as text (YYYY-MM-DD) in an option or a form field, read with one wording for a wrong one."""

import datetime

from procure.core.errors import InputError


def parse_date(text: str, label: str | None = None) -> datetime.date:
    """The date `text` gives as YYYY-MM-DD; else InputError `<label>: '<text>' is not a date such as 2026-01-15`
    (without the label when there is none: the command line names the option itself)."""
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        wrong = f"{text!r} is not a date such as 2026-01-15"
        raise InputError(f"{label}: {wrong}" if label else wrong) from None
