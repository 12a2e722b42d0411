"""The quote's number and dates, from the request and the day it is built."""

import datetime

from procure.core.record import Record
from procure.core.request import Request


class Quote(Record):
    number: str
    date: datetime.date
    valid_through: datetime.date
    """The last day the quote is valid, to the end of that day."""
    valid_days: int

    def expired_on(self, today: datetime.date) -> bool:
        """The one rule of expiry: a quote is valid to the end of its valid-through day, expired the day after.
        (The register's status query compares the same way: `valid_through < today`.)"""
        return self.valid_through < today


def quote_of(request: Request, today: datetime.date) -> Quote:
    """The quote number (given, or derived from the date and the request's digest) and its dates."""
    date = request.quote_date or today
    number = request.quote_number or f"Q-{date:%Y%m%d}-{request.digest.removeprefix('sha256:')[:6].upper()}"
    return Quote(number=number, date=date, valid_through=date + datetime.timedelta(days=request.valid_days),
                 valid_days=request.valid_days)
