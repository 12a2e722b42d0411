"""The register as plain data for `--json` (the keys of `quote list` are a contract, docs/quotes.md),
and as text for the terminal.
"""

import datetime
import json

from procure.core.catalog import piid_display
from procure.core.money import json_money
from procure.core.record import Record
from procure.core.revision import compare_lines
from procure.register.contract_records import Approval, StoredPriceList
from procure.register.records import Entry, Event, Issued, Placed, Sent
from procure.register.store import Store
from procure.renderers.tables import money, text_table


class Shown(Record):
    """What `quote show` shows: a revision, what went into it, its files' digests, its quote's history."""

    entry: Entry
    issued: Issued
    digests: dict[str, str]
    chain: list[Entry]
    """Every revision of the quote, the original first."""
    listed: list[dict]
    """The same revisions as `quote list --json` shows them."""
    events: list[Event]
    sendings: list[Sent]
    """The revisions' e-mails (`quote send`), events of their own."""
    orders: list[Placed]
    """The delivery order of this revision as accepted, then each correction."""
    price_list: StoredPriceList | None = None
    """The register's price list this revision was priced by (None: a file given with the quote)."""
    approvals: tuple[Approval, ...] = ()
    """This revision's approval: held (with the rules it met), then approved or rejected."""
    asked: tuple[dict, ...] = ()
    """The changes officers asked for through the facility's link, as `changes-requested` events."""


def shown(store: Store, entry: Entry, today: datetime.date) -> Shown:
    chain = store.entries(today=today, base=entry.base)[::-1]
    listed = [json.loads(text) for text in store.entries_json(today=today, base=entry.base)[::-1]]
    numbers = {e.number for e in chain}
    from procure.register.customer_side import OFFICER_SUFFIX, changes_asked

    asked = tuple({"number": number, "event": "changes-requested", "reason": message,
                   "recorded_by": f"{name} <{email}>{OFFICER_SUFFIX}", "recorded_at": moment(at)}
                  for number in sorted(numbers) for name, email, message, at in changes_asked(store, number))
    return Shown(entry, store.issued(entry.number), store.digests(entry.number), chain, listed,
                 store.events(numbers), store.sendings(numbers), store.orders(entry.number),
                 store.quoted_price(entry.number), tuple(store.approvals(entry.number)), asked)


def approval_view(a: Approval) -> dict:
    return {"approval": a.kind, "rules": list(a.rules), "reason": a.reason, "recorded_by": a.recorded_by,
            "recorded_at": moment(a.recorded_at)}


def price_list_line(s: Shown) -> str | None:
    """`prices.csv (price list 2 of the register, in force from 2026-01-01)`, or the file's name alone."""
    if s.price_list is None:
        return s.issued.price_list_name
    return f"{s.price_list.name} (price list {s.price_list.id} of the register, in force from {s.price_list.effective})"


def moment(value: datetime.datetime) -> str:
    """`2026-11-27T23:49:25Z`: a UTC moment as the register shows it."""
    return value.strftime("%Y-%m-%dT%H:%M:%SZ")


def event_view(e: Event) -> dict:
    return {"number": e.number, "event": e.kind, "superseded_by": e.superseded_by,
            "delivery_order": e.delivery_order, "reason": e.reason,
            "recorded_by": e.recorded_by, "recorded_at": moment(e.recorded_at)}


def sent_view(s: Sent) -> dict:
    return {"number": s.number, "event": "sent", "to": ", ".join(s.recipients), "cc": ", ".join(s.cc) or None,
            "message_id": s.message_id or None, "recorded_by": s.sent_by, "recorded_at": moment(s.sent_at)}


def _all_events(s: Shown) -> list[dict]:
    """Status events, e-mails and changes asked for, oldest first."""
    return sorted([*map(event_view, s.events), *map(sent_view, s.sendings), *s.asked],
                  key=lambda v: v["recorded_at"])



def order_view(p: Placed) -> dict:
    return {"event": p.kind, "delivery_order": p.delivery_order, "order_date": p.order_date.isoformat(),
            "amount": json_money(p.amount), "pay_dodaac": p.pay_dodaac, "issue_by": p.issue_by,
            "admin_by": p.admin_by, "ship_to": p.ship_to, "ordered": None if p.ordered is None else list(p.ordered),
            "ordered_total": json_money(p.ordered_total), "note": p.note, "reason": p.reason,
            "recorded_by": p.recorded_by, "recorded_at": moment(p.recorded_at)}


def show_view(s: Shown) -> dict:
    i = s.issued
    return {"quote": next(r for r in s.listed if r["number"] == i.number), "reason": i.reason,
            "request": i.request_name,
            "price_list": i.price_list_name, "profile": i.profile_name,
            "catalog": {"version": i.catalog_version, "digest": i.catalog_digest},
            "procure_version": i.procure_version,
            "files": [{"name": f"{i.number}{suffix}", "sha256": digest} for suffix, digest in s.digests.items()],
            "lines": [{**line._asdict(), "unit_price": json_money(line.unit_price),
                       "extended_price": json_money(line.extended_price)} for line in i.lines],
            "revisions": s.listed, "events": _all_events(s), "orders": [order_view(p) for p in s.orders],
            "price_list_id": s.price_list.id if s.price_list else None,
            "approvals": [approval_view(a) for a in s.approvals]}


