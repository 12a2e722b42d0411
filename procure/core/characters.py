"""Which characters text from a user may hold, and how a file name is shown.

Every output must be able to hold every text it is given: XML 1.0 (inside the
`.xlsx`) forbids the C0 control characters but tab, line feed and carriage
return, the surrogates and U+FFFE and U+FFFF; a terminal runs escape sequences
of the C0 and C1 control characters. Input that holds such a character is
refused, naming the field, rather than repaired.
"""

import re
import unicodedata

LINE_BREAKS = "\t\n\r"
"""The control characters allowed where text may span lines (catalog bases, disclaimers)."""
_FORBIDDEN = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
"""The control characters (Unicode category Cc), the surrogates (Cs), U+FFFE and U+FFFF."""
XML_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
"""The characters XML 1.0 cannot hold: what a renderer of XML removes from text that reached it anyway."""


def forbidden(text: str, allowed: str = "") -> str | None:
    """The first character of `text` no output can hold safely (`allowed` aside), or None."""
    for match in _FORBIDDEN.finditer(text):
        if match.group() not in allowed:
            return match.group()
    return None


def describe(char: str) -> str:
    """`a control character (U+001B)`: a forbidden character named so a user can find it."""
    if unicodedata.category(char) == "Cc":
        return f"a control character (U+{ord(char):04X}, such as a line break, tab or escape)"
    return f"a character no document may hold (U+{ord(char):04X})"


def printable(name: object) -> str:
    """A file name as it may be shown: bytes that are not UTF-8 (surrogates in Python's decoding of a file
    name) and control characters become U+FFFD, so messages and JSON are always valid UTF-8 and inert."""
    return "".join("\ufffd" if forbidden(char) else char for char in str(name))
