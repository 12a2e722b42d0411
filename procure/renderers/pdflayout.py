"""A small layout toolkit for PDF documents on US Letter with reportlab: fonts, text cleaning, fitted tables,
boxes and sections, the page decoration (watermark, stamp, running header) and a canvas that numbers its pages.

Only reportlab's bundled Vera fonts are used, embedded, and characters they lack are replaced (`clean`).
Tables of data are laid out by `fit`: a column of numbers is never narrower than its widest cell in the
table's font, and the room it needs is taken from the columns of text, which wrap; only if that is not enough
does the table's font get smaller. `NumberedCanvas` holds the pages until the end, then stamps each with the
document's number and "Page N of M". Nothing here knows what a quote is: `procure/renderers/pdf.py` does.
"""


import contextlib
import datetime
import functools
import itertools
import math
import os
import re
import threading
import unicodedata
from pathlib import Path

import reportlab
from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import letter
from reportlab.lib.rl_accel import fp_str
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import inch
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import textobject
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import CondPageBreak, Flowable, Paragraph, Table, TableStyle
from reportlab.platypus.tables import CellStyle

from procure.core.record import Record
from procure.renderers.pdfoutline import draw_outlined

FONT, BOLD = "Vera", "Vera-Bold"
FONT_FILES = {FONT: "Vera.ttf", BOLD: "VeraBd.ttf"}
"""The faces a quote is set in: no text of it is italic (the family's italics would be read from disk for
nothing), and these two draw the same characters as the italics do."""
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
STAMP_INK, STAMP_LINE_INK = colors.HexColor("#E3B4B4"), colors.HexColor("#B22222")
"""The stamp: light red under the content, and its line of text in a red that reads."""
BOLD_MARK = re.compile(r"\*\*(.+?)\*\*")
KEEP_WITH_TOTAL = 3
"""How many of the last quote lines stay on the page of the total."""
PAD = 3
"""The left and the right padding of a table cell."""
CELL_PADDING = 2.5
"""The top and the bottom padding of a table cell."""
SIZES = (8, 7.5, 7, 6.5, 6, 5.5, 5)
"""Font sizes of a table of quote data, the first one for every order whose numbers fit it."""
"""A pack count in a derivation row's packs text, `12 x STT2309-5`."""


@functools.cache
def _glyphs() -> frozenset[int]:
    """Register the Vera faces once; the code points every one of them can draw."""
    folder = Path(reportlab.__file__).parent / "fonts"
    covered: set[int] | None = None
    for name, file in FONT_FILES.items():
        font = TTFont(name, str(folder / file))
        pdfmetrics.registerFont(font)
        faces = set(font.face.charToGlyph)
        covered = faces if covered is None else covered & faces
    pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=BOLD, italic=FONT, boldItalic=BOLD)
    return frozenset(covered or ())


def clean(text) -> str:
    """Text the Vera fonts can draw: whitespace becomes a space, a missing glyph its stand-in or `?`."""
    text, glyphs = str(text), _glyphs()
    if glyphs.issuperset(map(ord, text)):  # the usual case, checked at C speed
        return text

    def safe(char: str) -> str:
        if ord(char) in glyphs:
            return char
        if char.isspace():
            return " "
        if char in REPLACEMENTS:
            return REPLACEMENTS[char]
        base = "".join(c for c in unicodedata.normalize("NFKD", char) if ord(c) in glyphs)
        return base or "?"

    return "".join(safe(c) for c in text)