def show_text(s: Shown) -> str:
    e, i = s.entry, s.issued
    title = (f"Quote {e.number}" + (f" (revision {e.revision} of {e.base})" if e.revision else "")
             + (" -- PRACTICE quote, never to be accepted" if e.practice else ""))
    rows = [("Status", e.status_text), ("Facility", f"{e.facility} (DoDAAC {e.dodaac})"),
            ("Date", f"{e.date}, valid through {e.valid_through}"), ("Total", money(e.total)),
            ("Issued", f"{moment(e.issued_at)} by {e.issued_by}"), ("Reason", i.reason),
            ("Approval", _approval_text(s)),
            ("Request", i.request_name), ("Price list", price_list_line(s)), ("Profile", i.profile_name),
            ("Catalog", f"version {i.catalog_version} ({i.catalog_digest})"), ("Procure", i.procure_version)]
    width = max(len(label) for label, _ in rows)
    lines = [title, *(f"  {label.ljust(width)}  {value}" for label, value in rows if value is not None)]
    lines += ["", "Files (sha256):", *(f"  {i.number}{suffix}  {digest}" for suffix, digest in s.digests.items())]
    lines += ["", "Revisions:", text_table(
        ["Number", "Date", "Total", "Status", "Issued at", "Issued by"],
        [[r.number, r.date, money(r.total), r.status_text, moment(r.issued_at), r.issued_by] for r in s.chain],
        right={2})]
    events = _all_events(s)
    if events:
        lines += ["", "Events:", *(f"  {v['recorded_at']}  {v['number']}  {v['event']}  {_event_detail(v)}  "
                                   f"by {v['recorded_by']}" for v in events)]
    if s.orders:
        lines += ["", "Delivery order:", *(
            f"  {moment(p.recorded_at)}  {p.kind}  {piid_display(p.delivery_order)} of {p.order_date}"
            f", {money(p.amount)}" + "".join(f", {label} {value}" for label, value in (
                ("ordered lines", p.ordered_total and money(p.ordered_total)), ("pay office", p.pay_dodaac),
                ("issue-by", p.issue_by), ("admin", p.admin_by), ("ship-to", p.ship_to), ("note", p.note)) if value)
            + (f" ({p.reason})" if p.reason else "") + f"  by {p.recorded_by}" for p in s.orders)]
    return "\n".join(lines)


def _approval_text(s: Shown) -> str | None:
    """What held the revision for approval, and who decided: None for one that met no rule."""
    if not s.approvals:
        return None
    held, last = s.approvals[0], s.approvals[-1]
    text = "; ".join(held.rules)
    if last.kind == "awaiting":
        return f"awaiting approval: {text}"
    return f"{last.kind} {moment(last.recorded_at)} by {last.recorded_by}" + (
        f" ({last.reason})" if last.reason else "") + f"; held for: {text}"


def _event_detail(v: dict) -> str:
    if v["event"] == "sent":
        return f"to {v['to']}" + (f" (cc {v['cc']})" if v["cc"] else "") + (
            f", {v['message_id']}" if v["message_id"] else ", marked as sent from another mail program")
    return v["superseded_by"] or v["delivery_order"] or v["reason"] or ""


DIFF_FIELDS = {"facility": "facility", "dodaac": "DoDAAC", "date": "date", "valid_through": "valid through",
               "catalog_version": "catalog version", "price_list_name": "price list"}


def diff_view(old: Issued, new: Issued) -> dict:
    """The lines added, removed and changed from quote `old` to quote `new`, the totals, and changed fields."""
    lines = []
    for c in compare_lines(old.lines, new.lines):
        lines.append({**c._asdict(), **{k: json_money(getattr(c, k)) for k in (
            "unit_price_before", "unit_price_after", "extended_before", "extended_after")}})
    return {"from": old.number, "to": new.number, "lines": lines,
            "total_before": json_money(old.total), "total_after": json_money(new.total),
            "fields": {name: {"old": _plain(getattr(old, name)), "new": _plain(getattr(new, name))}
                       for name in DIFF_FIELDS if getattr(old, name) != getattr(new, name)}}


def diff_text(old: Issued, new: Issued) -> str:
    lines = [f"From {old.number} to {new.number}:"]
    for c in compare_lines(old.lines, new.lines):
        what = []
        if c.quantity_before != c.quantity_after:
            what.append(f"quantity {_count(c.quantity_before)} -> {_count(c.quantity_after)}")
        if c.unit_price_before != c.unit_price_after:
            what.append(f"unit price {money(c.unit_price_before)} -> {money(c.unit_price_after)}")
        lines.append(f"  {c.change:8} {c.part:12} {'; '.join(what)}")
    for name, label in DIFF_FIELDS.items():
        if getattr(old, name) != getattr(new, name):
            lines.append(f"  {label}: {_plain(getattr(old, name))} -> {_plain(getattr(new, name))}")
    lines.append(f"  total {money(old.total)} -> {money(new.total)}")
    return "\n".join(lines)


def list_json(store: Store, *, today: datetime.date, **filters) -> str:
    """The `quote list --json` document (its keys are a contract): one quote a line, each object made by the
    database, so that ten thousand revisions list as fast as a catalog."""
    return json_document(store.entries_json(today=today, **filters))


def json_document(objects: list[str]) -> str:
    """`{"quotes": [...]}` of revisions as `Store.entries_json` gives them, one a line."""
    rows = ",\n    ".join(objects)
    return '{\n  "quotes": [\n    ' + rows + "\n  ]\n}" if rows else '{\n  "quotes": []\n}'


def list_text(entries: list[Entry]) -> str:
    if not entries:
        return "No quotes."
    return text_table(["Number", "Date", "Valid through", "Facility", "DoDAAC", "Total", "Status", "Issued by"],
                      [[e.number, e.date, e.valid_through, e.facility, e.dodaac, money(e.total),
                        e.status_text + (" (practice)" if e.practice else ""), e.issued_by] for e in entries],
                      right={5})


def _plain(value):
    return value.isoformat() if hasattr(value, "isoformat") else value


def _count(value) -> str:
    return "-" if value is None else f"{value:,}"
