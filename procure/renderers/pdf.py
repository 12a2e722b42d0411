"""The PDF quote: a vendor quotation on US Letter, a pure function of the Order.

Its content in reading order: vendor and customer blocks, the quoted lines with their header repeated on every
page and the total kept with the last lines, the planning basis, findings, the coding estimate when there is
one, the terms and notes from `templates/quote-terms.txt.j2` and `templates/quote-notes.txt.j2`, and who
prepared it. Every page carries the quote number and "Page N of M"; illustrative prices are watermarked on
every page, and a practice quote is stamped PRACTICE on every page. The layout itself is `pdfstyle.py` (fonts,
inks, text), `pdftables.py` (fitted tables) and `pdfpage.py` (page decoration). `invariant=1`, no clock and no
file path make a rebuild byte-identical.
"""

import functools
from collections.abc import Callable
from io import BytesIO

from reportlab.lib.pagesizes import letter
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import inch
from reportlab.platypus import HRFlowable, KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table

from procure.core.catalog import PRODUCT_FIELDS
from procure.core.order import Order
from procure.renderers.pdfpage import Decor, NumberedCanvas, page_start
from procure.renderers.pdfstyle import (
    FONT,
    FRAME_PADDING,
    INK,
    MARGIN,
    TOTAL_SHADE,
    WIDTH,
    clean,
    count,
    markup,
    paragraphs,
    section,
    styles,
)
from procure.renderers.pdftables import Grid, Text, box, fields, grid_table, table
from procure.renderers.tables import CHANGE_HEADINGS, change_rows, money, stock_counted
from procure.renderers.templating import environment, render

KEEP_WITH_TOTAL = 3
"""How many of the last quote lines stay on the page of the total."""


