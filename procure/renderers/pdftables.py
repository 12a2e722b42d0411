"""Tables of a PDF quote, fitted to the page and laid out in time linear in their rows.

Tables of data are laid out by `fit`: a column of numbers is never narrower than its widest cell in the
table's font, and the room it needs is taken from the columns of text, which wrap; only if that is not enough
does the table's font get smaller. Long tables are laid out a page at a time by adding up their row heights
(`PagedTable`) and each page drawn with the operators reportlab's Table would write for it (`TablePage`); cells
are styled once per kind of row (`styled_cells`), and text cells are drawn directly (`write_text`).
"""

import itertools
import math
import operator

from reportlab.lib import colors
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
    measured = _measured_rows(grid)
    for size in SIZES:
        widths = list(base)
        for column, rows in measured.items():
            need = max(cell_width(grid, row, column, size) for row in rows)
            widths[column] = max(base[column], math.ceil(need) + 2 * PAD)
        excess = sum(widths) - width
        for column, least in grid.least.items():
            give = max(0, min(excess, widths[column] - least))
            widths[column] -= give
            excess -= give
        if excess <= 1e-9 or size == SIZES[-1]:
            return Fitted(size, tuple(widths))
    raise AssertionError("unreachable")


def _measured_rows(grid: Grid) -> dict[int, list[int]]:
    """For each column `fit` widens to its cells, the rows whose cells it measures: the header, the bold rows and
    one row of each other cell the column holds (a long table repeats its cells, and a cell measures the same in
    every plain row)."""
    plain = [n for n in range(1, len(grid.rows)) if n not in grid.bold]
    plain_rows = [grid.rows[n] for n in plain]
    return {column: [0, *sorted(grid.bold), *dict(zip(map(operator.itemgetter(column), plain_rows), plain,
                                                      strict=True)).values()]
            for column in range(len(grid.widths)) if column not in grid.least}


def grid_table(grid: Grid, st, commands=()) -> Flowable:
    """The table of a Grid, in the font size and the column widths `fit` gives it (a `PagedTable` when long)."""
    size, widths = fit(grid)
    cell = ParagraphStyle(f"cell-{size}", st["cell"], fontSize=size, leading=size + 2)
    head = ParagraphStyle(f"head-{size}", st["head"], fontSize=head_size(size), leading=size + 1.5)
    head_right = ParagraphStyle(f"head_right-{size}", head, alignment=TA_RIGHT)
    header = [Paragraph(markup(name), head_right if i in grid.right else head) for i, name in enumerate(grid.rows[0])]
    body, heights = _body(grid, widths, cell)
    bold = [("FONTNAME", (0, n), (-1, n), BOLD) for n in sorted(grid.bold)]
    if len(body) > PAGED_ROWS:
        return PagedTable(PagedRows([header, *body], widths, [*bold, *commands], size, heights))
    return table([header, *body], widths, [*bold, *commands], size=size, heights=heights)


def _body(grid: Grid, widths, style: ParagraphStyle) -> tuple[list[list], list[float | None]]:
    """The body rows of a Grid as drawn (`body_cell`) and the heights of all its rows, None for the header and
    the last row, which reportlab measures.

    A long table repeats its cells, column by column: each one is made once per column and shared by the rows
    that hold it (a Paragraph too: it is wrapped to the same width in each). Only the bold rows and the rows
    holding a Paragraph are measured; the others are one line high.
    """
    columns, wrapping = [], set(grid.bold)
    for column, values in enumerate(zip(*grid.rows[1:], strict=True)):
        made = {value: body_cell(value, widths[column], style, bold=False) for value in set(values)}
        if wraps := {value for value, drawn in made.items() if type(drawn) is not str}:
            wrapping.update(n for n, value in enumerate(values, 1) if value in wraps)
        columns.append(map(made.__getitem__, values))
    body = [list(row) for row in zip(*columns, strict=True)]
    for n in grid.bold:
        body[n - 1] = [body_cell(value, width, style, bold=True) for value, width in zip(grid.rows[n], widths,
                                                                                            strict=True)]
    heights: list[float | None] = [None, *[ONE_LINE_ROW] * len(body)]
    for n in wrapping:
        heights[n] = row_height(body[n - 1], widths)
    heights[-1] = None
    return body, heights


