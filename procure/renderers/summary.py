"""The text summary: the quote in plain text, usable as an email body (templates/summary.txt.j2).

The template gets the order and the same tables `procure plan` prints (`lines_table`,
`derivation_table`, `coding_table`).
"""

import functools

from procure.core.order import Order
from procure.renderers import tables
from procure.renderers.templating import environment, render


def render_summary(order: Order, templates=None) -> bytes:
    env = environment(templates)
    env.globals.update({name: functools.partial(getattr(tables, name), width=tables.WIDTH)
                        for name in ("lines_table", "derivation_table", "coding_table")})
    env.globals["stock_counted"] = tables.stock_counted
    env.filters["wrap"] = tables.wrap
    env.globals["changes_table"] = functools.partial(tables.changes_table, width=tables.WIDTH)
    text = render(env, "summary.txt.j2", order=order, quote=order.quote, contract=order.catalog.contract,
                  customer=order.request.customer, catalog=order.catalog, references=order.request.references,
                  vendor=order.profile.vendor if order.profile else None)
    return text.encode("utf-8")
