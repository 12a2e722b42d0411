"""Which characters text from a user may hold, what an XML part or a spreadsheet cell keeps of a text, and how a
file name is shown.

Every output must be able to hold every text it is given: XML 1.0 (inside the
`.xlsx`) forbids the C0 control characters but tab, line feed and carriage
return, the surrogates and U+FFFE and U+FFFF; a terminal runs escape sequences
of the C0 and C1 control characters. Input that holds such a character is
refused, naming the field, rather than repaired.
"""

import functools

LINE_BREAKS = "\t\n\r"
"""The control characters allowed where text may span lines (catalog bases, disclaimers)."""


def _forbidden_char(char: str) -> bool:
    """A control character (Unicode category Cc), a surrogate (Cs), U+FFFE or U+FFFF."""
    code = ord(char)
    return code < 0x20 or 0x7F <= code <= 0x9F or 0xD800 <= code <= 0xDFFF or code in (0xFFFE, 0xFFFF)


def forbidden(text: str, allowed: str = "") -> str | None:
    """The first character of `text` no output can hold safely (`allowed` aside), or None."""
    if text.isprintable():  # every forbidden character is one that str.isprintable() refuses
        return None
    for char in allowed:  # a text with a line break most often holds nothing else str.isprintable() refuses
        text = text.replace(char, " ")
    if text.isprintable():
        return None
    return next((char for char in text if _forbidden_char(char)), None)


def xml_text(text: str) -> str:
    """`text` without the characters XML 1.0 cannot hold (C0 controls but tab, line feed and carriage return;
    surrogates; U+FFFE and U+FFFF): what a renderer of XML keeps of text that reached it anyway."""
    return text if text.isprintable() else text.translate(_xml_removed())


MAX_TEXT = 32767
"""The most characters a spreadsheet cell may hold (Excel's limit)."""


def cell_text(text: str) -> str:
    """`text` as a spreadsheet cell holds it: `xml_text`, cut to MAX_TEXT characters."""
    return xml_text(text)[:MAX_TEXT]


@functools.cache
def _xml_removed() -> dict[int, None]:
    """The translation table of `xml_text`, built on first use (most text is printable and never needs it)."""
    codes = [*range(0x09), 0x0B, 0x0C, *range(0x0E, 0x20), *range(0xD800, 0xE000), 0xFFFE, 0xFFFF]
    return dict.fromkeys(codes)


def describe(char: str) -> str:
    """`a control character (U+001B)`: a forbidden character named so a user can find it."""
    import unicodedata  # here, not above: only a refused character is described

    if unicodedata.category(char) == "Cc":
        return f"a control character (U+{ord(char):04X}, such as a line break, tab or escape)"
    return f"a character no document may hold (U+{ord(char):04X})"


def printable(name: object) -> str:
    """A file name as it may be shown: bytes that are not UTF-8 (surrogates in Python's decoding of a file
    name) and control characters become U+FFFD, so messages and JSON are always valid UTF-8 and inert."""
    return "".join("\ufffd" if forbidden(char) else char for char in str(name))
