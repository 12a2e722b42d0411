"""Approval rules (the profile's `[approval]`): which quotes wait for an approver before they leave the desk.

`total_over`: a total above this amount; `new_customer`: a DoDAAC that no quote
has gone out to; `hand_quantities`: a line whose quantity was set by hand (a
`[[line]]` of the request), not by the plan. `rules_met` gives one sentence per
rule a quote meets; a quote that meets none needs no approval.
"""

from procure.core.money import format_money
from procure.core.order import Order
from procure.core.profile import ApprovalRules


def rules_met(order: Order, rules: ApprovalRules | None, *, new_customer: bool) -> tuple[str, ...]:
    """The rules `order` meets, each as the sentence the desk and the approver read; `new_customer`: whether no
    quote has gone out to its DoDAAC yet."""
    if rules is None:
        return ()
    met = []
    if rules.total_over is not None and order.total is not None and order.total > rules.total_over:
        met.append(f"total_over: the total {format_money(order.total)} is over {format_money(rules.total_over)}")
    if rules.new_customer and new_customer:
        met.append(f"new_customer: no quote has gone out to DoDAAC {order.request.customer.dodaac} before")
    if rules.hand_quantities:
        by_hand = [line for line in order.lines if line.explicit]
        if by_hand:
            met.append("hand_quantities: the quantity of " + ", ".join(
                f"line {line.line} ({line.part.part})" for line in by_hand) + " was set by hand, not by the plan")
    return tuple(met)
