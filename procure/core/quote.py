"""The quote's number and dates, from the request and the day it is built."""

import datetime
from typing import NamedTuple

from procure.core.request import Request


class Quote(NamedTuple):
    number: str
    date: datetime.date
    valid_through: datetime.date
    """The last day the quote is valid, to the end of that day."""
    valid_days: int


def quote_of(request: Request, today: datetime.date) -> Quote:
    """The quote number (given, or derived from the date and the request's digest) and its dates."""
    date = request.quote_date or today
    number = request.quote_number or f"Q-{date:%Y%m%d}-{request.digest.removeprefix('sha256:')[:6].upper()}"
    return Quote(number=number, date=date, valid_through=date + datetime.timedelta(days=request.valid_days),
                 valid_days=request.valid_days)