PAGED_ROWS = 120
"""Body rows past which a table is laid out a page at a time: more than two pages of the shortest rows."""


class PagedRows:
    """A long table's rows, cell styles and drawing commands, worked out once for all the pages it spans.

    Its pages are laid out as reportlab's split of a Table of the header and the next PAGED_ROWS rows would lay
    them out, and drawn as that Table would draw them. The page drawer (`TablePage`) draws backgrounds of one
    colour and lines above or below rows, and keeps the rows of a NOSPLIT together; any other drawing command
    (a span, a box, ...) may touch the last row only, which is always laid out by reportlab in the rest of the
    table (`PagedTable`).
    """

    def __init__(self, rows: list, widths, commands, size: float, heights: list):
        self.rows, self.widths, self.commands, self.size, self.given_heights = rows, widths, commands, size, heights
        count = len(rows)
        full = table_commands(commands, size=size)
        drawn, self.styles = styled_cells(full, count, len(widths))
        drawn = [_rows_counted(command, count) for command in drawn]
        beyond = sorted({c[0] for c in drawn if c[1][1] < count - 1 and not _page_draws(c)})
        if beyond:
            raise ValueError(f"table style commands {beyond} above the last row are not drawn by TablePage")
        unsplit = sorted((first, last) for name, (_, first), (_, last), *_ in drawn if name == "NOSPLIT")
        if any(later[0] <= earlier[1] for earlier, later in itertools.pairwise(unsplit)):
            raise ValueError("overlapping NOSPLIT ranges are not laid out by PagedTable")
        unknown = sorted({c[3] for c in full if c[0] in ("FONTNAME", "FACE")
                          and not pdfmetrics.getFont(c[3])._dynamicFont})
        if unknown:
            raise ValueError(f"fonts {unknown} are not drawn by TablePage")
        self.drawn, self.unsplit = [c for c in drawn if c[0] != "NOSPLIT"], unsplit
        self.width = sum(widths)
        self.columns = list(itertools.accumulate(widths, initial=0))
        self.lefts = self.columns[:-1]
        self.header_code: dict[tuple, list[str]] = {}
        """The operators of the header row by document and height on the page (`TablePage._draw_header`)."""
        header_height = self.window(1, 1).wrap(self.width, 72000)[1]
        self.heights = [header_height, *heights[1:]]

    def window(self, start: int, end: int) -> Table:
        """A Table of the header and the body rows from `start` up to (not including) `end`."""
        rows = [self.rows[0], *self.rows[start:end]]
        heights = [self.given_heights[0], *self.given_heights[start:end]]
        commands = [moved for command in self.commands
                    if (moved := _in_window(command, start, end, len(self.rows))) is not None]
        return table(rows, self.widths, commands, size=self.size, heights=heights)

    def fitting(self, start: int, height: float) -> int:
        """How many body rows from `start` go on a page of `height` under the header: as many as reportlab's
        split of a Table of the header and the next PAGED_ROWS rows puts there, none when not even one fits."""
        end = start + PAGED_ROWS
        used, fits = 0, 0
        for n, row in enumerate((0, *range(start, end))):  # the heights summed in reportlab's order
            if used + self.heights[row] > height:
                break
            if n and not any(max(first, start) < row + 1 <= min(last, end - 1) for first, last in self.unsplit):
                fits = n
            used = used + self.heights[row]
        return fits


def _rows_counted(command: tuple, count: int) -> tuple:
    """A command with its rows counted from the top of a table of `count` rows."""
    name, (c0, r0), (c1, r1), *args = command
    return (name, (c0, r0 + count if r0 < 0 else r0), (c1, r1 + count if r1 < 0 else r1), *args)


def _page_draws(command: tuple) -> bool:
    """Whether the page drawer draws (or lays out by) a command: a background of one colour, a single line above
    or below rows (cap and join as reportlab's defaults), or rows kept together."""
    if command[0] == "BACKGROUND":
        return not callable(command[3]) and not isinstance(command[3], list | tuple)
    return command[0] == "NOSPLIT" or (command[0] in ("LINEABOVE", "LINEBELOW") and len(command) == 5)


