"""What every page of a PDF quote shows around its content: the watermark, the stamp, the running header, and
a canvas that holds the pages until the end to number them "Page N of M".
"""

import contextlib
import datetime
import os
import threading

from reportlab.lib import colors
from reportlab.lib.units import inch
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas

from procure.core.record import Record
from procure.renderers.pdfoutline import draw_outlined
from procure.renderers.pdfstyle import BOLD, FONT, INK, MARGIN, PAGE_HEIGHT, PAGE_WIDTH, RULE, clean

WATERMARK = colors.HexColor("#DADADA")
STAMP_INK, STAMP_LINE_INK = colors.HexColor("#E3B4B4"), colors.HexColor("#B22222")
"""The stamp: light red under the content, and its line of text in a red that reads."""


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
