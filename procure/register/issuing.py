"""Issue and revise quotes: each one transaction, all or nothing.

The number is printed inside the documents, so an issue renders under a number
before it takes it, in this order:

1. Outside any lock: a new quote claims a number (`claims`: desks issuing at
   once claim different ones); a revision or a number the request gives itself
   asks the register which number it would give now (`_number` in a transaction
   that is always rolled back: nothing is taken or held). Then build and render
   the order under that number. A long render blocks nobody.
2. Under the write lock, in one short transaction: take the number again (a
   claim waits first for the claims before it). If another desk took it
   meanwhile, roll back and go back to 1 (after
   `LOST_RACES` lost races the order is rendered again under the lock, which
   always finishes). Then stage the files (written and synced under hidden
   temporary names beside their own, holding the output folder's lock), store
   what went in and came out, and COMMIT.
3. After the COMMIT: give the staged files their names, never over an existing
   file.

So a document never carries a number the register did not issue: anything that
fails or is killed before the COMMIT leaves at most hidden temporary files (the
next writer of those names removes them) and the number unused, for this or any
other desk. The facility's record the request makes (`customers.record_issue`) is
stored in the same transaction, and so is the hold of a quote that meets an approval
rule (`approval.hold`). A register that keeps price lists prices the quote by the
list in force on its date (`price_lists.priced`). A kill between COMMIT and the naming leaves the quote issued with
its files in the register (`procure quote files` writes them). A failed issue
removes only the temporary files it made itself: never a file another desk placed.
What the register refuses to store (demo data without `practice`, a revision
for another customer) is decided by `integrity`.
"""

import datetime
import getpass
import os
import re
from pathlib import Path

from procure import __version__
from procure.core.build import build_order
from procure.core.catalog import Catalog
from procure.core.digest import sha256_hex
from procure.core.errors import ProcureError, RuleError
from procure.core.findings import Finding
from procure.core.order import Order
from procure.core.prices import PriceList, price_list_bytes, price_list_of_bytes
from procure.core.profile import Profile, find_profile, read_profile
from procure.core.quote import quote_of
from procure.core.record import Record
from procure.core.request import Directory, Request, own_file
from procure.core.revision import quoted_lines
from procure.core.user_files import decode_text, read_bytes
from procure.inputs import request_bytes, request_of_bytes
from procure.register import claims
from procure.register.approval import hold
from procure.register.connection import Conflict
from procure.register.contract_records import StoredPriceList
from procure.register.facility_directory import record_issue
from procure.register.integrity import facility_renamed, is_practice_register, practice_refusal, revision_problems
from procure.register.issued_with import record_issued_with
from procure.register.numbering import revision_number
from procure.register.price_lists import priced
from procure.register.records import ACCEPTED, SUPERSEDED, VOID, Entry, Event, Issued
from procure.register.render_queue import IN_FLIGHT, RENDERING
from procure.register.store import Store
from procure.register.stored import utc_now

REVISION_SUFFIX = re.compile(r"[-_.]R\d+$", re.IGNORECASE)
"""What reads as a revision number (`-R1`, `-r1`, `_R1`, `.R1`): the register keeps these for its revisions."""
RESERVED_NUMBERS = ("new", "verify", "request")
"""Numbers that are names of the web desk's own pages (`/quotes/new`, a customer link's `verify` and `request`)."""


class Source(Record):
    """What a quote is made from, as the register keeps it."""

    request: Request
    request_bytes: bytes
    prices: PriceList | None
    price_list_name: str | None
    price_list_bytes: bytes | None
    profile: Profile | None = None
    profile_name: str | None = None
    profile_bytes: bytes | None = None


class IssueResult(Record):
    """What `issue` did."""

    issued: Issued
    paths: list[Path]
    """The files written."""
    warnings: tuple[Finding, ...]
    """The warnings of the order (the outputs carry them too)."""
    held: tuple[str, ...] = ()
    """The approval rules the quote met: it awaits approval (empty: it may go to the customer)."""


def read_source(request_path: str | Path, prices_path: str | Path | None = None,
                profile_path: str | Path | None = None, directory: Directory | None = None) -> Source:
    """Read a request file (TOML or a form), its price list (`prices_path`, else the request's own) and the
    profile (`profile_path`, else env PROCURE_PROFILE or ./procure.toml), keeping the bytes of each.
    A request that names only a DoDAAC is completed from `directory` (`customers.directory_of`).

    Each file is read once: what is checked and built is made from exactly the bytes the register keeps.
    """
    data = request_bytes(request_path)
    request = request_of_bytes(data, request_path, directory=directory)
    path = prices_path or own_file(request, request.price_list)
    prices_bytes, prices = None, None
    if path:
        prices_bytes = price_list_bytes(path)
        prices = price_list_of_bytes(prices_bytes, path)
    profile_file = find_profile(profile_path)
    profile_bytes, profile = None, None
    if profile_file:
        profile_bytes = read_bytes(profile_file, "profile")
        profile = read_profile(text=decode_text(profile_bytes, profile_file, "profile"), name=profile_file)
    return Source(request=request, request_bytes=data, prices=prices, price_list_name=prices and prices.name,
                  price_list_bytes=prices_bytes, profile=profile,
                  profile_name=os.path.basename(profile_file) if profile_file else None, profile_bytes=profile_bytes)


