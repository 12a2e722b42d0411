"""The register's records: a revision as issued (`Issued`), its status events, delivery orders, e-mails sent,
files and facility versions as stored, and a revision as the register lists it (`Entry`), with the statuses.

A status change is an appended event: `superseded` (when the next revision is
issued), `accepted`, `void`. The delivery order of an accepted quote is an
appended `orders` row (`Placed`), and so is each correction of it (`amended`):
the last row is the order in force. A revision's status is its last event's
kind, else `expired` when its valid-through date is before today, else `issued`
(`listing` decides it). Sending a quote by e-mail is an event of its own
(`Sent`), never a status. The facility directory is versions of each DoDAAC's
record (`CustomerVersion`), only ever appended; the newest is the record.
"""

import datetime
from decimal import Decimal

from procure.core.record import Record
from procure.core.revision import QuotedLine

ISSUED, SUPERSEDED, ACCEPTED, VOID, EXPIRED = "issued", "superseded", "accepted", "void", "expired"
AWAITING_APPROVAL = "awaiting-approval"
STATUSES = (ISSUED, AWAITING_APPROVAL, SUPERSEDED, ACCEPTED, VOID, EXPIRED)
SUFFIXES = (".xlsx", ".pdf", ".txt", ".html")
"""The files of an issued quote, in the order they are listed; quotes issued before the HTML copy have three."""


class Issued(Record):
    """One issued revision, as stored: what went in, what came out, who issued it and when."""

    number: str
    base: str
    revision: int
    """0 for the original quote."""
    reason: str | None
    facility: str
    dodaac: str
    date: datetime.date
    valid_through: datetime.date
    total: Decimal | None
    lines: tuple[QuotedLine, ...]
    request_name: str
    request_bytes: bytes
    """The request file as given: TOML text or a filled form."""
    price_list_name: str | None
    price_list_bytes: bytes | None
    profile_name: str | None
    profile_bytes: bytes | None
    catalog_version: str
    catalog_digest: str
    procure_version: str
    issued_by: str
    issued_at: datetime.datetime
    """UTC."""
    practice: bool = False
    """Issued with --practice: demo prices or a placeholder vendor identity; never to be accepted."""


class Event(Record):
    """A status change appended to a revision: `superseded` (by the next revision, when it is issued),
    `accepted` (with the delivery order) or `void` (with a reason)."""

    number: str
    kind: str
    superseded_by: str | None
    delivery_order: str | None
    reason: str | None
    recorded_by: str
    recorded_at: datetime.datetime


class Placed(Record):
    """The delivery order of an accepted quote as recorded on `accept` (kind `accepted`) or corrected by `amend`
    (kind `amended`, with a reason); a correction repeats what it does not change."""

    number: str
    kind: str
    delivery_order: str
    """PIID without dashes."""
    order_date: datetime.date
    amount: Decimal | None
    """The order's total as the order states it, when given."""
    pay_dodaac: str | None
    issue_by: str | None
    admin_by: str | None
    reason: str | None
    recorded_by: str
    recorded_at: datetime.datetime
    ordered: tuple[int, ...] | None = None
    """The quantity ordered of each quoted line, in the quote's line order; None: every line as quoted."""
    ordered_total: Decimal | None = None
    """The ordered lines' total (None on orders recorded before it was: the quote's total)."""
    ship_to: str | None = None
    """The order's ship-to DoDAAC when it names one; None: the requester's."""
    note: str | None = None
    """What the desk recorded on accepting, such as a stated amount that differs from the lines."""


class Entry(Record):
    """A revision as the register lists it, with its status today."""

    number: str
    base: str
    revision: int
    facility: str
    dodaac: str
    date: datetime.date
    valid_through: datetime.date
    total: Decimal | None
    issued_at: datetime.datetime
    issued_by: str
    status: str
    superseded_by: str | None
    event: Event | None
    """The last status event, if any."""
    sent_at: datetime.datetime | None = None
    """When the quote was last sent by e-mail, if ever."""
    practice: bool = False
    delivery_order: str | None = None
    """The delivery order in force (the last one recorded) while the quote is accepted."""
    order_date: datetime.date | None = None
    order_amount: Decimal | None = None
    approval: str | None = None
    """`awaiting`, `approved` or `rejected` for a quote that met an approval rule; None for one that met none."""
    ordered_total: Decimal | None = None
    """While accepted: the total of the lines the order takes (the quote's total for an order of every line)."""
    changes_requested: bool = False
    """An officer asked for changes (through the facility's link) and no revision has superseded it yet."""

    @property
    def status_text(self) -> str:
        """`superseded by Q-2026-0001-R2`, `accepted (delivery order ...)`, `void (reason)`, `expired (...)`."""
        if self.status == SUPERSEDED:
            return f"superseded by {self.superseded_by}"
        if self.status == ACCEPTED:
            return f"accepted (delivery order {self.delivery_order})"
        if self.status == VOID and self.event is not None:
            return f"void ({self.event.reason})"
        if self.status == EXPIRED:
            return f"expired (valid through {self.valid_through})"
        if self.status == AWAITING_APPROVAL:
            return "awaiting approval"
        return self.status


class Sent(Record):
    """A quote sent by e-mail: to whom, the message's Message-ID, by whom and when."""

    number: str
    recipients: tuple[str, ...]
    cc: tuple[str, ...]
    message_id: str
    sent_by: str
    sent_at: datetime.datetime


class Contact(Record):
    name: str | None = None
    email: str | None = None
    phone: str | None = None


class CustomerVersion(Record):
    """One version of a facility's record in the directory; the newest of a DoDAAC is its record."""

    dodaac: str
    facility: str
    ship_to: str | None
    bill_to: str | None
    mark_for: str | None
    contacts: tuple[Contact, ...]
    """The one to write to first."""
    quote: str | None
    """The quote whose request made this version; None for a version set by hand (`customer set`)."""
    recorded_by: str
    recorded_at: datetime.datetime


class StoredFile(Record):
    number: str
    suffix: str
    sha256: str
    content: bytes

