"""What the register refuses before it stores a quote, so that its numbers and quotes can be trusted.

- Demo data on a real quote: an illustrative price list, or a vendor profile
  that is an example's (`placeholder = true`, or the example CAGE or UEI), is
  issued only as a practice quote (`--practice`); every quote of a practice
  register (`procure serve --demo`'s) is a practice quote.
- A revision that crosses customers (another DoDAAC), goes back in time (a
  quote date before the revision it supersedes), or changes nothing (the same
  lines, references, customer and validity) without a reason.
"""

import tempfile
from pathlib import Path

from procure.core.errors import ProcureError
from procure.core.findings import WARNING, Finding
from procure.core.order import Order
from procure.core.request import Request
from procure.core.revision import quoted_lines
from procure.inputs import FORM_SUFFIXES, read_request
from procure.register.records import Issued
from procure.register.store import Store

PRACTICE_SETTING = "practice"
"""The register setting that makes a register a practice one (`procure serve --demo`): `yes`."""


def is_practice_register(store: Store) -> bool:
    """Whether `store` is a practice register, whose every quote is a practice quote."""
    return store.setting(PRACTICE_SETTING) == "yes"


def demo_data(source) -> list[str]:
    """Why the quote of `source` (a `issuing.Source`) can only be a practice quote; empty when it is real."""
    found = []
    if source.prices is not None and source.prices.illustrative:
        found.append(f"the price list {source.prices.name} is illustrative (not contract prices)")
    if source.profile is not None and source.profile.vendor.placeholders:
        found.append(f"the profile {source.profile.name} is an example's: "
                     f"{', '.join(source.profile.vendor.placeholders)}")
    return found


def practice_refusal(source) -> str | None:
    """The message refusing to issue demo data as a real quote, or None."""
    found = demo_data(source)
    if not found:
        return None
    return (f"{source.request.file_name}: not issued: {'; and '.join(found)}. A quote with demo data is for "
            f"practice only: give --practice to issue it as a practice quote (it says PRACTICE on every page and "
            f"can never be accepted), or use the contract price list and your own profile")


def facility_renamed(previous: Issued, request: Request) -> list[Finding]:
    """A warning when a revision names the facility otherwise than `previous` did (its DoDAAC being the same)."""
    if previous.facility == request.customer.facility:
        return []
    return [Finding(WARNING, "facility-renamed",
                  f"The facility was {previous.facility!r} on {previous.number} and is {request.customer.facility!r} "
                  f"now (DoDAAC {request.customer.dodaac} both times): the revision carries the new name.",
                  request.customer.dodaac, request.where("customer", "facility"))]


def revision_problems(previous: Issued, request: Request, order: Order, reason: str | None) -> list[str]:
    """Why `request` cannot revise `previous`: another customer, an earlier date, or no change without a reason."""
    problems = []
    if request.customer.dodaac != previous.dodaac:
        problems.append(request.problem(("customer", "dodaac"), f"DoDAAC {request.customer.dodaac} is not "
                                        f"{previous.dodaac}, the customer of {previous.number}: a revision is for the "
                                        f"same customer; issue a new quote with `procure quote issue` instead"))
    if order.quote.date < previous.date:
        problems.append(request.problem(("quote", "date"), f"the quote date {order.quote.date} is before "
                                        f"{previous.date}, the date of {previous.number} it supersedes: a revision "
                                        f"cannot be dated earlier; change [quote] date"))
    if not problems and not (reason and reason.strip()) and _unchanged(previous, request, order):
        problems.append(f"{request.file_name}: nothing changed from {previous.number} (the same lines, references, "
                        f"customer and validity): there is nothing to revise; give --reason to issue it anyway "
                        f"(for example to re-date the quote)")
    return problems


def _unchanged(previous: Issued, request: Request, order: Order) -> bool:
    before = _stored_request(previous)
    return (quoted_lines(order.lines) == previous.lines and before is not None
            and before.customer == request.customer and before.references == request.references
            and (previous.valid_through - previous.date) == (order.quote.valid_through - order.quote.date))


def _stored_request(issued: Issued) -> Request | None:
    """The request a revision was issued from, read again from its stored bytes; None if it no longer reads."""
    try:
        if Path(issued.request_name).suffix.lower() in FORM_SUFFIXES:
            with tempfile.TemporaryDirectory() as folder:
                path = Path(folder) / Path(issued.request_name).name
                path.write_bytes(issued.request_bytes)
                return read_request(path)
        return read_request(text=issued.request_bytes.decode("utf-8"), name=issued.request_name)
    except (ProcureError, UnicodeDecodeError):
        return None