def issuer(by: str | None) -> str:
    """`by`, else the login name."""
    if by and by.strip():
        return by.strip()
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


LOST_RACES = 3
"""How many times an issue renders again, outside the lock, when another desk took its number meanwhile;
then it renders under the lock, which always finishes."""


class _Made(Record):
    """An order built and rendered under a number the register would give it."""

    numbering: tuple
    """`(number, revision, previous)` as `_number` gave it."""
    order: Order
    files: dict[str, bytes]
    warnings: tuple[Finding, ...]
    """The order's warnings, and a revision's own (a facility renamed)."""


class Superseded(RuleError):
    """A revision asked of a revision another desk has revised meanwhile; `latest` is the newer one's number."""

    def __init__(self, named: Entry, latest: Entry):
        self.latest = latest.number
        super().__init__(f"{named.number} was revised meanwhile: {latest.number} was issued by {latest.issued_by} "
                         f"on {latest.issued_at:%Y-%m-%d at %H:%M} UTC; nothing was issued. Revise {latest.number}, "
                         f"so that its changes are kept")


class _NumberMoved(Exception):
    """Another desk took the number an issue was rendered with; it renders again."""


def issue(store: Store, source: Source, catalog: Catalog, output: str | Path | None, *, by: str | None = None,
          catalog_version: str | None = None, revise: str | None = None, reason: str | None = None,
          today: datetime.date | None = None, templates=None, practice: bool = False,
          suffixes: tuple[str, ...] | None = None, only_latest: bool = False, note: str | None = None) -> IssueResult:
    """Issue the quote of `source` (revision of `revise` when given) and write its files (those of `suffixes`,
    default every one) into `output` (None: the files are only stored in the register, as the web desk keeps
    them). The register stores every file whichever are written.

    Demo data (an illustrative price list, an example's vendor identity) is issued only with `practice` (or into
    a practice register): the quote is then stored as a practice quote, says PRACTICE on every page and can never
    be accepted. `note` is the desk's internal note, kept beside the revision and never printed on a customer
    document.
    """
    today = today or datetime.date.today()
    request = source.request
    practice = practice or is_practice_register(store)
    source, price_list = priced(store, source, today)
    refusal = None if practice else practice_refusal(source)
    if refusal:
        raise RuleError(refusal)
    quote = quote_of(request, today)
    if quote.expired_on(today):
        raise RuleError(f"{request.name}: a quote dated {quote.date} valid {quote.valid_days} days expired on "
                        f"{quote.valid_through}: it cannot be issued; change [quote] date or valid_days")
    by = issuer(by)

    def make(numbering: tuple) -> _Made:
        from procure.renderers.outputs import render

        number, revision, previous = numbering
        order = build_order(request._replace(quote_number=number), catalog, prices=source.prices,
                            profile=source.profile, catalog_version=catalog_version,
                            today=today)._replace(practice=practice)
        warnings: list[Finding] = []
        if previous is not None:
            problems = revision_problems(previous, request, order, reason)
            if problems:
                raise RuleError(problems)
            warnings = facility_renamed(previous, request)
            order = order.revised(base=previous.base, number=revision, supersedes=previous.number,
                                  superseded_date=previous.date, previous_lines=previous.lines,
                                  previous_total=previous.total, reason=reason)
        return _Made(numbering, order, render(order, templates), order.warnings + tuple(warnings))

    def take() -> tuple:
        return _number(store, request, quote.date.year, revise, today, only_latest)

    year, claimer = quote.date.year, None
    if revise is None and request.quote_number is None:  # a new number: claimed, so desks at once render apart
        claimer = claims.holder()
    with IN_FLIGHT:
        for lost in range(LOST_RACES + 1):
            try:
                with RENDERING:
                    if claimer is None:
                        with store.trial():  # the number the register would give now, not taken: nothing is held
                            numbering = take()
                    else:
                        numbering = claims.claim(store, year, claimer), 0, None
                    made = make(numbering)
                if claimer is not None:
                    claims.wait_turn(store, year, numbering[0], claimer)
                return _store_and_place(store, source, made, output, by, reason, take,
                                        remake=make if lost == LOST_RACES else None, suffixes=suffixes,
                                        price_list=price_list, note=note, claimer=claimer)
            except BaseException as e:  # the claim ends with the quote stored; otherwise here
                if claimer is not None:
                    claims.release(store, claimer)
                if not isinstance(e, _NumberMoved):
                    raise
    raise AssertionError("unreachable: the last try renders under the lock")


