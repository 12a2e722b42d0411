"""Read a request from any file a user gives: a TOML request or a filled Excel request form.

The one place that chooses between the two readers, above both `procure.core.request` (TOML) and
`procure.forms.read` (forms), so that neither imports the other.
"""

import os

from procure.core.arguments import PATH, TEXT, FilePath, expect
from procure.core.characters import printable
from procure.core.errors import InputError
from procure.core.request import Directory, Request, read_toml_request
from procure.core.user_files import decode_text, read_bytes, suffix as suffix_of
from procure.core.workbooks import MAX_WORKBOOK_BYTES

FORM_SUFFIXES = (".xlsx", ".xlsm")
"""Requests in these files are Excel request forms (`procure form`)."""
OTHER_SHEETS = (".xls", ".ods", ".csv")
"""Spreadsheets that are not forms procure reads, named in the message that refuses them."""


def read_request(path: FilePath | None = None, *, text: str | None = None, name: str | None = None,
                 directory: Directory | None = None) -> Request:
    """Read and check a request file (TOML, or a filled Excel form), or TOML `text` in memory.

    InputError lists every problem. `name` names the request in messages (default: the path, or
    `request.toml`); a `[pricing] price_list` is taken relative to the folder of that name. With a
    `directory`, a [customer] that gives a DoDAAC but no facility is completed from it.
    """
    expect("read_request", "path", path, PATH)
    expect("read_request", "text", text, TEXT)
    expect("read_request", "name", name, TEXT)
    if text is None:
        if path is None:
            raise InputError("read_request: give path (a request file) or text= (TOML text)")
        return request_of_bytes(request_bytes(path), path, name=name, directory=directory)
    return read_toml_request(text=text, name=name, directory=directory)


def request_bytes(path: FilePath) -> bytes:
    """The bytes of a request file: at most 10 MB of TOML, or a form of at most 20 MB."""
    if suffix_of(path) in FORM_SUFFIXES:
        return read_bytes(path, "request form", MAX_WORKBOOK_BYTES)
    return read_bytes(path, "request file")


def request_of_bytes(data: bytes, path: FilePath, *, name: str | None = None,
                     directory: Directory | None = None) -> Request:
    """The request in `data`, the bytes of the file `path` (TOML, or a filled Excel form by its suffix): what
    is checked is exactly what was read, once."""
    suffix = suffix_of(path)
    shown = name if name is not None else os.fspath(path)
    if suffix in FORM_SUFFIXES:
        from procure.forms.read import form_request

        return form_request(data, shown, directory)
    if suffix in OTHER_SHEETS:
        raise InputError(f"{printable(path)}: a {suffix} spreadsheet cannot be read; save the request form as an "
                         f"Excel workbook (.xlsx)")
    return read_toml_request(text=decode_text(data, path, "request file"), name=shown, directory=directory)
