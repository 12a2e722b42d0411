"""The accessible HTML copy of the quote (`templates/quote.html.j2`), a pure function of the Order.

One self-contained page with the PDF's content in the PDF's order: headings in order, every table with a
caption and header cells with their scope, `lang="en"`, inline CSS, no script and nothing fetched. The terms
and coding notes are the PDF's own templates, their paragraphs escaped and `**x**` made bold.
"""

import re

from markupsafe import Markup, escape

from procure.core.catalog import PRODUCT_FIELDS
from procure.core.order import Order
from procure.renderers.tables import CHANGE_HEADINGS, change_rows, stock_counted
from procure.renderers.templating import environment, html_environment, render

BOLD_MARK = re.compile(r"\*\*(.+?)\*\*")


def render_html(order: Order, templates=None) -> bytes:
    """The `.html` bytes of an order; `templates` is a user template folder put before the shipped one."""
    text = environment(templates)
    keys, rows = order.product_data
    context = dict(order=order, quote=order.quote, contract=order.catalog.contract, customer=order.request.customer,
                   catalog=order.catalog)
    page = render(html_environment(templates), "quote.html.j2", **context,
                  references=order.request.references,
                  vendor=order.profile.vendor if order.profile else None,
                  preparer=order.profile.preparer if order.profile else None,
                  terms=_paragraphs(render(text, "quote-terms.txt.j2", **context)),
                  coding_notes=_paragraphs(render(text, "quote-notes.txt.j2", **context)),
                  coding_codes=list(dict.fromkeys((r.cpt, r.description) for r in order.coding)),
                  changes=change_rows(order.revision) if order.revision else [], change_headings=CHANGE_HEADINGS,
                  stock_counted=stock_counted(order), product_headings=[PRODUCT_FIELDS[k] for k in keys],
                  product_data=rows)
    return page.encode("utf-8")


def _paragraphs(text: str) -> list[Markup]:
    """Template text as paragraphs: split on blank lines, lines joined, escaped, `**x**` bold."""
    blocks = (" ".join(block.split()) for block in re.split(r"\n\s*\n", text))
    return [Markup(BOLD_MARK.sub(r"<strong>\1</strong>", str(escape(block)))) for block in blocks if block]
