"""What a revision was issued with that its documents do not carry whole: every finding at issue, each for the
customer or internal (the quote page shows them, marked), the desk's internal note on a revision, which never
reaches a customer document (the reason for the revision is the customer's), and the request's references the
desk's search finds it by (requisition, delivery order, contact). Stored in the same transaction as the issue
(migration `desk`), only ever inserted."""

from collections.abc import Iterable

from procure.core.findings import Finding
from procure.core.record import Record
from procure.core.request import Request
from procure.register.store import Store

MAX_NOTE = 2000
"""The longest internal note, in characters."""


class FindingAtIssue(Record):
    severity: str
    code: str
    audience: str
    """`customer` (on the quote) or `internal` (the desk only)."""
    message: str
    subject: str
    place: str


def record_issued_with(store: Store, number: str, request: Request, findings: Iterable[Finding],
                       note: str | None) -> None:
    """Inside the issue's `writing()`: the references of revision `number`'s request, its findings at issue, and
    its internal note."""
    store.run("INSERT INTO quote_references (number, requisition, delivery_order, contact) VALUES (?, ?, ?, ?)",
               (number, request.references.requisition, request.references.delivery_order,
                request.customer.contact))
    for f in dict.fromkeys(findings):
        store.run("INSERT INTO issue_findings (number, severity, code, audience, message, subject, place) "
                   "VALUES (?, ?, ?, ?, ?, ?, ?)", (number, f.severity, f.code, f.audience, f.message, f.subject,
                                                    f.source or ""))
    if note:
        store.run("INSERT INTO internal_notes (number, note) VALUES (?, ?)", (number, note))


def findings_at_issue(store: Store, number: str) -> list[FindingAtIssue]:
    """The findings revision `number` was issued with, errors first as they were; empty for a quote issued before
    they were kept."""
    return [FindingAtIssue(*row) for row in store.all(
        "SELECT severity, code, audience, message, subject, place FROM issue_findings WHERE number = ? ORDER BY id",
        (number,))]


def internal_note(store: Store, number: str) -> str | None:
    row = store.one("SELECT note FROM internal_notes WHERE number = ?", (number,))
    return row[0] if row else None


def checked_note(text: str | None) -> str | None:
    """An internal note as typed: None when empty; InputError if too long or holding a control character."""
    from procure.core.characters import describe, forbidden
    from procure.core.errors import InputError

    note = " ".join((text or "").split())
    if len(note) > MAX_NOTE:
        raise InputError(f"Internal note: use at most {MAX_NOTE} characters")
    char = forbidden(note)
    if char is not None:
        raise InputError(f"Internal note holds {describe(char)}: type it without one")
    return note or None
