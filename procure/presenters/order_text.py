"""The plain-text report of an order that `procure plan` prints: heading, tables, coding, findings."""

from procure.core.findings import findings_text, verdict
from procure.core.order import Order
from procure.core.prices import PriceList
from procure.renderers.tables import coding_table, derivation_table, lines_table, money, stock_counted


def prices_line(price_list: PriceList | None) -> str:
    """`Prices: <title>`, saying so loudly when the list is illustrative."""
    if price_list is None:
        return "Prices: none given"
    flag = " -- ILLUSTRATIVE, not contract prices" if price_list.illustrative else ""
    return f"Prices: {price_list.label}{flag}"


def check_text(order: Order) -> str:
    """What `procure check` prints: the findings and the verdict."""
    return f"{findings_text(order.findings)}\n{verdict(order.findings)}"


def plan_text(order: Order) -> str:
    """What `procure plan` prints: the lines, how each quantity was derived, the coding estimate, the findings."""
    c, q = order.catalog, order.quote
    out = [f"Quote {q.number} dated {q.date}, valid through {q.valid_through}",
           f"Contract {c.contract.display_number}, catalog version {c.version} ({c.digest[:19]})",
           prices_line(order.price_list), "", "Order lines", lines_table(order), "",
           "How the quantities were derived (units are single tips or cartridges)", derivation_table(order)]
    if stock_counted(order):
        out.append(stock_counted(order))
    if order.assumptions:
        out += ["", "Planning assumptions (the customer reads the first sentence; the basis is for you)"]
        out += [f"- {a.statement}{f' [basis: {a.basis}]' if a.basis else ''}" for a in order.assumptions]
    if order.coding:
        fees = order.catalog.fees
        out += ["", "Coding estimate (units per procedure; fees before multiple-procedure payment reductions)",
                coding_table(order)]
        if order.coding_total is not None:
            out.append(f"Estimated total ({order.coding[0].site_label}): {money(order.coding_total)}")
        out += [fees.source, *(f"- {line}" for line in fees.disclaimers)]
    out += ["", "Findings", check_text(order)]
    return "\n".join(out)