ESCAPES = (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;"))
"""What Paragraph markup needs escaped (xml.sax.saxutils does the same, but importing it loads urllib and ssl)."""


def markup(text) -> str:
    """User or data text made safe for Paragraph markup."""
    text = clean(text)
    for char, entity in ESCAPES:
        text = text.replace(char, entity)
    return text


def unmarkup(text: str) -> str:
    """The text of markup made by `markup`."""
    for char, entity in reversed(ESCAPES):
        text = text.replace(entity, char)
    return text


def count(value) -> str:
    """A quantity or count with thousands separators: `12,345`."""
    return "" if value is None else f"{value:,}"


class Text(Record):
    """A table cell of Paragraph markup, which wraps to its column; a plain str cell is one line, never wrapped."""

    markup: str


class Grid(Record):
    """A table of quote data before layout.

    `rows[0]` are the header names, which wrap between words; the cells of the other rows are str (drawn on
    one line, so their column is made wide enough for them) or Text (wraps). `widths` are the column widths
    an ordinary order gets, one of them None for the column that takes what the others leave. `least` maps
    each column of Text to how narrow it may become to make room for wider numbers; room is taken from them
    in that order. `right` are the columns whose header is right-aligned; `bold` the row indices drawn bold.
    """

    rows: list
    widths: tuple
    least: dict
    right: frozenset = frozenset()
    bold: frozenset = frozenset()


class Fitted(Record):
    """The font size and the column widths `fit` chose for a Grid."""

    size: float
    widths: tuple


def head_size(size: float) -> float:
    """The font size of a table's header at the table's font size."""
    return size - 0.5


def cell_width(grid: Grid, row: int, column: int, size: float) -> float:
    """The width a cell's content needs on one line, padding excluded; 0 for wrapping Text.

    A header name wraps between its words, so it needs the width of its widest word.
    """
    cell = grid.rows[row][column]
    if isinstance(cell, Text):
        return 0.0
    _glyphs()
    if row == 0:
        return max((pdfmetrics.stringWidth(word, BOLD, head_size(size)) for word in clean(cell).split()),
                   default=0.0)
    return pdfmetrics.stringWidth(clean(cell), BOLD if row in grid.bold else FONT, size)


def fit(grid: Grid, width: float = WIDTH) -> Fitted:
    """Column widths for `grid` in `width`, and the font size to draw it in.

    A column of str cells gets its width of an ordinary order or, if wider, its widest cell plus the padding.
    What that adds is taken from the Text columns, each down to its `least`; if that is not enough, the next
    smaller of SIZES is tried. Past the smallest size the Text columns stay at their least and the table is
    wider than `width` (not reachable within the limits the request and price readers enforce).
    """
    fixed = sum(w for w in grid.widths if w is not None)
    base = [width - fixed if w is None else w for w in grid.widths]
    for size in SIZES:
        widths = list(base)
        for column in range(len(widths)):
            if column not in grid.least:
                need = max(cell_width(grid, row, column, size) for row in range(len(grid.rows)))
                widths[column] = max(base[column], math.ceil(need) + 2 * PAD)
        excess = sum(widths) - width
        for column, least in grid.least.items():
            give = max(0, min(excess, widths[column] - least))
            widths[column] -= give
            excess -= give
        if excess <= 1e-9 or size == SIZES[-1]:
            return Fitted(size, tuple(widths))
    raise AssertionError("unreachable")


def grid_table(grid: Grid, st, commands=()) -> Flowable:
    """The table of a Grid, in the font size and the column widths `fit` gives it (a `PagedTable` when long)."""
    size, widths = fit(grid)
    cell = ParagraphStyle(f"cell-{size}", st["cell"], fontSize=size, leading=size + 2)
    head = ParagraphStyle(f"head-{size}", st["head"], fontSize=head_size(size), leading=size + 1.5)
    head_right = ParagraphStyle(f"head_right-{size}", head, alignment=TA_RIGHT)
    header = [Paragraph(markup(name), head_right if i in grid.right else head) for i, name in enumerate(grid.rows[0])]
    body = [[body_cell(c, width, cell, n in grid.bold) for c, width in zip(row, widths, strict=True)]
            for n, row in enumerate(grid.rows[1:], 1)]
    bold = [("FONTNAME", (0, n), (-1, n), BOLD) for n in sorted(grid.bold)]
    heights = [None if n in (0, len(body)) else row_height(row, widths) for n, row in enumerate([header, *body])]
    if len(body) > PAGED_ROWS:
        return PagedTable([header, *body], widths, [*bold, *commands], size, heights)
    return table([header, *body], widths, [*bold, *commands], size=size, heights=heights)


PAGED_ROWS = 120
"""Body rows past which a table is laid out a page at a time: more than two pages of the shortest rows."""


class PagedTable(Flowable):
    """A long table that reportlab lays out one page at a time, in time linear in its rows.

    reportlab splits a Table at a page's end into the rows that fit and a new Table of all the rest, measured
    again: quadratic in a table of thousands of rows. This flowable keeps the rows and the row from which
    they are still to be placed; on each page it makes a Table of the header and the next PAGED_ROWS rows only
    (more than a page holds), lets reportlab split that, and keeps the rest as itself, further on. The pages
    look as reportlab's own split makes them: same rows per page, header repeated, style commands moved with
    their rows. The rest of the table, once short, is a plain Table.
    """

    def __init__(self, rows: list, widths, commands, size: float, heights: list, start: int = 1):
        super().__init__()
        self._rows, self._widths, self._commands, self._size, self._heights = rows, widths, commands, size, heights
        self._start = start
        """The first body row not placed yet."""

    def _window(self, end: int) -> Table:
        """A Table of the header and the body rows from `_start` up to (not including) `end`."""
        rows = [self._rows[0], *self._rows[self._start:end]]
        heights = [self._heights[0], *self._heights[self._start:end]]
        commands = [moved for command in self._commands
                    if (moved := _in_window(command, self._start, end, len(self._rows))) is not None]
        return table(rows, self._widths, commands, size=self._size, heights=heights)

    def _rest(self) -> Table | None:
        """The rest as a plain Table when it is short enough to lay out whole, else None."""
        return self._window(len(self._rows)) if len(self._rows) - self._start <= PAGED_ROWS else None

    def wrap(self, availWidth, availHeight):
        rest = self._rest()
        if rest is not None:
            return rest.wrap(availWidth, availHeight)
        # More than a page: say so without measuring it all, and reportlab asks for a split.
        return sum(self._widths), availHeight + 1

    def split(self, availWidth, availHeight):
        rest = self._rest()
        if rest is not None:
            return rest.split(availWidth, availHeight)
        parts = self._window(self._start + PAGED_ROWS).split(availWidth, availHeight)
        if not parts:
            return []
        placed = len(parts[0]._cellvalues) - 1
        return [parts[0], PagedTable(self._rows, self._widths, self._commands, self._size, self._heights,
                                     self._start + placed)]

    def draw(self):  # never drawn itself: wrap and split hand reportlab Tables
        raise AssertionError("a PagedTable is split into Tables before it is drawn")


def _in_window(command: tuple, start: int, end: int, count: int) -> tuple | None:
    """A table style command moved to a window of body rows `start`..`end` - 1 (the header stays row 0); None
    when it touches no row of the window. Row -1 is the table's last row, in whichever window holds it."""
    name, (c0, r0), (c1, r1), *args = command
    r0, r1 = (r + count if r < 0 else r for r in (r0, r1))
    header = r0 == 0
    first, last = max(r0, start), min(r1, end - 1)
    if first > last:
        return (name, (c0, 0), (c1, 0), *args) if header else None
    return (name, (c0, 0 if header else first - start + 1), (c1, last - start + 1), *args)


def row_height(row: list, widths) -> float:
    """The height reportlab gives a body row of one-line strings and Paragraphs, measured once.

    Given to the Table, it spares reportlab its own measuring, which takes time quadratic in the rows of a
    long table. The header and the last row (which may span columns) are left to reportlab.
    """
    tallest = max(cell.wrap(width - 2 * PAD, 72000)[1] if isinstance(cell, Paragraph) else CellStyle.leading
                  for cell, width in zip(row, widths, strict=True))
    return tallest + 2 * CELL_PADDING


def body_cell(cell, width: float, style: ParagraphStyle, bold: bool):
    """A body cell as reportlab draws it: Text as a Paragraph, unless it is plain words that fit on one line
    of a row in the table's font (not bold): then as a string, which reportlab draws at the same baseline (a
    string's leading, 12, is more than a Paragraph's, so every row is as tall as before) and at a fraction of
    the cost of a Paragraph in a long table."""
    if not isinstance(cell, Text):
        return clean(cell)
    if not bold and "<" not in cell.markup:
        words = " ".join(unmarkup(cell.markup).split())
        if pdfmetrics.stringWidth(words, style.fontName, style.fontSize) <= width - 2 * PAD:
            return words
    return Paragraph(cell.markup, style)


class Decor(Record):
    """What every page shows around the content."""

    quote_number: str
    vendor: str
    contract: str
    watermark: tuple[str, ...] = ()
    """The words across every page in grey, the first line large, the others small; none when empty."""
    stamp: tuple[str, str] | None = None
    """A word across the middle of every page and a line of text at its top, in red: `("PRACTICE", "PRACTICE
    QUOTE - NOT AN OFFER")`."""


def styles() -> dict[str, ParagraphStyle]:
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


class TextTable(Table):
    """reportlab's Table, its cells of one line of text drawn with the very text operators `drawString` and
    `drawRightString` write, composed here directly: those make a text object and pass the text through four
    layers per cell, most of a long table's drawing time. Every other cell is reportlab's to draw."""

    _curcellstyle: CellStyle | None

    def _drawCell(self, cellval, cellstyle, pos, size):
        font = pdfmetrics.getFont(cellstyle.fontname)
        if (type(cellval) is not str or "\n" in cellval or cellstyle.valign != "TOP"
                or cellstyle.alignment not in ("LEFT", "RIGHT") or cellstyle.direction or cellstyle.shaping
                or cellstyle.href or cellstyle.destination or not font._dynamicFont or not self.canv.bottomup
                or textobject.rtlSupport):
            return super()._drawCell(cellval, cellstyle, pos, size)
        canv = self.canv
        if self._curcellstyle is not cellstyle:  # as Table._drawCell sets the colour and the font
            current = self._curcellstyle
            if current is None or cellstyle.color != current.color:
                canv.setFillColor(cellstyle.color)
            if (current is None or cellstyle.leading != current.leading or cellstyle.fontname != current.fontname
                    or cellstyle.fontsize != current.fontsize):
                canv.setFont(cellstyle.fontname, cellstyle.fontsize, cellstyle.leading)
            self._curcellstyle = cellstyle
        shown, width = _shown(canv, font, cellval)
        (colpos, rowpos), (colwidth, rowheight) = pos, size
        y = rowpos + rowheight - cellstyle.topPadding - cellstyle.fontsize
        if cellstyle.alignment == "LEFT":
            x = colpos + cellstyle.leftPadding
        else:
            x = colpos + colwidth - cellstyle.rightPadding
            x = x - width  # in two steps, as Table._drawCell and drawRightString compute it: the same float
        canv._code.append(f"BT 1 0 0 1 {fp_str(x, y)} Tm {shown} T* ET")
        return None


def _shown(canv, font, text: str) -> tuple[str, float]:
    """The operators that show `text` in the canvas's font (as `PDFTextObject.textLine` writes them) and its
    width, worked out once per text, font and size on a canvas: a table repeats its texts."""
    key = (canv._fontname, canv._fontsize, canv._leading, text)
    known = canv.__dict__.setdefault("_shown_texts", {})
    if key not in known:
        shown, subset, size_and_leading = [], -1, f"{fp_str(canv._fontsize)} Tf {fp_str(canv._leading)} TL"
        for part, chunk in font.splitString(text, canv._doc):
            if part != subset:
                shown.append(f"{font.getSubsetInternalName(part, canv._doc)} {size_and_leading}")
                subset = part
            shown.append(f"({canv._escape(chunk)}) Tj")
        known[key] = (" ".join(shown), pdfmetrics.stringWidth(text, canv._fontname, canv._fontsize))
    return known[key]


def table(rows, widths, commands=(), header=True, width=WIDTH, size=8, heights=None) -> Table:
    """A table in Vera throughout, with a shaded header row that repeats on every page.

    One column width may be None: that column takes what the others leave of `width`. `heights` are the row
    heights when known (None for a row reportlab is to measure).
    """
    widths = [width - sum(w for w in widths if w is not None) if w is None else w for w in widths]
    style: list[tuple[object, ...]] = [("FONTNAME", (0, 0), (-1, -1), FONT), ("FONTSIZE", (0, 0), (-1, -1), size),
             ("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), PAD),
             ("RIGHTPADDING", (0, 0), (-1, -1), PAD), ("TOPPADDING", (0, 0), (-1, -1), CELL_PADDING),
             ("BOTTOMPADDING", (0, 0), (-1, -1), CELL_PADDING)]
    if header:
        style += [("BACKGROUND", (0, 0), (-1, 0), SHADE), ("LINEABOVE", (0, 0), (-1, 0), 0.8, INK),
                  ("LINEBELOW", (0, 0), (-1, 0), 0.8, INK), ("LINEBELOW", (0, 1), (-1, -1), 0.25, RULE),
                  ("VALIGN", (0, 0), (-1, 0), "BOTTOM")]
    commands = [*style, *commands]
    # Given as reportlab's normalizeData would make it (None as ""), which it otherwise does cell by cell.
    rows = [["" if cell is None else cell for cell in row] for row in rows]
    drawn, cell_styles = styled_cells(commands, len(rows), len(widths))
    return TextTable(rows, colWidths=widths, rowHeights=heights, style=TableStyle(drawn), cellStyles=cell_styles,
                     normalizedData=1, repeatRows=1 if header else 0, hAlign="LEFT")


CELL_ATTRIBUTES = {"FONTNAME": "fontname", "FACE": "fontname", "FONTSIZE": "fontsize", "SIZE": "fontsize",
                   "LEADING": "leading", "ALIGN": "alignment", "ALIGNMENT": "alignment", "VALIGN": "valign",
                   "LEFTPADDING": "leftPadding", "RIGHTPADDING": "rightPadding", "TOPPADDING": "topPadding",
                   "BOTTOMPADDING": "bottomPadding"}
"""The table style commands that set one attribute of a cell's `CellStyle`, and the attribute."""
DRAWN = {"BACKGROUND", "ROWBACKGROUNDS", "COLBACKGROUNDS", "SPAN", "NOSPLIT", "GRID", "BOX", "OUTLINE",
         "INNERGRID", "LINEBELOW", "LINEABOVE", "LINEBEFORE", "LINEAFTER"}
"""The commands reportlab keeps aside to draw (or split by) and never applies to a cell's style."""


def styled_cells(commands: list, rows: int, columns: int) -> tuple[list, list]:
    """The commands left to reportlab's TableStyle, and the `CellStyle` of every cell as reportlab would set
    them from the others, made once per kind of row.

    reportlab gives each cell of a table its own style and applies each command cell by cell: in a long
    table that is most of the time its PDF takes. Rows the same commands cover are styled alike, so they share
    one row of styles here (none is changed afterwards: every command that would change one is applied here
    and left out of the TableStyle).
    """
    unknown = {command[0] for command in commands} - CELL_ATTRIBUTES.keys() - DRAWN
    if unknown:
        raise ValueError(f"table style commands {sorted(unknown)} are not handled by styled_cells")
    drawn = [command for command in commands if command[0] in DRAWN]
    ranges = []
    for name, (c0, r0), (c1, r1), value, *_ in (c for c in commands if c[0] in CELL_ATTRIBUTES):
        c0, c1 = (c + columns if c < 0 else c for c in (c0, c1))
        r0, r1 = (r + rows if r < 0 else r for r in (r0, r1))
        r0, r1, c0, c1 = max(0, r0), min(rows - 1, r1), max(0, c0), min(columns - 1, c1)
        if r0 <= r1 and c0 <= c1:  # else it covers no cell, as reportlab would apply it
            ranges.append((r0, r1, c0, c1, CELL_ATTRIBUTES[name], value))
    made: dict[tuple[int, ...], list] = {}
    styles: list[list] = []
    edges = sorted({0, rows, *(edge for first, last, *_ in ranges for edge in (first, last + 1))})
    for start, end in itertools.pairwise(edges):  # the rows from `start` to `end` are covered by the same commands
        covering = tuple(k for k, (first, last, *_) in enumerate(ranges) if first <= start <= last)
        if covering not in made:
            made[covering] = [CellStyle(repr((start, column))) for column in range(columns)]
            for k in covering:
                _, _, c0, c1, attribute, value = ranges[k]
                for style in made[covering][c0:c1 + 1]:
                    setattr(style, attribute, value)
        styles += (list(made[covering]) for _ in range(start, end))
    return drawn, styles


def fields(rows, st, label_width, width) -> Table:
    """A borderless label / value block; rows whose value is None are left out."""
    data = [[Paragraph(markup(label), st["label"]), Paragraph(markup(value), st["body"])]
            for label, value in rows if value is not None]
    return table(data, [label_width, None], header=False, width=width,
                  commands=[("LEFTPADDING", (0, 0), (-1, -1), 0), ("TOPPADDING", (0, 0), (-1, -1), 0.5),
                            ("BOTTOMPADDING", (0, 0), (-1, -1), 0.5)])


def box(title: str, content: list, st, width) -> Table:
    """A titled, bordered box of one row per flowable in `content`; it splits between rows, title repeated."""
    return Table([[Paragraph(markup(title), st["box_title"])], *([item] for item in content)], colWidths=[width],
                 repeatRows=1, hAlign="LEFT",
                 style=TableStyle([("BOX", (0, 0), (-1, -1), 0.6, RULE), ("BACKGROUND", (0, 0), (-1, 0), SHADE),
                                   ("LINEBELOW", (0, 0), (-1, 0), 0.6, RULE), ("VALIGN", (0, 0), (-1, -1), "TOP"),
                                   ("FONTNAME", (0, 0), (-1, -1), FONT), ("LEFTPADDING", (0, 0), (-1, -1), 6),
                                   ("RIGHTPADDING", (0, 0), (-1, -1), 6), ("TOPPADDING", (0, 0), (-1, -1), 2),
                                   ("BOTTOMPADDING", (0, 0), (-1, -1), 2), ("TOPPADDING", (0, 1), (-1, 1), 4),
                                   ("BOTTOMPADDING", (0, -1), (-1, -1), 5)]))


def section(title: str, st) -> list:
    """A section heading, on a new page unless there is room for it and a few lines after it."""
    return [CondPageBreak(1.2 * inch), Paragraph(markup(title), st["section"])]


def paragraphs(text: str, style) -> list:
    """Template output as paragraphs: split on blank lines, lines of a paragraph joined, `**x**` bold."""
    blocks = (" ".join(block.split()) for block in re.split(r"\n\s*\n", text))
    return [Paragraph(BOLD_MARK.sub(r"<b>\1</b>", markup(block)), style) for block in blocks if block]


def _watermark_size(words: str) -> float:
    """54 points, or less for words too long to cross the page at that size."""
    return min(54.0, 54.0 * 700 / max(pdfmetrics.stringWidth(clean(words), BOLD, 54), 1))


def page_start(decor: Decor, canvas, doc) -> None:
    """Under the content of every page: the watermark, as outlines that text extraction does not return among
    the lines; from page 2 on, a running header."""
    canvas.saveState()
    if decor.watermark:
        canvas.setFillColor(WATERMARK)
        canvas.translate(PAGE_WIDTH / 2, PAGE_HEIGHT / 2)
        canvas.rotate(52)
        big, *small = decor.watermark
        draw_outlined(canvas, BOLD, _watermark_size(big), 0, -18, clean(big))
        for n, line in enumerate(small):
            draw_outlined(canvas, BOLD, 16, 0, -46 - 20 * n, clean(line))
    canvas.restoreState()
    if decor.stamp:
        _stamp(canvas, *decor.stamp)
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


def _stamp(canvas, word: str, line: str) -> None:
    """`word` across the middle of the page, under the content (outlines, like the watermark: not text among the
    lines), and `line` at the top of the page, as text above the content that a reader is meant to read."""
    canvas.saveState()
    canvas.setFillColor(STAMP_INK)
    canvas.translate(PAGE_WIDTH / 2, PAGE_HEIGHT / 2)
    canvas.rotate(52)
    draw_outlined(canvas, BOLD, 40, 0, 40, clean(word))
    canvas.restoreState()
    canvas.saveState()
    canvas.setFillColor(STAMP_LINE_INK)
    canvas.setFont(BOLD, 9)
    canvas.drawCentredString(PAGE_WIDTH / 2, PAGE_HEIGHT - 0.3 * inch, clean(line))
    canvas.restoreState()


_ENVIRONMENT = threading.Lock()


@contextlib.contextmanager
def _no_source_date_epoch():
    """Hide SOURCE_DATE_EPOCH while reportlab dates a new document: it would take that date (and seed the
    document ID with it) over the fixed date of `invariant=1`, and the PDF must not depend on the environment."""
    with _ENVIRONMENT:
        saved = os.environ.pop("SOURCE_DATE_EPOCH", None)
        try:
            yield
        finally:
            if saved is not None:
                os.environ["SOURCE_DATE_EPOCH"] = saved


class NumberedCanvas(Canvas):
    """A canvas that holds its pages until the end, then stamps each with the quote number and "Page N of M";
    `dated` is the document's date (else reportlab's fixed date of `invariant=1`)."""

    def __init__(self, *args, decor: Decor, dated: datetime.date | None = None, **kwargs):
        with _no_source_date_epoch():
            super().__init__(*args, **kwargs)
        if dated is not None:  # the document's creation and modification date: a fixed day, no clock
            self.setDateFormatter(lambda *_: f"D:{dated:%Y%m%d}000000+00'00'")
        self._decor = decor
        self._pages: list[dict[str, object]] = []

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