class PagedTable(Flowable):
    """A long table laid out and drawn a page at a time, in time linear in its rows.

    reportlab splits a Table at a page's end into the rows that fit and a new Table of all the rest, measured
    again, which is quadratic in a table of thousands of rows; and each Table it draws passes every cell through
    layers of generic code. This flowable knows every row's height: on each page it adds them up to the rows that
    fit, as reportlab's split does, and hands the frame a `TablePage` of the header and those rows, which draws
    them with the very operators reportlab's Table writes for them; the rest stays itself, further on. The rest
    of the table, once short, is a plain Table.
    """

    def __init__(self, rows: PagedRows, start: int = 1):
        super().__init__()
        self._rows = rows
        self._start = start
        """The first body row not placed yet."""

    def _rest(self) -> Table | None:
        """The rest as a plain Table when it is short enough to lay out whole, else None."""
        rows = self._rows
        return rows.window(self._start, len(rows.rows)) if len(rows.rows) - self._start <= PAGED_ROWS else None

    def wrap(self, availWidth, availHeight):
        rest = self._rest()
        if rest is not None:
            return rest.wrap(availWidth, availHeight)
        # More than a page: say so without measuring it all, and reportlab asks for a split.
        return self._rows.width, availHeight + 1

    def split(self, availWidth, availHeight):
        rest = self._rest()
        if rest is not None:
            return rest.split(availWidth, availHeight)
        count = self._rows.fitting(self._start, availHeight)
        if not count:
            return []
        return [TablePage(self._rows, self._start, count), PagedTable(self._rows, self._start + count)]

    def draw(self):  # never drawn itself: split hands reportlab the pages and then the rest
        raise AssertionError("a PagedTable is split before it is drawn")


class TablePage(Flowable):
    """The header and `count` body rows from `start` of a long table: one page of it, drawn as reportlab's Table
    of the first part of a split draws it (`Table.draw`: backgrounds, then the cells row by row, then the lines),
    operator for operator."""

    def __init__(self, rows: PagedRows, start: int, count: int):
        super().__init__()
        self.hAlign = "LEFT"
        self._rows, self._start, self._count = rows, start, count
        self._heights = [rows.heights[0], *rows.heights[start:start + count]]
        self._positions = _row_positions(self._heights)
        commands = []
        for command in rows.drawn:
            name, (c0, r0), (c1, r1), *args = command
            if name == "LINEABOVE" and count < PAGED_ROWS and r0 <= start + count <= r1:
                # reportlab's split draws a line above the next page's first row below this page's last, too
                commands.append(("LINEBELOW", (c0, count), (c1, count), *args))
            if (moved := _in_window(command, start, start + count, len(rows.rows))) is not None:
                commands.append(moved)
        self._backgrounds = [c for c in commands if c[0] == "BACKGROUND"]
        self._lines = [c for c in commands if c[0] != "BACKGROUND"]

    def wrap(self, availWidth, availHeight):
        return self._rows.width, self._positions[0]

    def draw(self):
        canv, rows = self.canv, self._rows
        if not writes_text_operators(canv):
            raise ValueError("a TablePage draws on a bottom-up canvas without bidirectional text only")
        canv.saveState()
        self._draw_backgrounds()
        self._draw_header()
        current = rows.styles[0][-1]
        start, end = self._start, self._start + self._count
        for values, styles, rowpos, rowheight in zip(rows.rows[start:end], rows.styles[start:end],
                                                     self._positions[2:], self._heights[1:], strict=True):
            current = _draw_row(canv, current, values, styles, rows, rowpos, rowheight)
        self._draw_lines()
        canv.restoreState()

    def _draw_header(self) -> None:
        """The header row: on every page where it stands as high, the same operators, so written once and then
        repeated (its Paragraphs were most of a page's drawing time). Nothing drawn after it on the page reads
        the font or the colour it leaves the canvas in: a text cell names its own font (`write_text`), and a
        Paragraph sets its own."""
        canv, rows = self.canv, self._rows
        key = (canv._doc, self._positions[1])
        if key not in rows.header_code:
            mark = len(canv._code)
            _draw_row(canv, None, rows.rows[0], rows.styles[0], rows, self._positions[1], self._heights[0])
            rows.header_code[key] = canv._code[mark:]
        else:
            canv._code.extend(rows.header_code[key])

    def _draw_backgrounds(self) -> None:
        canv, columns, positions = self.canv, self._rows.columns, self._positions
        ncols, nrows = len(columns) - 1, len(positions) - 1
        for _, (c0, r0), (c1, r1), colour in self._backgrounds:
            c0, c1 = (c + ncols if c < 0 else c for c in (c0, c1))
            x0, y0 = columns[c0], positions[r0]
            x1, y1 = columns[min(c1 + 1, ncols)], positions[min(r1 + 1, nrows)]
            colour = colors.toColorOrNone(colour)
            if colour:
                canv.setFillColor(colour)
                canv.rect(x0, y0, x1 - x0, y1 - y0, stroke=0, fill=1)

    def _draw_lines(self) -> None:
        canv, columns, positions = self.canv, self._rows.columns, self._positions
        ncols, nrows = len(columns) - 1, len(positions) - 1
        canv.saveState()
        shape = colour = weight = None
        for name, (c0, r0), (c1, r1), line_weight, line_colour in self._lines:
            if shape is None:  # reportlab's default cap and join, set before the first line
                canv.setLineCap(1)
                canv.setLineJoin(1)
                shape = 1
            c0, c1 = (c + ncols if c < 0 else c for c in (c0, c1))
            c0, c1, r0, r1 = max(0, c0), min(ncols - 1, c1), max(0, r0), min(nrows - 1, r1)
            if name == "LINEBELOW":
                r0, r1 = r0 + 1, r1 + 1
            xs, ys = columns[c0:c1 + 2], positions[r0:r1 + 1]
            if len(xs) <= 1 or not ys:
                continue
            if line_colour and line_colour != colour:
                canv.setStrokeColor(line_colour)
                colour = line_colour
            if line_weight and line_weight != weight:
                canv.setLineWidth(line_weight)
                weight = line_weight
            for y in ys:
                canv.line(xs[0], y, xs[-1], y)
        canv.restoreState()


