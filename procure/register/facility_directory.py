"""The facility directory: one record per DoDAAC, kept as versions in the register (docs/customers-and-email.md).

Every issued quote appends a version made from its request (the facility, ship-to,
bill-to, mark-for and contact it gives, over what the directory knew), and
`customer set` appends one by hand; nothing is edited in place. A request that
names only a known DoDAAC is completed from the newest version (`directory_of`,
`known_at`: what the request reader's `Directory` asks). The command line and
the web desk call the same functions (and `procure.presenters.customer_listing` to show them).
"""

import datetime
import re
from pathlib import Path

from procure.core.characters import describe, forbidden
from procure.core.errors import InputError, RuleError
from procure.core.request import DODAAC, Directory, Known, Request
from procure.register.records import Contact, CustomerVersion
from procure.register.store import Store
from procure.register.stored import utc_now
from procure.register.target import SQLITE, resolve

FIELDS = ("facility", "ship_to", "bill_to", "mark_for")
"""The record's texts, as `customer set` options name them (`--ship-to`)."""
MAX_TEXT = {"facility": 200, "ship_to": 300, "bill_to": 300, "mark_for": 300, "name": 300, "email": 300, "phone": 300}
"""The longest each text may be: as long as a request allows."""


def dodaac_of(text: str) -> str:
    """A DoDAAC as typed (any case, blanks around it), checked; InputError if it is not one."""
    dodaac = text.strip().upper()
    if not re.fullmatch(DODAAC, dodaac):
        raise InputError(f"{text!r} is not a DoDAAC: 6 characters, A-Z and 0-9")
    return dodaac


def record(store: Store, dodaac: str) -> CustomerVersion | None:
    """The newest version of the record of `dodaac`, or None when the directory does not know it."""
    versions = store.customer_versions(dodaac)
    return versions[-1] if versions else None


def known(store: Store, dodaac: str) -> Known | None:
    """What the directory knows of `dodaac`, in the request's keys, to complete a request naming only it."""
    found = record(store, dodaac)
    if found is None:
        return None
    contact = found.contacts[0] if found.contacts else Contact()
    changed = f"{found.recorded_at:%Y-%m-%d} by {found.recorded_by}"
    return Known(customer={"facility": found.facility, "dodaac": found.dodaac, "ship_to": found.ship_to,
                           "contact": contact.name, "email": contact.email, "phone": contact.phone},
                 order={"bill_to": found.bill_to, "mark_for": found.mark_for},
                 source=f"the customer directory of {store.target.shown} (last changed {changed})")


def directory_of(store: Store) -> Directory:
    """The `Directory` of an open register."""
    return lambda dodaac: known(store, dodaac)


def known_at(target: str | None, dodaac: str) -> Known | None:
    """What the register `target` names knows of `dodaac`; a register file that does not exist (it is not
    created) knows nothing."""
    from procure.register import open_register

    where = resolve(target)
    if where.kind == SQLITE and not Path(where.location).is_file():
        return None
    with open_register(target) as store:
        return known(store, dodaac)


def merged(previous: CustomerVersion | None, dodaac: str, texts: dict, contact: Contact, *, quote: str | None,
           by: str, at: datetime.datetime, first_contact: bool = False) -> CustomerVersion:
    """The next version: `previous` with the texts given (`FIELDS`, None for unchanged) and `contact` first.

    The contact updates the known one of the same name (else the same e-mail), else is added; with
    `first_contact` and no name it updates the first contact (what `customer set --email` means).
    """
    old = previous._asdict() if previous else dict.fromkeys(FIELDS)
    values = {field: texts.get(field) if texts.get(field) is not None else old[field] for field in FIELDS}
    if not values["facility"]:
        raise RuleError(f"DoDAAC {dodaac} is not in the customer directory yet: give its facility (--facility)")
    contacts = list(previous.contacts) if previous else []
    if any(contact):
        if first_contact and contact.name is None and contacts:
            contact = contact._replace(name=contacts[0].name)
        same = _same_contact(contacts, contact)
        if same is not None:
            old_contact = contacts.pop(same)
            contact = Contact(*(new if new is not None else was for new, was in zip(contact, old_contact, strict=True)))
        contacts.insert(0, contact)
    return CustomerVersion(dodaac=dodaac, facility=values["facility"], ship_to=values["ship_to"],
                           bill_to=values["bill_to"], mark_for=values["mark_for"], contacts=tuple(contacts),
                           quote=quote, recorded_by=by, recorded_at=at)


def _same_contact(contacts: list[Contact], contact: Contact) -> int | None:
    for key in ("name", "email"):
        value = getattr(contact, key)
        if value:
            for i, known_contact in enumerate(contacts):
                if (getattr(known_contact, key) or "").casefold() == value.casefold():
                    return i
            return None
    return 0 if contacts else None


