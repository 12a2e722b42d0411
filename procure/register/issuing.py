"""Issue and revise quotes: each one transaction, all or nothing.

`issue` takes the number inside the transaction that stores the quote, builds
and renders the order under that number, stores what went in and what came out
(and the version of the facility's record its request makes), and writes the
files (the same bytes `procure build` writes) before it commits.
Anything that fails on the way (an error finding, a file in the way, a fault
of the register) rolls it back and removes the files: the number stays unused.
What the register refuses to store (demo data without `practice`, a revision
for another customer) is decided by `integrity`.
"""

import datetime
import getpass
import re
from pathlib import Path
from typing import NamedTuple

from procure import __version__
from procure.core.build import build_order
from procure.core.catalog import Catalog
from procure.core.digest import sha256_hex
from procure.core.errors import RuleError
from procure.core.findings import Finding
from procure.core.prices import PriceList, read_price_list
from procure.core.profile import Profile, find_profile, read_profile
from procure.core.quote import quote_of
from procure.core.request import Directory, Request
from procure.core.revision import quoted_lines
from procure.core.tomlschema import read_bytes
from procure.inputs import read_request
from procure.register.customers import record_issue
from procure.register.integrity import facility_renamed, practice_refusal, revision_problems
from procure.register.numbering import revision_number
from procure.register.store import ACCEPTED, SUPERSEDED, VOID, Conflict, Entry, Event, Issued, Store, utc_now

REVISION_SUFFIX = re.compile(r"-R\d+$")


class Source(NamedTuple):
    """What a quote is made from, as the register keeps it."""

    request: Request
    request_bytes: bytes
    prices: PriceList | None
    price_list_name: str | None
    price_list_bytes: bytes | None
    profile: Profile | None = None
    profile_name: str | None = None
    profile_bytes: bytes | None = None


class IssueResult(NamedTuple):
    """What `issue` did."""

    issued: Issued
    paths: list[Path]
    """The files written."""
    warnings: tuple[Finding, ...]
    """The warnings of the order (the outputs carry them too)."""


def read_source(request_path: str | Path, prices_path: str | Path | None = None,
                profile_path: str | Path | None = None, directory: Directory | None = None) -> Source:
    """Read a request file (TOML or a form), its price list (`prices_path`, else the request's own) and the
    profile (`profile_path`, else env PROCURE_PROFILE or ./procure.toml), keeping the bytes of each.
    A request that names only a DoDAAC is completed from `directory` (`customers.directory_of`)."""
    data = read_bytes(Path(request_path), "request file")
    request = read_request(request_path, directory=directory)
    path = prices_path or request.price_list
    prices = read_price_list(path) if path else None
    profile_file = find_profile(profile_path)
    return Source(request=request, request_bytes=data, prices=prices, price_list_name=prices and prices.name,
                  price_list_bytes=read_bytes(Path(path), "price list") if path else None,
                  profile=read_profile(profile_file) if profile_file else None,
                  profile_name=profile_file.name if profile_file else None,
                  profile_bytes=read_bytes(profile_file, "profile") if profile_file else None)


def issuer(by: str | None) -> str:
    """`by`, else the login name."""
    if by and by.strip():
        return by.strip()
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


