"""Why this desk, or this order, cannot be issued, in the words of the web: said on every page that could issue
before anyone clicks Issue, and under a check, so that Check never says "can be issued" when Issue would refuse.

`desk_blockers` is what the desk itself lacks (no price list, an example's profile, an illustrative price list);
`issue_refusals` is what keeps one checked order from being issued (lines without a price, nothing to order, demo
data without Practice quote ticked, a date that has expired). They use the same tests as the register's `issue`.
"""

import datetime

from procure.core.findings import OUTPUT_BLOCKERS
from procure.core.order import Order
from procure.register.integrity import demo_data
from procure.register.issuing import Source
from procure.web.settings import Settings

NO_PRICES = ("This desk has no price list, so it cannot issue a quote yet: choose a Price list file with the "
             "request, or ask the administrator to start the desk with the contract price list.")


def desk_blockers(settings: Settings, *, register_prices: bool = False, practice: bool = False) -> list[str]:
    """What keeps this desk from issuing real quotes, whatever the request. A register that holds price lists
    prices every quote itself (`register_prices`); on a practice register every quote is a practice one, as the
    PRACTICE banner says, so nothing there is a blocker."""
    found: list[str] = []
    if practice:
        return found
    if settings.prices is None and not register_prices:
        found.append(NO_PRICES)
    elif settings.prices is not None and settings.prices.illustrative and not register_prices:
        found.append(f"This desk's price list {settings.prices.name} is illustrative (not contract prices): it "
                     f"issues practice quotes only (tick Practice quote), or choose the contract Price list file.")
    if settings.profile is not None and settings.profile.vendor.placeholders:
        found.append(f"This desk's profile {settings.profile.name} is an example's "
                     f"({', '.join(settings.profile.vendor.placeholders)}): it issues practice quotes only (tick "
                     f"Practice quote) until the administrator gives the desk your company's own profile.")
    return found


def issue_refusals(order: Order, source: Source, practice: bool, today: datetime.date | None = None) -> list[str]:
    """Why Issue would refuse this checked order; empty when it would issue it."""
    today = today or datetime.date.today()
    found = []
    if order.errors:
        found.append(f"{len(order.errors)} error(s) below must be fixed first.")
    unpriced = [i.subject for i in order.findings if i.code == "missing-price"]
    if unpriced:
        found.append(f"{len(unpriced)} part(s) have no price ({', '.join(unpriced)}): "
                     + ("add them to the Price list file." if source.prices else
                        "choose a Price list file; this desk has none."))
    if any(i.code in OUTPUT_BLOCKERS - {"missing-price"} for i in order.findings):
        found.append("Nothing would be ordered: add treatments or lines.")
    if not practice:
        found += [f"Not as a real quote: {why}; tick Practice quote to issue it as a practice quote, or use the "
                  f"contract price list and your own profile." for why in demo_data(source)]
    if order.quote.expired_on(today):
        found.append(f"A quote dated {order.quote.date} valid {order.quote.valid_days} days expired on "
                     f"{order.quote.valid_through}: change the Quote date or Valid for days.")
    return found