def _draw_row(canv, current: CellStyle | None, values: list, styles: list, rows: PagedRows, rowpos, rowheight
              ) -> CellStyle:
    """The cells of a row, as `Table.draw` draws them after a cell of `current` style; the style of its last."""
    for value, style, colpos, colwidth in zip(values, styles, rows.lefts, rows.widths, strict=True):
        if style is not current:
            current = switch_style(canv, current, style)
        if type(value) is str:
            write_text(canv, value, style, colpos, colwidth, rowpos, rowheight)
        else:
            _draw_flowables(canv, value, style, colpos, colwidth, rowpos, rowheight)
    return current


def _row_positions(heights: list) -> list:
    """The y of the top of each row and of the bottom of the last, from the bottom: summed as reportlab's Table
    sums them (compensated), to the same floats."""
    positions, height, carry = [], 0, 0
    for row_height in reversed(heights):
        positions.append(height)
        y = row_height - carry
        total = height + y
        carry = (total - height) - y
        height = total
    positions.append(height)
    positions.reverse()
    return positions


def _draw_flowables(canv, value, style, colpos, colwidth, rowpos, rowheight) -> None:
    """A cell of flowables drawn as `Table._drawCell` draws it: wrapped to the cell less its padding, aligned."""
    flowables = value if isinstance(value, list | tuple) else (value,)
    sizes = [flowable.wrapOn(canv, colwidth - style.leftPadding - style.rightPadding,
                             rowheight - style.topPadding - style.bottomPadding) for flowable in flowables]
    height = 0
    for flowable, (_, h) in zip(flowables, sizes, strict=True):
        height += h + flowable.getSpaceAfter() + flowable.getSpaceBefore()
    if flowables:
        height = height - flowables[0].getSpaceBefore() - flowables[-1].getSpaceAfter()
    if style.valign == "TOP":
        y = rowpos + rowheight - style.topPadding
    elif style.valign == "BOTTOM":
        y = rowpos + style.bottomPadding + height
    else:
        y = rowpos + (rowheight + style.bottomPadding - style.topPadding + height) / 2.0
    if flowables:
        y += flowables[0].getSpaceBefore()
    for flowable, (w, h) in zip(flowables, sizes, strict=True):
        if style.alignment == "LEFT":
            x = colpos + style.leftPadding
        elif style.alignment == "RIGHT":
            x = colpos + colwidth - style.rightPadding - w
        elif style.alignment in ("CENTRE", "CENTER"):
            x = colpos + (colwidth + style.leftPadding - style.rightPadding - w) / 2.0
        else:
            raise ValueError(f"Invalid justification {style.alignment!a} for a cell of flowables")
        y -= flowable.getSpaceBefore()
        y -= h
        flowable.drawOn(canv, x, y)
        y -= flowable.getSpaceAfter()


