"""Tables of a PDF quote, fitted to the page and laid out in time linear in their rows.

Tables of data are laid out by `fit`: a column of numbers is never narrower than its widest cell in the
table's font, and the room it needs is taken from the columns of text, which wrap; only if that is not enough
does the table's font get smaller. Long tables are laid out a page at a time (`PagedTable`), their cells styled
once per kind of row (`styled_cells`) and their one-line cells drawn directly (`TextTable`).
"""

import itertools
import math

from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.rl_accel import fp_str
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen import textobject
from reportlab.platypus import Flowable, Paragraph, Table, TableStyle
from reportlab.platypus.tables import CellStyle

from procure.core.record import Record
from procure.renderers.pdfstyle import BOLD, FONT, INK, RULE, SHADE, WIDTH, clean, markup, unmarkup, vera_glyphs

PAD = 3
"""The left and the right padding of a table cell."""
CELL_PADDING = 2.5
"""The top and the bottom padding of a table cell."""
SIZES = (8, 7.5, 7, 6.5, 6, 5.5, 5)
"""Font sizes of a table of quote data, the first one for every order whose numbers fit it."""


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
    vera_glyphs()
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
