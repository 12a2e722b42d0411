"""Money: Decimal only, one rounding policy, one formatter.

Policy: unit prices are whole cents as given (a price list with more than two
decimals is rejected); an extended price is unit price x quantity, rounded
ROUND_HALF_UP to the cent; a total is the plain sum of the rounded extended
prices, so a total always equals the sum of its lines.
"""

import re
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

CENT = Decimal("0.01")
MAX_PRICE = Decimal("9999999.99")
"""The largest unit price accepted: far above any iovera° part, and small enough that no total overflows."""
_PRICE = re.compile(r"^\$?([0-9]{1,3}(,[0-9]{3})+|[0-9]+)(\.[0-9]+)?$")


def to_cents(amount: Decimal) -> Decimal:
    """Round an amount to the cent, half up."""
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def extended(unit_price: Decimal, quantity: int) -> Decimal:
    """The extended price of a line."""
    return to_cents(unit_price * quantity)


def total(amounts: Iterable[Decimal]) -> Decimal:
    """The sum of already rounded amounts."""
    return sum(amounts, Decimal("0.00"))


def format_money(amount: Decimal) -> str:
    """`$1,234.56`, `-$5.00`."""
    cents = to_cents(amount)
    sign = "-" if cents < 0 else ""
    return f"{sign}${abs(cents):,.2f}"


def json_money(amount: Decimal | None) -> str | None:
    """A string with two decimals, or None."""
    return None if amount is None else f"{to_cents(amount):.2f}"


def parse_price(text: str) -> Decimal:
    """A non-negative price in whole cents from text such as `1234.5`, `$1,234.50`.

    Raises ValueError with a reason a user can act on.
    """
    cleaned = text.strip()
    if cleaned.startswith("-"):
        raise ValueError(f"price {text!r} is negative")
    if not _PRICE.match(cleaned):
        raise ValueError(f"price {text!r} is not a number")
    try:
        value = Decimal(cleaned.lstrip("$").replace(",", ""))
    except InvalidOperation:
        raise ValueError(f"price {text!r} is not a number") from None
    if len(cleaned.split(".")[0].lstrip("$").replace(",", "")) > 7:
        raise ValueError(f"price {text!r} is larger than {format_money(MAX_PRICE)}; check the number")
    if "." in cleaned and len(cleaned.rsplit(".", 1)[1]) > 2:
        raise ValueError(f"price {text!r} has more than two decimals (prices are in whole cents)")
    return value.quantize(CENT)