def _in_window(command: tuple, start: int, end: int, count: int) -> tuple | None:
    """A table style command moved to a window of body rows `start`..`end` - 1 (the header stays row 0); None
    when it touches no row of the window. Row -1 is the table's last row, in whichever window holds it."""
    name, (c0, r0), (c1, r1), *args = _rows_counted(command, count)
    header = r0 == 0
    first, last = max(r0, start), min(r1, end - 1)
    if first > last:
        return (name, (c0, 0), (c1, 0), *args) if header else None
    return (name, (c0, 0 if header else first - start + 1), (c1, last - start + 1), *args)


ONE_LINE_ROW = CellStyle.leading + 2 * CELL_PADDING
"""The height `row_height` gives a row of one-line strings."""


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
    """reportlab's Table, its cells of text drawn with the very operators `drawString` and its kin write,
    composed here directly (`write_text`): those make a text object and pass the text through four layers per
    line, most of a long table's drawing time. Every other cell is reportlab's to draw."""

    _curcellstyle: CellStyle | None

    def _drawCell(self, cellval, cellstyle, pos, size):
        if not (type(cellval) is str and drawn_as_text(cellstyle) and writes_text_operators(self.canv)):
            return super()._drawCell(cellval, cellstyle, pos, size)
        if self._curcellstyle is not cellstyle:
            self._curcellstyle = switch_style(self.canv, self._curcellstyle, cellstyle)
        (colpos, rowpos), (colwidth, rowheight) = pos, size
        write_text(self.canv, cellval, cellstyle, colpos, colwidth, rowpos, rowheight)
        return None


def drawn_as_text(style: CellStyle) -> bool:
    """Whether `write_text` draws a text cell of `style` (all but right-to-left, shaped, linked and decimal-aligned
    text, and fonts other than TrueType)."""
    return (style.alignment in ("LEFT", "RIGHT", "CENTRE", "CENTER") and style.valign in ("TOP", "MIDDLE", "BOTTOM")
            and not (style.direction or style.shaping or style.href or style.destination)
            and pdfmetrics.getFont(style.fontname)._dynamicFont)


def writes_text_operators(canv) -> bool:
    """Whether `write_text` draws on `canv`: bottom-up, without reportlab's bidirectional text."""
    return bool(canv.bottomup) and not textobject.rtlSupport


def switch_style(canv, current: CellStyle | None, style: CellStyle) -> CellStyle:
    """Set the canvas's fill colour and font for a cell of `style` drawn after one of `current`, as
    `Table._drawCell` does; `style` is then the current one."""
    if current is None or style.color != current.color:
        canv.setFillColor(style.color)
    if (current is None or style.leading != current.leading or style.fontname != current.fontname
            or style.fontsize != current.fontsize):
        canv.setFont(style.fontname, style.fontsize, style.leading)
    return style


def write_text(canv, text: str, style: CellStyle, colpos, colwidth, rowpos, rowheight) -> None:
    """The operators `Table._drawCell` writes for a cell of text (each line through `drawString`,
    `drawRightString` or `drawCentredString`, in the font `switch_style` set for `style`); the positions are
    worked out in the order reportlab works them out, to the same floats."""
    written = canv.__dict__.get("_written_texts")
    if written is None:
        written = canv.__dict__["_written_texts"] = _WrittenTexts()
    lines = written.lines.get((text, style, colpos, colwidth)) or written.place(canv, text, style, colpos, colwidth)
    if style.valign == "TOP":
        y = rowpos + rowheight - style.topPadding - style.fontsize
    elif style.valign == "BOTTOM":
        y = rowpos + style.bottomPadding + len(lines) * style.leading - style.fontsize
    else:
        y = rowpos + (style.bottomPadding + rowheight - style.topPadding + len(lines) * style.leading) / 2.0 \
            - style.fontsize
    for before, after in lines:
        canv._code.append(f"{before}{written.numbers.get(y) or written.number(y)}{after}")
        y -= style.leading


