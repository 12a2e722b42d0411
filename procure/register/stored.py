"""How values are kept in the register's columns, and read back: dates, moments, amounts, bytes and quoted lines.

Both backends are written the same text: a date as `2026-11-27`, an amount as
`3800.00`, a moment as UTC ISO text (`moment_text`: `2026-11-27T23:49:25.123456+00:00`),
quoted lines as JSON. SQLite keeps that text; PostgreSQL reads dates, amounts and
the quotes' moments into its own types, which the readers here take as well.
Moments written before every table used `moment_text` (`...25.123456Z`) read alike.
"""

import datetime
import json
from collections.abc import Iterable
from decimal import Decimal

from procure.core.revision import QuotedLine
from procure.register.records import Issued

QUOTE_COLUMNS = ("number", "base", "revision", "reason", "facility", "dodaac", "quote_date", "valid_through", "total",
                 "issued_by", "issued_at", "practice")
INPUT_COLUMNS = ("lines", "request_name", "request_bytes", "price_list_name", "price_list_bytes", "profile_name",
                 "profile_bytes", "catalog_version", "catalog_digest", "procure_version")
"""`quotes` holds what lists read, `inputs` the bulky rest, so that listing reads small rows."""


def utc_now() -> datetime.datetime:
    return datetime.datetime.now(datetime.UTC)


def moment_text(value: datetime.datetime) -> str:
    """A moment as the register's text: ISO 8601 in UTC (`2026-11-27T23:49:25.123456+00:00`), which compares as
    text in the order of time."""
    return value.astimezone(datetime.UTC).isoformat()


def stored_moment(value: object) -> datetime.datetime:
    """A moment as stored (the driver's, or ISO text in either form the register has held), in UTC."""
    moment = value if isinstance(value, datetime.datetime) else datetime.datetime.fromisoformat(str(value))
    return moment.astimezone(datetime.UTC)


def stored_date(value: object) -> datetime.date:
    """A date as stored: the driver's date, or ISO text."""
    return value if isinstance(value, datetime.date) else datetime.date.fromisoformat(str(value))


def amount_text(amount: Decimal | None) -> str | None:
    return None if amount is None else str(amount)


def stored_amount(value: object) -> Decimal | None:
    """An amount as stored (text, or a number of the driver's) as Decimal cents."""
    return None if value is None else Decimal(str(value)).quantize(Decimal("0.01"))


def stored_bytes(value: bytes | bytearray | memoryview) -> bytes:
    """Bytes as stored (a memoryview from some drivers) as bytes."""
    return bytes(value)


def optional_bytes(value: bytes | bytearray | memoryview | None) -> bytes | None:
    return None if value is None else bytes(value)


def lines_json(lines: Iterable[QuotedLine]) -> str:
    return json.dumps([{**line._asdict(), "unit_price": amount_text(line.unit_price),
                        "extended_price": amount_text(line.extended_price)} for line in lines], ensure_ascii=False)


def lines_of(text: str) -> tuple[QuotedLine, ...]:
    return tuple(QuotedLine(**{**line, "unit_price": stored_amount(line["unit_price"]),
                               "extended_price": stored_amount(line["extended_price"])}) for line in json.loads(text))


def addresses_of(text: str | None) -> tuple[str, ...]:
    """E-mail addresses kept as `a, b` text."""
    return tuple(a.strip() for a in text.split(",")) if text else ()


def revision_columns(issued: Issued) -> dict[str, object]:
    """The values of a revision's columns of `quotes` and `inputs`: dates, moments, amounts and lines as text."""
    values: dict[str, object] = issued._asdict()
    del values["date"]
    values.update(quote_date=issued.date.isoformat(), valid_through=issued.valid_through.isoformat(),
                  total=amount_text(issued.total), lines=lines_json(issued.lines),
                  issued_at=moment_text(issued.issued_at))
    return values
