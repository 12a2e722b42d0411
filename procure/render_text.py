"""The text summary: the quote in plain text, usable as an email body (templates/summary.txt.j2)."""

from procure.order import Order
from procure.tables import text_table
from procure.templating import environment, render


def render_summary(order: Order, templates=None) -> bytes:
    env = environment(templates)
    env.filters["table"] = lambda rows, headers, right=(): text_table(headers, rows, set(right))
    text = render(env, "summary.txt.j2", order=order, quote=order.quote, contract=order.catalog.contract,
                  customer=order.request.customer, catalog=order.catalog)
    return text.encode("utf-8")