def issue(store: Store, source: Source, catalog: Catalog, output: str | Path, *, by: str | None = None,
          catalog_version: str | None = None, revise: str | None = None, reason: str | None = None,
          today: datetime.date | None = None, templates=None, practice: bool = False) -> IssueResult:
    """Issue the quote of `source` (revision of `revise` when given) and write its files into `output`.

    Demo data (an illustrative price list, an example's vendor identity) is issued only with `practice`: the
    quote is then stored as a practice quote, says PRACTICE on every page and can never be accepted.
    """
    from procure.files.whole import check_targets, write_whole
    from procure.renderers.outputs import output_names, render

    today = today or datetime.date.today()
    request = source.request
    refusal = None if practice else practice_refusal(source)
    if refusal:
        raise RuleError(refusal)
    quote = quote_of(request, today)
    if quote.expired_on(today):
        raise RuleError(f"{request.name}: a quote dated {quote.date} valid {quote.valid_days} days expired on "
                        f"{quote.valid_through}: it cannot be issued; change [quote] date or valid_days")
    targets, warnings = [], []
    try:
        with store.writing():
            number, revision, previous = _number(store, request, quote.date.year, revise, today)
            order = build_order(request._replace(quote_number=number), catalog, prices=source.prices,
                                profile=source.profile, catalog_version=catalog_version,
                                today=today)._replace(practice=practice)
            if previous is not None:
                problems = revision_problems(previous, request, order, reason)
                if problems:
                    raise RuleError(problems)
                warnings = facility_renamed(previous, request)
                order = order.revised(base=previous.base, number=revision, supersedes=previous.number,
                                      superseded_date=previous.date, previous_lines=previous.lines,
                                      previous_total=previous.total, reason=reason)
            files = render(order, templates)
            targets = check_targets(output, output_names(number))
            issued = Issued(
                number=number, base=previous.base if previous else number, revision=revision,
                reason=reason if previous else None, facility=request.customer.facility,
                dodaac=request.customer.dodaac, date=order.quote.date, valid_through=order.quote.valid_through,
                total=order.total, lines=quoted_lines(order.lines), request_name=request.file_name,
                request_bytes=source.request_bytes, price_list_name=source.price_list_name,
                price_list_bytes=source.price_list_bytes, profile_name=source.profile_name,
                profile_bytes=source.profile_bytes, catalog_version=order.catalog.version,
                catalog_digest=order.catalog.digest, procure_version=__version__, issued_by=issuer(by),
                issued_at=utc_now(), practice=practice)
            store.add(issued, {suffix: (sha256(data), data) for suffix, data in files.items()})
            record_issue(store, request, number, issued.issued_by, issued.issued_at)
            if previous is not None:
                store.add_event(Event(number=previous.number, kind=SUPERSEDED, superseded_by=number,
                                      delivery_order=None, reason=reason, recorded_by=issued.issued_by,
                                      recorded_at=issued.issued_at))
            write_whole(targets, list(files.values()))
    except BaseException as e:
        for path in targets:  # none existed (no --force here): whatever is there now is ours
            path.unlink(missing_ok=True)
        if isinstance(e, Conflict):
            raise RuleError("another desk issued the same number at the same moment; nothing was issued: "
                            "run the command again") from None
        raise
    return IssueResult(issued, targets, order.warnings + tuple(warnings))


def _number(store: Store, request: Request, year: int, revise: str | None,
            today: datetime.date) -> tuple[str, int, Issued | None]:
    """Inside the transaction: the number to issue, its revision, and the revision it supersedes."""
    if revise is not None:
        latest = _latest(store, revise, today)
        if latest.status in (VOID, ACCEPTED):
            raise RuleError(f"{latest.number} is {latest.status_text}: it cannot be revised")
        return revision_number(latest.base, latest.revision + 1), latest.revision + 1, store.issued(latest.number)
    if request.quote_number is None:
        return store.next_number(year), 0, None
    number = request.quote_number
    if store.has(number):
        raise RuleError(request.problem(("quote", "number"), f"quote number {number} is taken in the register: "
                                                            f"remove [quote] number from the request to issue it "
                                                            f"under the next free number"))
    if REVISION_SUFFIX.search(number):
        raise RuleError(request.problem(("quote", "number"), f"{number} ends like a revision number (-R<n>), "
                                                            f"which the register keeps for revisions; choose "
                                                            f"another number"))
    return number, 0, None


def _latest(store: Store, number: str, today: datetime.date) -> Entry:
    """The latest revision of the quote `number` names (any of its revisions), locked for the transaction."""
    named = find(store, number, today)
    store.lock(named.base)
    return store.entries(today=today, base=named.base)[0]


def find(store: Store, number: str, today: datetime.date) -> Entry:
    """The revision `number`; RuleError if the register has none."""
    entry = store.entry(number.strip(), today=today)
    if entry is None:
        raise RuleError(f"{number}: no such quote in the register {store.target.shown} "
                        f"(`procure quote list` shows them)")
    return entry


def sha256(data: bytes) -> str:
    return sha256_hex(data)
