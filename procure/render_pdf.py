"""The PDF quote: a vendor quotation on US Letter, a pure function of the Order.

Layout (DESIGN.md section 5): vendor and customer blocks, the quoted lines with
their header repeated on every page and the total kept with the last lines, the
planning basis, findings, the coding estimate when there is one, and the terms
and notes from `templates/quote-terms.txt.j2` and `templates/quote-notes.txt.j2`.
Every page carries the quote number and "Page N of M" (`NumberedCanvas` draws
them once the page count is known); illustrative prices are watermarked on every
page. Only reportlab's bundled Vera fonts are used, embedded, and characters
they lack are replaced (`clean`). `invariant=1`, no clock and no file path make
a rebuild byte-identical.
"""

import functools
import re
import unicodedata
from io import BytesIO
from pathlib import Path
from typing import NamedTuple
from xml.sax.saxutils import escape

import reportlab
from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import letter
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import inch
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (CondPageBreak, HRFlowable, Paragraph, SimpleDocTemplate, Spacer, Table,
                                TableStyle)

from procure.money import format_money
from procure.order import Order
from procure.templating import environment, render

FONT, BOLD, ITALIC, BOLD_ITALIC = "Vera", "Vera-Bold", "Vera-Italic", "Vera-BoldItalic"
FONT_FILES = {FONT: "Vera.ttf", BOLD: "VeraBd.ttf", ITALIC: "VeraIt.ttf", BOLD_ITALIC: "VeraBI.ttf"}
REPLACEMENTS = {"\u2192": "->", "\u2190": "<-", "\u2011": "-", "\u2212": "-", "\u2713": "x", "\u2714": "x"}
"""Characters Vera lacks that have a better stand-in than `?`."""

PAGE_WIDTH, PAGE_HEIGHT = letter
MARGIN = 0.6 * inch
FRAME_PADDING = 6
"""SimpleDocTemplate's frame pads its content by this much on each side."""
WIDTH = PAGE_WIDTH - 2 * MARGIN
INK = colors.HexColor("#1F3A5F")
RULE = colors.HexColor("#9AA8B8")
SHADE = colors.HexColor("#E6EBF1")
TOTAL_SHADE = colors.HexColor("#F2F4F7")
WATERMARK = colors.HexColor("#DADADA")
BOLD_MARK = re.compile(r"\*\*(.+?)\*\*")
KEEP_WITH_TOTAL = 3
"""How many of the last quote lines stay on the page of the total."""


@functools.cache
def _glyphs() -> frozenset[int]:
    """Register the Vera family once; the code points every one of its four faces can draw."""
    folder = Path(reportlab.__file__).parent / "fonts"
    covered = None
    for name, file in FONT_FILES.items():
        font = TTFont(name, str(folder / file))
        pdfmetrics.registerFont(font)
        faces = set(font.face.charToGlyph)
        covered = faces if covered is None else covered & faces
    pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=BOLD, italic=ITALIC, boldItalic=BOLD_ITALIC)
    return frozenset(covered)


def clean(text) -> str:
    """Text the Vera fonts can draw: whitespace becomes a space, a missing glyph its stand-in or `?`."""
    glyphs = _glyphs()

    def safe(char: str) -> str:
        if ord(char) in glyphs:
            return char
        if char.isspace():
            return " "
        if char in REPLACEMENTS:
            return REPLACEMENTS[char]
        base = "".join(c for c in unicodedata.normalize("NFKD", char) if ord(c) in glyphs)
        return base or "?"

    return "".join(safe(c) for c in str(text))


def markup(text) -> str:
    """User or data text made safe for Paragraph markup."""
    return escape(clean(text))


def _money(amount) -> str:
    return "-" if amount is None else format_money(amount)


def _count(value) -> str:
    return "" if value is None else str(value)


class Decor(NamedTuple):
    """What every page shows around the content."""

    quote_number: str
    vendor: str
    contract: str
    illustrative: bool


