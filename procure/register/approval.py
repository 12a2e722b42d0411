"""Approval: quotes that meet a rule of the profile's `[approval]` wait for an approver before they leave the desk.

A quote that meets a rule is issued as any other (number, files and all) and held
in the same transaction (`hold`): its status is `awaiting-approval` and the rules it
met are recorded. `released` is the one gate every way out to a customer asks
(e-mail draft, sending, the customer link, acceptance): it refuses a held quote,
naming the quote and the rules. `approving` approves or rejects it. A revision is
judged by the rules afresh, so a revision of an approved quote that meets a rule
waits again.
"""

import datetime

from procure.core.approval import rules_met
from procure.core.errors import RuleError
from procure.core.order import Order
from procure.core.profile import Profile
from procure.register.contract_records import AWAITING, Approval
from procure.register.records import Entry
from procure.register.store import Store


def hold(store: Store, number: str, base: str, order: Order, profile: Profile | None, *, by: str,
         at: datetime.datetime) -> tuple[str, ...]:
    """Inside the issue's transaction: hold revision `number` for approval when it meets a rule of the profile's
    `[approval]`; the rules it met (none: it goes out as issued)."""
    rules = profile.approval if profile is not None else None
    if rules is None:
        return ()
    new = rules.new_customer and not store.quoted_before(order.request.customer.dodaac, other_than=base)
    met = rules_met(order, rules, new_customer=new)
    if met:
        store.add_approval(Approval(number, AWAITING, met, None, by, at))
    return met


def waiting_for(store: Store, entry: Entry) -> tuple[str, ...]:
    """The rules revision `entry` waits for approval under (expired or not); empty when it does not wait."""
    if entry.approval != AWAITING:
        return ()
    steps = store.approvals(entry.number)
    return steps[-1].rules if steps else ()


def released(store: Store, entry: Entry, action: str) -> None:
    """RuleError if revision `entry` may not yet be `action` (`e-mailed`, `sent`, `shown on a customer link`,
    `accepted`) because it awaits approval; the message names the quote and the rules it met. Every way a quote
    leaves the desk asks this first."""
    rules = waiting_for(store, entry)
    if rules:
        raise RuleError(f"{entry.number} is awaiting approval ({'; '.join(rules)}): it cannot be {action} until "
                        f"an approver other than {entry.issued_by} approves it")
