"""The look of a PDF quote on US Letter: page geometry, inks, the Vera fonts and paragraph styles, and text
made safe to draw in them.

Only reportlab's bundled Vera fonts are used, embedded, and characters they lack are replaced (`clean`).
The tables are `pdftables.py`, the page decoration `pdfpage.py`; nothing here knows what a quote is:
`pdf.py` does.
"""

import functools
import re
import unicodedata
from pathlib import Path

import reportlab
from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import letter
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import inch
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import CondPageBreak, Paragraph

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
BOLD_MARK = re.compile(r"\*\*(.+?)\*\*")


@functools.cache
def vera_glyphs() -> frozenset[int]:
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
    text, glyphs = str(text), vera_glyphs()
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


def styles() -> dict[str, ParagraphStyle]:
    vera_glyphs()
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


def section(title: str, st) -> list:
    """A section heading, on a new page unless there is room for it and a few lines after it."""
    return [CondPageBreak(1.2 * inch), Paragraph(markup(title), st["section"])]


def paragraphs(text: str, style) -> list:
    """Template output as paragraphs: split on blank lines, lines of a paragraph joined, `**x**` bold."""
    blocks = (" ".join(block.split()) for block in re.split(r"\n\s*\n", text))
    return [Paragraph(BOLD_MARK.sub(r"<b>\1</b>", markup(block)), style) for block in blocks if block]
