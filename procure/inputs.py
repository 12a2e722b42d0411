"""Read a request from any file a user gives: a TOML request or a filled Excel request form.

The one place that chooses between the two readers, above both `procure.core.request` (TOML) and
`procure.forms.read` (forms), so that neither imports the other.
"""

from pathlib import Path

from procure.core.errors import InputError
from procure.core.request import Directory, Request, read_toml_request

FORM_SUFFIXES = (".xlsx", ".xlsm")
"""Requests in these files are Excel request forms (`procure form`)."""
OTHER_SHEETS = (".xls", ".ods", ".csv")
"""Spreadsheets that are not forms procure reads, named in the message that refuses them."""


def read_request(path: Path | str | None = None, *, text: str | None = None, name: str | None = None,
                 directory: Directory | None = None) -> Request:
    """Read and check a request file (TOML, or a filled Excel form), or TOML `text` in memory.

    InputError lists every problem. `name` names the request in messages (default: the path, or
    `request.toml`); a `[pricing] price_list` is taken relative to the folder of that name. With a
    `directory`, a [customer] that gives a DoDAAC but no facility is completed from it.
    """
    if text is None and path is not None:
        suffix = Path(path).suffix.lower()
        if suffix in FORM_SUFFIXES:
            from procure.forms.read import read_form

            return read_form(path, name=name, directory=directory)
        if suffix in OTHER_SHEETS:
            raise InputError(f"{path}: a {suffix} spreadsheet cannot be read; save the request form as an "
                             f"Excel workbook (.xlsx)")
    return read_toml_request(path, text=text, name=name, directory=directory)
