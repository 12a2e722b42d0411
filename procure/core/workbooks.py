"""The most a workbook the user gives may hold: a price list (XLSX) and a filled request form alike.

A workbook is a zip of XML parts: a small file can unpack to gigabytes, declare a
sheet of millions of rows, or hold one enormous text. Each is refused before it is
read: at most `MAX_WORKBOOK_BYTES` on disk and `MAX_UNPACKED_BYTES` unpacked, at
most `MAX_ROWS` rows with content and `MAX_CELL` characters in a cell.
"""

import io

from procure.core.arguments import FilePath
from procure.core.characters import printable
from procure.core.errors import InputError

MAX_WORKBOOK_BYTES, MAX_UNPACKED_BYTES = 20_000_000, 50_000_000
"""The largest workbook read, and the most its parts may hold once unpacked."""
MAX_ROWS, MAX_CELL = 10_000, 1_000
"""The most rows with content a sheet may have, and characters a cell may hold."""


def check_unpacked_size(raw: bytes, path: FilePath, what: str) -> None:
    """InputError if the parts of a workbook would take more than MAX_UNPACKED_BYTES unpacked."""
    import zipfile  # only workbooks need it: CSV and TOML readers stay light

    try:
        size = sum(entry.file_size for entry in zipfile.ZipFile(io.BytesIO(raw)).infolist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return  # openpyxl reports the file as unreadable
    if size > MAX_UNPACKED_BYTES:
        raise InputError(f"{printable(path)}: holds {size // 1_000_000:,} MB once unpacked; a {what} may hold "
                         f"at most {MAX_UNPACKED_BYTES // 1_000_000} MB")


def too_many_rows(path: FilePath, what: str) -> InputError:
    return InputError(f"{printable(path)}: has more than {MAX_ROWS:,} rows, the most a {what} may have")


def too_long(where: str, length: int) -> str:
    """The problem of a cell that holds `length` characters, more than MAX_CELL."""
    return f"{where}: holds {length:,} characters; a cell may hold at most {MAX_CELL:,}"