def _styles() -> dict[str, ParagraphStyle]:
    _glyphs()
    body = ParagraphStyle("body", fontName=FONT, bulletFontName=FONT, fontSize=8.5, leading=11)
    return {
        "body": body,
        "small": ParagraphStyle("small", body, fontSize=7.5, leading=9.5),
        "note": ParagraphStyle("note", body, fontSize=7.5, leading=9.5, leftIndent=9, bulletFontSize=7.5),
        "cell": ParagraphStyle("cell", body, fontSize=8, leading=10),
        "head": ParagraphStyle("head", body, fontName=BOLD, fontSize=7.5, leading=9.5),
        "head_right": ParagraphStyle("head_right", body, fontName=BOLD, fontSize=7.5, leading=9.5, alignment=TA_RIGHT),
        "vendor": ParagraphStyle("vendor", body, fontName=BOLD, fontSize=15, leading=19, textColor=INK),
        "title": ParagraphStyle("title", body, fontName=BOLD, fontSize=22, leading=26, textColor=INK,
                                alignment=TA_RIGHT),
        "label": ParagraphStyle("label", body, fontSize=8, leading=10.5, textColor=colors.HexColor("#4A5868")),
        "box_title": ParagraphStyle("box_title", body, fontName=BOLD, fontSize=8.5, leading=11, textColor=INK),
        "section": ParagraphStyle("section", body, fontName=BOLD, fontSize=11, leading=14, textColor=INK,
                                  spaceBefore=14, spaceAfter=5),
        "subsection": ParagraphStyle("subsection", body, fontName=BOLD, fontSize=8.5, leading=11, spaceBefore=8,
                                     spaceAfter=3, keepWithNext=1),
    }


def _table(rows, widths, commands=(), header=True, width=WIDTH) -> Table:
    """A table in Vera throughout, with a shaded header row that repeats on every page.

    One column width may be None: that column takes what the others leave of `width`.
    """
    widths = [width - sum(w for w in widths if w is not None) if w is None else w for w in widths]
    style = [("FONTNAME", (0, 0), (-1, -1), FONT), ("FONTSIZE", (0, 0), (-1, -1), 8),
             ("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 3),
             ("RIGHTPADDING", (0, 0), (-1, -1), 3), ("TOPPADDING", (0, 0), (-1, -1), 2.5),
             ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5)]
    if header:
        style += [("BACKGROUND", (0, 0), (-1, 0), SHADE), ("LINEABOVE", (0, 0), (-1, 0), 0.8, INK),
                  ("LINEBELOW", (0, 0), (-1, 0), 0.8, INK), ("LINEBELOW", (0, 1), (-1, -1), 0.25, RULE),
                  ("VALIGN", (0, 0), (-1, 0), "BOTTOM")]
    return Table(rows, colWidths=widths, style=TableStyle(style + list(commands)), repeatRows=1 if header else 0,
                 hAlign="LEFT")


def _headers(names, st, right) -> list[Paragraph]:
    """Header cells; the columns in `right` are aligned right like their numbers."""
    return [Paragraph(markup(n), st["head_right" if i in right else "head"]) for i, n in enumerate(names)]


def _fields(rows, st, label_width, width) -> Table:
    """A borderless label / value block; rows whose value is None are left out."""
    data = [[Paragraph(markup(label), st["label"]), Paragraph(markup(value), st["body"])]
            for label, value in rows if value is not None]
    return _table(data, [label_width, None], header=False, width=width,
                  commands=[("LEFTPADDING", (0, 0), (-1, -1), 0), ("TOPPADDING", (0, 0), (-1, -1), 0.5),
                            ("BOTTOMPADDING", (0, 0), (-1, -1), 0.5)])


def _box(title: str, content: list, st, width) -> Table:
    """A titled, bordered box of one row per flowable in `content`; it splits between rows, title repeated."""
    return Table([[Paragraph(markup(title), st["box_title"])], *([item] for item in content)], colWidths=[width],
                 repeatRows=1, hAlign="LEFT",
                 style=TableStyle([("BOX", (0, 0), (-1, -1), 0.6, RULE), ("BACKGROUND", (0, 0), (-1, 0), SHADE),
                                   ("LINEBELOW", (0, 0), (-1, 0), 0.6, RULE), ("VALIGN", (0, 0), (-1, -1), "TOP"),
                                   ("FONTNAME", (0, 0), (-1, -1), FONT), ("LEFTPADDING", (0, 0), (-1, -1), 6),
                                   ("RIGHTPADDING", (0, 0), (-1, -1), 6), ("TOPPADDING", (0, 0), (-1, -1), 2),
                                   ("BOTTOMPADDING", (0, 0), (-1, -1), 2), ("TOPPADDING", (0, 1), (-1, 1), 4),
                                   ("BOTTOMPADDING", (0, -1), (-1, -1), 5)]))


