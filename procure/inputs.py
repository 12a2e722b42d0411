"""Read a request from any file a user gives: a TOML request or a filled Excel request form.

The one place that chooses between the two readers, above both `procure.core.request` (TOML) and
`procure.forms.read` (forms), so that neither imports the other.
"""

from pathlib import Path

from procure.core.characters import printable
from procure.core.errors import InputError
from procure.core.request import Directory, Request, read_toml_request
from procure.core.tomlschema import text_of

FORM_SUFFIXES = (".xlsx", ".xlsm")
"""Requests in these files are Excel request forms (`procure form`)."""
OTHER_SHEETS = (".xls", ".ods", ".csv")
"""Spreadsheets that are not forms procure reads, named in the message that refuses them."""
ZIP_MAGIC = b"PK\x03\x04"
"""How an .xlsx file (a zip archive) begins, whatever it is called."""


def read_request(path: Path | str | None = None, *, text: str | None = None, data: bytes | None = None,
                 name: str | None = None, directory: Directory | None = None) -> Request:
    """Read and check a request file (TOML, or a filled Excel form), TOML `text`, or the bytes `data` of either
    (an upload, read in memory).

    InputError lists every problem. `name` names the request in messages (default: the path, or
    `request.toml`); a `[pricing] price_list` is taken relative to the folder of that name. With a
    `directory`, a [customer] that gives a DoDAAC but no facility is completed from it.
    """
    if data is not None:
        shown = printable(name or "request.toml")
        _refuse_other_sheets(shown)
        if is_workbook(data, shown):
            from procure.forms.read import form_request

            return form_request(data, shown, directory)
        text, name = text_of(data, shown, "request file"), shown
    if text is None and path is not None:
        if Path(path).suffix.lower() in FORM_SUFFIXES:
            from procure.forms.read import read_form

            return read_form(path, name=name, directory=directory)
        _refuse_other_sheets(path)
    return read_toml_request(path, text=text, name=name, directory=directory)


def _refuse_other_sheets(name: Path | str) -> None:
    suffix = Path(name).suffix.lower()
    if suffix in OTHER_SHEETS:
        raise InputError(f"{name}: a {suffix} spreadsheet cannot be read; save the request form as an "
                         f"Excel workbook (.xlsx)")


def is_workbook(data: bytes, name: str) -> bool:
    """True when uploaded bytes are an Excel workbook, by their first bytes or their name."""
    return data[:4] == ZIP_MAGIC or Path(name).suffix.lower() in FORM_SUFFIXES