def record_issue(store: Store, request: Request, number: str, by: str, at: datetime.datetime) -> None:
    """Inside the issue's transaction: append the version the request of quote `number` makes."""
    c, o = request.customer, request.references
    texts = {"facility": c.facility, "ship_to": c.ship_to, "bill_to": o.bill_to, "mark_for": o.mark_for}
    store.add_customer(merged(record(store, c.dodaac), c.dodaac, texts, Contact(c.contact, c.email, c.phone),
                              quote=number, by=by, at=at))


def set_customer(store: Store, dodaac: str, texts: dict, contact: Contact, *, by: str) -> CustomerVersion:
    """Append a version of `dodaac`'s record with the texts and the contact given (`customer set`)."""
    dodaac = dodaac_of(dodaac)
    given = {**texts, **contact._asdict()}
    for key, value in given.items():
        option = "--contact" if key == "name" else f"--{key.replace('_', '-')}"
        if value is not None and (not value.strip() or len(value) > MAX_TEXT[key]):
            raise InputError(f"{option} must be 1 to {MAX_TEXT[key]} characters")
        char = forbidden(value) if value is not None else None
        if char is not None:
            raise InputError(f"{option} holds {describe(char)}: write it on one line of plain text")
    if not any(v is not None for v in given.values()):
        raise InputError("give at least one of --facility, --ship-to, --bill-to, --mark-for, --contact, --email, "
                         "--phone")
    contact = Contact(*(v.strip() if v is not None else None for v in contact))
    with store.writing():
        version = merged(record(store, dodaac), dodaac, {k: v and v.strip() for k, v in texts.items()}, contact,
                         quote=None, by=by, at=utc_now(), first_contact=True)
        store.add_customer(version)
    return version


LABELS = {"facility": "Facility", "ship_to": "Ship to", "bill_to": "Bill to", "mark_for": "Mark for",
          "name": "name", "email": "e-mail", "phone": "phone"}
"""The record's texts as the desk's Customers page labels them."""


def edit_customer(store: Store, dodaac: str, texts: dict, contacts: list[Contact], *, by: str) -> CustomerVersion:
    """Append a version of `dodaac`'s record that is exactly `texts` (`FIELDS`; empty for none) and `contacts` (the
    first the one to write to first), as the desk's Customers page edits it; every problem named at once."""
    dodaac = dodaac_of(dodaac)
    problems: list[str] = []
    values: dict[str, str | None] = {}
    for key in FIELDS:
        values[key] = _edited(texts.get(key), key, LABELS[key], problems)
    if not values["facility"]:
        problems.append("Facility: give the facility's name")
    kept = []
    for i, contact in enumerate(contacts, 1):
        fields = {k: _edited(getattr(contact, k), k, f"Contact {i} {LABELS[k]}", problems) for k in Contact._fields}
        if any(fields.values()):
            kept.append(Contact(**fields))
    if problems:
        raise InputError(problems)
    with store.writing():
        if record(store, dodaac) is None:
            raise RuleError(f"{dodaac}: no such DoDAAC in the customer directory")
        version = CustomerVersion(dodaac=dodaac, facility=values["facility"] or "", ship_to=values["ship_to"],
                                  bill_to=values["bill_to"], mark_for=values["mark_for"], contacts=tuple(kept),
                                  quote=None, recorded_by=by, recorded_at=utc_now())
        store.add_customer(version)
    return version


def _edited(value: str | None, key: str, label: str, problems: list[str]) -> str | None:
    """A text of the Customers page's form, on one line: None when left empty; a problem noted if it is not one."""
    text = " ".join((value or "").split())
    if len(text) > MAX_TEXT[key]:
        problems.append(f"{label}: use at most {MAX_TEXT[key]} characters")
    char = forbidden(text)
    if char is not None:
        problems.append(f"{label} holds {describe(char)}: write it as plain text")
    return text or None


def contact_of_quote(store: Store, number: str, dodaac: str) -> Contact | None:
    """Whom quote `number` is addressed to (`contacts_of_quotes`)."""
    return contacts_of_quotes(store, [(number, dodaac)])[number]


def contacts_of_quotes(store: Store, quotes: list[tuple[str, str]]) -> dict[str, Contact | None]:
    """Whom each quote (number, DoDAAC) is addressed to, by number: the first contact of the version its issue
    made (else of the facility's newest record, for a quote issued before the directory existed). Two queries
    at most, however many quotes: `quote due` lists hundreds."""
    made = {v.quote: v for v in store.customer_versions(quotes=[number for number, _ in quotes])}
    newest = ({v.dodaac: v for v in store.customer_versions(latest=True)}
              if any(number not in made for number, _ in quotes) else {})
    found: dict[str, Contact | None] = {}
    for number, dodaac in quotes:
        version = made.get(number) or newest.get(dodaac)
        found[number] = version.contacts[0] if version and version.contacts else None
    return found