def _store_and_place(store: Store, source: Source, made: _Made, output, by: str, reason: str | None, take,
                     remake, suffixes: tuple[str, ...] | None, price_list: StoredPriceList | None,
                     note: str | None = None, claimer: str | None = None) -> IssueResult:
    """Under the write lock: `take` the number (`made`'s, else _NumberMoved, or render again with `remake`),
    stage the files beside their names, store the quote (with the register's `price_list` it was priced by, and
    held for approval when it meets a rule), COMMIT; then give the files their names."""
    from procure.files.whole import Staged, check_targets
    from procure.renderers.outputs import output_names

    request, staged = source.request, None
    try:
        with store.writing():
            numbering = take()
            if _key(numbering) != _key(made.numbering):
                if remake is None:
                    raise _NumberMoved()
                made = remake(numbering)
            (number, revision, previous), order = numbering, made.order
            claims.taken(store, number, claimer)
            if output is not None:
                written = [suffix for suffix in made.files if suffixes is None or suffix in suffixes]
                staged = Staged(check_targets(output, output_names(number, written)),
                                [made.files[suffix] for suffix in written])
            issued = Issued(
                number=number, base=previous.base if previous else number, revision=revision,
                reason=reason if previous else None, facility=request.customer.facility,
                dodaac=request.customer.dodaac, date=order.quote.date, valid_through=order.quote.valid_through,
                total=order.total, lines=quoted_lines(order.lines), request_name=request.file_name,
                request_bytes=source.request_bytes, price_list_name=source.price_list_name,
                price_list_bytes=source.price_list_bytes, profile_name=source.profile_name,
                profile_bytes=source.profile_bytes, catalog_version=order.catalog.version,
                catalog_digest=order.catalog.digest, procure_version=__version__, issued_by=by,
                issued_at=utc_now(), practice=order.practice)
            store.add(issued, {suffix: (sha256(data), data) for suffix, data in made.files.items()})
            if price_list is not None:
                store.add_quoted_price(number, price_list.id)
            held = hold(store, number, issued.base, order, source.profile, by=issued.issued_by,
                        at=issued.issued_at)
            record_issue(store, request, number, issued.issued_by, issued.issued_at)
            record_issued_with(store, number, request, order.findings + made.warnings, note)
            if previous is not None:
                store.add_event(Event(number=previous.number, kind=SUPERSEDED, superseded_by=number,
                                      delivery_order=None, reason=reason, recorded_by=issued.issued_by,
                                      recorded_at=issued.issued_at))
        try:
            paths = staged.place() if staged is not None else []
        except ProcureError as e:
            raise RuleError([f"issued {number}, but its files could not be written: {p}" for p in e.problems] +
                            [f"`procure quote files {number} -o {output}` writes them"]) from None
    except Conflict:
        raise RuleError("another desk issued the same number at the same moment; nothing was issued: "
                        "run the command again") from None
    finally:
        if staged is not None:
            staged.close()
    return IssueResult(issued, paths, made.warnings, held)


def _key(numbering: tuple) -> tuple:
    number, revision, previous = numbering
    return number, revision, previous.number if previous else None


def _number(store: Store, request: Request, year: int, revise: str | None, today: datetime.date,
            only_latest: bool = False) -> tuple[str, int, Issued | None]:
    """Inside the transaction: the number to issue, its revision, and the revision it supersedes.

    A revision is made of the revision it names, so naming one that was revised since (`-R1` when `-R2`
    exists) is refused rather than silently undoing the newer one; the bare base number names the quote (its
    latest revision) unless `only_latest` (the web editor, which was opened on exactly that revision)."""
    if revise is not None:
        named = find(store, revise, today)
        latest = _latest(store, named, today)
        if latest.number != named.number and (named.revision > 0 or only_latest):
            raise Superseded(named, latest)
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
    if number.lower() in RESERVED_NUMBERS:
        raise RuleError(request.problem(("quote", "number"), f"{number} is the name of a page of the web desk, not "
                                                            f"a quote number; choose another number"))
    if REVISION_SUFFIX.search(number):
        raise RuleError(request.problem(("quote", "number"), f"{number} ends like a revision number (-R<n>), "
                                                            f"which the register keeps for revisions; choose "
                                                            f"another number"))
    return number, 0, None


def _latest(store: Store, named: Entry, today: datetime.date) -> Entry:
    """The latest revision of the quote `named` is a revision of, locked for the transaction."""
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
