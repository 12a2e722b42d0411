"""A delivery order's PIID judged against the contract it is placed under (FAR 4.1603): fiscal year, office.

The form (13 characters, `F` in position 9) is checked where the PIID is read
(`request.delivery_order_piid`). Here: positions 7-8 are the fiscal year of
award, no earlier than the contract's own and no later than the fiscal year of
the order's date (the federal fiscal year starts 1 October); positions 1-6 name
the issuing office, which should be the contract's ordering office.
"""

import datetime

from procure.core.catalog import Contract, piid_display
from procure.core.record import Record


class Verdict(Record):
    """What is wrong with a delivery order (it cannot be recorded) and what is doubtful (it can, with a warning)."""

    errors: tuple[str, ...]
    warnings: tuple[str, ...]


def fiscal_year(day: datetime.date) -> int:
    """The federal fiscal year of `day`: 2027 for 2026-11-27 (FY27 began on 1 October 2026)."""
    return day.year + 1 if day.month >= 10 else day.year


def judge(piid: str, contract: Contract, latest: datetime.date | None) -> Verdict:
    """The verdict on delivery order `piid` (no dashes) under `contract`, placed on or before `latest` (the order
    date; None when not known)."""
    shown, errors, warnings = piid_display(piid), [], []
    year = 2000 + int(piid[6:8])
    if year < contract.fiscal_year:
        errors.append(f"delivery order {shown} carries fiscal year {piid[6:8]} (positions 7-8), before fiscal year "
                      f"{contract.fiscal_year % 100:02d} in which contract {contract.display_number} was awarded: "
                      f"no order under it can be that old; check the number on the order")
    elif latest is not None and year > fiscal_year(latest):
        errors.append(f"delivery order {shown} carries fiscal year {piid[6:8]} (positions 7-8), after fiscal year "
                      f"{fiscal_year(latest) % 100:02d} of {latest} (a fiscal year starts on 1 October): check the "
                      f"number on the order and its date")
    if piid[:6] != contract.office:
        warnings.append(f"delivery order {shown} was issued by office {piid[:6]} (positions 1-6), not by "
                        f"{contract.office}, the office expected to order under contract "
                        f"{contract.display_number}: check the number on the order")
    return Verdict(tuple(errors), tuple(warnings))
