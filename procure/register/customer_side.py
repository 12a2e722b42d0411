"""What a facility's officers do through its link: accept a quote, ask for changes, send a new request.

Accepting online is the desk's acceptance (`ordering.accept`, called in one place:
`accept_online`), recorded as by "NAME <EMAIL> (customer link)"; only an issued
quote of the link's own facility that is current (not superseded, void, expired,
practice or awaiting anything) can be accepted, and a refusal records nothing.
A request for changes is a row of `change_requests` (the quote is listed with
`changes_requested` until a revision supersedes it); a new request lands in the
desk's inbox (`customer_requests`) and is never issued by itself.
"""

import datetime
from collections.abc import Mapping
from email.utils import parseaddr

from procure.core.catalog import Catalog
from procure.core.characters import forbidden
from procure.core.errors import InputError, RuleError
from procure.core.record import Record
from procure.register.issuing import find
from procure.register.links import Link
from procure.register.ordering import Recorded, accept
from procure.register.records import ACCEPTED, EXPIRED, ISSUED, SUPERSEDED, VOID, Entry
from procure.register.store import Store
from procure.register.stored import moment_text, stored_moment, utc_now

MAX_NAME, MAX_EMAIL, MAX_MESSAGE = 100, 200, 4000
SHOWN = (ISSUED, SUPERSEDED, ACCEPTED, VOID, EXPIRED)
"""The statuses a link shows (a quote awaiting approval is not the customer's yet)."""
OFFICER_SUFFIX = " (customer link)"
"""What follows an officer's name and e-mail in what they record."""


class Officer(Record):
    """Who acted through a link, as they gave themselves."""

    name: str
    email: str

    @property
    def shown(self) -> str:
        """`Pat Lee <pat.lee@example.mil> (customer link)`: the `by` of what they record."""
        return f"{self.name} <{self.email}>{OFFICER_SUFFIX}"


class Received(Record):
    """A request an officer sent through a link, as the desk's inbox lists it."""

    id: int
    dodaac: str
    link_id: int | None
    name: str
    email: str
    request_name: str
    request_bytes: bytes
    received_at: datetime.datetime


def officer(name: str, email: str) -> Officer:
    """The officer's name and e-mail as typed, checked; InputError naming the field otherwise."""
    problems = []
    name, email = (name or "").strip(), (email or "").strip()
    if not name or len(name) > MAX_NAME or forbidden(name):
        problems.append(f"Your name: write your name, 1 to {MAX_NAME} characters on one line")
    address = parseaddr(email)[1]
    local, at, domain = address.rpartition("@")
    if (not at or not local or "." not in domain or address != email or len(email) > MAX_EMAIL
            or any(c.isspace() or c in "<>," for c in email)):
        problems.append("Your e-mail: write an e-mail address such as pat.lee@example.mil")
    if problems:
        raise InputError(problems)
    return Officer(name, email)


def facility_quote(store: Store, link: Link, number: str, today: datetime.date) -> Entry | None:
    """Revision `number` when it is one of the link's facility's (and not awaiting anything), else None."""
    try:
        entry = find(store, number, today)
    except RuleError:
        return None
    return entry if entry.dodaac == link.dodaac and entry.status in SHOWN else None


def why_not_acceptable(entry: Entry) -> str | None:
    """Why an officer cannot accept the revision, in the customer's words; None when they can."""
    if entry.practice:
        return f"{entry.number} is a practice quote, for trying things out: it cannot be accepted."
    if entry.status == SUPERSEDED:
        return f"{entry.number} was replaced by {entry.superseded_by}: accept that one instead."
    if entry.status == VOID:
        return f"{entry.number} was withdrawn: it cannot be accepted. Ask the vendor for a new quote."
    if entry.status == EXPIRED:
        return (f"{entry.number} expired on {entry.valid_through:%B %-d, %Y}: ask the vendor for a new revision "
                f"before ordering.")
    if entry.status != ISSUED:
        return f"{entry.number} is {entry.status}: it cannot be accepted."
    return None


