"""The text summary: the quote in plain text, usable as an email body (templates/summary.txt.j2).

The template gets the order and the same tables `procure plan` prints (`lines_table`,
`derivation_table`, `coding_table`).
"""

from procure.core.findings import finding_line
from procure.core.order import Order
from procure.render import tables
from procure.render.templating import environment, render


def render_summary(order: Order, templates=None) -> bytes:
    env = environment(templates)
    env.globals.update(lines_table=tables.lines_table, derivation_table=tables.derivation_table,
                       coding_table=tables.coding_table, finding_line=finding_line,
                       changes_table=tables.changes_table)
    text = render(env, "summary.txt.j2", order=order, quote=order.quote, contract=order.catalog.contract,
                  customer=order.request.customer, catalog=order.catalog)
    return text.encode("utf-8")