class _WrittenTexts:
    """What `write_text` works out once on a canvas, as a long table repeats its texts and the heights of its
    rows: the operators of each line of a text cell before and after the y of its baseline, and each number as
    written (`fp_str`, which takes longer than the rest of a cell)."""

    def __init__(self):
        self.lines: dict[tuple, list[tuple[str, str]]] = {}
        self.numbers: dict[float, str] = {}

    def number(self, value: float) -> str:
        self.numbers[value] = fp_str(value)
        return self.numbers[value]

    def place(self, canv, text: str, style: CellStyle, colpos, colwidth) -> list[tuple[str, str]]:
        """The operators of each line of a text cell in two: `BT 1 0 0 1 x ` and ` Tm`, the text as
        `PDFTextObject.textLine` shows it, `T* ET`."""
        font, size = pdfmetrics.getFont(style.fontname), style.fontsize
        leading = size * 1.2 if style.leading is None else style.leading  # as canvas.setFont sets it
        size_and_leading = f"{fp_str(size)} Tf {fp_str(leading)} TL"
        if style.alignment == "LEFT":
            x = colpos + style.leftPadding
        elif style.alignment == "RIGHT":
            x = colpos + colwidth - style.rightPadding
        else:
            x = colpos + (colwidth + style.leftPadding - style.rightPadding) * 0.5
        lines = []
        for line in text.split("\n"):
            shown, subset = [], -1
            for part, chunk in font.splitString(line, canv._doc):
                if part != subset:
                    shown.append(f"{font.getSubsetInternalName(part, canv._doc)} {size_and_leading}")
                    subset = part
                shown.append(f"({canv._escape(chunk)}) Tj")
            width = pdfmetrics.stringWidth(line, style.fontname, size)
            left = x if style.alignment == "LEFT" else x - width if style.alignment == "RIGHT" else x - 0.5 * width
            lines.append((f"BT 1 0 0 1 {fp_str(left)} ", f" Tm {' '.join(shown)} T* ET"))
        self.lines[text, style, colpos, colwidth] = lines
        return lines


def table_commands(commands=(), header=True, size=8) -> list:
    """The style commands of a `table`: Vera throughout in `size`, padded, with a shaded header row when it has
    one, then `commands`."""
    style: list[tuple[object, ...]] = [("FONTNAME", (0, 0), (-1, -1), FONT), ("FONTSIZE", (0, 0), (-1, -1), size),
             ("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), PAD),
             ("RIGHTPADDING", (0, 0), (-1, -1), PAD), ("TOPPADDING", (0, 0), (-1, -1), CELL_PADDING),
             ("BOTTOMPADDING", (0, 0), (-1, -1), CELL_PADDING)]
    if header:
        style += [("BACKGROUND", (0, 0), (-1, 0), SHADE), ("LINEABOVE", (0, 0), (-1, 0), 0.8, INK),
                  ("LINEBELOW", (0, 0), (-1, 0), 0.8, INK), ("LINEBELOW", (0, 1), (-1, -1), 0.25, RULE),
                  ("VALIGN", (0, 0), (-1, 0), "BOTTOM")]
    return [*style, *commands]


def table(rows, widths, commands=(), header=True, width=WIDTH, size=8, heights=None) -> Table:
    """A table in Vera throughout, with a shaded header row that repeats on every page.

    One column width may be None: that column takes what the others leave of `width`. `heights` are the row
    heights when known (None for a row reportlab is to measure).
    """
    widths = [width - sum(w for w in widths if w is not None) if w is None else w for w in widths]
    # Given as reportlab's normalizeData would make it (None as ""), which it otherwise does cell by cell.
    rows = [["" if cell is None else cell for cell in row] for row in rows]
    drawn, cell_styles = styled_cells(table_commands(commands, header, size), len(rows), len(widths))
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