def accept_online(store: Store, catalog: Catalog, link: Link, number: str, delivery_order: str, who: Officer, *,
                  ordered: Mapping[str, object] | None = None, today: datetime.date | None = None) -> Recorded:
    """The desk's acceptance of revision `number`, by the officer through `link`, of the quantities `ordered` per
    line (as `ordering.accept`); RuleError (nothing recorded) when the quote is not the facility's or cannot be
    accepted."""
    today = today or datetime.date.today()
    entry = facility_quote(store, link, number, today)
    if entry is None:
        raise RuleError(f"{number}: no such quote")
    refusal = why_not_acceptable(entry)
    if refusal:
        raise RuleError(refusal)
    return accept(store, catalog, entry.number, delivery_order, ordered=ordered, by=who.shown, today=today)


def request_changes(store: Store, link: Link, number: str, message: str, who: Officer, *,
                    today: datetime.date | None = None) -> None:
    """Record that the officer asks for changes to revision `number`; RuleError for a quote that is not current."""
    today = today or datetime.date.today()
    text = (message or "").strip()
    if not text or len(text) > MAX_MESSAGE or forbidden(text, "\n\r\t"):
        raise InputError(f"Message: say what should change, 1 to {MAX_MESSAGE} characters of plain text")
    entry = facility_quote(store, link, number, today)
    if entry is None:
        raise RuleError(f"{number}: no such quote")
    if entry.status in (SUPERSEDED, VOID):
        raise RuleError(why_not_acceptable(entry) or f"{entry.number} cannot be changed")
    with store.writing():
        store.run("INSERT INTO change_requests (number, link_id, name, email, message, recorded_at) "
                  "VALUES (?, ?, ?, ?, ?, ?)", (entry.number, link.id, who.name, who.email, text,
                                                moment_text(utc_now())))


def changes_asked(store: Store, number: str) -> list[tuple[str, str, str, datetime.datetime]]:
    """`(name, email, message, when)` of each request for changes to revision `number`, oldest first."""
    rows = store.all("SELECT name, email, message, recorded_at FROM change_requests WHERE number = ? ORDER BY id",
                     (number,))
    return [(name, email, message, stored_moment(at)) for name, email, message, at in rows]


def receive_request(store: Store, link: Link, who: Officer, name: str, data: bytes) -> int:
    """Put a request the officer sent into the desk's inbox; its id."""
    with store.writing():
        row = store.one("INSERT INTO customer_requests (dodaac, link_id, name, email, request_name, request_bytes, "
                        "received_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
                        (link.dodaac, link.id, who.name, who.email, name, data, moment_text(utc_now())))
    return int(row[0])


_RECEIVED = "id, dodaac, link_id, name, email, request_name, request_bytes, received_at"


def inbox(store: Store, limit: int = 50) -> list[Received]:
    """The `limit` requests officers sent last, newest first."""
    return [_received(row) for row in store.all(f"SELECT {_RECEIVED} FROM customer_requests ORDER BY id DESC "
                                                f"LIMIT {int(limit)}")]


def received(store: Store, request_id: int) -> Received | None:
    row = store.one(f"SELECT {_RECEIVED} FROM customer_requests WHERE id = ?", (request_id,))
    return _received(row) if row else None


def news_seen(store: Store, name: str) -> datetime.datetime | None:
    """When desk user `name` last marked what customers did as seen; None if never."""
    row = store.one("SELECT seen_at FROM customer_news_seen WHERE name = ?", (name,))
    return stored_moment(row[0]) if row else None


def mark_news_seen(store: Store, name: str) -> None:
    """Desk user `name` has seen what customers did until now."""
    now = moment_text(utc_now())
    with store.writing():
        store.run("INSERT INTO customer_news_seen (name, seen_at) VALUES (?, ?) ON CONFLICT (name) DO UPDATE "
                  "SET seen_at = ?", (name, now, now))


def _received(row) -> Received:
    return Received(id=row[0], dodaac=row[1], link_id=row[2], name=row[3], email=row[4], request_name=row[5],
                    request_bytes=bytes(row[6]), received_at=stored_moment(row[7]))