def _section(title: str, st) -> list:
    """A section heading, on a new page unless there is room for it and a few lines after it."""
    return [CondPageBreak(1.2 * inch), Paragraph(markup(title), st["section"])]


def _masthead(order: Order, st) -> list:
    contract, quote = order.catalog.contract, order.quote
    vendor = [Paragraph(markup(contract.vendor), st["vendor"])]
    if contract.manufacturer != contract.vendor:
        vendor.append(Paragraph(f"Manufacturer: {markup(contract.manufacturer)}", st["body"]))
    vendor += [Paragraph(markup(contract.program), st["body"]),
               Paragraph(f"{markup(contract.agency)} contract {markup(contract.display_number)}", st["body"])]
    dates = _fields([("Quote number", quote.number), ("Date", str(quote.date)),
                     ("Valid through", f"{quote.valid_through}, end of day")], st, 0.95 * inch, 2.9 * inch)
    side = [Paragraph("QUOTATION", st["title"]), Spacer(1, 4), dates]
    top = _table([[vendor, side]], [WIDTH - 2.9 * inch, 2.9 * inch], header=False,
                 commands=[("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0)])
    return [top, Spacer(1, 6), HRFlowable(width="100%", thickness=1.2, color=INK, spaceAfter=8)]


def _parties(order: Order, st) -> Table:
    customer, contract, catalog = order.request.customer, order.catalog.contract, order.catalog
    period = (f"{contract.period_start or 'not stated'} to {contract.period_end or 'not stated'}"
              if contract.period_start or contract.period_end else "not stated")
    prices = (f"{order.price_list.title} ({order.price_list.name})" if order.price_list else "none given")
    half = (WIDTH - 10) / 2
    quote_for = _fields([("Facility", customer.facility), ("DoDAAC", customer.dodaac), ("Contact", customer.contact),
                         ("Email", customer.email), ("Phone", customer.phone), ("Ship to", customer.ship_to)],
                        st, 0.8 * inch, half - 12)
    terms_of = _fields([("Contract", contract.display_number), ("Modification", contract.modification or "not stated"),
                        ("Period", period), ("Catalog", f"version {catalog.version} ({catalog.short_digest})"),
                        ("Price list", prices)], st, 0.8 * inch, half - 12)
    return _table([[_box("Customer", [quote_for], st, half), "", _box("Contract", [terms_of], st, half)]],
                  [half, 10, half], header=False,
                  commands=[("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0)])


def _lines(order: Order, st) -> list:
    names = ["Line", "Part", "Description", "UI", "Qty/UI", "Qty", "Unit price", "Extended price"]
    rows = [_headers(names, st, range(4, 8))]
    for line in order.lines:
        rows.append([line.line, line.part.part, Paragraph(markup(line.part.description), st["cell"]),
                     line.part.unit_of_issue, line.part.units_per_pack, line.quantity,
                     _money(line.unit_price), _money(line.extended_price)])
    rows.append(["", "", Paragraph("<b>Total</b>", st["cell"]), "", "", "", "", _money(order.total)])
    last = len(rows) - 1
    keep = max(1, last - KEEP_WITH_TOTAL)
    table = _table(rows, [30, 62, None, 24, 34, 30, 60, 66],
                   commands=[("ALIGN", (4, 1), (-1, -1), "RIGHT"), ("ALIGN", (3, 1), (3, -1), "CENTER"),
                             ("FONTNAME", (0, last), (-1, last), BOLD), ("BACKGROUND", (0, last), (-1, last),
                                                                          TOTAL_SHADE),
                             ("LINEABOVE", (0, last), (-1, last), 0.8, INK),
                             ("LINEBELOW", (0, last), (-1, last), 0.8, INK), ("NOSPLIT", (0, keep), (-1, last))])
    note = ("Prices in U.S. dollars. UI: unit of issue; Qty/UI: single items in one unit of issue; "
            "Qty: units of issue ordered.")
    return [*_section("Quoted items", st), table, Spacer(1, 3), Paragraph(note, st["small"])]


def _planning(order: Order, st) -> list:
    names = ["Treatment", "Consumable", "Procedures", "Per procedure", "Units", "Spare", "Stock", "Net", "Packs"]
    rows = [_headers(names, st, range(2, 8))]
    totals = []
    for row in order.derivation:
        if row.is_total:
            totals.append(len(rows))
        rows.append([Paragraph(markup(row.treatment), st["cell"]), Paragraph(markup(row.consumable), st["cell"]),
                     _count(row.procedures), _count(row.per_procedure), _count(row.units), _count(row.spare),
                     _count(row.stock), _count(row.net), Paragraph(markup(row.packs), st["cell"])])
    shade = [cmd for n in totals for cmd in (("BACKGROUND", (0, n), (-1, n), TOTAL_SHADE),
                                             ("FONTNAME", (0, n), (-1, n), BOLD))]
    table = _table(rows, [None, 94, 56, 52, 32, 32, 32, 30, 80],
                   commands=[("ALIGN", (2, 1), (7, -1), "RIGHT"), *shade])
    intro = (f"Units are single Smart Tips or cartridges. Each consumable's total adds a spare of "
             f"{order.request.spare_percent}% (rounded up), subtracts stock on hand and is packed into whole "
             f"units of issue.")
    flow = [*_section("Planning basis", st), Paragraph(markup(intro), st["body"]), Spacer(1, 4), table]
    if order.assumptions:
        flow.append(Paragraph("Assumptions", st["subsection"]))
        flow += [Paragraph(markup(note), st["note"], bulletText="\u2022") for note in order.assumptions]
    return flow


def _findings(order: Order, st) -> list:
    if order.issues:
        content = [Paragraph(f"<b>{markup(i.severity.capitalize())}</b> ({markup(i.code)}): {markup(i.message)}",
                             st["body"]) for i in order.issues]
    else:
        content = [Paragraph("No findings.", st["body"])]
    title = f"{len(order.errors)} error(s), {len(order.warnings)} warning(s)"
    return [*_section("Findings", st), _box(title, content, st, WIDTH)]


def _coding(order: Order, env, st) -> list:
    if not order.coding:
        return []
    names = ["Treatment", "CPT", "Nerves", "Units/ procedure", "Procedures", "Site", "Fee/ procedure", "Total"]
    rows = [_headers(names, st, (3, 4, 6, 7))]
    for r in order.coding:
        rows.append([Paragraph(markup(r.treatment), st["cell"]), r.cpt,
                     Paragraph(markup(", ".join(r.nerves)), st["cell"]), r.units, r.procedures,
                     Paragraph(markup(r.site_label or r.site or "-"), st["cell"]), _money(r.fee_per_procedure),
                     _money(r.total)])
    commands = [("ALIGN", (3, 1), (4, -1), "RIGHT"), ("ALIGN", (6, 1), (7, -1), "RIGHT")]
    if order.coding_total is not None:
        rows.append(["", "", "", "", "", Paragraph("<b>Estimated total</b>", st["cell"]), "",
                     _money(order.coding_total)])
        commands += [("FONTNAME", (0, -1), (-1, -1), BOLD), ("BACKGROUND", (0, -1), (-1, -1), TOTAL_SHADE),
                     ("LINEABOVE", (0, -1), (-1, -1), 0.8, INK), ("SPAN", (5, -1), (6, -1)),
                     ("NOSPLIT", (0, -2), (-1, -1))]
    table = _table(rows, [None, 34, 70, 50, 56, 96, 58, 64], commands=commands)
    codes = dict.fromkeys((r.cpt, r.description) for r in order.coding)
    legend = [Paragraph(f"<b>{markup(cpt)}</b> {markup(text)}", st["small"]) for cpt, text in codes]
    notes = _paragraphs(render(env, "quote-notes.txt.j2", **_context(order)),
                        ParagraphStyle("coding_note", st["small"], spaceAfter=2))
    return [*_section("Coding estimate", st), table, Spacer(1, 4), *legend, Spacer(1, 4), *notes]


def _context(order: Order) -> dict:
    return dict(order=order, quote=order.quote, contract=order.catalog.contract, customer=order.request.customer,
                catalog=order.catalog)


def _paragraphs(text: str, style) -> list:
    """Template output as paragraphs: split on blank lines, lines of a paragraph joined, `**x**` bold."""
    blocks = (" ".join(block.split()) for block in re.split(r"\n\s*\n", text))
    return [Paragraph(BOLD_MARK.sub(r"<b>\1</b>", markup(block)), style) for block in blocks if block]


def _terms(order: Order, env, st) -> list:
    body = ParagraphStyle("terms", st["small"], spaceAfter=3.5)
    return [*_section("Terms and notes", st),
            *_paragraphs(render(env, "quote-terms.txt.j2", **_context(order)), body)]


def _page_start(decor: Decor, canvas, doc) -> None:
    """Under the content of every page: the watermark; from page 2 on, a running header."""
    canvas.saveState()
    if decor.illustrative:
        canvas.setFillColor(WATERMARK)
        canvas.setFont(BOLD, 54)
        canvas.translate(PAGE_WIDTH / 2, PAGE_HEIGHT / 2)
        canvas.rotate(52)
        canvas.drawCentredString(0, -18, "ILLUSTRATIVE PRICES")
        canvas.setFont(BOLD, 16)
        canvas.drawCentredString(0, -46, "not contract prices")
    canvas.restoreState()
    if doc.page > 1:
        canvas.saveState()
        top = PAGE_HEIGHT - 0.5 * inch
        canvas.setFillColor(INK)
        canvas.setFont(BOLD, 8.5)
        canvas.drawString(MARGIN, top, clean(decor.vendor))
        canvas.drawRightString(PAGE_WIDTH - MARGIN, top, clean(f"QUOTATION {decor.quote_number}"))
        canvas.setStrokeColor(RULE)
        canvas.setLineWidth(0.5)
        canvas.line(MARGIN, top - 5, PAGE_WIDTH - MARGIN, top - 5)
        canvas.restoreState()


class NumberedCanvas(Canvas):
    """A canvas that holds its pages until the end, then stamps each with the quote number and "Page N of M"."""

    def __init__(self, *args, decor: Decor, **kwargs):
        super().__init__(*args, **kwargs)
        self._decor = decor
        self._pages = []

    def showPage(self):
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self):
        for number, state in enumerate(self._pages, 1):
            self.__dict__.update(state)
            self._footer(number, len(self._pages))
            super().showPage()
        super().save()

    def _footer(self, number: int, count: int) -> None:
        y = 0.45 * inch
        self.saveState()
        self.setStrokeColor(RULE)
        self.setLineWidth(0.5)
        self.line(MARGIN, y + 10, PAGE_WIDTH - MARGIN, y + 10)
        self.setFont(FONT, 7.5)
        self.setFillColor(colors.HexColor("#4A5868"))
        self.drawString(MARGIN, y, clean(f"Quote {self._decor.quote_number}"))
        self.drawCentredString(PAGE_WIDTH / 2, y, clean(f"{self._decor.vendor} \u00b7 contract "
                                                        f"{self._decor.contract}"))
        self.drawRightString(PAGE_WIDTH - MARGIN, y, f"Page {number} of {count}")
        self.restoreState()


def render_pdf(order: Order, templates=None) -> bytes:
    """The PDF quote of an order; `templates` is a user template folder put before the shipped one."""
    env = environment(templates)
    st = _styles()
    contract = order.catalog.contract
    decor = Decor(order.quote.number, contract.vendor, contract.display_number,
                  bool(order.price_list and order.price_list.illustrative))
    story = [*_masthead(order, st), _parties(order, st), *_lines(order, st), *_planning(order, st),
             *_findings(order, st), *_coding(order, env, st), *_terms(order, env, st)]
    buffer = BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=letter, leftMargin=MARGIN - FRAME_PADDING,
                            rightMargin=MARGIN - FRAME_PADDING, topMargin=0.75 * inch, bottomMargin=0.8 * inch,
                            invariant=1, initialFontName=FONT,
                            title=f"Quotation {order.quote.number}", author=contract.vendor,
                            subject=f"Quotation under contract {contract.display_number} for "
                                    f"{order.request.customer.facility}",
                            creator="procure", lang="en-US")
    page_start = functools.partial(_page_start, decor)
    doc.build(story, onFirstPage=page_start, onLaterPages=page_start,
              canvasmaker=functools.partial(NumberedCanvas, decor=decor))
    return buffer.getvalue()