def _masthead(order: Order, st) -> list:
    contract, quote = order.catalog.contract, order.quote
    vendor_profile = order.profile.vendor if order.profile else None
    vendor = [Paragraph(markup(order.vendor_name), st["vendor"])]
    if contract.manufacturer != order.vendor_name:
        vendor.append(Paragraph(f"Manufacturer: {markup(contract.manufacturer)}", st["body"]))
    if vendor_profile:
        ids = "  ".join(f"{label} {value}" for label, value in (("CAGE", vendor_profile.cage),
                                                                 ("UEI", vendor_profile.uei)) if value)
        vendor += [Paragraph(markup(text), st["body"]) for text in
                   (ids, vendor_profile.address,
                    "  ".join(v for v in (vendor_profile.phone, vendor_profile.email, vendor_profile.website) if v))
                   if text]
    vendor += [Paragraph(f"{markup(contract.program)}, {markup(contract.agency)} contract "
                         f"{markup(contract.display_number)}", st["body"])]
    dates = fields([("Quote number", quote.number), ("Date", str(quote.date)),
                     ("Valid through", f"{quote.valid_through}, end of day")], st, 0.95 * inch, 2.9 * inch)
    side = [Paragraph("QUOTATION", st["title"]), Spacer(1, 4), dates]
    top = table([[vendor, side]], [WIDTH - 2.9 * inch, 2.9 * inch], header=False,
                 commands=[("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0)])
    return [top, Spacer(1, 6), HRFlowable(width="100%", thickness=1.2, color=INK, spaceAfter=8)]


def _parties(order: Order, st) -> Table:
    customer, contract, catalog = order.request.customer, order.catalog.contract, order.catalog
    references = order.request.references
    half = (WIDTH - 10) / 2
    quote_for = fields([("Facility", customer.facility), ("DoDAAC", customer.dodaac), ("Contact", customer.contact),
                         ("Email", customer.email), ("Phone", customer.phone), ("Ship to", customer.ship_to),
                         ("Mark for", references.mark_for), ("Bill to", references.bill_to)],
                        st, 0.8 * inch, half - 12)
    period = (f"{contract.period_start} to {contract.period_end}"
              if contract.period_start and contract.period_end else None)
    required = str(references.required_delivery) if references.required_delivery else None
    order_of = fields([("Contract", contract.display_number), ("Modification", contract.modification),
                        ("Period", period), ("Delivery order", references.delivery_order_display),
                        ("Requisition", references.requisition), ("Fund cite", references.fund_cite),
                        ("Required by", required), ("Delivery terms", order.catalog.delivery.statement),
                        ("Catalog", f"version {catalog.version}"),
                        ("Price list", order.price_list.title if order.price_list else None)],
                       st, 0.9 * inch, half - 12)
    return table([[box("Customer", [quote_for], st, half), "", box("Order", [order_of], st, half)]],
                  [half, 10, half], header=False,
                  commands=[("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0)])


def _prepared_by(order: Order, st) -> list:
    """The preparer's name, title and contact with a signature line, when the profile names a preparer: kept
    together on one page."""
    preparer = order.profile.preparer if order.profile else None
    if not preparer or not preparer.name:
        return []
    who = ", ".join(v for v in (preparer.name, preparer.title) if v)
    contact = "  ".join(v for v in (preparer.phone, preparer.email) if v)
    signature = table([["", ""], [Paragraph("Signature", st["label"]), Paragraph("Date", st["label"])]],
                       [3.2 * inch, 1.6 * inch], header=False,
                       commands=[("LINEBELOW", (0, 0), (0, 0), 0.6, INK), ("LINEBELOW", (1, 0), (1, 0), 0.6, INK),
                                 ("TOPPADDING", (0, 0), (-1, 0), 18), ("LEFTPADDING", (0, 0), (-1, -1), 0)])
    flow = [Paragraph(f"<b>{markup(who)}</b>", st["body"])]
    if contact:
        flow.append(Paragraph(markup(contact), st["body"]))
    return [KeepTogether([*section("Prepared by", st), *flow, signature])]


def _revision(order: Order, st) -> list:
    """For a revision: which quote it supersedes and why, then the changes from that quote and the totals."""
    revision = order.revision
    if revision is None:
        return []
    said = [Paragraph(f"<b>{markup(revision.statement)}.</b>", st["body"])]
    if revision.reason:
        said.append(Paragraph(f"Reason: {markup(revision.reason)}", st["body"]))
    rows = change_rows(revision)
    flow = [Spacer(1, 8), *said, *section("Changes from the previous revision", st)]
    if rows:
        header = [Paragraph(markup(h), st["head_right"] if i > 1 else st["head"])
                  for i, h in enumerate(CHANGE_HEADINGS)]
        flow.append(table([header, *([clean(c) for c in row] for row in rows)], [70, 52, None, 130, 130],
                           commands=[("ALIGN", (2, 1), (-1, -1), "RIGHT")]))
    else:
        flow.append(Paragraph("No line changed.", st["body"]))
    totals = f"Total before: {money(revision.total_before)}; total after: {money(revision.total_after)}."
    return [*flow, Spacer(1, 3), Paragraph(markup(totals), st["body"])]


def lines_grid(order: Order) -> Grid:
    """The quoted items: one row a line, then the total."""
    header: list[str | Text] = ["Line", "Manufacturer Part Number", "Description", "UI", "Qty/UI", "Qty", "Unit price",
                                "Extended price"]
    rows = [header]
    for line in order.lines:
        rows.append([line.line, line.part.part, Text(markup(line.part.description)), line.part.unit_of_issue,
                     count(line.part.units_per_pack), count(line.quantity), money(line.unit_price),
                     money(line.extended_price)])
    rows.append(["", "", Text("<b>Total</b>"), "", "", "", "", money(order.total)])
    return Grid(rows, (30, 64, None, 24, 34, 30, 60, 66), {2: 110}, right=frozenset(range(4, 8)),
                bold=frozenset({len(rows) - 1}))


def _lines(order: Order, st) -> list:
    grid = lines_grid(order)
    last = len(grid.rows) - 1
    keep = max(1, last - KEEP_WITH_TOTAL)
    table = grid_table(grid, st, commands=[
        ("ALIGN", (4, 1), (-1, -1), "RIGHT"), ("ALIGN", (3, 1), (3, -1), "CENTER"),
        ("BACKGROUND", (0, last), (-1, last), TOTAL_SHADE), ("LINEABOVE", (0, last), (-1, last), 0.8, INK),
        ("LINEBELOW", (0, last), (-1, last), 0.8, INK), ("NOSPLIT", (0, keep), (-1, last))])
    note = ("Prices in U.S. dollars. UI: unit of issue; Qty/UI: single items in one unit of issue; "
            "Qty: units of issue ordered.")
    return [*section("Quoted items", st), table, Spacer(1, 3), Paragraph(note, st["small"]), *_product_data(order, st)]


def _product_data(order: Order, st) -> list:
    """The product data known of the quoted parts (UDI, NSN, origin, shelf life, ...), when any is."""
    keys, rows = order.product_data
    if not rows:
        return []
    header = [Paragraph(markup(h), st["head"]) for h in ("Part", *(PRODUCT_FIELDS[k] for k in keys))]
    body = [[clean(part), *(Paragraph(markup(v or "not stated"), st["cell"]) for v in values)]
            for part, values in rows]
    widths = [62, *([(WIDTH - 62) / len(keys)] * len(keys))]
    return [Paragraph("Product data", st["subsection"]), table([header, *body], widths)]


def _text_cells() -> Callable[[str], Text]:
    """The Text cell of a text, made once per distinct text: a long plan repeats its treatments and consumables."""
    return functools.cache(lambda text: Text(markup(text)))


def planning_grid(order: Order) -> Grid:
    """The planning basis: one row a step of the quantity derivation, its totals bold."""
    header: list[str | Text] = ["Treatment", "Consumable", "Procedures", "Per procedure",
                                "Units", "Spare", "Stock", "Net", "Packs"]
    rows = [header]
    totals = []
    text = _text_cells()
    for row in order.derivation:
        if row.is_total:
            totals.append(len(rows))
        rows.append([text(row.treatment), text(row.consumable), count(row.procedures), count(row.per_procedure),
                     count(row.units), count(row.spare), count(row.stock), count(row.net), text(row.packs)])
    return Grid(rows, (None, 94, 56, 52, 32, 32, 32, 30, 80), {0: 60, 8: 70, 1: 70},
                right=frozenset(range(2, 8)), bold=frozenset(totals))


def _planning(order: Order, st) -> list:
    grid = planning_grid(order)
    shade = [("BACKGROUND", (0, n), (-1, n), TOTAL_SHADE) for n in sorted(grid.bold)]
    table = grid_table(grid, st, commands=[("ALIGN", (2, 1), (7, -1), "RIGHT"), *shade])
    spare = (f" adds a spare of {order.request.spare_percent}% (rounded up)," if order.request.spare_percent
             else "")
    intro = (f"Units are single Smart Tips or cartridges. Each consumable's total{spare} subtracts stock on hand "
             f"(counted in units of issue) and is packed into whole units of issue.")
    flow = [*section("Planning basis", st), Paragraph(markup(intro), st["body"]), Spacer(1, 4), table]
    if stock_counted(order):
        flow.append(Paragraph(markup(stock_counted(order)), st["small"]))
    if order.customer_assumptions:
        flow.append(Paragraph("Assumptions", st["subsection"]))
        flow += [Paragraph(markup(note), st["note"], bulletText="\u2022") for note in order.customer_assumptions]
    return flow


def _notes(order: Order, st) -> list:
    """The findings meant for the customer; the preparer's notes stay in the workbook and on the console."""
    if not order.customer_findings:
        return []
    content = [Paragraph(markup(i.message), st["body"], bulletText="\u2022") for i in order.customer_findings]
    return [*section("Notes", st), *content]


def coding_grid(order: Order) -> Grid:
    """The coding estimate: one row a treatment and CPT code, then the estimated total when there are fees."""
    header: list[str | Text] = ["Treatment", "CPT", "Nerves", "Units/ procedure",
                                "Procedures", "Site", "Fee/ procedure", "Total"]
    rows = [header]
    text = _text_cells()
    for r in order.coding:
        rows.append([text(r.treatment), r.cpt, text(", ".join(r.nerves)), count(r.units),
                     count(r.procedures), text(r.site_label or r.site or "-"), money(r.fee_per_procedure),
                     money(r.total)])
    bold: frozenset[int] = frozenset()
    if order.coding_total is not None:
        rows.append(["", "", "", "", "", Text("<b>Estimated total</b>"), "", money(order.coding_total)])
        bold = frozenset({len(rows) - 1})
    return Grid(rows, (None, 34, 70, 50, 56, 96, 58, 64), {0: 60, 5: 70, 2: 60}, right=frozenset((3, 4, 6, 7)),
                bold=bold)


def _coding(order: Order, env, st) -> list:
    if not (order.coding and order.request.reimbursement):
        return []
    grid = coding_grid(order)
    commands: list[tuple[object, ...]] = [("ALIGN", (3, 1), (4, -1), "RIGHT"), ("ALIGN", (6, 1), (7, -1), "RIGHT")]
    if grid.bold:
        commands += [("BACKGROUND", (0, -1), (-1, -1), TOTAL_SHADE),
                     ("LINEABOVE", (0, -1), (-1, -1), 0.8, INK), ("SPAN", (5, -1), (6, -1)),
                     ("NOSPLIT", (0, -2), (-1, -1))]
    table = grid_table(grid, st, commands=commands)
    codes = dict.fromkeys((r.cpt, r.description) for r in order.coding)
    legend = [Paragraph(f"<b>{markup(cpt)}</b> {markup(text)}", st["small"]) for cpt, text in codes]
    notes = paragraphs(render(env, "quote-notes.txt.j2", **_context(order)),
                        ParagraphStyle("coding_note", st["small"], spaceAfter=2))
    return [*section("Coding estimate", st), table, Spacer(1, 4), *legend, Spacer(1, 4), *notes]


def _context(order: Order) -> dict:
    return dict(order=order, quote=order.quote, contract=order.catalog.contract, customer=order.request.customer,
                catalog=order.catalog)


def _terms(order: Order, env, st) -> list:
    body = ParagraphStyle("terms", st["small"], spaceAfter=3.5)
    return [*section("Terms and notes", st),
            *paragraphs(render(env, "quote-terms.txt.j2", **_context(order)), body)]


def render_pdf(order: Order, templates=None) -> bytes:
    """The PDF quote of an order; `templates` is a user template folder put before the shipped one."""
    env = environment(templates)
    st = styles()
    contract = order.catalog.contract
    decor = Decor(order.quote.number, order.vendor_name, contract.display_number, order.watermark,
                  order.stamp)
    story = [*_masthead(order, st), _parties(order, st), *_revision(order, st), *_lines(order, st),
             *_planning(order, st), *_notes(order, st), *_coding(order, env, st), *_terms(order, env, st),
             *_prepared_by(order, st)]
    buffer = BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=letter, leftMargin=MARGIN - FRAME_PADDING,
                            rightMargin=MARGIN - FRAME_PADDING, topMargin=0.75 * inch, bottomMargin=0.8 * inch,
                            invariant=1, initialFontName=FONT,
                            title=f"Quotation {order.quote.number}", author=order.vendor_name,
                            subject=f"Quotation under contract {contract.display_number} for "
                                    f"{order.request.customer.facility}",
                            creator="procure", lang="en-US")
    decorate = functools.partial(page_start, decor)
    doc.build(story, onFirstPage=decorate, onLaterPages=decorate,
              canvasmaker=functools.partial(NumberedCanvas, decor=decor, dated=order.quote.date))
    return buffer.getvalue()
